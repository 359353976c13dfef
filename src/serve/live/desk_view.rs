//! What the desk asks of the live site: the notices to list, the site's
//! vocabularies and numbers, and a check of a draft by the same stages `check`
//! and `build` run — the file's own checks (`notice::load`), then the checks
//! between notices (`model::checks::between_notices`) against the notices it
//! could clash with.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde_json::{Value, json};

use super::Live;
use crate::config::SiteConfig;
use crate::content::{NoticeSource, frontmatter};
use crate::diagnostics::Diagnostic;
use crate::notice::{self, Notice};

impl Live {
    pub fn config(&self) -> Option<&SiteConfig> {
        self.config.as_ref()
    }

    /// Every notice file the site has, for the desk's list: the valid ones with
    /// their fields, the withheld and the failed by file.
    pub fn desk_notices(&self) -> Vec<Value> {
        let mut out: Vec<Value> = self
            .notices
            .values()
            .map(|n| {
                json!({
                    "file": n.display(),
                    "title": n.title,
                    "doc_number": n.doc_number.as_ref().map(|d| d.text.clone()),
                    "issuers": n.issuers.iter().map(|i| i.as_str()).collect::<Vec<_>>(),
                    "published": n.published.to_string(),
                    "year": n.published.year(),
                    "url": n.url.href(),
                })
            })
            .collect();
        for w in self.withheld.values() {
            out.push(json!({ "file": w.display, "title": "", "withheld": w.disclosure.as_str() }));
        }
        for file in self.failed.keys() {
            let display = file.strip_prefix(&self.root).unwrap_or(file);
            out.push(json!({ "file": display, "title": "" }));
        }
        out
    }

    /// Sequence numbers in use, by issuer code and year: `{代字: {year: [n…]}}`.
    pub fn numbers_in_use(&self) -> BTreeMap<String, BTreeMap<i32, Vec<u32>>> {
        let mut out: BTreeMap<String, BTreeMap<i32, Vec<u32>>> = BTreeMap::new();
        for d in self.notices.values().filter_map(|n| n.doc_number.as_ref()) {
            out.entry(d.issuer_code.clone()).or_default().entry(d.year).or_default().push(d.sequence);
        }
        for years in out.values_mut() {
            for seqs in years.values_mut() {
                seqs.sort_unstable();
            }
        }
        out
    }

    /// The 索引号 the site would give next for `year`: the prefix most notices
    /// use, the year, one more than the highest sequence under them, as wide.
    pub fn next_index_number(&self, year: i32) -> Option<String> {
        static SHAPE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
            regex::Regex::new(r"^(.*[/-])((?:19|20)\d\d)-(\d+)$").expect("a valid pattern")
        });
        let shape = &*SHAPE;
        let mut prefixes: HashMap<String, usize> = HashMap::new();
        let mut highest: HashMap<String, (u64, usize)> = HashMap::new();
        for number in self.notices.values().filter_map(|n| n.index_number.as_deref()) {
            let Some(c) = shape.captures(number) else { continue };
            *prefixes.entry(c[1].to_owned()).or_default() += 1;
            if c[2].parse::<i32>().ok() == Some(year) {
                let seq = c[3].parse::<u64>().unwrap_or(0);
                let e = highest.entry(c[1].to_owned()).or_insert((0, c[3].len()));
                *e = (e.0.max(seq), e.1.max(c[3].len()));
            }
        }
        let prefix = prefixes.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))?.0;
        let (seq, width) = highest.get(&prefix).copied().unwrap_or((0, 3));
        Some(format!("{prefix}{year}-{:0width$}", seq + 1))
    }

    /// Check a draft: `source` is the staged file (its `display` the path it will
    /// have), `replaces` the notice file it is an edit of. The diagnostics about
    /// the draft, and the address its page will have.
    pub fn check_draft(
        &self,
        source: &NoticeSource,
        text: &str,
        content_dir: &Path,
        replaces: Option<&Path>,
    ) -> (Vec<Diagnostic>, Option<String>) {
        let Some(config) = &self.config else { return (Vec::new(), None) };
        let parsed = match frontmatter::parse(text, &source.display) {
            Ok(p) => p,
            Err(d) => return (vec![d], None),
        };
        let (loaded, mut diags) = notice::load(source, text, parsed, config, content_dir, &self.texts);
        let notice::Loaded::Notice(draft) = loaded else { return (diags, None) };
        // The notices it may clash with: one number, one 登记号, one address, one
        // annual report, or related to it either way.
        let number = draft.doc_number.as_ref().map(|d| d.text.as_str());
        let url = draft.url.0.join("/").to_lowercase();
        let related = |n: &Notice| {
            let own = n.doc_number.as_ref().map(|d| d.text.as_str());
            (own.is_some() && own == number)
                || (n.registration.is_some() && n.registration == draft.registration)
                || n.url.0.join("/").to_lowercase() == url
                || (n.annual_report.is_some()
                    && draft.annual_report.as_ref().map(|r| r.year) == n.annual_report.as_ref().map(|r| r.year))
                || draft.relations.iter().any(|r| Some(r.number.text.as_str()) == own)
                || n.relations.iter().any(|r| Some(r.number.text.as_str()) == number)
        };
        let mut subset: Vec<Notice> = self
            .notices
            .values()
            .filter(|n| Some(n.source.file.as_path()) != replaces && related(n))
            .cloned()
            .collect();
        let href = draft.url.href();
        subset.push(*draft);
        let display = source.display.clone();
        diags.extend(crate::model::checks::between_notices(&subset).into_iter().filter(|d| d.file == display));
        (diags, Some(href))
    }
}
