//! Simplified ↔ Traditional conversion at the level of phrases, with OpenCC's
//! dictionaries (Apache-2.0, in `opencc/`): at each position the longest phrase
//! of the dictionary wins, else the character's first candidate — OpenCC's own
//! rule, so 头发 becomes 頭髮 and 发展 發展. The reader's 简体 / 繁體 switch does the
//! same in the page (`assets/tools.js`) with the table this module makes for the
//! site: the characters, and only the phrases that occur in the site's text.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

/// One direction of conversion.
pub struct Converter {
    phrases: HashMap<&'static str, &'static str>,
    /// Longest phrase, in characters.
    longest: usize,
    chars: HashMap<char, char>,
    /// Every phrase, to find those a text holds.
    finder: AhoCorasick,
    keys: Vec<&'static str>,
}

/// Simplified to Traditional.
pub fn s2t() -> &'static Converter {
    static C: OnceLock<Converter> = OnceLock::new();
    C.get_or_init(|| Converter::new(include_str!("opencc/STPhrases.txt"), include_str!("opencc/STCharacters.txt")))
}

/// Traditional to Simplified.
pub fn t2s() -> &'static Converter {
    static C: OnceLock<Converter> = OnceLock::new();
    C.get_or_init(|| Converter::new(include_str!("opencc/TSPhrases.txt"), include_str!("opencc/TSCharacters.txt")))
}

/// `key<TAB>value value…` lines, `#` comments; the first value is the one used.
fn entries(text: &'static str) -> impl Iterator<Item = (&'static str, &'static str)> {
    text.lines().filter(|l| !l.starts_with('#')).filter_map(|l| {
        let (key, values) = l.split_once('\t')?;
        Some((key, values.split(' ').next()?))
    })
}

impl Converter {
    fn new(phrases: &'static str, chars: &'static str) -> Converter {
        let phrases: HashMap<&str, &str> = entries(phrases).filter(|(k, _)| k.chars().count() > 1).collect();
        let chars: HashMap<char, char> = entries(chars)
            .filter_map(|(k, v)| {
                let (mut k, mut v) = (k.chars(), v.chars());
                match (k.next(), k.next(), v.next(), v.next()) {
                    (Some(k), None, Some(v), None) => Some((k, v)),
                    _ => None,
                }
            })
            .collect();
        let longest = phrases.keys().map(|k| k.chars().count()).max().unwrap_or(1);
        let mut keys: Vec<&'static str> = phrases.keys().copied().collect();
        keys.sort_unstable();
        let finder = AhoCorasick::new(&keys).expect("the dictionary's phrases make an automaton");
        Converter { phrases, longest, chars, finder, keys }
    }

    pub fn convert(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
        let mut i = 0;
        while i + 1 < bounds.len() {
            let start = bounds[i];
            let mut matched = false;
            for len in (2..=self.longest.min(bounds.len() - 1 - i)).rev() {
                if let Some(to) = self.phrases.get(&text[start..bounds[i + len]]) {
                    out.push_str(to);
                    i += len;
                    matched = true;
                    break;
                }
            }
            if !matched {
                let c = text[start..bounds[i + 1]].chars().next().unwrap_or_default();
                out.push(self.chars.get(&c).copied().unwrap_or(c));
                i += 1;
            }
        }
        out
    }

    /// The phrases any of `texts` holds, with what they become.
    pub fn phrases_in<'t>(&self, texts: impl Iterator<Item = &'t str>) -> BTreeMap<&'static str, &'static str> {
        let mut found = vec![false; self.keys.len()];
        for text in texts {
            for m in self.finder.find_overlapping_iter(text) {
                found[m.pattern().as_usize()] = true;
            }
        }
        self.keys.iter().zip(found).filter(|(_, f)| *f).map(|(k, _)| (*k, self.phrases[k])).collect()
    }

    /// Every character mapping, as pairs.
    /// The phrase `key` of the table, with its conversion (as `phrases_in` gives them).
    pub fn phrase(&self, key: &str) -> Option<(&'static str, &'static str)> {
        self.phrases.get_key_value(key).map(|(k, v)| (*k, *v))
    }

    pub fn chars(&self) -> BTreeMap<char, char> {
        self.chars.iter().map(|(k, v)| (*k, *v)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_decide_before_characters_both_ways() {
        for (s, t) in [
            ("发展", "發展"),
            ("头发", "頭髮"),
            ("干部", "幹部"),
            ("后台", "後臺"),
            ("义务教育均衡发展", "義務教育均衡發展"),
        ] {
            assert_eq!(s2t().convert(s), t, "{s}");
        }
        assert_eq!(t2s().convert("頭髮與發展、幹部"), "头发与发展、干部");
        assert_eq!(s2t().convert("ABC，123"), "ABC，123", "what is not Chinese stays");
    }

    #[test]
    fn the_site_table_holds_the_phrases_the_text_does() {
        let found = s2t().phrases_in(["理头发的干部"].into_iter());
        assert_eq!(found.get("头发"), Some(&"頭髮"));
        assert_eq!(found.get("干部"), Some(&"幹部"));
        assert!(!found.contains_key("后台"));
    }
}
