//! A notice's page, the pages of the versions of its text, and the source views of
//! its data files.

use tera::Context;

use super::super::{Pages, RenderError, Version, qr, report, signature, source};
use crate::markdown::link_phrases;
use crate::model::NoticeId;
use crate::render::progress::Section;
use crate::routes::{self, PagePath, encode_segment};
use crate::schema::Date;
use serde::Serialize;

impl<'v, 'a> Pages<'v, 'a> {
    /// A notice's page, or the page of one version of its text (`version`).
    pub(in crate::render) fn notice(
        &self,
        ctx: &mut Context,
        i: NoticeId,
        version: Option<Version>,
    ) -> Result<(PagePath, &'static str, String), RenderError> {
        let n = self.site.get(i);
        let view = self.views.get(i.index());
        let (text, shown_revision) = match version {
            Some(Version::Revision(k)) => (&n.revisions[k].text, Some(n.revisions[k].date)),
            Some(Version::Original) => (&n.text, None),
            None => (n.text_as_of(self.site.reference_date).0, n.life.revision),
        };
        let path = match version {
            Some(Version::Revision(k)) => routes::revision(&n.url, Some(&n.revisions[k].date.to_string())),
            Some(Version::Original) => routes::revision(&n.url, None),
            None => n.url.clone(),
        };
        // Citations that resolve become links to the cited notice.
        let root = path.root_prefix();
        let links: Vec<(String, String)> = n
            .life
            .cites
            .iter()
            .map(|c| (c.text.clone(), format!("{root}{}", self.site.get(c.target).url.href())))
            // A withdrawn notice's page says it is withdrawn.
            .chain(
                n.withdrawn_cites
                    .iter()
                    .map(|c| (c.text.clone(), format!("{root}{}", self.site.withdrawn[c.target].url.href()))),
            )
            .collect();
        ctx.insert("notice", view);
        let mut body = signature::mark(link_phrases(&text.html.get(), &links), &n.issuers);
        // An annual report's tables go into the text, each after its part's heading.
        if version.is_none()
            && let Some(report) = report::ReportView::of(self.site, n, self.ui())
        {
            ctx.insert("report", &report);
            ctx.insert("root", &root);
            let mut tables = Vec::new();
            for (part, _, heading) in report::PARTS {
                ctx.insert("report_part", &part);
                ctx.insert("report_heading", &self.ui().t(heading));
                tables.push((part, self.theme.render("partials/annual_report.html", ctx)?));
            }
            body = report::place(body, &text.headings, tables, self.ui());
        }
        ctx.insert("body_html", &body);
        ctx.insert("toc", &table_of_contents(&text.headings));
        // The permanent URL, on every version's page too: the one to keep.
        ctx.insert("qr", &qr::img(&view.url, &self.ui().t("本页网址的二维码")));
        ctx.insert("version", &VersionInfo { shown_revision, is_revision_page: version.is_some() });
        if version.is_none()
            && let Some(p) = &view.progress
        {
            ctx.insert("progress", &Section::of(p, self.ui()));
        }
        Ok((path, "notice.html", n.title.clone()))
    }

    pub(in crate::render) fn source(
        &self,
        ctx: &mut Context,
        i: NoticeId,
        file: &str,
    ) -> Result<(PagePath, &'static str, String), RenderError> {
        let n = self.site.get(i);
        let path = n
            .attachments
            .iter()
            .find(|a| a.file == file)
            .map_or_else(|| n.source.base_dir.join(file), |a| a.source.clone());
        ctx.insert(
            "source",
            &SourcePage {
                file,
                html: source::html(&path, file, self.ui())?,
                // The source page sits beside the file it shows.
                download: file.rsplit('/').next().map(encode_segment).unwrap_or_default(),
                notice_title: &n.title,
                notice_href: n.url.href(),
            },
        );
        Ok((n.url.clone(), "source.html", format!("{file} - {}", n.title)))
    }
}

#[derive(Serialize)]
struct VersionInfo {
    /// The revision of the text shown (None: as first published).
    shown_revision: Option<Date>,
    /// A page of one version, not the notice's own page.
    is_revision_page: bool,
}

#[derive(Serialize)]
struct SourcePage<'a> {
    file: &'a str,
    html: String,
    download: String,
    notice_title: &'a str,
    notice_href: String,
}

/// A long notice's 目录: its headings of the two highest levels it uses, when
/// there are at least `TOC_MIN` of them; else none.
pub(super) fn table_of_contents(headings: &[crate::markdown::Heading]) -> Vec<&crate::markdown::Heading> {
    const TOC_MIN: usize = 4;
    let mut levels: Vec<u8> = headings.iter().map(|h| h.level).collect();
    levels.sort_unstable();
    levels.dedup();
    let deepest = levels.get(1).or(levels.first()).copied().unwrap_or(0);
    let toc: Vec<_> = headings.iter().filter(|h| h.level <= deepest && !h.text.is_empty()).collect();
    if toc.len() >= TOC_MIN { toc } else { Vec::new() }
}
