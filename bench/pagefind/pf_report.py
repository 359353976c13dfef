#!/usr/bin/env python3
"""Tables from pf_browser.mjs answers, plus recall against the notice Markdown.

    python3 pf_report.py ANSWERS.json CONTENT_DIR PFSITE_DIR

Truth for a query: notices whose title + doc_number + body (Markdown after the
front matter), with all whitespace removed, contain every space-separated term
of the query as a substring. For a term in Traditional script the Simplified
form is accepted too (SIMPLIFIED below), since the corpus is mostly Simplified.
"""
import glob, gzip, json, os, re, statistics, sys

answers, content, pfsite = sys.argv[1:4]
d = json.load(open(answers))
SIMPLIFIED = {"義務教育均衡": "义务教育均衡"}

# Per-query table.
print(f"{'query':<22}{'results':>8}{'cold KB':>9}{'files':>6}{'idx KB':>8}{'frag KB':>8}"
      f"{'cold ms':>9}{'total ms':>9}{'warm KB':>9}{'warm ms':>9}")
for r in d["queries"]:
    c, w = r["cold"], r["warm"]
    kb = lambda n: n / 1024
    print(f"{r['query']:<22}{c['results']:>8}{kb(c['net']['bytes']):>9.1f}{c['net']['files']:>6}"
          f"{kb(c['net']['by'].get('index', {}).get('bytes', 0)):>8.1f}"
          f"{kb(c['net']['by'].get('fragment', {}).get('bytes', 0)):>8.1f}"
          f"{c['ms']:>9.0f}{c['total_ms']:>9.0f}{kb(w['net']['bytes']):>9.1f}{w['ms']:>9.0f}")
q = d["queries"]
if q:
    med = lambda xs: statistics.median(xs)
    cb = [r["cold"]["net"]["bytes"] / 1024 for r in q]
    wb = [r["warm"]["net"]["bytes"] / 1024 for r in q]
    cm = [r["cold"]["ms"] for r in q]
    tm = [r["cold"]["total_ms"] for r in q]
    wm = [r["warm"]["ms"] for r in q]
    print(f"cold bytes: median {med(cb):.1f} KB, max {max(cb):.1f} KB")
    print(f"warm bytes (next query, same page): median {med(wb):.1f} KB, max {max(wb):.1f} KB")
    print(f"cold ms (search + 10 data()): median {med(cm):.0f}, max {max(cm):.0f}")
    print(f"cold ms (import + init + search + 10 data()): median {med(tm):.0f}, max {max(tm):.0f}")
    print(f"warm ms (search + 10 data()): median {med(wm):.0f}, max {max(wm):.0f}")
    fixed = q[0]["cold"]["net"]["by"]
    print("fixed cold cost per page: " + ", ".join(
        f"{k} {v['bytes']} B" for k, v in fixed.items() if k in ("js", "wasm", "meta", "other")))
    print("top-3 titles per query (cold):")
    for r in q:
        print(f"  {r['query']}: " + " | ".join(t or "?" for t in r["cold"]["titles"][:3]))

# Recall.
if d.get("recall"):
    docs = {}
    # notices/YYYY/nXXXXX.md, or notices/YYYY/nXXXXX/index.md for a notice with attachments
    for f in glob.glob(os.path.join(content, "notices", "**", "*.md"), recursive=True):
        text = open(f, encoding="utf-8").read()
        m = re.match(r"---\n(.*?)\n---\n(.*)", text, re.S)
        fm, body = (m.group(1), m.group(2)) if m else ("", text)
        get = lambda k: (re.search(rf"^{k}:\s*(.*)$", fm, re.M) or [None, ""])[1]
        rel = os.path.relpath(f, content).replace(os.sep, "/")
        url = "/" + (rel[:-len("/index.md")] if rel.endswith("/index.md") else rel[:-3]) + "/"
        docs[url] = re.sub(r"\s+", "", get("title") + "\n" + get("doc_number") + "\n" + body)
    frag = {}
    def url_of(i):
        if i not in frag:
            raw = gzip.open(os.path.join(pfsite, "pagefind", "fragment", i + ".pf_fragment")).read()
            frag[i] = json.loads(raw[raw.index(b"{"):])["url"]
        return frag[i]
    print(f"\nrecall ({len(docs)} notices; truth = substring after removing whitespace)")
    print(f"{'query':<22}{'truth':>7}{'pagefind':>9}{'both':>7}{'recall':>8}{'precision':>10}")
    for r in d["recall"]:
        terms = r["query"].split()
        def hit(t):
            return lambda s: t in s or (t in SIMPLIFIED and SIMPLIFIED[t] in s)
        tests = [hit(t) for t in terms]
        truth = {u for u, s in docs.items() if all(t(s) for t in tests)}
        got = {url_of(i) for i in r["ids"]}
        both = len(truth & got)
        rec = f"{both / len(truth):.3f}" if truth else "-"
        prec = f"{both / len(got):.3f}" if got else "-"
        note = ""
        if any(t in SIMPLIFIED for t in terms):
            trad = sum(all(t in s for t in terms) for s in docs.values())
            note = f"  (Traditional form itself: {trad})"
        print(f"{r['query']:<22}{len(truth):>7}{r['results']:>9}{both:>7}{rec:>8}{prec:>10}{note}")
