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
use crate::model::Site;
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

fn table(conv: &Converter, texts: &[std::sync::Arc<str>]) -> Table {
    // The site's text split among the cores, each finding its phrases.
    let found = texts.par_chunks(64).map(|chunk| conv.phrases_in(chunk.iter().map(|t| &**t))).reduce(
        Default::default,
        |mut a, b| {
            a.extend(b);
            a
        },
    );
    Table { c: conv.chars().into_iter().flat_map(|(k, v)| [k, v]).collect(), p: found }
}

pub fn write(site: &Site, out: &Output) -> Result<(), WriteError> {
    let mut texts: Vec<std::sync::Arc<str>> = Vec::new();
    for n in &site.notices {
        texts.push(n.title.as_str().into());
        texts.push(n.text.plain.get());
        texts.extend(n.revisions.iter().map(|r| r.text.plain.get()));
        texts.push(n.issuers.iter().map(|i| i.as_str()).collect::<Vec<_>>().join("\n").into());
    }
    for p in &site.pages {
        texts.push(p.title.as_str().into());
        texts.push(p.text.plain.get());
    }
    texts.push(theme::interface_text().into());
    texts.push(site.config.title.as_str().into());
    let (to_hant, to_hans) = rayon::join(|| table(s2t(), &texts), || table(t2s(), &texts));
    let json = serde_json::json!({"s2t": to_hant, "t2s": to_hans});
    let js = format!(
        "// The 简体/繁體 conversion of this site's text: OpenCC's tables (Apache-2.0), made by gongkai.\nwindow.gongkaiZh={json};\n"
    );
    out.write(&Path::new(routes::ASSETS).join(FILE), js.as_bytes(), &|| "the script conversion table".into())
}
