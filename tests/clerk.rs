//! End-to-end: the clerk's commands `check` and `new`.

mod common;

use common::*;

#[test]
fn check_reports_everything_without_writing() {
    let site = Site::new();
    site.write("content/a.md", GOOD);
    site.write("content/b.md", &GOOD.replace("published: 2018-09-03", "published: 2018-02-30"));
    site.write(
        "content/c.md",
        &GOOD
            .replace("通政办发〔2018〕55号", "通政办发〔2018〕56号")
            .replace("正文。", "依据国发〔2014〕45号和通政办发[2018]55号执行。"),
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(!site.path("output").exists(), "check writes nothing");
    let out = &run.stdout;
    assert!(
        out.contains("error[E023][published]: 发布日期: impossible date") && out.contains("--> content/b.md:9:12"),
        "{out}"
    );
    assert!(out.contains("9 | published: 2018-02-30"), "the offending line is shown:\n{out}");
    // A cited number not in the site is a note; one that is in the site is not.
    assert!(out.contains("note[N001][body]: cites 国发〔2014〕45号, which is not in this site"), "{out}");
    assert!(out.contains("--> content/c.md:14:3"), "{out}");
    assert!(!out.contains("cites 通政办发"), "{out}");
    // The duplicate of b's number is not reported (b failed), but a's and c's differ.
    assert!(out.contains("1 error(s), 0 warning(s), 1 note(s)"), "{out}");
}

#[test]
fn check_json_is_for_scripts() {
    let site = Site::new();
    site.write("content/a.md", GOOD);
    site.write("content/b.md", &GOOD.replace("issuer: 通榆县人民政府办公室", "issuer: 乙局").replace("55号", "56号"));
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!(run.code, 0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(v["errors"], 0);
    assert_eq!(v["warnings"], 1);
    let d = &v["diagnostics"][0];
    assert_eq!(d["severity"], "warning");
    assert_eq!(d["code"], "W010", "a stable code scripts can match");
    assert_eq!(d["file"], "content/b.md");
    assert_eq!(d["line"], 4);
    assert_eq!(d["field"], "issuer");
    assert_eq!(d["found"], "乙局");
    // Duplicate doc numbers are found by check as by build.
    site.write("content/c.md", GOOD);
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!(run.code, 1);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(
        v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "E031" && d["message"].as_str().unwrap().contains("duplicate document number"))
    );
}

/// The untouched example says only what it means to: that its base URL is an
/// example's, to be set before publishing.
#[test]
fn check_on_the_example_site_is_clean() {
    let site = Site::example();
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.contains("0 error(s), 1 warning(s), 0 note(s)"), "{}", run.stdout);
    assert!(run.stdout.contains("warning[W070][base_url]"), "{}", run.stdout);
}

#[test]
fn new_writes_every_field_and_never_overwrites() {
    let site = Site::new();
    let run = site.run(&[
        "new",
        "notices/2024/plan",
        "--title",
        "关于印发某规划的通知",
        "--issuer",
        "通榆县人民政府办公室",
        "--doc-number",
        "通政办发[2024]3号",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = site.read("content/notices/2024/plan/index.md");
    // Every field of the schema, from the table the loader itself uses.
    // (All but the few it leaves out on purpose: slug, lang, annual_report.)
    let fields =
        gongkai::schema::FIELDS.iter().filter(|f| f.starts_as != gongkai::schema::StartsAs::Omitted).map(|f| f.name);
    for field in fields {
        assert!(text.contains(&format!("\n{field}:")), "no {field} in\n{text}");
    }
    assert!(text.contains("doc_number: 通政办发〔2024〕3号"), "normalised:\n{text}");
    assert!(text.contains("# 发文字号"), "fields are explained");
    // It builds as it is (an empty body is only a warning).
    site.build().ok();
    assert!(site.read("output/notices/2024/plan/index.html").contains("关于印发某规划的通知"));
    // A second `new` at the same place refuses and leaves the clerk's file alone.
    site.write("content/notices/2024/plan/index.md", &format!("{text}\n正文。\n"));
    let again = site.run(&["new", "notices/2024/plan", "--title", "别的"]);
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    assert!(site.read("content/notices/2024/plan/index.md").ends_with("正文。\n"));
}

#[test]
fn new_rejects_bad_input() {
    let site = Site::new();
    let run = site.run(&["new", "x.md", "--doc-number", "通政办发2024年3"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("--doc-number"), "{}", run.stderr);
    assert!(!site.path("content/x.md").exists());
    let run = site.run(&["new", "../escape.md"]);
    assert_eq!(run.code, 1);
    assert!(!site.path("escape.md").exists());
}

/// `check` said nothing about a relation to a document the site does not have;
/// now a note at the field.
#[test]
fn check_notes_a_relation_to_a_document_not_in_the_site() {
    let site = Site::new();
    site.write("content/a.md", GOOD);
    site.write(
        "content/b.md",
        &GOOD
            .replace("通政办发〔2018〕55号", "通政办发〔2019〕1号")
            .replace("written: 2018-09-02", "written: 2019-01-02")
            .replace(
                "published: 2018-09-03",
                "published: 2019-01-03\nsupersedes: [通政办发〔2018〕55号, 通政发〔2010〕3号]",
            ),
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let out = &run.stdout;
    assert!(out.contains("note[N002][supersedes]: supersedes 通政发〔2010〕3号, which is not in this site"), "{out}");
    assert!(out.contains("--> content/b.md:10:13"), "{out}");
    assert!(!out.contains("supersedes 通政办发〔2018〕55号"), "a relation the site resolves is fine: {out}");
}

/// `check` runs the build's pipeline to the end, rendering into nothing: a theme
/// template that fails, to parse or only when rendered, is an error in both,
/// naming the template's file.
#[test]
fn check_reports_a_template_error_as_the_build_does() {
    let site = Site::new();
    site.write("content/a.md", GOOD);
    for (template, broken, needle) in [
        ("term.html", "{% extends \"base.html\" %}{% block content %}{% if x %}{% endblock content %}", "term.html"),
        (
            "notice.html",
            "{% extends \"base.html\" %}{% block content %}{{ notice.no_such.field }}{% endblock content %}",
            "notice.html",
        ),
    ] {
        site.write(&format!("themes/default/templates/{template}"), broken);
        let check = site.run(&["check"]);
        assert_eq!(check.code, 1, "check must fail on {template}:\n{}", check.stdout);
        assert!(check.stdout.contains("error[E060]"), "{}", check.stdout);
        assert!(check.stdout.contains(&format!("themes/default/templates/{needle}")), "{}", check.stdout);
        let build = site.build();
        assert_eq!(build.code, 1, "{}", build.stderr);
        assert!(build.stderr.contains("error[E060]"), "{}", build.stderr);
        assert!(!site.path("output").exists(), "check and the failed build write nothing");
        std::fs::remove_file(site.path(&format!("themes/default/templates/{template}"))).unwrap();
    }
    assert_eq!(site.run(&["check"]).code, 0, "the built-in templates again");
}

/// `check PATH…` reports on the files named (the cross-checks still see the whole
/// site: a duplicate 文号 of a file elsewhere is reported at the file named), and
/// says how much there is elsewhere.
#[test]
fn check_reports_on_the_files_named() {
    let site = Site::new();
    site.write("content/old/a.md", &GOOD.replace("正文。", "依据国发〔2014〕45号执行。"));
    site.write(
        "content/new/b.md",
        &GOOD.replace("55号", "56号").replace("published: 2018-09-03", "published: 2018-02-30"),
    );
    let whole = site.run(&["check"]);
    assert!(whole.stdout.contains("content/old/a.md") && whole.stdout.contains("content/new/b.md"), "{}", whole.stdout);
    let run = site.run_here(&["check", "content/new"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stdout.contains("content/new/b.md") && !run.stdout.contains("content/old/a.md"), "{}", run.stdout);
    assert!(run.stdout.contains("(elsewhere in the site: 0 error(s), 0 warning(s), 1 note(s)"), "{}", run.stdout);
    // The file named clashes with one elsewhere: reported here, both named.
    site.write("content/new/b.md", GOOD);
    let run = site.run_here(&["check", "content/new/b.md"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout.contains("duplicate document number") && run.stdout.contains("content/old/a.md:3"),
        "{}",
        run.stdout
    );
    let run = site.run_here(&["check", "content/nowhere"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("content/nowhere does not exist"), "{}", run.stderr);
}

/// The full-width colon a Chinese keyboard types after a field's name is named
/// at its line; a required field present but empty is reported at its line.
#[test]
fn a_full_width_colon_and_an_empty_field_are_named_at_their_line() {
    let site = Site::new();
    site.write("content/a.md", &GOOD.replace("published: 2018-09-03", "published：2018-09-03"));
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("--> content/a.md:9:10") && run.stdout.contains("full-width colon"), "{}", run.stdout);
    assert!(run.stdout.contains("`published: 2024-01-02`"), "{}", run.stdout);
    site.write("content/a.md", &GOOD.replace("published: 2018-09-03", "published:"));
    let run = site.run(&["check"]);
    assert!(
        run.stdout.contains("required field `published` (发布日期) is empty")
            && run.stdout.contains("--> content/a.md:9:"),
        "{}",
        run.stdout
    );
}

/// A notice citing the plan its own title embeds (关于印发X的通知 citing 《X》) is
/// not told X is missing; documents site.yaml lists as published elsewhere are not
/// noted either.
#[test]
fn citations_of_the_notices_own_plan_and_of_documents_elsewhere_are_not_noted() {
    let site = Site::new();
    site.write(
        "content/a.md",
        &GOOD.replace("关于印发某规划的通知", "某县关于印发某县教育发展规划(2018——2020)的通知").replace(
            "正文。",
            "《某县教育发展规划(2018——2020)》已经县政府同意。依据《中华人民共和国教育法》和国发〔2014〕45号。",
        ),
    );
    let run = site.run(&["check"]);
    assert!(!run.stdout.contains("cites 《某县教育发展规划"), "{}", run.stdout);
    assert!(
        run.stdout.contains("cites 《中华人民共和国教育法》") && run.stdout.contains("cites 国发〔2014〕45号"),
        "{}",
        run.stdout
    );
    let yaml = site.read("content/site.yaml");
    site.write(
        "content/site.yaml",
        &format!("{yaml}cited_elsewhere:\n  - 《中华人民共和国教育法》\n  - 国发[2014]45号\n"),
    );
    let run = site.run(&["check"]);
    assert!(run.stdout.contains("0 error(s), 0 warning(s), 0 note(s)"), "{}", run.stdout);
}
