//! The Word reader on any bytes: it returns a document or an error, never panics,
//! within its limits.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = gongkai::import::docx::Limits::default();
    let _ = gongkai::import::docx::read_bytes(data.to_vec(), &limits);
});
