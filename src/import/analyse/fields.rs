//! Fields read from the catalogue and the text: the document number, the dates,
//! the page's credits, and the catalogue's other fields.

use super::closing::Closing;
use super::front::Front;
use super::labels::meta_entry;
use super::page::Page;
use super::state::Reader;
use super::words::{EMBEDDED_PLAN, form_of, genre_of, is_genre, period_of, simplified};
use crate::import::dates;
use crate::schema::doc_number::{self, DocNumber};
use crate::schema::{Date, Topic};

/// Step 7, the document number: the catalogue's, else the line in the text.
pub(super) fn numbers(r: &mut Reader, page: &Page, front: &Front) {
    let mut numbers: Vec<(String, String)> = Vec::new(); // (from, text)
    if let Some(v) = page.header_given("doc_number") {
        numbers.push(("the catalogue (发文字号)".into(), v));
    }
    for (line, text) in &front.doc_lines {
        numbers.push((format!("line {line}"), text.clone()));
    }
    let mut sound_numbers: Vec<(String, DocNumber)> = Vec::new();
    for (from, text) in &numbers {
        match DocNumber::parse(text) {
            Ok(d) => sound_numbers.push((from.clone(), d)),
            Err(e) => {
                let why = match doc_number::damage(text) {
                    Some(damage) => format!("damaged document number: {damage}"),
                    None => format!("{}: expected {}", e.message, e.expected),
                };
                r.damaged("doc_number", text, format!("{why} (in {from}); left empty"));
                r.a.notes.push(format!("来源中的发文字号“{text}”不完整，未予填写。"));
            }
        }
    }
    if let Some((from, first)) = sound_numbers.first() {
        for (other_from, other) in &sound_numbers[1..] {
            if other.text != first.text {
                r.a.remarks.push(format!(
                    "document numbers differ: {from} gives {}, {other_from} gives {}; the first was taken",
                    first.text, other.text
                ));
            }
        }
        r.a.doc_number = Some(first.text.clone());
    }
}

/// A date of the catalogue or the page; a damaged one is reported.
fn date_field(r: &mut Reader, field: &str, raw: &str) -> Option<Date> {
    match dates::parse(raw) {
        Ok(d) => Some(d),
        Err(why) => {
            r.damaged(field, raw, format!("{why}; left empty"));
            None
        }
    }
}

/// Step 8, the dates: written from the catalogue or the signature, published from the
/// catalogue or the web page.
pub(super) fn dates(r: &mut Reader, page: &Page, closing: &Closing) {
    written(r, page, closing);
    published(r, page);
    if let (Some(w), Some(p)) = (r.a.written, r.a.published)
        && p < w
    {
        r.a.remarks.push(format!(
            "published {p} is before written {w}: the build will refuse the notice until one of them is corrected"
        ));
    }
}

/// 成文日期: the catalogue's, else the date under the signature.
fn written(r: &mut Reader, page: &Page, closing: &Closing) {
    let header_written = page.header_given("written");
    let header_written_date = header_written.as_ref().and_then(|v| date_field(r, "written", v));
    let signature = closing.signature_date.as_ref().map(|(_, v)| v.as_str());
    let signature_written = signature.and_then(|v| dates::parse(v).ok());
    match (header_written_date, signature_written) {
        (Some(h), Some(s)) => {
            r.a.written = Some(h);
            if h != s {
                let (hv, sv) = (header_written.unwrap_or_default(), signature.unwrap_or_default());
                r.a.remarks.push(format!(
                    "written dates differ: the catalogue's 成文日期 is {hv}, the date under the signature is {sv}; the catalogue's value was taken — check which is right"
                ));
                r.a.notes.push(format!(
                    "成文日期：来源目录作{hv}，文件落款作{sv}，两者不一致；此处按目录填写，请核对原件。"
                ));
            }
        }
        (Some(h), None) => r.a.written = Some(h),
        (None, Some(s)) => r.a.written = Some(s),
        (None, None) => {}
    }
}

/// 发布日期: the catalogue's, else the web page's date.
fn published(r: &mut Reader, page: &Page) {
    if let Some(v) = page.header_given("published") {
        r.a.published = date_field(r, "published", &v);
        return;
    }
    let rank = |label: &str| match simplified(label).as_str() {
        "发布时间" => Some(0),
        "创建时间" => Some(1),
        "时间" => Some(2),
        "日期" => Some(3),
        _ => None,
    };
    let best = page.meta.iter().filter(|(_, l, v)| rank(l).is_some() && !v.is_empty()).min_by_key(|(_, l, _)| rank(l));
    if let Some((_, label, value)) = best.cloned()
        && let Some(d) = date_field(r, "published", &value)
    {
        r.a.published = Some(d);
        r.a.remarks.push(format!(
            "published taken from the web page's `{label}: {value}` — the page's date, not necessarily the notice's"
        ));
        r.a.notes.push(format!("发布日期取自来源网页的“{label}”（{value}），不一定是原件的发布日期。"));
    }
}

/// The page's author and source become a note, not body.
pub(super) fn credits(r: &mut Reader, page: &Page) {
    let credits: Vec<String> = page
        .meta
        .iter()
        .filter(|(_, l, v)| matches!(meta_entry(l).0, "source" | "author") && !v.is_empty())
        .map(|(_, l, v)| format!("{l}：{v}"))
        .collect();
    if !credits.is_empty() {
        r.a.notes.push(format!("来源网页署“{}”。", credits.join("；")));
        r.a.remarks.push(format!("source of the web page: {}", credits.join("; ")));
    }
}

/// Step 9, the other catalogue fields: index number, topics, validity, disclosure. Returns
/// the catalogue's genre (its own field, else a genre among the categories).
pub(super) fn catalogue_fields(r: &mut Reader, page: &Page) -> Option<String> {
    if let Some(v) = page.header_given("index_number") {
        r.a.index_number = Some(v);
    }
    let mut header_genre = page.header_value("genre").filter(|v| is_genre(v));
    for key in ["category", "topics"] {
        if let Some(v) = page.header_value(key) {
            for part in v.split([';', '；']).map(str::trim).filter(|p| !p.is_empty()) {
                if key == "category" && is_genre(part) {
                    header_genre.get_or_insert_with(|| part.to_owned());
                } else if Topic::parse(part).is_ok() {
                    if !r.a.topics.iter().any(|t| t == part) {
                        r.a.topics.push(part.to_owned());
                    }
                } else {
                    r.damaged("topics", part, "not a topic of one or two levels");
                }
            }
        }
    }
    if let Some(v) = page.header_given("validity") {
        if ["有效", "失效", "废止"].contains(&simplified(&v).as_str()) {
            r.a.validity = Some(simplified(&v));
        } else {
            r.damaged("validity", &v, "not one of 有效, 失效, 废止; left empty");
        }
    }
    if let Some(v) = page.header_given("disclosure") {
        let s = simplified(&v);
        if ["主动公开", "依申请公开", "不予公开"].contains(&s.as_str()) {
            if let Some(from_text) = &r.a.disclosure
                && *from_text != s
            {
                r.a.remarks.push(format!("disclosure: the catalogue says {s}, the note in the text {from_text}"));
            }
            r.a.disclosure = Some(s);
        } else {
            r.damaged("disclosure", &v, "not one of 主动公开, 依申请公开, 不予公开; left empty");
        }
    }
    header_genre
}

/// Step 10: genre, form and period from the title; the catalogue's genre and form where
/// the title gives none. Returns the name of the plan the title embeds (印发…的通知).
pub(super) fn title_words(r: &mut Reader, page: &Page, header_genre: Option<String>) -> Option<String> {
    let plan_name =
        r.a.title.as_deref().and_then(|t| EMBEDDED_PLAN.captures(t)).map(|c| c[1].replace(['《', '》'], ""));
    if let Some(t) = r.a.title.clone() {
        r.a.genre = genre_of(&t);
        r.a.form = match &plan_name {
            Some(p) => form_of(p),
            None if r.a.genre.is_none() => form_of(&t),
            None => None,
        };
        r.a.period = period_of(&t);
    }
    match (&r.a.genre, &header_genre) {
        (Some(g), Some(h)) if simplified(g) != simplified(h) => {
            r.a.remarks.push(format!("genre: the title ends in {g}, the catalogue says {h}; the title's was taken"))
        }
        (None, Some(h)) => r.a.genre = Some(h.clone()),
        _ => {}
    }
    if let Some(f) = page.header_given("form") {
        match &r.a.form {
            Some(mine) if simplified(mine) != simplified(&f) => {
                r.a.remarks.push(format!("form: the title gives {mine}, the catalogue says {f}; the title's was taken"))
            }
            Some(_) => {}
            None => r.a.form = Some(f),
        }
    }
    plan_name
}

#[cfg(test)]
mod tests {
    use super::super::analyse;

    #[test]
    fn damaged_doc_number_is_reported_not_repaired() {
        let a = analyse("某教发〔2018〕3\n某县教育局关于某事的通知\n各学校：\n正文。\n");
        assert_eq!(a.doc_number, None);
        assert_eq!(a.damaged[0].field, "doc_number");
        assert!(a.damaged[0].why.contains("号"), "{:?}", a.damaged);
        let a = analyse("某教发〔2018 3号\n某县教育局关于某事的通知\n各学校：\n正文。\n");
        assert_eq!(a.doc_number, None);
        assert!(a.damaged[0].why.contains("〕"), "{:?}", a.damaged);
    }
}
