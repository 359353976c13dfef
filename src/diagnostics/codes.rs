//! The stable codes of diagnostics (`E023`, `W010`, `N001`), one per kind of
//! problem, so that editors and CI scripts can match them. A code is never reused
//! for another meaning; the clerk's guide's table is generated from `Code::ALL` and a test
//! keeps them equal.

use serde::{Serialize, Serializer};

use super::Severity;

macro_rules! codes {
    ($($variant:ident = $id:literal, $severity:ident, $title:literal;)+) => {
        /// What kind of problem a diagnostic reports. Its severity comes with it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $(#[doc = $title] $variant,)+
        }

        impl Code {
            /// Every code, in the order of the table.
            pub const ALL: &[Code] = &[$(Code::$variant,)+];

            /// `E023`: a letter for the severity (E, W, N) and three digits.
            pub fn id(self) -> &'static str {
                match self { $(Code::$variant => $id,)+ }
            }

            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity,)+ }
            }

            /// One line on what the code means, for the clerk's guide's table.
            pub fn title(self) -> &'static str {
                match self { $(Code::$variant => $title,)+ }
            }
        }
    };
}

codes! {
    SiteSettings = "E001", Error, "content/site.yaml cannot be read, is not valid YAML or has an unknown key";
    SiteValue = "E002", Error, "a setting in site.yaml has a value of the wrong shape (language, theme, identity, index_number …)";
    BaseUrl = "E003", Error, "the site has no usable base URL";
    Unreadable = "E010", Error, "a file cannot be read: missing, too large, not UTF-8, or holding NUL bytes";
    Symlink = "E011", Error, "a symlink in content/ loops, points to nothing or points outside content/";
    FrontMatter = "E020", Error, "the front matter is missing, unterminated, not YAML, not a list of fields or nested too deeply";
    FieldTwice = "E021", Error, "a field is given twice";
    FieldMissing = "E022", Error, "a required field is missing or empty";
    FieldValue = "E023", Error, "a field's value is not valid (a date, 文号, list, vocabulary term …)";
    Classified = "E024", Error, "a classified document is in the public content folder";
    Revision = "E025", Error, "a revision file is misnamed, dated before the text was written, or two are given for one date";
    TextTooDeep = "E026", Error, "the text nests quotes, lists or HTML tags too deeply";
    ControlCharacter = "E027", Error, "a value holds a control character (NUL, escape …) that no page can show";
    UrlClash = "E030", Error, "two notices or pages have one URL, or a notice takes a URL the site reserves";
    DuplicateDocNumber = "E031", Error, "two notices carry one 文号";
    Relation = "E032", Error, "a relation points at the notice itself, at a later notice, or goes round in a circle";
    Registration = "E033", Error, "a 登记号 is given twice, or without the category it registers";
    ProgressData = "E040", Error, "a progress data file has a value, row, header or indicator that cannot be read";
    AnnualReport = "E050", Error, "an annual report's data does not add up, is given twice, or is dated wrongly";
    Theme = "E060", Error, "the theme cannot be loaded or a template cannot be rendered";
    UnknownField = "W001", Warning, "an unknown field is ignored";
    EmptyText = "W002", Warning, "a notice has no text";
    SymlinkedFolder = "W003", Warning, "a symlinked folder in content/ is not followed";
    NotPublished = "W004", Warning, "a file in content/ is not published";
    FieldDoubt = "W010", Warning, "a field's value is accepted but looks wrong (not in the site's vocabulary, dates out of order …)";
    RevisionDoubt = "W025", Warning, "a revision takes effect after the notice was repealed";
    ProgressDoubt = "W040", Warning, "a progress data value is read, but approximately or with a doubt";
    ExampleBaseUrl = "W070", Warning, "the base URL is a reserved example domain: feeds, sitemap and canonical links will be wrong";
    ConsultationPeriod = "W080", Warning, "a consultation's period is shorter than its category's minimum (30 days for 规章 and 重大行政决策, 7 working days for 行政规范性文件)";
    FeedbackMissing = "W081", Warning, "a consultation closed more than `feedback_days` ago and no 采纳情况 names it";
    NotConsulted = "W082", Warning, "a 规章 or 行政规范性文件 names no consultation draft (`consulted:`)";
    ConsultationLink = "W083", Warning, "`feedback_on` or `consulted` names a page that is not a consultation draft of this site";
    Disappearing = "W090", Warning, "a page of the previous build has no file in content/ any more and will disappear (mark it `withdrawn:` instead)";
    Unresolved = "N001", Note, "a text cites a 文号 or 《title》 that the site does not have";
    RelationOutside = "N002", Note, "a relation names a document that the site does not have";
}

/// The clerk's guide's table of codes, generated from `Code::ALL`.
pub fn readme_table() -> String {
    let mut out = String::from("| code | meaning |\n|---|---|\n");
    for code in Code::ALL {
        out.push_str(&format!("| {} | {} |\n", code.id(), code.title()));
    }
    out
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readme_table_is_the_code_table() {
        let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/clerk.md")).unwrap();
        let table = readme_table();
        assert!(
            readme.contains(&table),
            "docs/clerk.md's table of diagnostic codes differs from src/diagnostics/codes.rs; replace it with:\n\n{table}"
        );
    }

    #[test]
    fn ids_are_unique_and_their_letter_is_the_severity() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            assert!(seen.insert(code.id()), "{} twice", code.id());
            let letter = match code.severity() {
                Severity::Error => 'E',
                Severity::Warning => 'W',
                Severity::Note => 'N',
            };
            assert!(code.id().starts_with(letter) && code.id().len() == 4, "{}", code.id());
        }
    }
}
