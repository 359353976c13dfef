//! The issuers, from several sources, and the names found tampered with — in the
//! issuers, the recipients, cc and the printing office — which are reported, left
//! out of the metadata and replaced in the body; and the title's sound part.

use std::collections::BTreeSet;

use super::closing::{Closing, PRINTED};
use super::front::Front;
use super::page::Page;
use super::state::{MARKER, Reader};
use super::words::{TITLE_VERBS, loose};
use crate::import::org;

/// One source of issuer names, in order of trust.
struct IssuerSource {
    names: Vec<String>,
    from: &'static str,
}

/// The names found tampered with, and the foreign text spliced into them.
#[derive(Default)]
pub(super) struct Damage {
    /// Replaced in the body by `MARKER`.
    pub(super) names: Vec<String>,
    /// Replaced in the body by `TEXT_MARKER` wherever else it appears.
    pub(super) fragments: BTreeSet<String>,
}

impl Damage {
    /// A name found tampered with, and the text spliced into it.
    fn add(&mut self, name: String, parts: Vec<String>) {
        self.names.push(name);
        self.fragments.extend(parts);
    }
}

/// Step 5, the issuers: the catalogue, the signature, the names above the title, the
/// banner, the title's beginning. Damaged names are reported and left out.
pub(super) fn issuers(r: &mut Reader, page: &Page, front: &Front, closing: &Closing) -> Damage {
    let sources = sources(page, front, closing);
    let mut damage = tampered_issuers(r, &sources);
    choose(r, &sources, &damage.names, front.title_abbreviated.is_none());
    // Recipients, cc and the printing office: a name with Latin letters or digits
    // spliced in is damaged too (spam words alone are not enough here: 各文化娱乐场所
    // is a real recipient).
    let recipients = std::mem::take(&mut r.a.recipients);
    r.a.recipients = sound_names(r, &mut damage, "recipients", "主送机关", recipients);
    let cc = std::mem::take(&mut r.a.cc);
    r.a.cc = sound_names(r, &mut damage, "cc", "抄送机关", cc);
    sound_printer(r, &mut damage);
    // Only spliced text that cannot be ordinary text elsewhere (letters, spam
    // words) is replaced outside the damaged names; a bare number is not.
    damage.fragments.retain(|f| f.chars().any(|c| !c.is_ascii_digit()));
    if let Some(abbr) = &front.title_abbreviated
        && r.a.issuers == [abbr.clone()]
    {
        r.a.notes.push(format!("发文机关“{abbr}”取自标题开头，文中没有写出机关全称。"));
        r.a.remarks
            .push(format!("issuer `{abbr}` is the beginning of the title: the text names no issuer in full; check it"));
    }
    damage
}

/// The sources of issuer names, most trusted first.
fn sources(page: &Page, front: &Front, closing: &Closing) -> [IssuerSource; 5] {
    let header_issuers: Vec<String> = page
        .header_value("issuer")
        .map(|v| {
            v.split(|c: char| c.is_whitespace() || "、，,；;".contains(c))
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    [
        IssuerSource { names: header_issuers, from: "the catalogue (发文机关)" },
        IssuerSource { names: closing.signature_issuers.clone(), from: "the signature" },
        IssuerSource { names: front.title_issuers.clone(), from: "the issuer line above the title" },
        IssuerSource { names: front.banner_issuers.clone(), from: "the issuer banner (…文件)" },
        IssuerSource { names: front.title_prefix_issuers.clone(), from: "the beginning of the title" },
    ]
}

/// Issuer names with foreign text spliced in, reported once each with every
/// source that gives them.
fn tampered_issuers(r: &mut Reader, sources: &[IssuerSource]) -> Damage {
    let mut damage = Damage::default();
    // (name, its foreign parts, where it was found)
    let mut tampered: Vec<(String, Vec<String>, Vec<&str>)> = Vec::new();
    for source in sources {
        for (pos, name) in source.names.iter().enumerate() {
            let parts = org::foreign_parts(name);
            if parts.is_empty() {
                continue;
            }
            match tampered.iter_mut().find(|(n, _, _)| n == name) {
                Some((_, _, froms)) => froms.push(source.from),
                None => {
                    r.a.notes.push(format!(
                        "来源中第{}个发文机关的名称疑似遭篡改（名称中夹杂了与机关无关的文字），未列为发文机关，正文中以{MARKER}标出。",
                        pos + 1
                    ));
                    damage.add(name.clone(), parts.clone());
                    tampered.push((name.clone(), parts, vec![source.from]));
                }
            }
        }
    }
    for (name, parts, froms) in &tampered {
        r.damaged(
            "issuer",
            name,
            format!(
                "organisation name with foreign text spliced in ({}), found in {}; left out of issuer, and replaced in the body by {MARKER}",
                parts.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", "),
                froms.join(" and ")
            ),
        );
    }
    damage
}

/// The issuers: the first source that gives any, without the damaged names; the
/// other sources that differ from it are remarked on, and with `say_where` a source
/// other than the catalogue.
fn choose(r: &mut Reader, sources: &[IssuerSource], damaged_names: &[String], say_where: bool) {
    let Some(chosen) = sources.iter().find(|s| !s.names.is_empty()) else { return };
    r.a.issuers = chosen.names.iter().filter(|n| !damaged_names.contains(n)).cloned().collect();
    if chosen.from != sources[0].from && say_where {
        r.a.remarks.push(format!("issuer taken from {}", chosen.from));
    }
    for other in sources.iter().filter(|s| !s.names.is_empty() && s.from != chosen.from) {
        if other.names.iter().map(|n| loose(n)).collect::<Vec<_>>()
            != chosen.names.iter().map(|n| loose(n)).collect::<Vec<_>>()
        {
            r.a.remarks.push(format!(
                "issuers differ: {} gives {}, {} gives {}; {} was taken",
                chosen.from,
                chosen.names.join(" "),
                other.from,
                other.names.join(" "),
                chosen.from
            ));
        }
    }
}

/// The foreign parts of a name with Latin letters or digits in them.
fn spliced(name: &str) -> Vec<String> {
    org::foreign_parts(name).into_iter().filter(|p| p.chars().any(|c| c.is_ascii_alphanumeric())).collect()
}

/// The names of a list (recipients, cc) that have nothing spliced in; the others
/// are reported under `field` (`label` in Chinese).
fn sound_names(r: &mut Reader, damage: &mut Damage, field: &str, label: &str, list: Vec<String>) -> Vec<String> {
    let mut kept = Vec::new();
    for name in list {
        let parts = spliced(&name);
        if parts.is_empty() {
            kept.push(name);
            continue;
        }
        r.damaged(
            field,
            &name,
            format!(
                "name with foreign text spliced in ({}); left out, and replaced in the body by {MARKER}",
                parts.join(", ")
            ),
        );
        r.a.notes.push(format!("来源中的一个{label}名称疑似遭篡改，未予填写，正文中以{MARKER}标出。"));
        damage.add(name, parts);
    }
    kept
}

/// 印发: left empty when the printing office's name has something spliced in.
fn sound_printer(r: &mut Reader, damage: &mut Damage) {
    if let Some(printed) = r.a.printed.clone()
        && let Some(c) = PRINTED.captures(&printed)
    {
        let office = c[1].trim().to_owned();
        let parts = spliced(&office);
        if !parts.is_empty() {
            r.damaged(
                "printed",
                &printed,
                format!(
                    "the printing office's name has foreign text spliced in ({}); left empty, and replaced in the body by {MARKER}",
                    parts.join(", ")
                ),
            );
            r.a.notes.push(format!("来源中的印发机关名称疑似遭篡改，未予填写，正文中以{MARKER}标出。"));
            r.a.printed = None;
            damage.add(office, parts);
        }
    }
}

/// Step 6, the title: the catalogue's, else the text's; only its sound part.
pub(super) fn title(r: &mut Reader, front: &Front, damage: &Damage) {
    let raw_title = front.header_title.clone().or(front.text_title.clone());
    if let (Some(ht), Some(tt)) = (&front.header_title, &front.text_title)
        && loose(ht) != loose(tt)
    {
        r.a.remarks.push(format!("the catalogue's title and the text's differ: `{ht}` / `{tt}`"));
    }
    if let Some(t) = raw_title {
        let spam: Vec<String> = org::foreign_parts(&t).into_iter().filter(|p| !p.is_ascii()).collect();
        let hit: Vec<&String> = damage.names.iter().filter(|d| t.contains(d.as_str())).collect();
        if hit.is_empty() && spam.is_empty() {
            r.a.title = Some(t);
        } else {
            let verb = TITLE_VERBS.iter().filter_map(|v| t.find(v)).min();
            let sound_from = verb.filter(|&p| {
                hit.iter().all(|d| t.match_indices(d.as_str()).all(|(s, _)| s + d.len() <= p))
                    && org::foreign_parts(&t[p..]).iter().all(|part| part.is_ascii())
            });
            match sound_from {
                Some(p) => {
                    let sound = t[p..].to_owned();
                    r.damaged(
                        "title",
                        &t,
                        format!(
                            "the issuer part of the title has a tampered organisation name; only the sound part `{sound}` was kept"
                        ),
                    );
                    r.a.notes.push("标题只取未受损的“关于……”部分。".to_owned());
                    r.a.title = Some(sound);
                }
                None => {
                    r.damaged("title", &t, "the title has foreign text spliced in; title left empty");
                    r.a.notes.push("来源中的标题疑似遭篡改，未予填写。".to_owned());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{MARKER, analyse};

    #[test]
    fn spliced_names_elsewhere_are_kept_out_too() {
        let a = analyse(
            "某县教育局关于某事的通知\n各学校，各文化娱乐场所：\n正文。\n某县教育局\n2018年3月1日\n抄送：县委办公室，县bet365办公室。\n某县77365办公室 2018年3月2日印发\n",
        );
        assert_eq!(a.recipients, vec!["各学校", "各文化娱乐场所"]);
        assert_eq!(a.cc, vec!["县委办公室"]);
        assert_eq!(a.printed, None);
        let fields: Vec<&str> = a.damaged.iter().map(|d| d.field.as_str()).collect();
        assert_eq!(fields, vec!["cc", "printed"]);
        assert!(!a.body.contains("bet365") && !a.body.contains("77365"), "{}", a.body);
        assert!(a.body.contains(&format!("抄送：县委办公室，{MARKER}。")), "{}", a.body);
    }
}
