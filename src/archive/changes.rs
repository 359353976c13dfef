//! What changed between two snapshots of a site, read from the `catalogue.json` in
//! each bag: notices added, amended, repealed (or expired) and withdrawn. The
//! archive's index page shows it for every snapshot against the one before.
//!
//! Read as JSON values rather than the catalogue's own types: a bag written by an
//! older gongkai must still be compared, and only a few fields are needed.

use std::collections::BTreeMap;
use std::path::Path;

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

/// The notices of a bag's catalogue by URL; None when the bag has no readable one.
pub fn read_catalogue(bag: &Path) -> Option<BTreeMap<String, Value>> {
    let text = std::fs::read_to_string(bag.join("data/catalogue.json")).ok()?;
    let catalogue: Value = serde_json::from_str(&text).ok()?;
    let notices = catalogue.get("notices")?.as_array()?;
    Some(notices.iter().filter_map(|n| Some((n.get("url")?.as_str()?.to_string(), n.clone()))).collect())
}

/// What changed from `before` to `after` (each from `read_catalogue`).
pub fn between(before: &BTreeMap<String, Value>, after: &BTreeMap<String, Value>) -> Changes {
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
            // `cites` lists only the cited documents the site carries on that date.
            for key in ["related_by", "cited_by", "validity_decided_by", "cites"] {
                life.remove(key);
            }
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
        let (a, b, c, d, e) = (notice("1"), notice("2"), notice("3"), notice("4"), notice("5"));
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
        let mut e2 = e.clone();
        e2["title"] = json!("通知5（更正）");
        let after = catalogue(&[b2, c2, d2, e2, notice("6")]);
        let ch = between(&before, &after);
        let titles = |v: &[Named]| v.iter().map(|n| n.title.clone()).collect::<Vec<_>>();
        assert_eq!(titles(&ch.added), ["通知6"]);
        assert_eq!(titles(&ch.amended), ["通知2", "通知5（更正）"]);
        assert_eq!(titles(&ch.repealed), ["通知3"]);
        assert_eq!(ch.repealed[0].validity.as_deref(), Some("废止"));
        assert_eq!(ch.repealed[0].number.as_deref(), Some("通政发〔2024〕3号"));
        assert_eq!(titles(&ch.withdrawn), ["通知1"]);
        assert_eq!(between(&after, &after), Changes::default());
    }
}
