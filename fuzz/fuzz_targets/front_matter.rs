#![no_main]
// Front matter: no input panics (alias bombs and deep nesting are refused).
libfuzzer_sys::fuzz_target!(|text: &str| {
    let _ = gongkai::content::frontmatter::parse(text, std::path::Path::new("content/x.md"));
});
