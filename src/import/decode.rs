//! Reading a legacy text file whatever its encoding: UTF-8 (with or without BOM),
//! UTF-16 with a BOM, or a legacy encoding detected by chardetng — in practice
//! GB18030 (GBK is read as GB18030, its superset) or Big5.

use encoding_rs::Encoding;

pub struct Decoded {
    pub text: String,
    /// The encoding the file was read as, e.g. `UTF-8`, `GB18030`.
    pub encoding: String,
    /// Some bytes were not valid in that encoding and were replaced by U+FFFD.
    pub had_errors: bool,
}

pub fn decode(bytes: &[u8]) -> Result<Decoded, String> {
    let (encoding, body) = match Encoding::for_bom(bytes) {
        Some((enc, bom_len)) => (enc, &bytes[bom_len..]),
        None if std::str::from_utf8(bytes).is_ok() => (encoding_rs::UTF_8, bytes),
        None => {
            let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            detector.feed(bytes, true);
            let guess = detector.guess(Some(b"cn"), chardetng::Utf8Detection::Deny);
            let enc =
                if guess == encoding_rs::GBK || guess == encoding_rs::GB18030 { encoding_rs::GB18030 } else { guess };
            (enc, bytes)
        }
    };
    let (text, had_errors) = encoding.decode_without_bom_handling(body);
    if text.contains('\0') {
        return Err("the file contains NUL bytes: it is not a text file".into());
    }
    let name = if encoding == encoding_rs::GB18030 { "GB18030".to_owned() } else { encoding.name().to_owned() };
    Ok(Decoded { text: text.into_owned(), encoding: name, had_errors })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings() {
        let text = "通榆县人民政府办公室关于印发通榆县推进县域义务教育优质均衡发展规划的通知\n各有关部门：";
        let (gb, _, _) = encoding_rs::GB18030.encode(text);
        let d = decode(&gb).unwrap();
        assert_eq!((d.text.as_str(), d.encoding.as_str(), d.had_errors), (text, "GB18030", false));
        let d = decode(format!("\u{feff}{text}").as_bytes()).unwrap();
        assert_eq!((d.text.as_str(), d.encoding.as_str()), (text, "UTF-8"));
        assert!(decode(b"a\0b").is_err());
    }
}
