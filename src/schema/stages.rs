//! The typed values of a policy's public life before and after it: a draft's
//! consultation (`consultation: {opens, closes, channel, category}`, 征求意见) and
//! a notice's withdrawal (`withdrawn: {date, reason}`, 撤回). Each is read from the
//! front matter's mapping; a malformed one is a `FieldError` naming what is wrong.

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Serialize, Serializer};
use serde_yaml::Value;

use super::values::{Date, FieldError};
use crate::content::frontmatter::scalar_text;

/// What kind of document a draft is for: it sets the shortest period of comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DraftKind {
    /// 规章: at least 30 days.
    Rule,
    /// 行政规范性文件: at least 7 working days (30 days where enterprises are affected).
    Normative,
    /// 重大行政决策: at least 30 days.
    MajorDecision,
    /// Any other draft: no minimum.
    Other,
}

impl DraftKind {
    pub const ALL: &'static [&'static str] = &["规章", "行政规范性文件", "重大行政决策", "其他"];

    pub fn parse(text: &str) -> Result<DraftKind, FieldError> {
        match crate::text::simplified(text.trim()).as_str() {
            "规章" => Ok(DraftKind::Rule),
            "行政规范性文件" | "规范性文件" => Ok(DraftKind::Normative),
            "重大行政决策" | "重大决策" => Ok(DraftKind::MajorDecision),
            "其他" => Ok(DraftKind::Other),
            _ => {
                Err(FieldError::new("not a kind of draft", format!("`category:` one of {}", DraftKind::ALL.join(", "))))
            }
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DraftKind::Rule => "规章",
            DraftKind::Normative => "行政规范性文件",
            DraftKind::MajorDecision => "重大行政决策",
            DraftKind::Other => "其他",
        }
    }
}

impl Serialize for DraftKind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// The shortest period of comment a draft must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Minimum {
    Days(i64),
    WorkingDays(i64),
}

impl std::fmt::Display for Minimum {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Minimum::Days(d) => write!(f, "{d} days"),
            Minimum::WorkingDays(d) => write!(f, "{d} working days"),
        }
    }
}

/// `consultation:` on a draft (征求意见稿): when comments are taken, how, and for
/// what kind of document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Consultation {
    /// 开始: the first day comments are taken.
    pub opens: Date,
    /// 截止: the last day comments are taken.
    pub closes: Date,
    /// How to comment: addresses, e-mail, telephone (shown as written).
    pub channel: Vec<String>,
    pub category: DraftKind,
    /// 涉及企业: the draft affects enterprises (a 行政规范性文件 then needs 30 days).
    pub enterprises: bool,
}

/// Where a consultation stands on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsultationState {
    /// Before its first day.
    Upcoming,
    /// Comments are taken; `days_left` counts the closing day.
    Open {
        days_left: i64,
    },
    Closed,
}

impl Consultation {
    pub fn parse(value: &Value) -> Result<Consultation, FieldError> {
        let expected = "`{opens: 2024-03-01, closes: 2024-03-31, channel: [电子邮箱 …], category: 规章}`";
        let Value::Mapping(_) = value else {
            return Err(FieldError::new("a consultation is a block of fields, not a single value", expected));
        };
        let opens = date_in(value, &["opens", "开始"], "opens (开始)", expected)?;
        let closes = date_in(value, &["closes", "截止"], "closes (截止)", expected)?;
        if closes < opens {
            return Err(FieldError::new(
                format!("the consultation closes ({closes}) before it opens ({opens})"),
                expected,
            ));
        }
        let channel = match get(value, &["channel", "意见反馈渠道", "反馈方式"]) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Sequence(items)) => items
                .iter()
                .map(|i| scalar_text(i).ok_or_else(|| FieldError::new("a channel is not text", expected)))
                .collect::<Result<Vec<_>, _>>()?,
            Some(v) => vec![scalar_text(v).ok_or_else(|| FieldError::new("the channel is not text", expected))?],
        };
        let channel: Vec<String> = channel.into_iter().map(|c| c.trim().to_owned()).filter(|c| !c.is_empty()).collect();
        if channel.is_empty() {
            return Err(FieldError::new("a consultation without a channel: citizens cannot comment", expected));
        }
        let category = match get(value, &["category", "文件类别"]).and_then(scalar_text) {
            Some(c) => DraftKind::parse(&c)?,
            None => {
                return Err(FieldError::new("a consultation without its category (规章, 行政规范性文件 …)", expected));
            }
        };
        let enterprises = match get(value, &["enterprises", "涉及企业"]) {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => return Err(FieldError::new("`enterprises:` is true or false", expected)),
        };
        Ok(Consultation { opens, closes, channel, category, enterprises })
    }

    pub fn state(&self, on: NaiveDate) -> ConsultationState {
        if on < self.opens.0 {
            ConsultationState::Upcoming
        } else if on <= self.closes.0 {
            ConsultationState::Open { days_left: (self.closes.0 - on).num_days() + 1 }
        } else {
            ConsultationState::Closed
        }
    }

    /// The shortest period the draft's category asks for, if any.
    pub fn minimum(&self) -> Option<Minimum> {
        match self.category {
            DraftKind::Rule | DraftKind::MajorDecision => Some(Minimum::Days(30)),
            DraftKind::Normative if self.enterprises => Some(Minimum::Days(30)),
            DraftKind::Normative => Some(Minimum::WorkingDays(7)),
            DraftKind::Other => None,
        }
    }

    /// Days comments are taken, both ends counted.
    pub fn days(&self) -> i64 {
        (self.closes.0 - self.opens.0).num_days() + 1
    }

    /// Working days (Monday to Friday) comments are taken, both ends counted.
    /// Public holidays and the weekends worked in their place are not known here.
    pub fn working_days(&self) -> i64 {
        self.opens.0.iter_days().take_while(|d| *d <= self.closes.0).filter(|d| !is_weekend(*d)).count() as i64
    }

    /// The minimum, when the period is shorter than it.
    pub fn too_short(&self) -> Option<Minimum> {
        match self.minimum()? {
            m @ Minimum::Days(d) if self.days() < d => Some(m),
            m @ Minimum::WorkingDays(d) if self.working_days() < d => Some(m),
            _ => None,
        }
    }
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// `withdrawn:` (撤回): from `date` the notice's page is a short notice of the
/// withdrawal, without its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Withdrawal {
    pub date: Date,
    pub reason: String,
}

impl Withdrawal {
    pub fn parse(value: &Value) -> Result<Withdrawal, FieldError> {
        let expected = "`{date: 2024-05-01, reason: 因……撤回}`";
        let Value::Mapping(_) = value else {
            return Err(FieldError::new("a withdrawal is a block of fields: a date and a reason", expected));
        };
        let date = date_in(value, &["date", "日期", "撤回日期"], "date (日期)", expected)?;
        let reason = get(value, &["reason", "原因", "撤回原因"]).and_then(scalar_text).map(|r| r.trim().to_owned());
        match reason {
            Some(reason) if !reason.is_empty() => Ok(Withdrawal { date, reason }),
            _ => Err(FieldError::new("a withdrawal without its reason: the page must say why", expected)),
        }
    }

    /// Whether the notice is withdrawn at the end of `on`.
    pub fn holds_on(&self, on: NaiveDate) -> bool {
        self.date.0 <= on
    }
}

fn get<'v>(value: &'v Value, keys: &[&str]) -> Option<&'v Value> {
    keys.iter().find_map(|k| value.get(*k))
}

fn date_in(value: &Value, keys: &[&str], name: &str, expected: &str) -> Result<Date, FieldError> {
    match get(value, keys).and_then(scalar_text) {
        Some(text) => Date::parse(&text).map_err(|e| FieldError::new(format!("{name}: {}", e.message), expected)),
        None => Err(FieldError::new(format!("no {name}"), expected)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(s: &str) -> Value {
        serde_yaml::from_str(s).unwrap()
    }

    #[test]
    fn a_consultation_reads_and_knows_its_state() {
        let c = Consultation::parse(&yaml(
            "{opens: 2024-03-01, closes: 2024-03-31, channel: [邮箱 a@b.cn, 电话 123], category: 规章}",
        ))
        .unwrap();
        assert_eq!(c.days(), 31);
        assert_eq!(c.too_short(), None);
        let on = |s: &str| Date::parse(s).unwrap().0;
        assert_eq!(c.state(on("2024-02-29")), ConsultationState::Upcoming);
        assert_eq!(c.state(on("2024-03-31")), ConsultationState::Open { days_left: 1 });
        assert_eq!(c.state(on("2024-03-22")), ConsultationState::Open { days_left: 10 });
        assert_eq!(c.state(on("2024-04-01")), ConsultationState::Closed);
    }

    #[test]
    fn minimum_periods_by_category() {
        let c = |s: &str| Consultation::parse(&yaml(s)).unwrap();
        // 2024-03-04 is a Monday: Monday to the next Tuesday is 7 working days.
        let seven = c("{opens: 2024-03-04, closes: 2024-03-12, channel: x, category: 行政规范性文件}");
        assert_eq!(seven.working_days(), 7);
        assert_eq!(seven.too_short(), None);
        let six = c("{opens: 2024-03-04, closes: 2024-03-11, channel: x, category: 规范性文件}");
        assert_eq!(six.too_short(), Some(Minimum::WorkingDays(7)));
        let firms =
            c("{opens: 2024-03-04, closes: 2024-03-12, channel: x, category: 行政规范性文件, enterprises: true}");
        assert_eq!(firms.too_short(), Some(Minimum::Days(30)));
        let rule = c("{opens: 2024-03-01, closes: 2024-03-29, channel: x, category: 规章}");
        assert_eq!(rule.too_short(), Some(Minimum::Days(30)));
        let other = c("{opens: 2024-03-01, closes: 2024-03-01, channel: x, category: 其他}");
        assert_eq!(other.too_short(), None);
    }

    #[test]
    fn malformed_blocks_say_what_is_wrong() {
        let err = |s: &str| Consultation::parse(&yaml(s)).unwrap_err().message;
        assert!(err("2024-03-01").contains("block"));
        assert!(err("{closes: 2024-03-01, channel: x, category: 规章}").contains("opens"));
        assert!(err("{opens: 2024-03-02, closes: 2024-03-01, channel: x, category: 规章}").contains("before"));
        assert!(err("{opens: 2024-03-01, closes: 2024-13-01, channel: x, category: 规章}").contains("closes"));
        assert!(err("{opens: 2024-03-01, closes: 2024-03-31, category: 规章}").contains("channel"));
        assert!(err("{opens: 2024-03-01, closes: 2024-03-31, channel: x, category: 通知}").contains("kind"));
        let w = |s: &str| Withdrawal::parse(&yaml(s));
        assert!(w("{date: 2024-05-01}").unwrap_err().message.contains("reason"));
        assert!(w("2024-05-01").unwrap_err().message.contains("block"));
        assert!(w("{reason: x}").unwrap_err().message.contains("date"));
        let ok = w("{日期: 2024-05-01, 原因: 内容有误}").unwrap();
        assert!(ok.holds_on(Date::parse("2024-05-01").unwrap().0));
        assert!(!ok.holds_on(Date::parse("2024-04-30").unwrap().0));
    }
}
