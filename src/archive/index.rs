//! An archive folder: one bag per snapshot date (`ARCHIVE/<date>/`) and an
//! `index.html` listing them, newest first, each linking into its own copy of the site.

use std::path::{Path, PathBuf};

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

use super::{BagSummary, baginfo};
use crate::render::feed::esc;
use crate::render::human_size;

/// Characters escaped in a path segment of an `href`.
const SEGMENT: &AsciiSet =
    &CONTROLS.add(b' ').add(b'"').add(b'#').add(b'%').add(b'<').add(b'>').add(b'?').add(b'`').add(b'{').add(b'}');

/// Add a bag to an archive folder as `ARCHIVE/<bag_name>/` and rewrite
/// `ARCHIVE/index.html`. `write` writes the bag into the folder it is given (which
/// does not exist yet); the new snapshot is moved into place only when `write`
/// succeeded. An existing snapshot of the same name is replaced only when `force`.
pub fn add_to_archive(
    archive: &Path,
    bag_name: &str,
    write: impl FnOnce(&Path) -> Result<BagSummary, String>,
    force: bool,
) -> Result<PathBuf, String> {
    check_bag_name(bag_name)?;
    std::fs::create_dir_all(archive).map_err(|e| format!("cannot create {}: {e}", archive.display()))?;
    let target = archive.join(bag_name);
    let exists = match std::fs::symlink_metadata(&target) {
        Ok(m) if m.is_dir() => true,
        Ok(_) => {
            return Err(format!("{} exists and is not a snapshot folder; refusing to replace it", target.display()));
        }
        Err(_) => false,
    };
    if exists && !force {
        return Err(format!(
            "the archive already holds a snapshot {bag_name} ({}); pass --force to replace it",
            target.display()
        ));
    }
    let pid = std::process::id();
    let fresh = archive.join(format!(".{bag_name}.gongkai-new-{pid}"));
    let old = archive.join(format!(".{bag_name}.gongkai-old-{pid}"));
    for leftover in [&fresh, &old] {
        if leftover.exists() {
            std::fs::remove_dir_all(leftover).map_err(|e| format!("cannot remove {}: {e}", leftover.display()))?;
        }
    }
    if let Err(e) = write(&fresh) {
        let _ = std::fs::remove_dir_all(&fresh);
        return Err(e);
    }
    if !fresh.join("bagit.txt").is_file() {
        let _ = std::fs::remove_dir_all(&fresh);
        return Err(format!("no bag was written for snapshot {bag_name}"));
    }
    if exists {
        std::fs::rename(&target, &old).map_err(|e| {
            let _ = std::fs::remove_dir_all(&fresh);
            format!("cannot move the old snapshot {} aside: {e}", target.display())
        })?;
    }
    if let Err(e) = std::fs::rename(&fresh, &target) {
        if exists {
            let _ = std::fs::rename(&old, &target);
        }
        let _ = std::fs::remove_dir_all(&fresh);
        return Err(format!("cannot move the new snapshot to {}: {e}", target.display()));
    }
    if exists {
        std::fs::remove_dir_all(&old).map_err(|e| format!("cannot remove the old snapshot {}: {e}", old.display()))?;
    }
    write_archive_index(archive)?;
    Ok(target)
}

/// A snapshot's folder name: one plain path segment (normally the as-of date).
fn check_bag_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= 200
        && !name.starts_with('.')
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{}` cannot name a snapshot folder: use letters, digits, `-`, `_` and `.` (such as 2024-06-30)",
            name.escape_debug()
        ))
    }
}

/// What the index shows of one snapshot, read from its bag-info.txt.
struct Snapshot {
    dir: String,
    date: String,
    organisation: Option<String>,
    identifier: Option<String>,
    oxum: Option<String>,
    bytes: Option<u64>,
    files: Option<u64>,
    bagging_date: Option<String>,
    commit: Option<String>,
}

fn read_snapshot(archive: &Path, dir: &str) -> Snapshot {
    let fields = std::fs::read_to_string(archive.join(dir).join("bag-info.txt"))
        .map(|t| baginfo::parse(&t).0)
        .unwrap_or_default();
    let get = |label: &str| baginfo::value(&fields, label).map(str::to_string).filter(|v| !v.is_empty());
    let oxum = get("Payload-Oxum");
    let parsed = oxum.as_deref().and_then(baginfo::parse_oxum);
    Snapshot {
        dir: dir.to_string(),
        date: get("Gongkai-As-Of").unwrap_or_else(|| dir.to_string()),
        organisation: get("Source-Organization"),
        identifier: get("External-Identifier"),
        bytes: parsed.map(|(b, _)| b),
        files: parsed.map(|(_, n)| n),
        oxum,
        bagging_date: get("Bagging-Date"),
        commit: get("Gongkai-Git-Commit"),
    }
}

/// The snapshots of an archive: its visible sub-folders holding a `bagit.txt`,
/// newest first (by as-of date, then folder name).
fn snapshots(archive: &Path) -> Result<Vec<Snapshot>, String> {
    let rd = std::fs::read_dir(archive).map_err(|e| format!("cannot list {}: {e}", archive.display()))?;
    let mut out = Vec::new();
    for entry in rd.flatten() {
        let Some(name) = entry.file_name().to_str().map(str::to_string) else { continue };
        let is_dir = entry.file_type().map(|t| t.is_dir()).unwrap_or(false);
        if name.starts_with('.') || !is_dir || !entry.path().join("bagit.txt").is_file() {
            continue;
        }
        out.push(read_snapshot(archive, &name));
    }
    out.sort_by(|a, b| (&b.date, &b.dir).cmp(&(&a.date, &a.dir)));
    Ok(out)
}

/// (Re)write `ARCHIVE/index.html` from the bags in the folder. The page depends
/// only on the bags, so the same archive always gives the same bytes.
pub fn write_archive_index(archive: &Path) -> Result<(), String> {
    let list = snapshots(archive)?;
    let html = render_index(&list);
    let tmp = archive.join(format!(".index.html.gongkai-tmp-{}", std::process::id()));
    std::fs::write(&tmp, html).map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, archive.join("index.html")).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("cannot write {}: {e}", archive.join("index.html").display())
    })
}

fn render_index(list: &[Snapshot]) -> String {
    let mut h = String::new();
    h.push_str(
        "<!DOCTYPE html>\n<html lang=\"zh-Hans\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>网站归档快照 · Archived snapshots</title>\n<style>\n\
         body{font-family:system-ui,\"PingFang SC\",\"Noto Sans CJK SC\",\"Microsoft YaHei\",sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1a1a1a;line-height:1.6}\n\
         table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ccc;padding:.4rem .6rem;text-align:left;vertical-align:top}\n\
         td.n{text-align:right;font-variant-numeric:tabular-nums}code{font-size:.9em;word-break:break-all}\n\
         @media (max-width:40rem){.wide{display:none}}\n</style>\n</head>\n<body>\n<main>\n\
         <h1>网站归档快照</h1>\n\
         <p>每个快照是网站在该日期所呈现内容的完整副本，按 BagIt（RFC 8493）封装，附 SHA-256 与 SHA-512 校验值。\
         校验：<code>gongkai verify 快照文件夹</code> 或 <code>bagit.py --validate 快照文件夹</code>。</p>\n",
    );
    if list.is_empty() {
        h.push_str("<p>尚无快照。</p>\n");
    } else {
        h.push_str(&format!("<p>共 {} 个快照，按日期由新到旧排列。</p>\n", list.len()));
        h.push_str(
            "<table>\n<thead><tr><th>日期</th><th>文件数</th><th>大小</th><th>Payload-Oxum</th>\
             <th class=\"wide\">来源机构</th><th class=\"wide\">封装日期</th><th class=\"wide\">Git 提交</th>\
             <th>封装信息</th></tr></thead>\n<tbody>\n",
        );
        for s in list {
            let href = utf8_percent_encode(&s.dir, SEGMENT).to_string();
            let dash = || "—".to_string();
            let title = s.identifier.as_deref().map(|i| format!(" title=\"{}\"", esc(i))).unwrap_or_default();
            h.push_str(&format!(
                "<tr><td><a href=\"{href}/data/index.html\"{title}>{}</a></td><td class=\"n\">{}</td>\
                 <td class=\"n\"{}>{}</td><td><code>{}</code></td><td class=\"wide\">{}</td>\
                 <td class=\"wide\">{}</td><td class=\"wide\">{}</td><td><a href=\"{href}/bag-info.txt\">bag-info.txt</a></td></tr>\n",
                esc(&s.date),
                s.files.map_or_else(dash, |n| n.to_string()),
                s.bytes.map(|b| format!(" title=\"{b} 字节\"")).unwrap_or_default(),
                s.bytes.map_or_else(dash, human_size),
                s.oxum.as_deref().map_or_else(dash, esc),
                s.organisation.as_deref().map_or_else(dash, esc),
                s.bagging_date.as_deref().map_or_else(dash, esc),
                s.commit.as_deref().map_or_else(dash, |c| format!(
                    "<code title=\"{}\">{}</code>",
                    esc(c),
                    esc(&c.chars().take(12).collect::<String>())
                )),
            ));
        }
        h.push_str("</tbody>\n</table>\n");
    }
    h.push_str("</main>\n</body>\n</html>\n");
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_sizes() {
        assert!(check_bag_name("2024-06-30").is_ok());
        for bad in ["", ".", "..", ".hidden", "a/b", "a\\b", "日期", "a b"] {
            assert!(check_bag_name(bad).is_err(), "{bad}");
        }
        assert_eq!(human_size(10), "10 B");
        assert_eq!(human_size(1536), "1.5 KB");
        assert_eq!(human_size(5 * 1024 * 1024), "5.0 MB");
        assert_eq!(esc("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&apos;");
    }
}
