//! Turning a file's bytes into text, or saying clearly why not. Clerks often save
//! notices from old word processors in GB18030; the error names that encoding and
//! the command that converts the file.

use std::path::Path;

use crate::diagnostics::Diagnostic;

/// Decode a notice file as UTF-8 (an initial BOM is dropped).
pub fn decode(bytes: &[u8], display: &Path) -> Result<String, Diagnostic> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(not_utf8(display, bytes, 0, "UTF-16"));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            if let Some(pos) = text.find('\0') {
                let (line, col) = line_col(&bytes[..pos]);
                return Err(Diagnostic::error(display, "file contains a NUL byte")
                    .at(line, Some(col))
                    .expected("plain text; a NUL byte usually means a binary or damaged file")
                    .hint("remove the NUL character, or re-save the file as plain UTF-8 text"));
            }
            Ok(text.to_owned())
        }
        Err(e) => {
            let guess = guess_encoding(bytes);
            Err(not_utf8(display, bytes, e.valid_up_to(), guess))
        }
    }
}

fn not_utf8(display: &Path, bytes: &[u8], offset: usize, encoding: &str) -> Diagnostic {
    let (line, col) = line_col(&bytes[..offset]);
    let file = display.display();
    Diagnostic::error(display, format!("file is not UTF-8; it looks like {encoding}"))
        .at(line, Some(col))
        .found(format!("byte 0x{:02X} that cannot start a UTF-8 character", bytes.get(offset).copied().unwrap_or(0)))
        .expected("a UTF-8 text file")
        .hint(format!(
            "convert it with `iconv -f {encoding} -t UTF-8 '{file}' > tmp.md && mv tmp.md '{file}'`, or re-save it as \"UTF-8\" in your editor"
        ))
}

/// Name the likely legacy encoding. GBK is reported as GB18030, its superset, which
/// is what `iconv` should be told to decode.
fn guess_encoding(bytes: &[u8]) -> &'static str {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let enc = detector.guess(Some(b"cn"), chardetng::Utf8Detection::Deny);
    if enc == encoding_rs::GBK || enc == encoding_rs::GB18030 { "GB18030" } else { enc.name() }
}

fn line_col(prefix: &[u8]) -> (usize, usize) {
    let line = prefix.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = prefix.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let col = String::from_utf8_lossy(&prefix[line_start..]).chars().count() + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gb18030_is_named_with_a_fix() {
        let (bytes, _, _) =
            encoding_rs::GB18030.encode("---\ntitle: 通榆县人民政府办公室关于印发规划的通知\n---\n正文");
        let d = decode(&bytes, Path::new("content/a.md")).unwrap_err();
        assert!(d.message.contains("GB18030"), "{}", d.message);
        assert_eq!(d.line, Some(2));
        assert!(d.hint.unwrap().contains("iconv -f GB18030 -t UTF-8"));
    }

    #[test]
    fn bom_is_dropped_and_nul_rejected() {
        assert_eq!(decode(b"\xEF\xBB\xBFabc", Path::new("a.md")).unwrap(), "abc");
        let d = decode(b"a\nb\0c", Path::new("a.md")).unwrap_err();
        assert_eq!((d.line, d.column), (Some(2), Some(2)));
    }
}
