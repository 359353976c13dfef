//! Turning a file's bytes into text. Notices and data files must be UTF-8: when
//! one is not, `utf8` says where and names the likely legacy encoding (clerks often
//! save from old word processors in GB18030). `import` reads legacy text in any
//! encoding with `any`.

use encoding_rs::Encoding;

/// Why bytes are not usable text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// Not UTF-8; it looks like `encoding`. Line and column of the first bad byte.
    #[error("file is not UTF-8; it looks like {encoding}")]
    NotUtf8 { encoding: &'static str, line: usize, column: usize, byte: u8 },
    /// A NUL byte: a binary or damaged file.
    #[error("file contains a NUL byte")]
    Nul { line: usize, column: usize },
}

/// Decode UTF-8 text (an initial byte-order mark is dropped).
pub fn utf8(bytes: &[u8]) -> Result<String, DecodeError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(DecodeError::NotUtf8 { encoding: "UTF-16", line: 1, column: 1, byte: bytes[0] });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => match text.find('\0') {
            Some(pos) => {
                let (line, column) = super::byte_position(&bytes[..pos]);
                Err(DecodeError::Nul { line, column })
            }
            None => Ok(text.to_owned()),
        },
        Err(e) => {
            let (line, column) = super::byte_position(&bytes[..e.valid_up_to()]);
            let byte = bytes.get(e.valid_up_to()).copied().unwrap_or(0);
            Err(DecodeError::NotUtf8 { encoding: legacy_name(guess_legacy(bytes)), line, column, byte })
        }
    }
}

/// Text read in whatever encoding it is in.
pub struct Decoded {
    pub text: String,
    /// The encoding it was read as, e.g. `UTF-8`, `GB18030`.
    pub encoding: &'static str,
    /// Some bytes were not valid in that encoding and were replaced by U+FFFD.
    pub had_errors: bool,
}

/// Decode text in any encoding: UTF-8 (with or without BOM), UTF-16 with a BOM, or
/// a legacy encoding as chardetng guesses it — in practice GB18030 or Big5.
pub fn any(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    let (encoding, body) = match Encoding::for_bom(bytes) {
        Some((enc, bom_len)) => (enc, &bytes[bom_len..]),
        None if std::str::from_utf8(bytes).is_ok() => (encoding_rs::UTF_8, bytes),
        None => (guess_legacy(bytes), bytes),
    };
    let (text, had_errors) = encoding.decode_without_bom_handling(body);
    if let Some(pos) = text.find('\0') {
        let (line, column) = super::byte_position(&text.as_bytes()[..pos]);
        return Err(DecodeError::Nul { line, column });
    }
    Ok(Decoded { text: text.into_owned(), encoding: legacy_name(encoding), had_errors })
}

/// The legacy encoding bytes are most likely in. GBK is taken as GB18030, its
/// superset, which is also what `iconv` should be told to decode.
fn guess_legacy(bytes: &[u8]) -> &'static Encoding {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = detector.guess(Some(b"cn"), chardetng::Utf8Detection::Deny);
    if guess == encoding_rs::GBK { encoding_rs::GB18030 } else { guess }
}

fn legacy_name(encoding: &'static Encoding) -> &'static str {
    if encoding == encoding_rs::GB18030 { "GB18030" } else { encoding.name() }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str =
        "---\ntitle: 通榆县人民政府办公室关于印发通榆县推进县域义务教育优质均衡发展规划的通知\n---\n正文";

    #[test]
    fn gb18030_is_named_where_it_starts() {
        let (bytes, _, _) = encoding_rs::GB18030.encode(TEXT);
        let Err(DecodeError::NotUtf8 { encoding, line, .. }) = utf8(&bytes) else { panic!("GB18030 read as UTF-8") };
        assert_eq!((encoding, line), ("GB18030", 2));
        let d = any(&bytes).unwrap();
        assert_eq!((d.text.as_str(), d.encoding, d.had_errors), (TEXT, "GB18030", false));
    }

    #[test]
    fn bom_is_dropped_and_nul_rejected() {
        assert_eq!(utf8(b"\xEF\xBB\xBFabc").unwrap(), "abc");
        assert_eq!(utf8(b"a\nb\0c"), Err(DecodeError::Nul { line: 2, column: 2 }));
        assert_eq!(any(format!("\u{feff}{TEXT}").as_bytes()).unwrap().encoding, "UTF-8");
        assert!(any(b"a\0b").is_err());
    }
}
