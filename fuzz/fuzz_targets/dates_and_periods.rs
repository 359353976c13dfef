#![no_main]
// Dates and periods: no input panics; a period starts before it ends.
libfuzzer_sys::fuzz_target!(|text: &str| {
    if let Ok(d) = gongkai::schema::Date::parse(text) {
        assert_eq!(gongkai::schema::Date::parse(&d.to_string()).ok(), Some(d));
    }
    if let Ok(p) = gongkai::progress::period::Period::parse(text) {
        assert!(p.start <= p.end);
    }
});
