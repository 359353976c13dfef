#![no_main]
// Values in progress data: no input panics; what is read is finite and in range.
use gongkai::progress::data::{ValueRead, read_value};
libfuzzer_sys::fuzz_target!(|text: &str| {
    if let ValueRead::Number(v) | ValueRead::Approximate(v) = read_value(text, Some("%")) {
        assert!(v.is_finite() && v.abs() <= 1e12);
    }
});
