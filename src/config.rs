//! Site settings from `content/site.yaml`.

use std::path::Path;

use regex::Regex;
use serde::Deserialize;

use crate::diagnostics::{Code, Diagnostic, strip_location};
use crate::schema::{GENRES, Language, Script};

/// Parsed `site.yaml`. Unknown keys are rejected so that a typo is noticed.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    pub title: String,
    pub base_url: String,
    /// The line of `base_url:` in site.yaml, for messages about it.
    pub base_url_line: Option<usize>,
    /// The interface's language and script (`language:`, default zh-Hans).
    pub language: Language,
    /// Whose calendar day "today" is (`time_zone:`, default China Standard Time).
    pub time_zone: chrono::FixedOffset,
    pub organisation: String,
    pub description: String,
    pub page_size: usize,
    /// Days after a consultation closes by which its 采纳情况 should be published
    /// (`feedback_days:`, default 30): `check` warns after them.
    pub feedback_days: i64,
    pub index_number: Option<IndexNumberRule>,
    /// Documents the notices cite that other sites publish (laws, the State
    /// Council's documents …), by 文号 or title: `check` does not note them.
    pub cited_elsewhere: Vec<String>,
    pub issuers: Vec<String>,
    pub genres: Vec<String>,
    pub forms: Vec<String>,
    pub topics: Vec<String>,
    pub theme: String,
    pub identity: Identity,
}

/// Who runs the site and how it is registered, as the footer of a government site
/// must say (`identity:` in site.yaml). Each is shown only when set; the codes are
/// checked for their shape.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Identity {
    /// 主办单位.
    pub sponsor: Option<String>,
    /// 承办单位.
    pub operator: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// 网站标识码: ten digits or letters (`SITE_CODE`).
    pub site_code: Option<String>,
    /// ICP备案号, e.g. 吉ICP备05002046号-1 (`ICP`).
    pub icp: Option<String>,
    /// 公安机关备案号, e.g. 吉公网安备22082202000001号 (`POLICE`).
    pub police: Option<String>,
    /// The 党政机关网站 identification's id at conac.cn (`CONAC`).
    pub conac: Option<String>,
}

/// The shapes of the registration codes: (field, pattern, what the operator's guide and
/// the error say).
const SITE_CODE: (&str, &str, &str) = ("site_code", r"^[0-9A-Za-z]{10}$", "ten digits or letters, e.g. 2208220001");
const ICP: (&str, &str, &str) =
    ("icp", r"^\p{Han}ICP备\d{6,10}号(?:-\d{1,3})?$", "a province, ICP备, the number and 号, e.g. 吉ICP备05002046号-1");
const POLICE: (&str, &str, &str) = (
    "police",
    r"^\p{Han}公网安备\s?\d{14}号$",
    "a province, 公网安备, 14 digits and 号, e.g. 吉公网安备22082202000001号",
);
const CONAC: (&str, &str, &str) =
    ("conac", r"^[0-9A-Za-z]{6,40}$", "the id in the identification's link at bszs.conac.cn");

/// `d` at the line of site.yaml where `key:` is written, when it is found.
fn at_key(d: Diagnostic, text: &str, key: &str) -> Diagnostic {
    match text.lines().position(|l| l.trim_start().starts_with(&format!("{key}:"))) {
        Some(line) => d.at(line + 1, None).with_source(text),
        None => d,
    }
}

/// An e-mail address as a footer may show it: one `@`, a local part and a domain
/// with a dot, no spaces.
static EMAIL: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
    Regex::new(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")
        .expect("e-mail pattern")
});

impl Identity {
    /// The codes as the registries write them: full-width digits (which a Chinese
    /// keyboard types) as ASCII, so they are checked and linked by their number.
    fn normalise(&mut self) {
        for code in [&mut self.site_code, &mut self.icp, &mut self.police, &mut self.conac].into_iter().flatten() {
            *code = crate::text::fold_digits(code.trim());
        }
    }

    /// The first code that does not have its shape, as an error at its line.
    fn check(&self, text: &str, display: &Path) -> Result<(), Diagnostic> {
        for ((field, pattern, expected), value) in
            [(SITE_CODE, &self.site_code), (ICP, &self.icp), (POLICE, &self.police), (CONAC, &self.conac)]
        {
            let Some(value) = value else { continue };
            if !Regex::new(pattern).is_ok_and(|re| re.is_match(value.trim())) {
                let d = Diagnostic::new(
                    Code::SiteValue,
                    display,
                    format!("identity.{field} does not have the expected shape"),
                );
                return Err(at_key(d, text, field)
                    .field(format!("identity.{field}"))
                    .found(value.clone())
                    .expected(expected));
            }
        }
        if let Some(email) = &self.email
            && !EMAIL.is_match(email.trim())
        {
            let d = Diagnostic::new(Code::SiteValue, display, "identity.email is not an email address");
            return Err(at_key(d, text, "email")
                .field("identity.email")
                .found(email.clone())
                .expected("an address such as xxgk@example.gov.cn"));
        }
        Ok(())
    }

    /// Where the ICP number is looked up (the ministry's registry).
    pub fn icp_href(&self) -> Option<&'static str> {
        self.icp.as_ref().map(|_| "https://beian.miit.gov.cn/")
    }

    /// Where the public-security registration is looked up, by its 14 digits.
    pub fn police_href(&self) -> Option<String> {
        let digits: String = self.police.as_ref()?.chars().filter(char::is_ascii_digit).collect();
        Some(format!("https://beian.mps.gov.cn/#/query/webSearch?code={digits}"))
    }

    /// The 党政机关网站 identification's page at conac.cn.
    pub fn conac_href(&self) -> Option<String> {
        Some(format!("https://bszs.conac.cn/sitename?method=show&id={}", self.conac.as_ref()?.trim()))
    }
}

/// The shape of this government's 索引号, declared by the site.
#[derive(Debug, Clone)]
pub struct IndexNumberRule {
    pub pattern: Regex,
    pub example: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    #[serde(default)]
    base_url: Option<String>,
    #[serde(default)]
    language: Option<String>,
    #[serde(default)]
    organisation: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    page_size: Option<usize>,
    #[serde(default)]
    feedback_days: Option<u32>,
    #[serde(default)]
    index_number: Option<RawIndexRule>,
    #[serde(default)]
    cited_elsewhere: Vec<String>,
    #[serde(default)]
    time_zone: Option<String>,
    #[serde(default)]
    issuers: Vec<String>,
    #[serde(default)]
    genres: Option<Vec<String>>,
    #[serde(default)]
    forms: Vec<String>,
    #[serde(default)]
    topics: Vec<String>,
    #[serde(default)]
    theme: Option<String>,
    #[serde(default)]
    identity: Identity,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndexRule {
    pattern: String,
    #[serde(default)]
    example: Option<String>,
}

impl SiteConfig {
    /// Load `site.yaml`; `display` is the path shown in diagnostics.
    pub fn load(path: &Path, display: &Path) -> Result<SiteConfig, Diagnostic> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Diagnostic::new(Code::SiteSettings, display, format!("cannot read site settings: {e}"))
                .hint("every site needs content/site.yaml with at least `title:` and `base_url:`")
        })?;
        Self::parse(&text, display)
    }

    pub fn parse(text: &str, display: &Path) -> Result<SiteConfig, Diagnostic> {
        let raw: RawConfig = serde_yaml::from_str(text).map_err(|e| {
            let mut d = Diagnostic::new(
                Code::SiteSettings,
                display,
                format!("invalid site settings: {}", strip_location(&e.to_string())),
            );
            if let Some(loc) = e.location() {
                d = d.at(loc.line(), Some(loc.column())).with_source(text);
            }
            d
        })?;
        // As in a notice's front matter: a control character is refused at its line.
        if let Ok(serde_yaml::Value::Mapping(map)) = serde_yaml::from_str::<serde_yaml::Value>(text) {
            for (key, value) in &map {
                let key = key.as_str().unwrap_or_default();
                if let Some(c) = crate::content::frontmatter::control_character(value) {
                    let d = Diagnostic::new(
                        Code::ControlCharacter,
                        display,
                        format!("`{key}` holds the control character U+{:04X}", c as u32),
                    );
                    return Err(at_key(d, text, key)
                        .field(key.to_owned())
                        .found(format!("{c:?}"))
                        .expected("text without control characters"));
                }
            }
        }
        let base_url = raw.base_url.unwrap_or_default();
        let index_number = match raw.index_number {
            None => None,
            Some(rule) => {
                let pattern = Regex::new(&rule.pattern).map_err(|e| {
                    Diagnostic::new(Code::SiteValue, display, "index_number.pattern is not a valid regular expression")
                        .field("index_number.pattern")
                        .found(rule.pattern.clone())
                        .expected(format!("a regular expression ({e})"))
                })?;
                if let Some(example) = &rule.example
                    && !pattern.is_match(example)
                {
                    return Err(Diagnostic::new(
                        Code::SiteValue,
                        display,
                        "index_number.example does not match index_number.pattern",
                    )
                    .field("index_number.example")
                    .found(example.clone())
                    .expected(format!("a value matching {}", rule.pattern)));
                }
                Some(IndexNumberRule { pattern, example: rule.example })
            }
        };
        if let Some(theme) = &raw.theme
            && !is_theme_name(theme)
        {
            let d = Diagnostic::new(Code::SiteValue, display, "theme is not the name of a folder in themes/");
            return Err(at_key(d, text, "theme")
                .field("theme")
                .found(theme.clone())
                .expected("the name of a folder in themes/, such as default (letters, digits, - and _)")
                .hint("a theme lives in the site's themes/ folder; a path leading out of it would publish files from elsewhere"));
        }
        let mut identity = raw.identity;
        identity.normalise();
        identity.check(text, display)?;
        let time_zone = match raw.time_zone.as_deref() {
            None => CHINA,
            Some(given) => utc_offset(given).ok_or_else(|| {
                at_key(Diagnostic::new(Code::SiteValue, display, "time_zone is not a UTC offset"), text, "time_zone")
                    .field("time_zone")
                    .found(given.to_owned())
                    .expected("an offset from UTC such as +08:00 (China, the default), UTC+8 or -05:00")
            })?,
        };
        let language = match raw.language.as_deref() {
            None => Language::simplified(),
            Some(given) => Language::parse(given).map_err(|e| {
                at_key(Diagnostic::new(Code::SiteValue, display, format!("language: {}", e.message)), text, "language")
                    .field("language")
                    .found(given.to_owned())
                    .expected(e.expected)
            })?,
        };
        Ok(SiteConfig {
            title: raw.title,
            base_url: normalise_base_url(&base_url),
            base_url_line: text.lines().position(|l| l.starts_with("base_url:")).map(|i| i + 1),
            language: language.clone(),
            time_zone,
            organisation: raw.organisation.unwrap_or_default(),
            description: raw.description.unwrap_or_default(),
            page_size: raw.page_size.filter(|n| *n > 0).unwrap_or(20),
            feedback_days: raw.feedback_days.map_or(30, i64::from),
            index_number,
            cited_elsewhere: raw
                .cited_elsewhere
                .iter()
                .map(|c| c.trim().trim_start_matches('《').trim_end_matches('》').to_owned())
                .collect(),
            issuers: raw.issuers,
            // The 15 kinds in the site's script: a zh-Hant site lists 決議 … 紀要.
            genres: raw.genres.unwrap_or_else(|| {
                let s2t = crate::text::zhconv::s2t();
                GENRES
                    .iter()
                    .map(|g| if language.script == Script::Traditional { s2t.convert(g) } else { g.to_string() })
                    .collect()
            }),
            forms: raw.forms,
            topics: raw.topics,
            theme: raw.theme.unwrap_or_else(|| "default".to_owned()),
            identity,
        })
    }
}

/// China Standard Time, UTC+8: the day a site's "today" is unless `time_zone:` says.
pub const CHINA: chrono::FixedOffset = match chrono::FixedOffset::east_opt(8 * 3600) {
    Some(zone) => zone,
    None => panic!("UTC+8 is an offset"),
};

/// `+08:00`, `UTC+8`, `-05:30`, `UTC`: an offset from UTC.
fn utc_offset(text: &str) -> Option<chrono::FixedOffset> {
    let t = text.trim();
    let t = t.strip_prefix("UTC").or_else(|| t.strip_prefix("GMT")).unwrap_or(t).trim();
    if t.is_empty() {
        return chrono::FixedOffset::east_opt(0);
    }
    let (sign, rest) = match t.chars().next()? {
        '+' => (1, &t[1..]),
        '-' => (-1, &t[1..]),
        _ => return None,
    };
    let (h, m) = rest.split_once(':').unwrap_or(if rest.len() == 4 { rest.split_at(2) } else { (rest, "0") });
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    if h > 14 || m > 59 {
        return None;
    }
    chrono::FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

/// A theme's name: one plain folder name, so `themes/<name>` stays inside themes/.
fn is_theme_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        && !name.starts_with('.')
}

/// Base URLs always end with one slash, so `base_url + path` is a valid URL.
pub fn normalise_base_url(url: &str) -> String {
    let trimmed = url.trim().trim_end_matches('/');
    format!("{trimmed}/")
}

/// Why a base URL cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BaseUrlError {
    #[error("`{url}` is not an absolute URL ({reason})")]
    NotAbsolute { url: String, reason: String },
    #[error("`{0}` must start with http:// or https://")]
    Scheme(String),
    /// Every URL of the site is the base URL plus a path: a query or a fragment
    /// would end up in the middle of each (`…/?from=feed/feed.xml`).
    #[error("`{0}` has a query or a fragment (`?…` or `#…`); the site's URLs are this address plus a path")]
    QueryOrFragment(String),
}

/// The host of `url` when it is a domain reserved for examples (RFC 2606, RFC
/// 6761): example.org, example.com, example.net and their subdomains, and the
/// `.example`, `.test` and `.invalid` top-level domains. A site published with one
/// has feeds, a sitemap and canonical links that lead nowhere.
pub fn example_domain(url: &str) -> Option<String> {
    let host = url::Url::parse(url).ok()?.host_str()?.trim_end_matches('.').to_ascii_lowercase();
    let reserved =
        ["example.org", "example.com", "example.net"].iter().any(|d| host == *d || host.ends_with(&format!(".{d}")))
            || [".example", ".test", ".invalid"].iter().any(|tld| host.ends_with(tld));
    reserved.then_some(host)
}

/// Check a base URL given on the command line or in site.yaml.
pub fn validate_base_url(url: &str) -> Result<(), BaseUrlError> {
    let parsed =
        url::Url::parse(url).map_err(|e| BaseUrlError::NotAbsolute { url: url.to_owned(), reason: e.to_string() })?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(BaseUrlError::Scheme(url.to_owned()));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(BaseUrlError::QueryOrFragment(url.to_owned()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_config_gets_defaults() {
        let c = SiteConfig::parse("title: 测试\nbase_url: https://example.org/sub\n", Path::new("site.yaml")).unwrap();
        assert_eq!(c.base_url, "https://example.org/sub/");
        assert_eq!(c.page_size, 20);
        assert!(c.genres.iter().any(|g| g == "通知"));
    }

    #[test]
    fn identity_codes_are_checked_for_their_shape() {
        let ok = "title: x\nidentity:\n  sponsor: 通榆县人民政府办公室\n  site_code: 2208220001\n  icp: 吉ICP备05002046号-1\n  police: 吉公网安备22082202000001号\n";
        let c = SiteConfig::parse(ok, Path::new("site.yaml")).unwrap();
        assert_eq!(c.identity.police_href().unwrap(), "https://beian.mps.gov.cn/#/query/webSearch?code=22082202000001");
        let bad = "title: x\nidentity:\n  site_code: 22082200\n";
        let e = SiteConfig::parse(bad, Path::new("site.yaml")).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("identity.site_code"));
        assert_eq!(e.line, Some(3));
        let e = SiteConfig::parse("title: x\nidentity:\n  icp: 备案中\n", Path::new("site.yaml")).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("identity.icp"));
        let e = SiteConfig::parse("title: x\nidentity:\n  email: xxgk.example.gov.cn\n", Path::new("site.yaml"))
            .unwrap_err();
        assert_eq!((e.field.as_deref(), e.line), (Some("identity.email"), Some(3)));
        for bad in ["xxgk@", "a@b c", "@example.gov.cn", "xxgk@example"] {
            let e = SiteConfig::parse(&format!("title: x\nidentity:\n  email: \"{bad}\"\n"), Path::new("site.yaml"))
                .unwrap_err();
            assert_eq!(e.field.as_deref(), Some("identity.email"), "{bad}");
        }
        // Full-width digits, as a Chinese keyboard types them, are the number.
        let c = SiteConfig::parse(
            "title: x\nidentity:\n  police: 吉公网安备２２０８２２０２０００００１号\n",
            Path::new("site.yaml"),
        )
        .unwrap();
        assert_eq!(c.identity.police_href().unwrap(), "https://beian.mps.gov.cn/#/query/webSearch?code=22082202000001");
        let e = SiteConfig::parse("title: x\nidentity:\n  phnoe: 1\n", Path::new("site.yaml")).unwrap_err();
        assert!(e.message.contains("phnoe"), "{}", e.message);
    }

    #[test]
    fn language_is_a_chinese_tag_refused_at_its_line() {
        let c = SiteConfig::parse("title: x\nlanguage: zh-tw\n", Path::new("site.yaml")).unwrap();
        assert_eq!((c.language.tag.as_str(), c.language.script), ("zh-TW", Script::Traditional));
        assert!(c.genres.iter().any(|g| g == "決議"), "the 15 kinds in the site's script: {:?}", c.genres);
        for bad in ["xx", "traditional"] {
            let e = SiteConfig::parse(&format!("title: x\nlanguage: {bad}\n"), Path::new("site.yaml")).unwrap_err();
            assert_eq!((e.code, e.field.as_deref(), e.line), (Code::SiteValue, Some("language"), Some(2)), "{bad}");
        }
    }

    #[test]
    fn time_zone_is_an_offset_from_utc_china_by_default() {
        let zone = |y: &str| SiteConfig::parse(&format!("title: x\n{y}"), Path::new("site.yaml")).map(|c| c.time_zone);
        assert_eq!(zone("").unwrap(), CHINA);
        for (given, secs) in
            [("+08:00", 8 * 3600), ("UTC+8", 8 * 3600), ("-05:00", -5 * 3600), ("UTC", 0), ("+0545", 20700)]
        {
            assert_eq!(zone(&format!("time_zone: \"{given}\"\n")).unwrap().local_minus_utc(), secs, "{given}");
        }
        let e = zone("time_zone: Asia/Shanghai\n").unwrap_err();
        assert_eq!((e.field.as_deref(), e.line), (Some("time_zone"), Some(2)));
        // 2024-01-01 20:00 UTC is already the 2nd in China, still the 1st in New York.
        let t = chrono::DateTime::from_timestamp(1_704_139_200, 0).unwrap();
        assert_eq!(t.with_timezone(&CHINA).date_naive().to_string(), "2024-01-02");
        let ny = chrono::FixedOffset::west_opt(5 * 3600).unwrap();
        assert_eq!(t.with_timezone(&ny).date_naive().to_string(), "2024-01-01");
    }

    #[test]
    fn reserved_example_domains_are_known() {
        for url in
            ["https://example.org/gongkai/", "http://www.example.com/", "https://xxgk.example/", "https://a.test/"]
        {
            assert!(example_domain(url).is_some(), "{url}");
        }
        for url in
            ["https://www.gov.cn/", "https://example.gov.cn/xxgk/", "https://notexample.org/", "http://127.0.0.1:1111/"]
        {
            assert!(example_domain(url).is_none(), "{url}");
        }
    }

    #[test]
    fn unknown_key_and_bad_pattern_are_errors() {
        let e = SiteConfig::parse("title: x\ntitel: y\n", Path::new("site.yaml")).unwrap_err();
        assert!(e.message.contains("titel"), "{}", e.message);
        assert_eq!(e.line, Some(2));
        let e = SiteConfig::parse("title: x\nindex_number:\n  pattern: '('\n", Path::new("site.yaml")).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("index_number.pattern"));
    }
}
