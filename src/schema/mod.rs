//! The notice schema, written once: every front-matter field with its Chinese name
//! and aliases, whether it is required, an example, the comment `gongkai new` writes
//! above it, and what the clerk's guide says of it (a test keeps docs/clerk.md's table equal
//! to `readme_table()`). The front-matter reader, `new`, `import` and the clerk's guide all
//! read this table. The typed values of the fields are in `values`, the grammar of
//! document numbers in `doc_number`.

pub mod doc_number;
pub mod stages;
pub mod values;

pub use doc_number::DocNumber;
pub use stages::{Consultation, ConsultationState, DraftKind, Withdrawal};
pub use values::{
    Category, Date, Disclosure, FieldError, Form, GENRES, Genre, Issuer, Language, Relation, Script, Topic, Validity,
    YearSpan,
};

/// One front-matter field.
#[derive(Debug)]
pub struct Field {
    /// The canonical name, as in front matter and the catalogue (`catalogue/YYYY.json`).
    pub name: &'static str,
    /// The Chinese name: how messages, `new` and the clerk's guide name the field.
    pub label: &'static str,
    /// Other keys accepted for it in front matter.
    pub aliases: &'static [&'static str],
    pub required: bool,
    /// A value as a clerk would write it.
    pub example: &'static str,
    /// What `gongkai new` writes for it.
    pub starts_as: StartsAs,
    /// The comment `gongkai new` writes above it, for the clerk.
    pub comment: &'static str,
    /// The clerk's guide's description of the value.
    pub doc: &'static str,
    /// Labels disclosure platforms print for it on their web pages, in either
    /// script, which `import` reads from legacy texts.
    pub web_labels: &'static [&'static str],
}

/// A field's value in the notice `gongkai new` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartsAs {
    /// `field:` with nothing, for the clerk to fill in.
    Empty,
    /// `field: []`: a list, empty.
    List,
    /// A fixed value.
    Value(&'static str),
    /// Today's date.
    Today,
    /// Not written at all (rarely needed).
    Omitted,
}

/// Every field, in the order `new` writes them and the clerk's guide (docs/clerk.md) lists them.
pub const FIELDS: &[Field] = &[
    Field {
        name: "title",
        label: "标题",
        aliases: &["标题"],
        required: true,
        example: "关于……的通知",
        starts_as: StartsAs::Empty,
        comment: "标题（必填）：发文机关 + 关于 + 事由 + 的 + 文种",
        doc: "the full title, e.g. 通榆县人民政府办公室关于印发…规划(2018——2020)的通知",
        web_labels: &["标题", "標題"],
    },
    Field {
        name: "doc_number",
        label: "发文字号",
        aliases: &["发文字号"],
        required: false,
        example: "通政办发〔2018〕55号",
        starts_as: StartsAs::Empty,
        comment: "发文字号：机关代字〔年份〕序号号，如 通政办发〔2018〕55号",
        doc: "机关代字〔年份〕序号号, e.g. `通政办发〔2018〕55号`. The forms people type — `[2018]`, `(2018)`, `（2018）`, `［2018］`, `【2018】`, `第55号`, full-width digits — are normalised to 〔〕; the number is split into issuer code, year and sequence",
        web_labels: &["发文字号", "發文字號", "文号", "文號"],
    },
    Field {
        name: "index_number",
        label: "索引号",
        aliases: &["索引号"],
        required: false,
        example: "11220822013601307Q/2018-14393",
        starts_as: StartsAs::Empty,
        comment: "索引号：按本站 site.yaml 规定的格式",
        doc: "checked against the pattern in `site.yaml` (shapes differ between governments)",
        web_labels: &["索引号"],
    },
    Field {
        name: "issuer",
        label: "发文机关",
        aliases: &["发文机关"],
        required: true,
        example: "通榆县人民政府办公室",
        starts_as: StartsAs::Empty,
        comment: "发文机关（必填）：全称；联合发文写成列表，主办机关在前",
        doc: "one name, or a list for joint issuance (lead issuer first)",
        web_labels: &["发文机关", "發文機關", "发布机构", "發布機構"],
    },
    Field {
        name: "genre",
        label: "文种",
        aliases: &["文种"],
        required: false,
        example: "通知",
        starts_as: StartsAs::Empty,
        comment: "文种：决议 决定 命令 公报 公告 通告 意见 通知 通报 报告 请示 批复 议案 函 纪要",
        doc: "one of the 15 kinds: 决议 决定 命令(令) 公报 公告 通告 意见 通知 通报 报告 请示 批复 议案 函 纪要. Traditional script (意見) is matched too",
        web_labels: &["公文种类", "文种"],
    },
    Field {
        name: "form",
        label: "体裁",
        aliases: &["体裁"],
        required: false,
        example: "规划",
        starts_as: StartsAs::Empty,
        comment: "体裁：规划、方案、行动计划、办法、细则、要点……",
        doc: "规划, 方案, 行动计划, 办法, 细则, 要点 … (a plan is usually published as an 通知 whose title embeds the plan)",
        web_labels: &["体裁分类"],
    },
    Field {
        name: "category",
        label: "文件类别",
        aliases: &["文件类别"],
        required: false,
        example: "行政规范性文件",
        starts_as: StartsAs::Empty,
        comment: "文件类别：规章 或 行政规范性文件（其他文件不写）",
        doc: "`规章` or `行政规范性文件` (also written `规范性文件`) for the documents the annual report counts; leave out for others",
        web_labels: &[],
    },
    Field {
        name: "registration",
        label: "登记号",
        aliases: &["登记号", "统一登记号"],
        required: false,
        example: "JLTY-2018-0012",
        starts_as: StartsAs::Empty,
        comment: "登记号：行政规范性文件的统一登记号",
        doc: "the registration number a 行政规范性文件 carries (统一登记号); one without it is warned about",
        web_labels: &["登记号", "登記號", "统一登记号", "統一登記號"],
    },
    Field {
        name: "topics",
        label: "主题分类",
        aliases: &["主题分类", "topic"],
        required: false,
        example: "科技、教育\\教育",
        starts_as: StartsAs::List,
        comment: "主题分类：一级或两级，两级用 \\ 分隔，如 科技、教育\\教育",
        doc: "a list of one- or two-level topics from the site's vocabulary, levels joined by `\\`: `科技、教育\\教育`",
        web_labels: &["主题分类"],
    },
    Field {
        name: "written",
        label: "成文日期",
        aliases: &["成文日期"],
        required: false,
        example: "2018-09-02",
        starts_as: StartsAs::Empty,
        comment: "成文日期：落款下的日期，YYYY-MM-DD",
        doc: "`YYYY-MM-DD` (or `2018年9月2日`) — the date under the signature",
        web_labels: &["成文日期", "成文时间"],
    },
    Field {
        name: "published",
        label: "发布日期",
        aliases: &["发布日期"],
        required: true,
        example: "2018-09-03",
        starts_as: StartsAs::Today,
        comment: "发布日期（必填），YYYY-MM-DD",
        doc: "`YYYY-MM-DD`; not before `written`",
        web_labels: &["发布日期", "發布日期"],
    },
    Field {
        name: "recipients",
        label: "主送机关",
        aliases: &["主送机关"],
        required: false,
        example: "各有关部门",
        starts_as: StartsAs::List,
        comment: "主送机关：标题后以冒号结尾的那一行",
        doc: "a name or a list",
        web_labels: &[],
    },
    Field {
        name: "cc",
        label: "抄送机关",
        aliases: &["抄送机关"],
        required: false,
        example: "县委办公室",
        starts_as: StartsAs::List,
        comment: "抄送机关",
        doc: "a name or a list",
        web_labels: &[],
    },
    Field {
        name: "printed",
        label: "印发机关和印发日期",
        aliases: &["印发机关和印发日期"],
        required: false,
        example: "通榆县人民政府办公室 2018年9月3日印发",
        starts_as: StartsAs::Empty,
        comment: "印发机关和印发日期，如 某某县人民政府办公室 2018年9月3日印发",
        doc: "text, e.g. `榆林市教育局 2018年4月10日印发`",
        web_labels: &[],
    },
    Field {
        name: "period",
        label: "实施期限",
        aliases: &["实施期限"],
        required: false,
        example: "2018–2020",
        starts_as: StartsAs::Empty,
        comment: "实施期限，如 2018–2020",
        doc: "`2018–2020` (also typed `2018-2020`, `2018——2020`, `2018至2020`) or one year",
        web_labels: &[],
    },
    Field {
        name: "validity",
        label: "有效性",
        aliases: &["有效性"],
        required: false,
        example: "有效",
        starts_as: StartsAs::Empty,
        comment: "有效性：有效 / 失效 / 废止",
        doc: "有效, 失效 or 废止",
        web_labels: &["有效性"],
    },
    Field {
        name: "effective",
        label: "生效日期",
        aliases: &["生效日期"],
        required: false,
        example: "2018-10-01",
        starts_as: StartsAs::Empty,
        comment: "生效日期，YYYY-MM-DD",
        doc: "`YYYY-MM-DD`; when a repeal or replacement by this notice takes effect (default: its publication date)",
        web_labels: &["生效日期"],
    },
    Field {
        name: "expires",
        label: "失效日期",
        aliases: &["失效日期"],
        required: false,
        example: "2020-12-31",
        starts_as: StartsAs::Empty,
        comment: "失效日期，YYYY-MM-DD（到期后自动显示为失效）",
        doc: "`YYYY-MM-DD`; after it the notice shows 失效 unless repealed",
        web_labels: &["失效日期"],
    },
    Field {
        name: "validity_changes",
        label: "有效性变更",
        aliases: &["有效性变更"],
        required: false,
        example: "[{date: 2021-01-01, validity: 废止}]",
        starts_as: StartsAs::List,
        comment: "有效性变更：如 - {date: 2021-01-01, validity: 废止}",
        doc: "dated changes: `- {date: 2021-01-01, validity: 废止}`",
        web_labels: &[],
    },
    Field {
        name: "amends",
        label: "修改",
        aliases: &["修改"],
        required: false,
        example: "通政办发〔2016〕12号",
        starts_as: StartsAs::List,
        comment: "本文件修改的文件（发文字号）",
        doc: "document numbers of the documents this notice amends",
        web_labels: &[],
    },
    Field {
        name: "supersedes",
        label: "替代",
        aliases: &["替代"],
        required: false,
        example: "通政办发〔2016〕12号",
        starts_as: StartsAs::List,
        comment: "本文件替代的文件（发文字号）",
        doc: "document numbers of the documents this notice replaces (they become 失效 when it takes effect)",
        web_labels: &[],
    },
    Field {
        name: "repeals",
        label: "废止文件",
        aliases: &["废止文件"],
        required: false,
        example: "通政办发〔2016〕12号",
        starts_as: StartsAs::List,
        comment: "本文件废止的文件（发文字号）",
        doc: "document numbers of the documents this notice repeals (they become 废止 when it takes effect)",
        web_labels: &[],
    },
    Field {
        name: "interprets",
        label: "解读",
        aliases: &["解读"],
        required: false,
        example: "通政办发〔2018〕55号",
        starts_as: StartsAs::List,
        comment: "本文件解读的政策文件（发文字号），用于政策解读",
        doc: "document numbers of the policies this notice explains (a 政策解读)",
        web_labels: &[],
    },
    Field {
        name: "consultation",
        label: "征求意见",
        aliases: &["征求意见"],
        required: false,
        example: "{opens: 2024-03-01, closes: 2024-03-31, channel: [电子邮箱 xx@example.gov.cn], category: 规章}",
        starts_as: StartsAs::Omitted,
        comment: "征求意见：本文件为征求意见稿时写 开始(opens)、截止(closes)、意见反馈渠道(channel)、文件类别(category)",
        doc: "makes the notice a 征求意见稿 (draft for comment): `{opens: 2024-03-01, closes: 2024-03-31, channel: [电子邮箱 …, 电话 …], category: 规章}` — `category` is 规章, 行政规范性文件, 重大行政决策 or 其他 (the minimum period: 30 days, 7 working days, 30 days; `enterprises: true` makes a 行政规范性文件's 30 days). Drafts are listed under 征求意见 (open, awaiting 采纳情况, all), not counted by the annual report. See [Consultations](#consultations-征求意见)",
        web_labels: &[],
    },
    Field {
        name: "feedback_on",
        label: "意见采纳情况",
        aliases: &["意见采纳情况", "采纳情况"],
        required: false,
        example: "notices/tongyu-banfa-zhengqiu",
        starts_as: StartsAs::Omitted,
        comment: "意见采纳情况：本文件公布哪份征求意见稿的公众意见及采纳情况（征求意见稿的网址，如 notices/xxx）",
        doc: "on a 公众意见及采纳情况 notice: the address of the draft whose comments it reports (`notices/…`, as in the draft's URL); its text gives the counts received, adopted and not adopted with the reasons",
        web_labels: &[],
    },
    Field {
        name: "consulted",
        label: "征求意见稿",
        aliases: &["征求意见稿"],
        required: false,
        example: "notices/tongyu-banfa-zhengqiu",
        starts_as: StartsAs::Omitted,
        comment: "征求意见稿：本文件（正式文件）此前征求意见的草案（网址，如 notices/xxx）",
        doc: "on a final document: the address of the draft it was consulted on. `check` warns about a 规章 or 行政规范性文件 without it",
        web_labels: &[],
    },
    Field {
        name: "withdrawn",
        label: "撤回",
        aliases: &["撤回"],
        required: false,
        example: "{date: 2024-05-01, reason: 因内容有误撤回}",
        starts_as: StartsAs::Omitted,
        comment: "撤回：{date: 撤回日期, reason: 撤回原因}；自该日起页面只显示撤回说明，不再显示正文",
        doc: "`{date: 2024-05-01, reason: …}`: from that date the page, at the same address, is a short notice (title, 文号, issuer, dates, 已撤回 with the date and the reason) without the text; the notice leaves lists, search and the sitemap, stays in the catalogue as withdrawn and gets a feed entry. See [Withdrawal](#withdrawal-撤回)",
        web_labels: &[],
    },
    Field {
        name: "disclosure",
        label: "公开属性",
        aliases: &["公开属性"],
        required: false,
        example: "主动公开",
        starts_as: StartsAs::Value("主动公开"),
        comment: "公开属性：主动公开 / 依申请公开 / 不予公开（只有主动公开的文件会发布）",
        doc: "主动公开 (default), 依申请公开, 不予公开. Only 主动公开 notices are published; the others are left out of every page, feed and the catalogue, and `build` lists them",
        web_labels: &["公开方式", "公开属性", "公開方式"],
    },
    Field {
        name: "classification",
        label: "密级",
        aliases: &["密级"],
        required: false,
        example: "非涉密",
        starts_as: StartsAs::Value("非涉密"),
        comment: "密级：公开网站只能放非涉密文件，涉密文件不得放入 content/",
        doc: "empty or 非涉密. **Anything else stops the build**: a classified document in the public folder is an incident",
        web_labels: &[],
    },
    Field {
        name: "note",
        label: "附注",
        aliases: &["附注"],
        required: false,
        example: "此件公开发布",
        starts_as: StartsAs::Empty,
        comment: "附注，如 此件公开发布；也可写编辑说明",
        doc: "text: the document's 附注, and the editor's notes on the source",
        web_labels: &[],
    },
    Field {
        name: "attachments",
        label: "附件",
        aliases: &["附件"],
        required: false,
        example: "[{file: 附件1.pdf, title: 附件1}]",
        starts_as: StartsAs::List,
        comment: "附件：每项写 file（本文件夹内的文件名）和 title",
        doc: "a list of `file` (relative to the notice's folder) with an optional `title`; files of a bundle not listed here are attached under their file name",
        web_labels: &[],
    },
    Field {
        name: "data",
        label: "数据文件",
        aliases: &["数据文件"],
        required: false,
        example: "[progress.yaml]",
        starts_as: StartsAs::List,
        comment: "数据文件（目标进展）：如 [进展.xlsx] 或 [progress.yaml]，格式见 docs/clerk.md",
        doc: "progress data files (YAML, CSV, or an Excel/WPS workbook: .xlsx, .xlsm, .xls, .ods) in the notice's folder: see [Progress data](#progress-data-targets-reported-values-milestones)",
        web_labels: &[],
    },
    Field {
        name: "annual_report",
        label: "年报数据",
        aliases: &["年报数据"],
        required: false,
        example: "report.yaml",
        starts_as: StartsAs::Omitted,
        comment: "年报数据：政府信息公开工作年度报告的数据文件，格式见 docs/clerk.md",
        doc: "the data file of a 政府信息公开工作年度报告 (YAML, in the notice's folder): see [Annual report](#annual-report-政府信息公开工作年度报告)",
        web_labels: &[],
    },
    Field {
        name: "slug",
        label: "slug",
        aliases: &[],
        required: false,
        example: "tongyu-plan",
        starts_as: StartsAs::Omitted,
        comment: "网址的最后一段",
        doc: "overrides the last URL segment",
        web_labels: &[],
    },
    Field {
        name: "lang",
        label: "语言",
        aliases: &["语言"],
        required: false,
        example: "zh-Hant",
        starts_as: StartsAs::Omitted,
        comment: "语言：zh-Hans 或 zh-Hant，不写则按正文判断",
        doc: "`zh-Hans` or `zh-Hant`; detected from the text when absent. A Traditional-script notice keeps its text and its page gets `lang=\"zh-Hant\"`",
        web_labels: &[],
    },
];

/// The fields of a standing page (`content/pages/`: 政府信息公开指南, 联系我们 …).
pub const PAGE_FIELDS: &[Field] = &[
    Field {
        name: "title",
        label: "标题",
        aliases: &["标题"],
        required: true,
        example: "政府信息公开指南",
        starts_as: StartsAs::Empty,
        comment: "标题（必填）",
        doc: "the page's title",
        web_labels: &[],
    },
    Field {
        name: "updated",
        label: "更新日期",
        aliases: &["更新日期"],
        required: true,
        example: "2024-01-15",
        starts_as: StartsAs::Today,
        comment: "更新日期（必填）：本页内容最近一次更新的日期",
        doc: "`YYYY-MM-DD`, the day the page's content was last brought up to date; shown on the page",
        web_labels: &[],
    },
    Field {
        name: "order",
        label: "排序",
        aliases: &["排序"],
        required: false,
        example: "10",
        starts_as: StartsAs::Omitted,
        comment: "排序：数字小的在前",
        doc: "a whole number; pages are listed by it, smallest first, then by title (default 100)",
        web_labels: &[],
    },
    Field {
        name: "nav",
        label: "导航",
        aliases: &["导航"],
        required: false,
        example: "页头",
        starts_as: StartsAs::Omitted,
        comment: "导航：页头、页脚，或不写（只列在网站地图中）",
        doc: "where the page is linked besides the site map: `页头`/`header` (the main navigation), `页脚`/`footer`, or `无`/`none` (the default)",
        web_labels: &[],
    },
    Field {
        name: "attachments",
        label: "附件",
        aliases: &["附件"],
        required: false,
        example: "[{file: 申请表.docx, title: 政府信息公开申请表}]",
        starts_as: StartsAs::Omitted,
        comment: "附件：可下载的文件，如申请表",
        doc: "files to download (an application form …), as for notices",
        web_labels: &[],
    },
    Field {
        name: "slug",
        label: "slug",
        aliases: &[],
        required: false,
        example: "guide",
        starts_as: StartsAs::Omitted,
        comment: "网址的最后一段",
        doc: "overrides the last URL segment (`pages/<slug>/`)",
        web_labels: &[],
    },
];

/// The field named `name` (canonical). Panics on a name not in the table: callers
/// pass literals, and a typo there is a bug to find at once.
pub fn field(name: &str) -> &'static Field {
    FIELDS.iter().find(|f| f.name == name).unwrap_or_else(|| panic!("no field `{name}` in the schema"))
}

/// The field a front-matter key names, by its canonical name or an alias.
pub fn lookup(key: &str) -> Option<&'static Field> {
    lookup_in(FIELDS, key)
}

/// The field of `schema` a key names (notices: `FIELDS`; standing pages: `PAGE_FIELDS`).
pub fn lookup_in(schema: &'static [Field], key: &str) -> Option<&'static Field> {
    schema.iter().find(|f| f.name == key || f.aliases.contains(&key))
}

/// The field a disclosure platform's label names (`import`).
pub fn by_web_label(label: &str) -> Option<&'static Field> {
    FIELDS.iter().find(|f| f.web_labels.contains(&label))
}

/// Every key front matter accepts: names and aliases.
pub fn keys() -> impl Iterator<Item = &'static str> {
    keys_in(FIELDS)
}

pub fn keys_in(schema: &'static [Field]) -> impl Iterator<Item = &'static str> {
    schema.iter().flat_map(|f| std::iter::once(f.name).chain(f.aliases.iter().copied()))
}

/// The clerk's guide's table of fields, generated from `FIELDS`.
pub fn readme_table() -> String {
    readme_table_of(FIELDS)
}

/// The clerk's guide's table of the fields of `schema`.
pub fn readme_table_of(schema: &[Field]) -> String {
    let mut out = String::from("| field | 中文 | required | value |\n|---|---|---|---|\n");
    for f in schema {
        let chinese = if f.label == f.name { "" } else { f.label };
        let required = if f.required { "yes" } else { "" };
        out.push_str(&format!("| `{}` | {chinese} | {required} | {} |\n", f.name, f.doc));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_aliases_are_unique() {
        let mut all: Vec<&str> = keys().collect();
        let n = all.len();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), n, "a key names two fields");
        assert_eq!(lookup("发文字号").map(|f| f.name), Some("doc_number"));
        assert_eq!(lookup("topic").map(|f| f.name), Some("topics"));
    }

    #[test]
    fn the_readme_table_is_the_schema() {
        let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/clerk.md")).unwrap();
        for (what, table) in [("notices", readme_table()), ("standing pages", readme_table_of(PAGE_FIELDS))] {
            assert!(
                readme.contains(&table),
                "docs/clerk.md's table of the fields of {what} differs from src/schema/mod.rs; replace it with:\n\n{table}"
            );
        }
    }
}
