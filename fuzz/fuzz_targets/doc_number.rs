#![no_main]
// 文号: no input panics; an accepted number reads back the same.
libfuzzer_sys::fuzz_target!(|text: &str| {
    if let Ok(n) = gongkai::schema::DocNumber::parse(text) {
        assert_eq!(gongkai::schema::DocNumber::parse(&n.text).map(|m| m.text).ok(), Some(n.text));
    }
});
