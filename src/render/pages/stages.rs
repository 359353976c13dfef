//! The pages of a policy's life before and after it: the list of consultations
//! and a withdrawn notice's short page (no text, no attachments, no QR code).

use tera::Context;

use super::super::Pages;
use super::super::stages::{ConsultationList, WithdrawnView};
use crate::routes::{self, PagePath};

impl<'v, 'a> Pages<'v, 'a> {
    /// 征求意见: open now (days left on the site's date), closed awaiting their
    /// 采纳情况, and every consultation.
    pub(in crate::render) fn consultations(&self, ctx: &mut Context) -> (PagePath, &'static str, String) {
        ctx.insert("consultations", &ConsultationList::of(self.site));
        (routes::consultations(), "consultations.html", self.ui().t("征求意见"))
    }

    /// A withdrawn notice's page: at its address, what it was and why it was withdrawn.
    pub(in crate::render) fn withdrawn(&self, ctx: &mut Context, w: usize) -> (PagePath, &'static str, String) {
        let n = &self.site.withdrawn[w];
        ctx.insert("withdrawn", &WithdrawnView::of(self.site, n));
        (n.url.clone(), "withdrawn.html", format!("{}{}", self.ui().t("已撤回："), n.title))
    }
}
