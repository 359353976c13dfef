//! catalogue.json: the machine-readable disclosure catalogue (open data). Every
//! public notice with its URL and all its metadata; later features add to it.

use rayon::prelude::*;
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
        "lifecycle": lifecycle_entry(site, i),
        "attachments": n.attachments.iter().map(|a| json!({
            "file": a.file,
            "title": a.title,
            "bytes": a.bytes,
            "url": format!("{}{}", path.url(&site.config.base_url), encode_path(&a.file)),
        })).collect::<Vec<_>>(),
    });
    if let Value::Object(m) = &mut entry {
        m.extend(plain_fields(n));
        // Validity as it stood on the reference date (see `lifecycle` for why).
        m.insert("validity".into(), json!(site.lifecycle[i].validity));
    }
    entry
}

/// Effect dates, validity changes, relations and citations both ways, revisions.
fn lifecycle_entry(site: &Site, i: usize) -> Value {
    let n = &site.notices[i];
    let life = &site.lifecycle[i];
    let url = |t: usize| notice_path(&site.notices[t]).url(&site.config.base_url);
    json!({
        "effective": n.effective,
        "expires": n.expires,
        "stated_validity": n.validity,
        "validity_changes": n.validity_changes.iter().map(|(d, v)| json!({"date": d, "validity": v})).collect::<Vec<_>>(),
        "validity_decided_by": life.validity_by.map(|(r, t)| json!({"relation": r, "url": url(t)})),
        "relations": life.outgoing.iter().map(|(r, d, t)| json!({"relation": r, "doc_number": d.text, "url": t.map(url)})).collect::<Vec<_>>(),
        "related_by": life.incoming.iter().map(|(r, t)| json!({"relation": r, "url": url(*t)})).collect::<Vec<_>>(),
        "cites": life.cites.iter().map(|(text, t)| json!({"text": text, "url": url(*t)})).collect::<Vec<_>>(),
        "cited_by": life.cited_by.iter().map(|t| url(*t)).collect::<Vec<_>>(),
        "revisions": n.revisions.iter().map(|r| r.date).collect::<Vec<_>>(),
        "revision_in_force": life.revision,
    })
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

/// One notice's entry as pretty JSON, indented to sit in the `notices` list, so
/// that entries can be made in parallel (and kept between rebuilds by `serve`).
pub fn entry_text(site: &Site, i: usize) -> String {
    let text = serde_json::to_string_pretty(&entry(site, i)).unwrap_or_default();
    text.lines().map(|l| format!("    {l}")).collect::<Vec<_>>().join("\n")
}

pub fn write(site: &Site, sink: &dyn Sink) -> Result<(), String> {
    write_with(site, sink, &|i| entry_text(site, i))
}

/// Write catalogue.json with entries from `entry`; the result is exactly what
/// serde_json's pretty printer gives for the whole document.
pub fn write_with(site: &Site, sink: &dyn Sink, entry: &(dyn Fn(usize) -> String + Sync)) -> Result<(), String> {
    let c = &site.config;
    let head = json!({
        "format_version": FORMAT_VERSION,
        "as_of": site.as_of.map(|d| d.format("%Y-%m-%d").to_string()),
        "site": {"title": c.title, "base_url": c.base_url, "language": c.language, "organisation": c.organisation},
        "count": site.notices.len(),
    });
    let head = serde_json::to_string_pretty(&head).map_err(|e| e.to_string())?;
    let entries: Vec<String> = (0..site.notices.len()).into_par_iter().map(entry).collect();
    let list = if entries.is_empty() { "[]".to_owned() } else { format!("[\n{}\n  ]", entries.join(",\n")) };
    let text = format!("{},\n  \"notices\": {list}\n}}\n", head.trim_end().trim_end_matches('}').trim_end());
    sink.write(std::path::Path::new("catalogue.json"), text.as_bytes()).map_err(|e| e.to_string())
}
