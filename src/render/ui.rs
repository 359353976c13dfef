//! The one table of the words gongkai writes itself.

use crate::model::Site;
use crate::routes::TaxonomyKind;

/// The script of the interface: a `zh-Hant` site shows its own words (titles,
/// navigation, labels) in Traditional; the documents' words are never changed.
#[derive(Clone, Copy)]
pub struct Ui {
    pub(super) hant: bool,
}

impl Ui {
    pub fn of(site: &Site) -> Ui {
        Ui { hant: site.config.language == "zh-Hant" }
    }

    /// Interface words in the site's script.
    pub fn t(self, words: &str) -> String {
        if self.hant { crate::text::zhconv::s2t().convert(words) } else { words.to_owned() }
    }

    pub(super) fn kind(self, kind: TaxonomyKind) -> &'static str {
        if self.hant { kind.title_hant() } else { kind.title() }
    }
}
