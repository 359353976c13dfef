//! What the site already holds, for an import into it: its settings (for the
//! report's remarks on issuers, topics, index numbers) and the 文号 of its notices,
//! so that a document already published is not added a second time.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::config::SiteConfig;
use crate::content::{self, frontmatter};
use crate::schema::{self, DocNumber};

pub struct Known {
    pub config: Option<SiteConfig>,
    /// Each 文号 a notice of the site carries (normalised), with its file (as the
    /// clerk knows it) and title.
    numbers: HashMap<String, (PathBuf, String)>,
}

impl Known {
    /// Read site.yaml and the front matter of every notice under `root`'s content/
    /// (a file that cannot be read is left out: the build reports it).
    pub fn of(root: &Path) -> Known {
        let config = SiteConfig::load(&root.join("content/site.yaml"), Path::new("content/site.yaml")).ok();
        let mut numbers = HashMap::new();
        let content_dir = root.join("content");
        if content_dir.is_dir() {
            for source in content::discover(root, &content_dir).notices {
                let Ok(text) = content::read_text(&source) else { continue };
                let Ok(parsed) = frontmatter::parse(&text, &source.display) else { continue };
                let field = |name: &str| {
                    parsed
                        .fields
                        .iter()
                        .find(|f| schema::lookup(&f.key).is_some_and(|s| s.name == name))
                        .and_then(|f| frontmatter::scalar_text(&f.value))
                };
                if let Some(number) = field("doc_number").and_then(|n| DocNumber::parse(&n).ok()) {
                    numbers.insert(number.text, (source.display.clone(), field("title").unwrap_or_default()));
                }
            }
        }
        Known { config, numbers }
    }

    /// A notice this import has just written: later files of the same run see it.
    pub fn add(&mut self, number: &str, title: &str, root: &Path, file: &Path) {
        if let Ok(number) = DocNumber::parse(number) {
            let shown = file.strip_prefix(root).unwrap_or(file).to_path_buf();
            self.numbers.entry(number.text).or_insert((shown, title.to_owned()));
        }
    }

    /// Why a notice of document number `number` and `title`, to be written at
    /// `target`, is not imported: the site has it already (or another document
    /// under its number) in another file.
    pub fn clash(&self, number: Option<&str>, title: Option<&str>, root: &Path, target: &Path) -> Option<String> {
        let number = DocNumber::parse(number?).ok()?;
        let (file, known_title) = self.numbers.get(&number.text)?;
        if root.join(file) == target {
            return None; // this import's own earlier output
        }
        Some(if Some(known_title.as_str()) == title {
            format!("the site has this notice already: {} ({}); nothing was added", file.display(), number.text)
        } else {
            format!(
                "the site's {} already carries {} (titled {known_title}); check the number, then import again",
                file.display(),
                number.text
            )
        })
    }
}
