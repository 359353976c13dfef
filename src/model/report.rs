//! The part of a 政府信息公开工作年度报告 the catalogue knows, computed: for the
//! report's year and its issuing bodies, the 规章 and 行政规范性文件 issued that
//! year, repealed (废止 or 失效) that year, and in force at the year's end — each
//! number with the notices it counts, so that an inspector can audit it.

use chrono::NaiveDate;

use super::{NoticeId, Published};
use crate::schema::{Category, Issuer, Relation, Validity};

/// One kind of document (`Category`) counted for a year.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counted {
    /// 本年制发: written (or, without a 成文日期, published) in the year.
    pub issued: Vec<NoticeId>,
    /// 本年废止: in force at the end of the year before (or issued in the year) and
    /// 废止 or 失效 at the end of this one.
    pub repealed: Vec<NoticeId>,
    /// 现行有效: issued by the year's end and not 废止 or 失效 then.
    pub in_force: Vec<NoticeId>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComputedReport {
    pub year: i32,
    /// The bodies counted: the report's own issuers.
    pub bodies: Vec<Issuer>,
    /// 规章, then 行政规范性文件.
    pub rules: Counted,
    pub normative: Counted,
}

/// The computed part of a report of `bodies` for `year`.
pub fn compute(notices: &[Published], bodies: &[Issuer], year: i32) -> ComputedReport {
    let end = |y: i32| NaiveDate::from_ymd_opt(y, 12, 31).unwrap_or(NaiveDate::MAX);
    let (this_end, last_end) = (end(year), end(year - 1));
    let counted = |category: Category| {
        let mut c = Counted::default();
        for n in notices.iter().filter(|n| n.category == Some(category)) {
            if !n.issuers.iter().any(|i| bodies.contains(i)) {
                continue;
            }
            let issued_on = n.issued_on();
            if issued_on > this_end {
                continue;
            }
            let gone_now = ended(notices, n, this_end);
            let existed_before = issued_on <= last_end;
            if issued_on > last_end {
                c.issued.push(n.id);
            }
            if gone_now && !(existed_before && ended(notices, n, last_end)) {
                c.repealed.push(n.id);
            }
            if !gone_now {
                c.in_force.push(n.id);
            }
        }
        c
    };
    ComputedReport {
        year,
        bodies: bodies.to_vec(),
        rules: counted(Category::Rule),
        normative: counted(Category::Normative),
    }
}

/// Whether a notice was 废止 or 失效 on `date`: by its own fields, or repealed or
/// replaced by a notice in effect by then.
fn ended(notices: &[Published], n: &Published, date: NaiveDate) -> bool {
    if matches!(n.own_validity_as_of(date), Some(Validity::Repealed | Validity::Expired)) {
        return true;
    }
    n.life.incoming.iter().any(|i| {
        let by = &notices[i.from.index()];
        matches!(i.relation, Relation::Repeals | Relation::Supersedes) && by.effective.unwrap_or(by.published).0 <= date
    })
}
