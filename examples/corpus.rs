//! Deterministic corpus generator for benchmarks: realistic notices recombined from
//! the sample texts in `content/`, with full metadata — 100 issuers, 20 years, every
//! genre and topic, about 12 KB of Markdown each; one notice in twenty a bundle with
//! progress data, one in ten a bundle with an attachment, one in four citing an
//! earlier notice, one in fifty repealing an older one.
//!
//!     cargo run --release --example corpus -- OUT_DIR [NOTICES] [SEED]
//!
//! Writes OUT_DIR/content/ (site.yaml and NOTICES notices, default 10000) that
//! `gongkai build --root OUT_DIR` builds without errors. The same arguments always
//! give the same files.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// SplitMix64: tiny, fast and fully specified, so corpora never change with a
/// library upgrade.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// 25 places × 4 bodies: 100 issuers, each with its own 机关代字.
const PLACES: &[(&str, &str)] = &[
    ("通榆县", "通"),
    ("平安区", "平"),
    ("榆林市", "榆"),
    ("海东市", "海"),
    ("洮南市", "洮"),
    ("镇赉县", "镇"),
    ("大安市", "大"),
    ("乐都区", "乐"),
    ("互助县", "互"),
    ("化隆县", "化"),
    ("神木市", "神"),
    ("府谷县", "府"),
    ("靖边县", "靖"),
    ("定边县", "定"),
    ("绥德县", "绥"),
    ("米脂县", "米"),
    ("佳县", "佳"),
    ("吴堡县", "吴"),
    ("清涧县", "清"),
    ("子洲县", "子"),
    ("白城市", "白"),
    ("松原市", "松"),
    ("乾安县", "乾"),
    ("长岭县", "长"),
    ("前郭县", "前"),
];
const BODIES: &[(&str, &str)] =
    &[("人民政府办公室", "政办发"), ("教育局", "教发"), ("财政局", "财发"), ("卫生健康局", "卫健发")];
/// Every 文种, 通知 most often (as on real sites).
const GENRES: &[&str] = &[
    "通知", "通知", "通知", "通知", "通知", "意见", "意见", "决定", "通告", "公告", "报告", "批复", "函", "通报",
    "请示", "纪要", "决议", "命令", "公报", "议案",
];
const FORMS: &[&str] = &["规划", "方案", "行动计划", "办法", "细则", "要点"];
const SUBJECTS: &[&str] = &[
    "推进县域义务教育优质均衡发展",
    "提升教育教学质量三年攻坚",
    "学前教育普及普惠发展",
    "教师队伍建设",
    "教育信息化建设",
    "校园安全管理",
    "农村学校标准化建设",
    "特殊教育提升",
    "控辍保学工作",
    "家庭教育指导服务",
];
/// The State Council's top-level topics, some with a second level.
const TOPICS: &[&str] = &[
    "国务院组织机构",
    "综合政务\\政务公开",
    "综合政务\\应急管理",
    "国民经济管理、国有资产监管",
    "财政、金融、审计\\财政",
    "国土资源、能源",
    "农业、林业、水利",
    "工业、交通",
    "商贸、海关、旅游",
    "市场监管、安全生产监管",
    "城乡建设、环境保护",
    "科技、教育\\教育",
    "科技、教育\\科技",
    "文化、广电、新闻出版",
    "卫生、体育\\卫生",
    "人口与计划生育、妇女儿童工作",
    "劳动、人事、监察",
    "公安、安全、司法",
    "民政、扶贫、救灾",
    "民族、宗教",
    "对外事务",
    "港澳台侨工作",
    "国防",
    "其他",
];
/// First year of the corpus; notices span 20 years from it.
const FIRST_YEAR: i32 = 2006;
const YEARS: usize = 20;

/// Paragraphs of the sample texts, grouped by notice so a notice keeps one script.
fn sample_paragraphs(repo: &Path) -> Vec<Vec<String>> {
    // The real sample notices only: not the standing pages, not the annual
    // report (its words are an example, and mostly tables), not the notices
    // written as examples of a feature (marked 示例数据), so that the corpus, and
    // what is measured on it, stays the same as the example site grows.
    let mut files: Vec<PathBuf> = walk(&repo.join("content").join("notices"));
    files.sort();
    files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .filter(|text| !text.contains("\nannual_report:") && !text.contains("示例数据"))
        .map(|text| {
            let body = text.split("\n---\n").nth(1).unwrap_or("").to_owned();
            body.split("\n\n").map(|p| p.trim().to_owned()).filter(|p| p.chars().count() > 20).collect()
        })
        .filter(|v: &Vec<String>| !v.is_empty())
        .collect()
}

/// The place an issuer belongs to (the PLACES entry its name starts with).
fn issuer_place(issuer: &str) -> &'static str {
    PLACES.iter().map(|(place, _)| *place).find(|place| issuer.starts_with(place)).unwrap_or("本县")
}

/// A sample paragraph as another county would write it: its own place name, its
/// sentences in another order with some left out, and its own figures (each
/// number's last digit redrawn). Paragraphs then share wording, as real notices
/// do, without being verbatim copies — except short ones (headings, salutations),
/// which real notices repeat too.
fn vary(paragraph: &str, place: &str, rng: &mut Rng) -> String {
    let mut sentences: Vec<&str> = paragraph.split_inclusive(['。', '；']).collect();
    for i in (1..sentences.len()).rev() {
        sentences.swap(i, rng.below(i + 1));
    }
    let keep = sentences.len() - sentences.len() / 4;
    let text: String = sentences[..keep.max(1)].concat();
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() && !chars.peek().is_some_and(char::is_ascii_digit) && rng.below(2) == 0 {
            out.push(char::from(b'0' + rng.below(10) as u8));
        } else {
            out.push(c);
        }
    }
    ["海东市平安区", "平安区", "通榆县"].iter().fold(out, |text, sample| text.replace(sample, place))
}

/// Targets and reported values of one indicator, like a plan's data file.
fn progress_data(rng: &mut Rng, year: i32) -> String {
    let base = 50 + rng.below(40);
    format!(
        "indicators:\n  - id: rate\n    name: 普及率\n    group: 主要指标\n    unit: \"%\"\n    direction: higher\n    baseline: {{period: \"{year}\", value: {base}}}\n    targets:\n      - {{period: \"{}\", comparator: \"≥\", value: {}}}\n    actuals:\n      - {{period: \"{}\", value: {}}}\n",
        year + 2,
        base + 8,
        year + 1,
        base + rng.below(8)
    )
}

/// An attachment of 20–60 KB that does not compress, like a scanned PDF.
fn attachment(rng: &mut Rng) -> Vec<u8> {
    let len = 20_000 + rng.below(40_000);
    let mut bytes = b"%PDF-1.4\n".to_vec();
    while bytes.len() < len {
        bytes.extend_from_slice(&rng.next().to_le_bytes());
    }
    bytes
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() { out.extend(walk(&p)) } else { out.push(p) }
        }
    }
    out
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let out = PathBuf::from(args.get(1).expect("usage: corpus OUT_DIR [NOTICES] [SEED]"));
    let count: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let seed: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(2018);
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let pools = sample_paragraphs(repo);
    let mut rng = Rng(seed);
    let content = out.join("content");
    let _ = std::fs::remove_dir_all(&content);
    std::fs::create_dir_all(&content).expect("create content/");

    let issuers: Vec<(String, String)> = PLACES
        .iter()
        .flat_map(|(place, short)| {
            BODIES.iter().map(move |(body, code)| (format!("{place}{body}"), format!("{short}{code}")))
        })
        .collect();
    let mut site = String::from(
        "title: 基准测试站点\nbase_url: https://bench.example.org/\nlanguage: zh-Hans\norganisation: gongkai 基准语料\npage_size: 20\n",
    );
    site.push_str(
        "index_number:\n  pattern: '^[0-9]{10}/[0-9]{4}-[0-9]{6}$'\n  example: 6107280000/2024-001005\nissuers:\n",
    );
    for (name, _) in &issuers {
        let _ = writeln!(site, "  - {name}");
    }
    let _ = writeln!(site, "forms: [{}]", FORMS.join(", "));
    site.push_str("topics:\n");
    for t in TOPICS {
        let _ = writeln!(site, "  - '{t}'");
    }
    std::fs::write(content.join("site.yaml"), site).expect("write site.yaml");

    let mut sequence: std::collections::HashMap<(String, i32), u32> = Default::default();
    // Numbers and titles of notices written so far, for citations and relations.
    let mut earlier: Vec<(String, String)> = Vec::new();
    // Each number's publication date: only an older notice can be repealed.
    let mut published_on: std::collections::HashMap<String, String> = Default::default();
    for i in 0..count {
        let (issuer, code) = rng.pick(&issuers).clone();
        let year = FIRST_YEAR + rng.below(YEARS) as i32;
        let (month, day) = (1 + rng.below(12), 1 + rng.below(28));
        let written = format!("{year}-{month:02}-{day:02}");
        let published = format!("{year}-{month:02}-{:02}", (day + rng.below(3)).min(28));
        let seq = sequence.entry((code.clone(), year)).or_insert(0);
        *seq += 1;
        let number = format!("{code}〔{year}〕{seq}号");
        let form = *rng.pick(FORMS);
        let genre = *rng.pick(GENRES);
        let subject = *rng.pick(SUBJECTS);
        let title = if genre == "通知" {
            format!("{issuer}关于印发{subject}{form}的通知")
        } else {
            format!("{issuer}关于{subject}的{genre}")
        };
        let place = issuer_place(&issuer);
        let pool = rng.pick(&pools);
        let paragraphs = 8 + rng.below(16);
        let mut body = String::from("各有关单位：\n\n");
        // One notice in four cites an earlier one by title and number.
        if !earlier.is_empty() && rng.below(4) == 0 {
            let (cited_number, cited_title) = rng.pick(&earlier).clone();
            let _ = write!(body, "根据《{cited_title}》（{cited_number}）的要求，结合实际，现将有关事项通知如下。\n\n");
        }
        for k in 0..paragraphs {
            let p = rng.pick(pool);
            if k % 5 == 4 {
                let _ = write!(body, "## {}、工作要求\n\n", ["一", "二", "三", "四", "五"][k / 5 % 5]);
            }
            body.push_str(&vary(p.trim_start_matches('#').trim(), place, &mut rng));
            body.push_str("\n\n");
        }
        let _ = write!(body, "{issuer}\n\n{year}年{month}月{day}日\n");
        let mut front = format!(
            "---\ntitle: {title}\ndoc_number: {number}\nindex_number: 6107280000/{year}-{:06}\nissuer: {issuer}\ngenre: {genre}\nform: {form}\ntopics: ['{}']\nwritten: {written}\npublished: {published}\nrecipients: [各有关单位]\nperiod: {year}–{}\ndisclosure: 主动公开\n",
            i + 1,
            rng.pick(TOPICS),
            year + 2
        );
        // One notice in fifty repeals an earlier one.
        if !earlier.is_empty() && rng.below(50) == 0 {
            let target = &rng.pick(&earlier).0;
            if published_on.get(target).is_some_and(|d| *d < published) {
                let _ = writeln!(front, "repeals: [{target}]");
            }
        }
        let dir = content.join("notices").join(year.to_string());
        let with_data = i % 20 == 0;
        let with_attachment = i % 10 == 5;
        if with_data || with_attachment {
            let bundle = dir.join(format!("n{i:05}"));
            std::fs::create_dir_all(&bundle).expect("create bundle");
            if with_data {
                front.push_str("data: [progress.yaml]\n");
                std::fs::write(bundle.join("progress.yaml"), progress_data(&mut rng, year)).expect("write data");
            }
            if with_attachment {
                front.push_str("attachments:\n  - file: 附件1.pdf\n    title: 附件1：工作任务分解表\n");
                std::fs::write(bundle.join("附件1.pdf"), attachment(&mut rng)).expect("write attachment");
            }
            std::fs::write(bundle.join("index.md"), format!("{front}---\n\n{body}")).expect("write notice");
        } else {
            std::fs::create_dir_all(&dir).expect("create folder");
            std::fs::write(dir.join(format!("n{i:05}.md")), format!("{front}---\n\n{body}")).expect("write notice");
        }
        published_on.insert(number.clone(), published.clone());
        earlier.push((number, title));
    }
    eprintln!("wrote {count} notices to {}", content.display());
}
