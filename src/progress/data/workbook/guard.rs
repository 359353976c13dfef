//! Checks made on a workbook's bytes before any reader sees them: an encrypted
//! file, a damaged one and a zip bomb are refused here, with the limit they broke,
//! so that a reader never unpacks more than the limits allow.

use std::io::{Cursor, Read};

/// Entries in a workbook's zip: a workbook of a few sheets has a few dozen.
pub const MAX_ENTRIES: usize = 10_000;
/// What a workbook may unpack to, all entries together (a 200,000-row sheet is
/// about 40 MiB of XML).
pub const MAX_EXPANDED_BYTES: u64 = 256 * 1024 * 1024;
/// How much larger than its compressed bytes an entry may claim to be; sheets of
/// repeated rows reach about 100:1, zip bombs thousands to one.
pub const MAX_RATIO: u64 = 1_000;

const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// Which container a workbook comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// .xlsx and .xlsm: a zip of XML.
    Xlsx,
    /// .ods: a zip of XML.
    Ods,
    /// .xls: an OLE compound file.
    Xls,
}

/// Why a workbook is not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Encrypted,
    Damaged(String),
    /// A zip bomb or a workbook too large: what was found, and the limit.
    TooLarge {
        found: String,
        limit: String,
    },
}

/// Check a workbook before it is opened.
pub fn check(bytes: &[u8], format: Format) -> Result<(), Refusal> {
    if bytes.starts_with(OLE_MAGIC) {
        // An encrypted .xlsx is an OLE file holding EncryptionInfo and the
        // encrypted package; so is a password-protected .xls after Office 2007.
        if contains_utf16(bytes, "EncryptionInfo") || contains_utf16(bytes, "EncryptedPackage") {
            return Err(Refusal::Encrypted);
        }
        return match format {
            Format::Xls => Ok(()),
            _ => Err(Refusal::Damaged(
                "an Excel 97–2003 workbook (.xls) under another name: name it .xls, or save it as .xlsx".into(),
            )),
        };
    }
    match format {
        Format::Xls if bytes.starts_with(ZIP_MAGIC) => {
            Err(Refusal::Damaged("a zip (an .xlsx or .ods workbook) named .xls: name it .xlsx or .ods".into()))
        }
        Format::Xls => Err(Refusal::Damaged("not an Excel 97–2003 workbook (no OLE header)".into())),
        Format::Xlsx | Format::Ods if !bytes.starts_with(ZIP_MAGIC) => {
            Err(Refusal::Damaged("not a zip container, as .xlsx and .ods workbooks are".into()))
        }
        Format::Xlsx | Format::Ods => check_zip(bytes, format),
    }
}

fn check_zip(bytes: &[u8], format: Format) -> Result<(), Refusal> {
    let mut zip =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| Refusal::Damaged(format!("unreadable zip: {e}")))?;
    if zip.len() > MAX_ENTRIES {
        return Err(Refusal::TooLarge {
            found: format!("{} entries in the zip", zip.len()),
            limit: format!("at most {MAX_ENTRIES} entries"),
        });
    }
    // Declared sizes first, before anything is unpacked.
    let mut declared = 0u64;
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|e| Refusal::Damaged(format!("unreadable zip entry: {e}")))?;
        if entry.encrypted() {
            return Err(Refusal::Encrypted);
        }
        let (size, packed) = (entry.size(), entry.compressed_size().max(1));
        if size > MAX_EXPANDED_BYTES / 4 && size / packed > MAX_RATIO {
            return Err(Refusal::TooLarge {
                found: format!("{} expands {}:1 ({size} bytes)", entry_name(&entry), size / packed),
                limit: format!("at most {MAX_RATIO}:1 for a large entry"),
            });
        }
        declared = declared.saturating_add(size);
    }
    if declared > MAX_EXPANDED_BYTES {
        return Err(Refusal::TooLarge {
            found: format!("{declared} bytes unpacked (declared)"),
            limit: format!("at most {MAX_EXPANDED_BYTES} bytes"),
        });
    }
    // Then what the entries really unpack to, counted and cut at the limit: a
    // declared size can lie.
    let mut actual = 0u64;
    let mut buf = vec![0u8; 64 * 1024];
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|e| Refusal::Damaged(format!("unreadable zip entry: {e}")))?;
        let name = entry_name(&entry);
        let ods_manifest = format == Format::Ods && name == "META-INF/manifest.xml";
        let mut manifest = Vec::new();
        loop {
            let n = entry.read(&mut buf).map_err(|e| Refusal::Damaged(format!("{name}: {e}")))?;
            if n == 0 {
                break;
            }
            actual += n as u64;
            if actual > MAX_EXPANDED_BYTES {
                return Err(Refusal::TooLarge {
                    found: format!("more than {MAX_EXPANDED_BYTES} bytes unpacked"),
                    limit: format!("at most {MAX_EXPANDED_BYTES} bytes"),
                });
            }
            if ods_manifest && manifest.len() < 1024 * 1024 {
                manifest.extend_from_slice(&buf[..n]);
            }
        }
        // An encrypted .ods says so in its manifest; its content is noise.
        if ods_manifest && manifest.windows(15).any(|w| w == b"encryption-data") {
            return Err(Refusal::Encrypted);
        }
    }
    Ok(())
}

fn entry_name<R: Read>(entry: &zip::read::ZipFile<'_, R>) -> String {
    entry.name().map(|n| n.into_owned()).unwrap_or_else(|_| "(an entry without a readable name)".into())
}

fn contains_utf16(bytes: &[u8], text: &str) -> bool {
    let needle: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    bytes.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in entries {
            w.start_file(*name, opts).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn refusals() {
        assert_eq!(
            check(b"hello", Format::Xlsx),
            Err(Refusal::Damaged("not a zip container, as .xlsx and .ods workbooks are".into()))
        );
        let mut ole = OLE_MAGIC.to_vec();
        ole.extend(vec![0u8; 100]);
        assert!(check(&ole, Format::Xls).is_ok());
        assert!(matches!(check(&ole, Format::Xlsx), Err(Refusal::Damaged(_))));
        ole.extend("EncryptionInfo".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(check(&ole, Format::Xlsx), Err(Refusal::Encrypted));
        let good = zip_of(&[("a.xml", b"<a/>")]);
        assert!(check(&good, Format::Xlsx).is_ok());
        let cut = &good[..good.len() / 2];
        assert!(matches!(check(cut, Format::Xlsx), Err(Refusal::Damaged(_))));
    }
}
