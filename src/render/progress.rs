//! Progress pages: the progress section of a notice (tables, inline SVG charts,
//! milestones), the site-wide dashboard with its filter pages, and a highlighted
//! "view source" page for every data file. No JavaScript is needed.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::LazyLock;

use serde_json::{Value, json};
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use crate::model::notice::Notice;
use crate::model::site::Site;
use crate::progress::IndicatorReport;
use crate::progress::data::{Indicator, Point};
use crate::progress::status::{Status, fmt, known_by};
use crate::render::feed::esc;
use crate::render::notice_path;
use crate::render::urls::{PagePath, encode_path};

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

/// The stylesheet for highlighted sources, generated once per build.
pub fn syntax_css() -> String {
    let themes = syntect::highlighting::ThemeSet::load_defaults();
    let theme = &themes.themes["InspiredGitHub"];
    css_for_theme_with_class_style(theme, ClassStyle::SpacedPrefixed { prefix: "hl-" }).unwrap_or_default()
}

/// Highlighted HTML (class-based, no inline colours) of a data file.
pub fn highlight(text: &str, file_name: &str) -> String {
    let ext = file_name.rsplit('.').next().unwrap_or("");
    let syntax = SYNTAXES.find_syntax_by_extension(ext).unwrap_or_else(|| SYNTAXES.find_syntax_plain_text());
    let mut generator =
        ClassedHTMLGenerator::new_with_class_style(syntax, &SYNTAXES, ClassStyle::SpacedPrefixed { prefix: "hl-" });
    for line in LinesWithEndings::from(text) {
        if generator.parse_html_for_line_which_includes_newline(line).is_err() {
            return format!("<pre>{}</pre>", esc(text));
        }
    }
    generator.finalize()
}

/// Where the source view of a data file lives, relative to the site root.
pub fn source_page(n: &Notice, file: &str) -> (std::path::PathBuf, String) {
    let dir = notice_path(n);
    let mut p: std::path::PathBuf = dir.0.iter().collect();
    let name = format!("{file}.html");
    p.push(&name);
    (p, format!("{}{}", dir.encoded_dir(), encode_path(&name)))
}

fn point_text(p: &Point, unit: &str) -> String {
    let sample = if p.sample { "（示例）" } else { "" };
    format!("{}{}（{}）{sample}", fmt(p.value), unit, p.period.label)
}

/// The progress section of a notice page.
pub fn notice_section(site: &Site, i: usize) -> Value {
    let n = &site.notices[i];
    let Some(data) = &n.progress else { return Value::Null };
    let reports = &site.reports[i];
    let mut groups: Vec<(String, Vec<Value>)> = Vec::new();
    for (ind, report) in data.indicators.iter().zip(reports) {
        // Only what had been reported by the reference date is shown.
        let known = known_by(ind, site.reference_date);
        let group = ind.group.clone().unwrap_or_else(|| "指标".to_owned());
        let rows: Vec<Value> = ind
            .targets
            .iter()
            .zip(&report.assessments)
            .enumerate()
            .map(|(k, (t, a))| {
                json!({
                    "period": t.period.as_ref().map_or("未规定".to_owned(), |p| p.label.clone()),
                    "target": format!("{}{}{}", t.comparator.symbol(), fmt(t.value), ind.unit),
                    "text": t.text,
                    "latest": a.latest.as_ref().map(|l| format!("{}{}（{}）", fmt(l.value), ind.unit, l.period)),
                    "status": a.status.key(),
                    "status_label": a.status.label(),
                    "progress": a.progress.map(|p| format!("{}%", fmt((p.clamp(-9.99, 9.99) * 100.0).round()))),
                    "explanation": a.explanation,
                    "current": report.current == Some(k),
                })
            })
            .collect();
        let entry = json!({
            "id": ind.id,
            "name": ind.name,
            "unit": ind.unit,
            "direction": ind.direction.label(),
            "baseline": ind.baseline.as_ref().map(|b| point_text(b, &ind.unit)),
            "actuals": known.iter().map(|p| json!({
                "text": point_text(p, &ind.unit),
                "reported": p.reported,
                "source": p.source,
                "sample": p.sample,
                "approximate": p.approximate,
            })).collect::<Vec<_>>(),
            "rows": rows,
            "status": report.status().key(),
            "status_label": report.status().label(),
            "chart": chart(ind, &known, report),
        });
        match groups.iter_mut().find(|(g, _)| *g == group) {
            Some((_, list)) => list.push(entry),
            None => groups.push((group, vec![entry])),
        }
    }
    json!({
        "reference_date": site.reference_date.format("%Y-%m-%d").to_string(),
        "sample": data.has_sample_data(),
        "groups": groups.into_iter().map(|(name, indicators)| json!({"name": name, "indicators": indicators})).collect::<Vec<_>>(),
        "milestones": data.milestones.iter().map(|m| json!({
            "task": m.task, "lead": m.lead, "co": m.co, "phase": m.phase,
            "period": m.period.as_ref().map(|p| p.label.clone()), "due": m.due,
            "state": m.state.label(), "completed": m.completed, "sample": m.sample,
        })).collect::<Vec<_>>(),
        "files": data.files.iter().map(|f| json!({
            "name": f,
            "href": encode_path(f),
            "source_href": format!("{}.html", encode_path(f)),
        })).collect::<Vec<_>>(),
    })
}

/// A small line chart: reported values as a line, targets as marks, with a text
/// alternative listing every value.
fn chart(ind: &Indicator, known: &[&Point], report: &IndicatorReport) -> String {
    let points: Vec<&Point> = ind.baseline.iter().chain(known.iter().copied()).collect();
    let mut periods: Vec<&crate::progress::period::Period> =
        points.iter().map(|p| &p.period).chain(ind.targets.iter().filter_map(|t| t.period.as_ref())).collect();
    periods.sort();
    periods.dedup_by(|a, b| a.start == b.start && a.end == b.end);
    if periods.is_empty() {
        return String::new();
    }
    let values: Vec<f64> = points.iter().map(|p| p.value).chain(ind.targets.iter().map(|t| t.value)).collect();
    let (mut lo, mut hi) = values.iter().fold((f64::MAX, f64::MIN), |(lo, hi), &v| (lo.min(v), hi.max(v)));
    if (hi - lo).abs() < 1e-9 {
        // A single value: show it in the middle of a range from zero.
        let v = hi;
        (lo, hi) = if v > 0.0 {
            (0.0, v * 2.0)
        } else if v < 0.0 {
            (v * 2.0, 0.0)
        } else {
            (0.0, 1.0)
        };
    }
    let pad = (hi - lo) * 0.1;
    let (lo, hi) = (if lo >= 0.0 { (lo - pad).max(0.0) } else { lo - pad }, hi + pad);
    let (w, h, left, right, top, bottom) = (360.0, 170.0, 44.0, 34.0, 12.0, 34.0);
    let x = |p: &crate::progress::period::Period| {
        let i = periods.iter().position(|q| q.start == p.start && q.end == p.end).unwrap_or(0) as f64;
        let n = (periods.len().max(2) - 1) as f64;
        left + (w - left - right) * if periods.len() == 1 { 0.5 } else { i / n }
    };
    let y = |v: f64| top + (h - top - bottom) * (1.0 - (v - lo) / (hi - lo));
    let id = format!("chart-{}", ind.id.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect::<String>());
    let mut desc = format!("{}（{}）。", ind.name, ind.direction.label());
    for t in &ind.targets {
        let _ = write!(
            desc,
            "目标：{}{}{}{}；",
            t.period.as_ref().map_or("", |p| p.label.as_str()),
            t.comparator.symbol(),
            fmt(t.value),
            ind.unit
        );
    }
    for p in &points {
        let _ = write!(desc, "实际：{} {}{}；", p.period.label, fmt(p.value), ind.unit);
    }
    let _ = write!(desc, "状态：{}。", report.status().label());
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg class=\"chart\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\"><title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>",
        esc(&ind.name),
        esc(&desc)
    );
    // Axes and value labels.
    let _ = write!(
        s,
        "<line class=\"axis\" x1=\"{left}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
        h - bottom,
        w - right,
        h - bottom
    );
    for v in [lo, (lo + hi) / 2.0, hi] {
        let _ = write!(
            s,
            "<text class=\"tick\" x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            left - 4.0,
            y(v) + 4.0,
            esc(&fmt((v * 10.0).round() / 10.0))
        );
    }
    for p in &periods {
        let _ = write!(
            s,
            "<text class=\"tick\" x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            x(p),
            h - bottom + 14.0,
            esc(&short_label(&p.label))
        );
    }
    // Targets: a short bar at the target value.
    for t in &ind.targets {
        if let Some(p) = &t.period {
            let _ = write!(
                s,
                "<line class=\"target\" x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\"/>",
                x(p) - 9.0,
                y(t.value),
                x(p) + 9.0,
                y(t.value)
            );
        }
    }
    // Reported values as a line with points.
    let pts: Vec<(f64, f64)> = points.iter().map(|p| (x(&p.period), y(p.value))).collect();
    if pts.len() > 1 {
        let path: Vec<String> = pts.iter().map(|(a, b)| format!("{a:.1},{b:.1}")).collect();
        let _ = write!(s, "<polyline class=\"actual\" points=\"{}\"/>", path.join(" "));
    }
    for (a, b) in &pts {
        let _ = write!(s, "<circle class=\"actual\" cx=\"{a:.1}\" cy=\"{b:.1}\" r=\"3\"/>");
    }
    let _ = write!(s, "<text class=\"legend\" x=\"{left}\" y=\"{}\">— 实际值　▬ 目标值</text>", h - 4.0);
    s.push_str("</svg>");
    s
}

fn short_label(label: &str) -> String {
    label.replace("学年度", "").replace("学年", "")
}

/// One row of the dashboard.
fn dashboard_row(site: &Site, i: usize, k: usize) -> (Status, Value) {
    let n = &site.notices[i];
    let ind = &n.progress.as_ref().map(|p| &p.indicators[k]).expect("indicator exists");
    let report = &site.reports[i][k];
    let current = report.current.map(|c| (&ind.targets[c], &report.assessments[c]));
    let status = report.status();
    let row = json!({
        "name": ind.name,
        "unit": ind.unit,
        "notice": n.title,
        "notice_href": format!("{}#progress", notice_path(n).href()),
        "issuers": n.issuers,
        "target": current.map(|(t, _)| format!("{}{}{}", t.comparator.symbol(), fmt(t.value), ind.unit)),
        "period": current.and_then(|(t, _)| t.period.as_ref().map(|p| p.label.clone())),
        "latest": current.and_then(|(_, a)| a.latest.as_ref().map(|l| format!("{}{}（{}）", fmt(l.value), ind.unit, l.period))),
        "status": status.key(),
        "status_label": status.label(),
        "sample": ind.actuals.iter().any(|p| p.sample),
    });
    (status, row)
}

/// A dashboard page: which indicators it lists.
pub struct DashboardPage {
    pub path: PagePath,
    pub title: String,
    pub rows: Vec<(usize, usize)>,
}

/// The dashboard and its filter pages (by status, issuer and topic).
pub fn dashboard_pages(site: &Site) -> Vec<DashboardPage> {
    let all: Vec<(usize, usize)> = site
        .notices
        .iter()
        .enumerate()
        .flat_map(|(i, n)| (0..n.progress.as_ref().map_or(0, |p| p.indicators.len())).map(move |k| (i, k)))
        .collect();
    let base = PagePath::new(["progress"]);
    let mut pages = vec![DashboardPage { path: base.clone(), title: "全部指标".into(), rows: all.clone() }];
    for status in Status::ALL {
        let rows: Vec<_> = all.iter().copied().filter(|&(i, k)| site.reports[i][k].status() == status).collect();
        pages.push(DashboardPage {
            path: base.join("status").join(status.key()),
            title: format!("状态：{}", status.label()),
            rows,
        });
    }
    let mut by_issuer: BTreeMap<String, Vec<(usize, usize)>> = BTreeMap::new();
    let mut by_topic: BTreeMap<Vec<String>, Vec<(usize, usize)>> = BTreeMap::new();
    for &(i, k) in &all {
        for issuer in &site.notices[i].issuers {
            by_issuer.entry(issuer.clone()).or_default().push((i, k));
        }
        for t in &site.notices[i].topics {
            for depth in 1..=t.levels.len() {
                let entry = by_topic.entry(t.levels[..depth].to_vec()).or_default();
                if !entry.contains(&(i, k)) {
                    entry.push((i, k));
                }
            }
        }
    }
    for (issuer, rows) in by_issuer {
        pages.push(DashboardPage {
            path: base.join("issuers").join(issuer.clone()),
            title: format!("发文机关：{issuer}"),
            rows,
        });
    }
    for (levels, rows) in by_topic {
        let mut path = base.join("topics");
        for l in &levels {
            path = path.join(l.clone());
        }
        pages.push(DashboardPage { path, title: format!("主题：{}", levels.join("\\")), rows });
    }
    pages
}

/// Template context of one dashboard page. Filters are plain links to the other pages.
pub fn dashboard_context(site: &Site, page: &DashboardPage, pages: &[DashboardPage]) -> Value {
    let mut sections: Vec<(Status, Vec<Value>)> = Status::ALL.iter().map(|s| (*s, Vec::new())).collect();
    for &(i, k) in &page.rows {
        let (status, row) = dashboard_row(site, i, k);
        if let Some((_, rows)) = sections.iter_mut().find(|(s, _)| *s == status) {
            rows.push(row);
        }
    }
    let link = |p: &DashboardPage, label: String| json!({"label": label, "href": p.path.href(), "count": p.rows.len(), "current": p.path == page.path});
    let prefix = |seg: &'static str| pages.iter().filter(move |p| p.path.0.get(1).map(String::as_str) == Some(seg));
    json!({
        "page": {"title": format!("目标进展 - {}", page.title)},
        "dashboard": {
            "title": page.title,
            "count": page.rows.len(),
            "reference_date": site.reference_date.format("%Y-%m-%d").to_string(),
            "all": link(&pages[0], "全部".into()),
            "statuses": prefix("status").map(|p| link(p, p.title.trim_start_matches("状态：").to_owned())).collect::<Vec<_>>(),
            "issuers": prefix("issuers").map(|p| link(p, p.path.0[2].clone())).collect::<Vec<_>>(),
            "topics": prefix("topics").map(|p| link(p, p.path.0[2..].join("\\"))).collect::<Vec<_>>(),
            "sections": sections.into_iter().filter(|(_, r)| !r.is_empty()).map(|(s, rows)| json!({
                "status": s.key(), "label": s.label(), "rows": rows,
            })).collect::<Vec<_>>(),
        },
    })
}

/// The `progress` part of a notice's catalogue entry: every input and result.
pub fn catalogue_entry(site: &Site, i: usize) -> Value {
    let n = &site.notices[i];
    let Some(data) = &n.progress else { return Value::Null };
    let reports = &site.reports[i];
    json!({
        "reference_date": site.reference_date.format("%Y-%m-%d").to_string(),
        "files": data.files,
        "contains_sample_data": data.has_sample_data(),
        "indicators": data.indicators.iter().zip(reports).map(|(ind, r)| json!({
            "id": ind.id,
            "name": ind.name,
            "group": ind.group,
            "unit": ind.unit,
            "direction": ind.direction,
            "baseline": ind.baseline,
            "actuals": ind.actuals,
            "latest": crate::progress::status::known_by(ind, site.reference_date).last(),
            "status": r.status().key(),
            "current_target": r.current,
            "targets": ind.targets.iter().zip(&r.assessments).map(|(t, a)| json!({
                "period": t.period,
                "comparator": t.comparator,
                "value": t.value,
                "text": t.text,
                "assessment": a,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "milestones": data.milestones,
    })
}
