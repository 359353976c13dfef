//! The package around a Word document: what kind of file it is (a zip, an OLE
//! container of a binary or encrypted document, something else), and its parts,
//! read within stated limits. Sizes declared in the zip are checked first, then
//! the bytes actually inflated are counted, since declared sizes can lie.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use super::{Fault, Limits};

/// The start of every OLE compound file (.doc, .wps, .xls, encrypted OOXML).
const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// An opened package: its parts are read on demand, each at most once.
pub(super) struct Package {
    zip: zip::ZipArchive<Cursor<Vec<u8>>>,
    names: Vec<String>,
    limits: Limits,
    /// Bytes inflated so far, over all parts.
    total: u64,
}

/// What the bytes of a file are, by their magic.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Zip,
    /// An OLE container holding EncryptionInfo and EncryptedPackage.
    Encrypted,
    /// Any other OLE container: a binary .doc, .wps (or .xls …).
    Binary,
    Other,
}

pub(super) fn kind(bytes: &[u8]) -> Kind {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        Kind::Zip
    } else if bytes.starts_with(&CFB_MAGIC) {
        let streams = ole_names(bytes);
        if streams.iter().any(|s| s == "EncryptedPackage") && streams.iter().any(|s| s == "EncryptionInfo") {
            Kind::Encrypted
        } else {
            Kind::Binary
        }
    } else {
        Kind::Other
    }
}

/// The names of the storages and streams of an OLE compound file. Directory
/// entries are 128 bytes, aligned to 128 in the file whatever the sector size;
/// each names itself in UTF-16 with its length and type beside it, which is
/// enough to tell the streams apart without following the sector chains.
fn ole_names(bytes: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    for entry in bytes.chunks_exact(128).skip(4) {
        let len = usize::from(u16::from_le_bytes([entry[64], entry[65]]));
        let kind = entry[66];
        if !(2..=64).contains(&len) || len % 2 != 0 || !matches!(kind, 1 | 2 | 5) {
            continue;
        }
        let units: Vec<u16> = entry[..len - 2].chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
        if units.contains(&0) || entry[len - 2..len] != [0, 0] {
            continue;
        }
        if let Ok(name) = String::from_utf16(&units) {
            out.push(name);
        }
    }
    out
}

/// The number of entries the zip's end record declares, read before the central
/// directory is (which would take memory for each entry).
fn declared_entries(bytes: &[u8]) -> Option<u64> {
    let tail_start = bytes.len().saturating_sub(22 + 65_535);
    let tail = &bytes[tail_start..];
    let at = tail.windows(4).rposition(|w| w == b"PK\x05\x06")?;
    let eocd = tail.get(at..at + 22)?;
    let count = u16::from_le_bytes([eocd[10], eocd[11]]);
    if count != 0xFFFF {
        return Some(u64::from(count));
    }
    // Zip64: the locator just before the end record points to the zip64 record.
    let locator = tail.get(at.checked_sub(20)?..at)?;
    if &locator[..4] != b"PK\x06\x07" {
        return None;
    }
    let offset = usize::try_from(u64::from_le_bytes(locator[8..16].try_into().ok()?)).ok()?;
    let record = bytes.get(offset..offset.checked_add(56)?)?;
    (&record[..4] == b"PK\x06\x06").then(|| u64::from_le_bytes(record[32..40].try_into().unwrap_or([0xFF; 8])))
}

impl Package {
    pub(super) fn open(bytes: Vec<u8>, limits: Limits) -> Result<Package, Fault> {
        if let Some(n) = declared_entries(&bytes)
            && n > limits.entries as u64
        {
            return Err(Fault::TooManyEntries { found: n, limit: limits.entries });
        }
        let zip = zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| Fault::Damaged { part: "the zip directory".into(), why: e.to_string() })?;
        if zip.len() > limits.entries {
            return Err(Fault::TooManyEntries { found: zip.len() as u64, limit: limits.entries });
        }
        let names = zip
            .file_names()
            .map(|n| n.map(|n| n.into_owned()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| Fault::Damaged { part: "the zip directory".into(), why: e.to_string() })?;
        Ok(Package { zip, names, limits, total: 0 })
    }

    pub(super) fn has(&self, part: &str) -> bool {
        self.find(part).is_some()
    }

    /// The entry's name as stored: part names are case-insensitive (OPC).
    fn find(&self, part: &str) -> Option<&str> {
        self.names.iter().find(|n| n.eq_ignore_ascii_case(part)).map(String::as_str)
    }

    pub(super) fn names(&self) -> &[String] {
        &self.names
    }

    /// A part's bytes, within the limits.
    pub(super) fn bytes(&mut self, part: &str) -> Result<Vec<u8>, Fault> {
        let name = self.find(part).ok_or_else(|| Fault::Missing { part: part.to_owned() })?.to_owned();
        let limits = self.limits;
        let damaged = |why: String| Fault::Damaged { part: name.clone(), why };
        let mut entry = self.zip.by_name(&name).map_err(|e| damaged(e.to_string()))?;
        if entry.encrypted() {
            return Err(Fault::Encrypted);
        }
        let (declared, packed) = (entry.size(), entry.compressed_size().max(1));
        if declared > limits.entry_bytes {
            return Err(Fault::TooLarge {
                part: name.clone(),
                what: "expands to",
                size: declared,
                limit: limits.entry_bytes,
            });
        }
        if declared > limits.ratio_from && declared / packed > limits.ratio {
            return Err(Fault::Ratio { part: name.clone(), ratio: declared / packed, limit: limits.ratio });
        }
        // Count what inflates, whatever the header said.
        let budget = limits.entry_bytes.min(limits.total_bytes.saturating_sub(self.total));
        let mut out = Vec::with_capacity(usize::try_from(declared.min(budget)).unwrap_or(0));
        let mut chunk = [0u8; 64 * 1024];
        loop {
            let n = entry.read(&mut chunk).map_err(|e| {
                // The zip crate stops a part at the size its header declares.
                if e.to_string().contains("larger than its declared") {
                    Fault::Lies { part: name.clone() }
                } else {
                    damaged(e.to_string())
                }
            })?;
            if n == 0 {
                break;
            }
            out.extend_from_slice(&chunk[..n]);
            let read = out.len() as u64;
            if read > limits.entry_bytes {
                return Err(Fault::TooLarge {
                    part: name.clone(),
                    what: "expands to more than",
                    size: read,
                    limit: limits.entry_bytes,
                });
            }
            if self.total + read > limits.total_bytes {
                return Err(Fault::TooLarge {
                    part: "the parts read".into(),
                    what: "expand to more than",
                    size: self.total + read,
                    limit: limits.total_bytes,
                });
            }
            if read > limits.ratio_from && read / packed > limits.ratio {
                return Err(Fault::Ratio { part: name.clone(), ratio: read / packed, limit: limits.ratio });
            }
        }
        self.total += out.len() as u64;
        Ok(out)
    }

    /// A part as text: XML parts are UTF-8, or UTF-16 with a byte-order mark.
    pub(super) fn text(&mut self, part: &str) -> Result<String, Fault> {
        let bytes = self.bytes(part)?;
        let (text, _, bad) = match bytes.get(..2) {
            Some([0xFF, 0xFE]) => encoding_rs::UTF_16LE.decode(&bytes),
            Some([0xFE, 0xFF]) => encoding_rs::UTF_16BE.decode(&bytes),
            _ => encoding_rs::UTF_8.decode(&bytes),
        };
        if bad {
            return Err(Fault::Damaged { part: part.to_owned(), why: "it is not valid UTF-8 or UTF-16 text".into() });
        }
        Ok(text.into_owned())
    }

    /// A part if it is there.
    pub(super) fn optional_text(&mut self, part: Option<&str>) -> Result<Option<String>, Fault> {
        match part {
            Some(p) if self.has(p) => self.text(p).map(Some),
            _ => Ok(None),
        }
    }
}

/// A part's relationships: id → (type's last word, target part or external URL,
/// external).
pub(super) type Rels = HashMap<String, Rel>;

#[derive(Debug, Clone)]
pub(super) struct Rel {
    /// The last segment of the relationship type: officeDocument, image, numbering …
    pub(super) kind: String,
    pub(super) target: String,
    pub(super) external: bool,
}

/// The relationships part of `part`: `word/document.xml` → `word/_rels/document.xml.rels`.
pub(super) fn rels_part(part: &str) -> String {
    match part.rsplit_once('/') {
        Some((dir, file)) => format!("{dir}/_rels/{file}.rels"),
        None => format!("_rels/{part}.rels"),
    }
}

/// A target resolved against the folder of the part that names it; `None` if it
/// climbs out of the package.
pub(super) fn resolve(from_part: &str, target: &str) -> Option<String> {
    let mut segments: Vec<&str> = if target.starts_with('/') {
        Vec::new()
    } else {
        from_part.rsplit_once('/').map_or_else(Vec::new, |(dir, _)| dir.split('/').collect())
    };
    for seg in target.split(['/', '\\']) {
        match seg {
            "" | "." => {}
            ".." => {
                segments.pop()?;
            }
            s => segments.push(s),
        }
    }
    (!segments.is_empty()).then(|| segments.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve_inside_the_package() {
        assert_eq!(resolve("word/document.xml", "media/image1.png").as_deref(), Some("word/media/image1.png"));
        assert_eq!(resolve("word/document.xml", "../customXml/item1.xml").as_deref(), Some("customXml/item1.xml"));
        assert_eq!(resolve("word/document.xml", "/word/media/a.png").as_deref(), Some("word/media/a.png"));
        assert_eq!(resolve("word/document.xml", "../../../etc/passwd"), None);
        assert_eq!(rels_part("word/document.xml"), "word/_rels/document.xml.rels");
    }

    #[test]
    fn kinds_by_magic() {
        assert_eq!(kind(b"PK\x03\x04rest"), Kind::Zip);
        assert_eq!(kind(b"%PDF-1.7"), Kind::Other);
        assert_eq!(kind(&[]), Kind::Other);
        let mut ole = CFB_MAGIC.to_vec();
        ole.resize(1024, 0);
        assert_eq!(kind(&ole), Kind::Binary);
        for (slot, name) in [(4, "EncryptionInfo"), (5, "EncryptedPackage")] {
            let at = slot * 128;
            let units: Vec<u8> = name.encode_utf16().chain([0]).flat_map(u16::to_le_bytes).collect();
            ole[at..at + units.len()].copy_from_slice(&units);
            ole[at + 64..at + 66].copy_from_slice(&(units.len() as u16).to_le_bytes());
            ole[at + 66] = 2;
        }
        assert_eq!(kind(&ole), Kind::Encrypted);
    }
}
