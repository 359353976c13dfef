//! `assets/zh-convert.js`: the conversion table behind the reader's 简体 / 繁體
//! switch, made for this site — every character mapping of OpenCC's tables, and
//! of its phrase tables only the phrases that occur in the site's notices,
//! standing pages and interface. The page loads it only when a reader asks for
//! the other script, so a page costs nothing more; it is a script, not data
//! fetched, so it works from `file://` too.

use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;

use super::theme;
use std::sync::Arc;

use crate::model::{Published, Site};
use crate::routes;
use crate::text::zhconv::{Converter, s2t, t2s};
use crate::write::{Output, WriteError};

/// Its name under `assets/`.
pub const FILE: &str = "zh-convert.js";

#[derive(Serialize)]
struct Table {
    /// Characters: pairs of (from, to) in one string.
    c: String,
    /// Phrases, longest match first in the page.
    p: std::collections::BTreeMap<&'static str, &'static str>,
}

type Phrases = std::collections::BTreeMap<&'static str, &'static str>;

impl Table {
    fn of(conv: &Converter, p: Phrases) -> Table {
        Table { c: conv.chars().into_iter().flat_map(|(k, v)| [k, v]).collect(), p }
    }
}

/// Texts shorter than this are searched each time; longer ones (a notice's
/// text) go through the build cache, which keeps the phrases each holds.
const CACHED_FROM: usize = 2048;

/// The phrases of both tables that occur in `text`.
fn phrases_of(text: &str) -> (Phrases, Phrases) {
    let find = || (s2t().phrases_in(std::iter::once(text)), t2s().phrases_in(std::iter::once(text)));
    if text.len() < CACHED_FROM {
        return find();
    }
    crate::cache::memo(
        "phrases",
        &[text.as_bytes()],
        find,
        // The phrases' keys, each table's on a line of its own.
        |(a, b)| {
            let line = |m: &Phrases| m.keys().copied().collect::<Vec<_>>().join("\t");
            Some(format!("{}\n{}", line(a), line(b)).into_bytes())
        },
        |bytes| {
            let (a, b) = std::str::from_utf8(bytes).ok()?.split_once('\n')?;
            let keys = |conv: &Converter, line: &str| -> Option<Phrases> {
                line.split('\t').filter(|k| !k.is_empty()).map(|k| conv.phrase(k)).collect()
            };
            Some((keys(s2t(), a)?, keys(t2s(), b)?))
        },
    )
}

/// The phrases of `conv` that occur in `texts`, the texts split among the cores.
fn phrases(conv: &Converter, texts: &[Arc<str>]) -> Phrases {
    texts.par_chunks(64).map(|chunk| conv.phrases_in(chunk.iter().map(|t| &**t))).reduce(
        Default::default,
        |mut a, b| {
            a.extend(b);
            a
        },
    )
}

/// The table of both directions, for the site's text.
#[derive(Serialize)]
pub struct ScriptTable {
    s2t: Table,
    t2s: Table,
}

impl ScriptTable {
    pub fn of(site: &Site) -> ScriptTable {
        // One notice's texts at a time: at 100,000 notices the texts are a
        // gigabyte, most of it kept out of memory (`TextStore`) until read.
        let (a, b) = site
            .notices
            .par_iter()
            .map(|n| texts_of(std::iter::once(n)))
            .chain(rayon::iter::once(other_texts(site)))
            .flat_map_iter(|texts| texts.into_iter().map(|t| phrases_of(&t)))
            .reduce(
                || (Phrases::new(), Phrases::new()),
                |(mut a, mut b), (x, y)| {
                    a.extend(x);
                    b.extend(y);
                    (a, b)
                },
            );
        ScriptTable { s2t: Table::of(s2t(), a), t2s: Table::of(t2s(), b) }
    }

    /// Add the phrases of some notices' texts (the preview, after an edit); whether
    /// any was new, so the table must be written again. Phrases of text deleted
    /// since stay in the preview's table: they cost a few bytes, never a wrong
    /// conversion (a build makes the exact table).
    pub fn add<'a>(&mut self, notices: impl Iterator<Item = &'a Published>) -> bool {
        let texts = texts_of(notices);
        let before = self.s2t.p.len() + self.t2s.p.len();
        self.s2t.p.extend(phrases(s2t(), &texts));
        self.t2s.p.extend(phrases(t2s(), &texts));
        self.s2t.p.len() + self.t2s.p.len() != before
    }

    pub fn write(&self, out: &Output) -> Result<(), WriteError> {
        let json = serde_json::to_string(self).unwrap_or_default();
        let js = format!(
            "// The 简体/繁體 conversion of this site's text: OpenCC's tables (Apache-2.0), made by gongkai.\nwindow.gongkaiZh={json};\n"
        );
        out.write(&Path::new(routes::ASSETS).join(FILE), js.as_bytes(), &|| "the script conversion table".into())
    }
}

/// The texts of some notices: titles, texts, revisions and issuers.
fn texts_of<'a>(notices: impl Iterator<Item = &'a Published>) -> Vec<Arc<str>> {
    let mut texts: Vec<Arc<str>> = Vec::new();
    for n in notices {
        texts.push(n.title.as_str().into());
        texts.push(n.text.plain.get());
        texts.extend(n.revisions.iter().map(|r| r.text.plain.get()));
        texts.push(n.issuers.iter().map(|i| i.as_str()).collect::<Vec<_>>().join("\n").into());
    }
    texts
}

/// The site's texts besides its notices': the standing pages', the interface's.
fn other_texts(site: &Site) -> Vec<Arc<str>> {
    let mut texts = Vec::new();
    for p in &site.pages {
        texts.push(p.title.as_str().into());
        texts.push(p.text.plain.get());
    }
    texts.push(theme::interface_text().into());
    texts.push(site.config.title.as_str().into());
    texts
}
