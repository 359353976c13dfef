//! The checksum algorithms of the bags gongkai writes and checks, and streaming
//! hashing (one read of a file feeds every algorithm).

use std::fmt;
use std::fs::File;
use std::io::{self, Read, Write};
use std::path::Path;

use sha2::{Digest, Sha256, Sha512};

/// A checksum algorithm, named as BagIt names it in `manifest-<name>.txt`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Algorithm {
    Sha256,
    Sha512,
}

impl Algorithm {
    /// Every algorithm gongkai writes, in the order the manifests are listed.
    pub const ALL: [Algorithm; 2] = [Algorithm::Sha256, Algorithm::Sha512];

    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Sha256 => "sha256",
            Algorithm::Sha512 => "sha512",
        }
    }

    /// The algorithm of a manifest name's `<algorithm>` part (BagIt names are lower case).
    pub fn from_name(name: &str) -> Option<Algorithm> {
        match name {
            "sha256" => Some(Algorithm::Sha256),
            "sha512" => Some(Algorithm::Sha512),
            _ => None,
        }
    }

    /// Length of a digest in hexadecimal digits.
    pub fn hex_len(self) -> usize {
        match self {
            Algorithm::Sha256 => 64,
            Algorithm::Sha512 => 128,
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Lower-case hexadecimal digests of one file, in the order of `Algorithm::ALL`.
pub type Digests = Vec<(Algorithm, String)>;

/// Several hashers fed with the same bytes.
pub struct Hashers {
    sha256: Option<Sha256>,
    sha512: Option<Sha512>,
}

impl Hashers {
    pub fn new(algorithms: &[Algorithm]) -> Hashers {
        Hashers {
            sha256: algorithms.contains(&Algorithm::Sha256).then(Sha256::new),
            sha512: algorithms.contains(&Algorithm::Sha512).then(Sha512::new),
        }
    }

    pub fn update(&mut self, bytes: &[u8]) {
        if let Some(h) = &mut self.sha256 {
            h.update(bytes);
        }
        if let Some(h) = &mut self.sha512 {
            h.update(bytes);
        }
    }

    /// Lower-case hexadecimal digests, in the order of `Algorithm::ALL`.
    pub fn finish(self) -> Digests {
        let mut out = Vec::new();
        if let Some(h) = self.sha256 {
            out.push((Algorithm::Sha256, to_hex(&h.finalize())));
        }
        if let Some(h) = self.sha512 {
            out.push((Algorithm::Sha512, to_hex(&h.finalize())));
        }
        out
    }
}

use crate::text::to_hex;

pub fn hash_bytes(bytes: &[u8], algorithms: &[Algorithm]) -> Digests {
    let mut h = Hashers::new(algorithms);
    h.update(bytes);
    h.finish()
}

/// Hash a file without holding it in memory; returns its size and digests.
pub fn hash_file(path: &Path, algorithms: &[Algorithm]) -> io::Result<(u64, Digests)> {
    hash_stream(File::open(path)?, None, algorithms)
}

/// Copy `from` to `to` (a new file) and hash the bytes as they are copied, so the
/// digests describe exactly what was written.
pub fn copy_and_hash(from: &Path, to: &Path, algorithms: &[Algorithm]) -> io::Result<(u64, Digests)> {
    let mut dst = File::create_new(to)?;
    let result = hash_stream(File::open(from)?, Some(&mut dst), algorithms)?;
    dst.flush()?;
    Ok(result)
}

/// Read `src` to the end in blocks, hashing every block and writing it to `copy`.
fn hash_stream(
    mut src: impl Read,
    mut copy: Option<&mut dyn Write>,
    algorithms: &[Algorithm],
) -> io::Result<(u64, Digests)> {
    let mut h = Hashers::new(algorithms);
    let mut buf = vec![0u8; 64 * 1024];
    let mut size = 0u64;
    loop {
        let n = match src.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        size += n as u64;
        h.update(&buf[..n]);
        if let Some(w) = copy.as_mut() {
            w.write_all(&buf[..n])?;
        }
    }
    Ok((size, h.finish()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_digests() {
        let d = hash_bytes(b"abc", &Algorithm::ALL);
        assert_eq!(
            d[0],
            (Algorithm::Sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad".into())
        );
        assert_eq!(
            d[1].1,
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a\
             2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
        );
        assert_eq!(d[0].1.len(), Algorithm::Sha256.hex_len());
        assert_eq!(d[1].1.len(), Algorithm::Sha512.hex_len());
    }

    #[test]
    fn file_and_copy_agree_with_bytes() {
        let tmp = tempfile::tempdir().unwrap();
        let bytes: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(tmp.path().join("a"), &bytes).unwrap();
        let (n, d) = hash_file(&tmp.path().join("a"), &Algorithm::ALL).unwrap();
        assert_eq!(n, bytes.len() as u64);
        assert_eq!(d, hash_bytes(&bytes, &Algorithm::ALL));
        let (n2, d2) = copy_and_hash(&tmp.path().join("a"), &tmp.path().join("b"), &[Algorithm::Sha512]).unwrap();
        assert_eq!(n2, n);
        assert_eq!(d2, vec![d[1].clone()]);
        assert_eq!(std::fs::read(tmp.path().join("b")).unwrap(), bytes);
        assert!(copy_and_hash(&tmp.path().join("a"), &tmp.path().join("b"), &[]).is_err(), "never overwrites");
    }
}
