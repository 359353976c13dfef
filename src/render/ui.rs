//! The one table of the words gongkai writes itself: the templates' own words (at
//! load, `Theme::load_for`) and every word the code puts into a page (titles,
//! labels, the annual report's rows and columns, statuses) pass through `Ui::t`.
//! A `zh-Hant` site gets them in Traditional script; the documents' own words are
//! never changed.

use crate::model::{Site, UNCLASSIFIED, VALIDITY_UNSTATED};
use crate::routes::TaxonomyKind;
use crate::schema::{Script, Validity};

#[derive(Clone, Copy)]
pub struct Ui {
    script: Script,
}

impl Ui {
    pub const fn new(script: Script) -> Ui {
        Ui { script }
    }

    pub fn of(site: &Site) -> Ui {
        Ui::new(site.config.language.script)
    }

    /// Interface words in the site's script.
    pub fn t(self, words: &str) -> String {
        match self.script {
            Script::Traditional => crate::text::zhconv::s2t().convert(words),
            Script::Simplified => words.to_owned(),
        }
    }

    /// A browse term or filter value in the site's script when gongkai made it
    /// (未分类, 未注明, the validities); the site's own names as written.
    pub fn term(self, name: &str) -> String {
        if [UNCLASSIFIED, VALIDITY_UNSTATED].contains(&name) || Validity::ALL.contains(&name) {
            self.t(name)
        } else {
            name.to_owned()
        }
    }

    pub(super) fn kind(self, kind: TaxonomyKind) -> &'static str {
        match self.script {
            Script::Traditional => kind.title_hant(),
            Script::Simplified => kind.title(),
        }
    }
}
