//! What changed between two snapshots of a site, read from the `catalogue.json` in
//! each bag and its parts: notices added, amended, repealed (or expired) and
//! withdrawn. The archive's index page shows it for every snapshot against the one
//! before.
//!
//! Read as JSON values rather than the catalogue's own types: a bag written by an
//! older gongkai must still be compared, and only a few fields are needed.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;
use serde_json::Value;

/// One notice named in a change list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Named {
    pub title: String,
    /// 发文字号, when it has one.
    pub number: Option<String>,
    /// The notice's folder in the site (`notices/…/`), to link into the snapshot.
    pub path: String,
    /// For a repealed notice: 废止 or 失效.
    pub validity: Option<String>,
}

/// The differences of a snapshot from the one before it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Changes {
    pub added: Vec<Named>,
    /// Amended by another notice, a revision in force, or its own record edited.
    pub amended: Vec<Named>,
    /// Now 废止 or 失效, and not before.
    pub repealed: Vec<Named>,
    /// In the earlier snapshot, not in this one.
    pub withdrawn: Vec<Named>,
}

/// A bag's catalogue as its entry (`catalogue.json`) describes it: the notices are
/// read from the parts only when compared, and only the parts that differ.
#[derive(Debug)]
pub struct Catalogue {
    /// Where the snapshot's files are.
    files: Files,
    /// Notices in the catalogue.
    pub count: usize,
    parts: Vec<Part>,
}

/// A part of a catalogue: a quarter's file (format 2), or the notices of a format 1
/// catalogue, which held them all in `catalogue.json`.
#[derive(Debug)]
enum Part {
    File { href: String, sha256: Option<String> },
    Inline(Vec<Value>),
}

/// Where a snapshot's site files are: a bag's `data/` folder, or the content
/// files of an OCFL version by their path in the site.
#[derive(Debug, Clone)]
pub enum Files {
    #[cfg(test)]
    Data(PathBuf),
    Mapped(Arc<BTreeMap<String, PathBuf>>),
}

impl Files {
    fn read(&self, rel: &str) -> Option<String> {
        match self {
            #[cfg(test)]
            Files::Data(data) => std::fs::read_to_string(data.join(rel)).ok(),
            Files::Mapped(map) => std::fs::read_to_string(map.get(rel)?).ok(),
        }
    }
}

/// A bag's catalogue; None when the bag has no readable one.
#[cfg(test)]
pub fn read_catalogue(bag: &std::path::Path) -> Option<Catalogue> {
    read_catalogue_in(Files::Data(bag.join("data")))
}

/// The catalogue of the site `files`; None when it has no readable one.
pub fn read_catalogue_in(files: Files) -> Option<Catalogue> {
    let entry: Value = serde_json::from_str(&files.read("catalogue.json")?).ok()?;
    if let Some(notices) = entry.get("notices").and_then(Value::as_array) {
        return Some(Catalogue { files, count: notices.len(), parts: vec![Part::Inline(notices.clone())] });
    }
    let mut parts = Vec::new();
    for p in entry.get("parts")?.as_array()? {
        let href = p.get("href")?.as_str()?;
        // A part is a file inside the bag's data folder, never one outside it.
        if super::manifest::unsafe_path(href).is_some() {
            return None;
        }
        let sha256 = p.get("sha256").and_then(Value::as_str).map(str::to_string);
        parts.push(Part::File { href: href.to_string(), sha256 });
    }
    let count = usize::try_from(entry.get("count")?.as_u64()?).ok()?;
    Some(Catalogue { files, count, parts })
}

impl Catalogue {
    /// The notices of the parts `other` does not have, byte for byte, by URL; None
    /// when one of them cannot be read.
    fn notices_not_in(&self, other: &Catalogue) -> Option<BTreeMap<String, Value>> {
        let mut out = BTreeMap::new();
        for part in &self.parts {
            let notices = match part {
                Part::File { href, sha256: Some(sha) }
                    if other
                        .parts
                        .iter()
                        .any(|o| matches!(o, Part::File { href: h, sha256: Some(s) } if h == href && s == sha)) =>
                {
                    continue;
                }
                Part::File { href, .. } => {
                    let text = self.files.read(href)?;
                    let part: Value = serde_json::from_str(&text).ok()?;
                    part.get("notices")?.as_array()?.clone()
                }
                Part::Inline(notices) => notices.clone(),
            };
            out.extend(notices.into_iter().filter_map(|n| Some((n.get("url")?.as_str()?.to_string(), n))));
        }
        Some(out)
    }
}

/// What changed from `before` to `after`; None when a part that differs cannot be
/// read. A part the same in both (by its SHA-256) holds the same notices and is not
/// read: a notice that moved to another quarter is in two parts that differ.
pub fn between(before: &Catalogue, after: &Catalogue) -> Option<Changes> {
    Some(compare(&before.notices_not_in(after)?, &after.notices_not_in(before)?))
}

/// What changed from `before` to `after`, each the notices by URL.
fn compare(before: &BTreeMap<String, Value>, after: &BTreeMap<String, Value>) -> Changes {
    let mut changes = Changes::default();
    for (url, now) in after {
        let Some(then) = before.get(url) else {
            changes.added.push(named(now));
            continue;
        };
        let validity = |n: &Value| n.get("validity").and_then(Value::as_str).map(str::to_string);
        let ended = matches!(validity(now).as_deref(), Some("废止" | "失效"));
        if ended && validity(now) != validity(then) {
            changes.repealed.push(Named { validity: validity(now), ..named(now) });
        } else if amended(then, now) {
            changes.amended.push(named(now));
        }
    }
    changes.withdrawn = before.iter().filter(|(url, _)| !after.contains_key(*url)).map(|(_, n)| named(n)).collect();
    changes
}

fn named(n: &Value) -> Named {
    let s = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_string);
    Named {
        title: s(n.get("title")).unwrap_or_default(),
        number: s(n.pointer("/doc_number/text")),
        path: s(n.get("path")).unwrap_or_default(),
        validity: None,
    }
}

/// Whether a notice present in both snapshots was amended: another notice amends
/// it now and did not before, or its own record or text in force changed. Not
/// counted: its validity (see `repealed`), its progress figures (they move with the
/// date), which notices cite or relate to it otherwise, and which documents it
/// cites are on the site yet (a citation is listed once the cited one is published).
fn amended(then: &Value, now: &Value) -> bool {
    let amenders = |n: &Value| -> Vec<Value> {
        n.pointer("/lifecycle/related_by")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter().filter(|r| r.get("relation").and_then(Value::as_str) == Some("amends")).cloned().collect()
            })
            .unwrap_or_default()
    };
    amenders(then) != amenders(now) || own_record(then) != own_record(now)
}

/// A catalogue entry without what other notices and the date decide.
fn own_record(n: &Value) -> Value {
    let mut n = n.clone();
    if let Some(o) = n.as_object_mut() {
        o.remove("progress");
        o.remove("validity");
        if let Some(life) = o.get_mut("lifecycle").and_then(Value::as_object_mut) {
            // `cites` lists only the cited documents the site carries on that date,
            // and a relation has its `url` only once the related document is there.
            for key in ["related_by", "cited_by", "validity_decided_by", "cites"] {
                life.remove(key);
            }
            for r in life.get_mut("relations").and_then(Value::as_array_mut).into_iter().flatten() {
                if let Some(r) = r.as_object_mut() {
                    r.remove("url");
                }
            }
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::path::Path;

    fn catalogue(notices: &[Value]) -> BTreeMap<String, Value> {
        notices.iter().map(|n| (n["url"].as_str().unwrap().to_string(), n.clone())).collect()
    }

    fn notice(id: &str) -> Value {
        json!({"url": format!("https://x/{id}/"), "path": format!("notices/{id}/"), "title": format!("通知{id}"),
               "doc_number": {"text": format!("通政发〔2024〕{id}号")}, "validity": "有效",
               "progress": {"reference_date": "2024-01-31"},
               "lifecycle": {"related_by": [], "cited_by": [], "revisions": [], "revision_in_force": null,
                             "cites": []}})
    }

    #[test]
    fn added_amended_repealed_withdrawn() {
        let (a, b, c, mut d, e) = (notice("1"), notice("2"), notice("3"), notice("4"), notice("5"));
        d["lifecycle"]["relations"] = json!([{"relation": "amends", "number": "国发〔2001〕1号"}]);
        let before = catalogue(&[a.clone(), b.clone(), c.clone(), d.clone(), e.clone()]);
        let mut b2 = b.clone();
        b2["lifecycle"]["related_by"] = json!([{"relation": "amends", "url": "https://x/6/"}]);
        let mut c2 = c.clone();
        c2["validity"] = json!("废止");
        c2["lifecycle"]["related_by"] = json!([{"relation": "repeals", "url": "https://x/6/"}]);
        let mut d2 = d.clone();
        // Only the date moved, another notice cites it, and a document it cites was
        // published (its citation now links): not a change of its own.
        d2["progress"]["reference_date"] = json!("2024-02-29");
        d2["lifecycle"]["cited_by"] = json!(["https://x/6/"]);
        d2["lifecycle"]["cites"] = json!([{"text": "通政发〔2024〕6号", "url": "https://x/6/"}]);
        // … and the document it amends was imported, so its relation now links.
        d2["lifecycle"]["relations"][0]["url"] = json!("https://x/7/");
        let mut e2 = e.clone();
        e2["title"] = json!("通知5（更正）");
        let after = catalogue(&[b2, c2, d2, e2, notice("6")]);
        let ch = compare(&before, &after);
        let titles = |v: &[Named]| v.iter().map(|n| n.title.clone()).collect::<Vec<_>>();
        assert_eq!(titles(&ch.added), ["通知6"]);
        assert_eq!(titles(&ch.amended), ["通知2", "通知5（更正）"]);
        assert_eq!(titles(&ch.repealed), ["通知3"]);
        assert_eq!(ch.repealed[0].validity.as_deref(), Some("废止"));
        assert_eq!(ch.repealed[0].number.as_deref(), Some("通政发〔2024〕3号"));
        assert_eq!(titles(&ch.withdrawn), ["通知1"]);
        assert_eq!(compare(&after, &after), Changes::default());
    }

    /// A bag of format 2: each part is (year, notices, sha256 written in the entry).
    fn bag(dir: &Path, parts: &[(i32, Vec<Value>, &str)]) {
        std::fs::create_dir_all(dir.join("data/catalogue")).unwrap();
        let mut refs = Vec::new();
        for (year, notices, sha) in parts {
            let href = format!("catalogue/{year}.json");
            let part = json!({"format_version": 2, "year": year, "count": notices.len(), "notices": notices});
            std::fs::write(dir.join("data").join(&href), part.to_string()).unwrap();
            refs.push(json!({"year": year, "href": href, "count": notices.len(), "sha256": sha}));
        }
        let count: usize = parts.iter().map(|p| p.1.len()).sum();
        let entry = json!({"format_version": 2, "count": count, "parts": refs});
        std::fs::write(dir.join("data/catalogue.json"), entry.to_string()).unwrap();
    }

    #[test]
    fn parts_the_same_in_both_are_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let (old, new) = (dir.path().join("old"), dir.path().join("new"));
        let mut moved = notice("2");
        moved["title"] = json!("通知2（更正）");
        bag(&old, &[(2024, vec![notice("1")], "a"), (2023, vec![notice("2")], "b"), (2022, vec![notice("3")], "c")]);
        bag(
            &new,
            &[(2025, vec![notice("4"), moved], "d"), (2024, vec![notice("1")], "e"), (2022, vec![notice("3")], "c")],
        );
        // 2022's part is the same in both (by its SHA-256): a broken file is not read.
        std::fs::write(new.join("data/catalogue/2022.json"), "not JSON").unwrap();
        let (before, after) = (read_catalogue(&old).unwrap(), read_catalogue(&new).unwrap());
        assert_eq!((before.count, after.count), (3, 4));
        let ch = between(&before, &after).unwrap();
        let titles = |v: &[Named]| v.iter().map(|n| n.title.clone()).collect::<Vec<_>>();
        assert_eq!(titles(&ch.added), ["通知4"]);
        // Moved from 2023's part to 2025's: the same URL, its record changed.
        assert_eq!(titles(&ch.amended), ["通知2（更正）"]);
        assert!(ch.withdrawn.is_empty() && ch.repealed.is_empty(), "{ch:?}");
        // A part that differs and cannot be read: no changes rather than wrong ones.
        std::fs::write(new.join("data/catalogue/2024.json"), "not JSON").unwrap();
        assert_eq!(between(&before, &read_catalogue(&new).unwrap()), None);
        // A part outside the bag is refused.
        std::fs::write(new.join("data/catalogue.json"), r#"{"count":0,"parts":[{"href":"../x.json"}]}"#).unwrap();
        assert!(read_catalogue(&new).is_none());
    }

    #[test]
    fn a_catalogue_of_format_1_is_still_compared() {
        let dir = tempfile::tempdir().unwrap();
        let (old, new) = (dir.path().join("old"), dir.path().join("new"));
        std::fs::create_dir_all(old.join("data")).unwrap();
        let v1 = json!({"format_version": 1, "count": 2, "notices": [notice("1"), notice("2")]});
        std::fs::write(old.join("data/catalogue.json"), v1.to_string()).unwrap();
        bag(&new, &[(2024, vec![notice("2"), notice("3")], "a")]);
        let ch = between(&read_catalogue(&old).unwrap(), &read_catalogue(&new).unwrap()).unwrap();
        assert_eq!((ch.added.len(), ch.amended.len(), ch.withdrawn.len()), (1, 0, 1));
    }
}
