//! The Word, OFD and PDF readers on any bytes: they return a document or an error,
//! never panic, within their limits.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = gongkai::import::docx::Limits::default();
    let _ = gongkai::import::docx::read_bytes(data.to_vec(), &limits);
    let _ = gongkai::import::docx::ofd::read_bytes(data.to_vec(), &limits);
    let _ = gongkai::import::docx::pdf::read_bytes(data.to_vec(), &limits);
});
