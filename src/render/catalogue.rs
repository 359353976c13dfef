//! catalogue.json: the machine-readable disclosure catalogue (open data). Every
//! public notice with its URL and all its metadata; later features add to it.

use serde_json::{Value, json};

use crate::model::notice::Notice;
use crate::model::site::Site;
use crate::render::Sink;
use crate::render::notice_path;
use crate::render::urls::encode_path;

/// Bumped when a field changes meaning or is removed.
pub const FORMAT_VERSION: u32 = 1;

pub fn entry(site: &Site, i: usize) -> Value {
    let n: &Notice = &site.notices[i];
    let path = notice_path(n);
    let mut entry = json!({
        "url": path.url(&site.config.base_url),
        "path": path.encoded_dir(),
        "source": n.source.display.to_string_lossy().replace('\\', "/"),
        "title": n.title,
        "doc_number": n.doc_number.as_ref().map(|d| json!({
            "text": d.text, "issuer_code": d.issuer_code, "year": d.year, "sequence": d.sequence,
        })),
        "index_number": n.index_number,
        "issuers": n.issuers,
        "genre": n.genre,
        "form": n.form,
        "topics": n.topics,
        "progress": crate::render::progress::catalogue_entry(site, i),
        "attachments": n.attachments.iter().map(|a| json!({
            "file": a.file,
            "title": a.title,
            "bytes": a.bytes,
            "url": format!("{}{}", path.url(&site.config.base_url), encode_path(&a.file)),
        })).collect::<Vec<_>>(),
    });
    if let Value::Object(m) = &mut entry {
        m.extend(plain_fields(n));
    }
    entry
}

/// Metadata shown as it is, shared by the catalogue and the notice page.
pub fn plain_fields(n: &Notice) -> serde_json::Map<String, Value> {
    let v = json!({
        "written": n.written,
        "published": n.published,
        "recipients": n.recipients,
        "cc": n.cc,
        "printed": n.printed,
        "note": n.note,
        "period": n.period,
        "validity": n.validity,
        "disclosure": n.disclosure,
        "lang": n.script.lang_tag(),
    });
    match v {
        Value::Object(m) => m,
        _ => serde_json::Map::new(),
    }
}

pub fn write(site: &Site, staging: &dyn Sink) -> Result<(), String> {
    let c = &site.config;
    let doc = json!({
        "format_version": FORMAT_VERSION,
        "site": {"title": c.title, "base_url": c.base_url, "language": c.language, "organisation": c.organisation},
        "count": site.notices.len(),
        "notices": (0..site.notices.len()).map(|i| entry(site, i)).collect::<Vec<_>>(),
    });
    let mut text = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?;
    text.push('\n');
    staging.write(std::path::Path::new("catalogue.json"), text.as_bytes()).map_err(|e| e.to_string())
}
