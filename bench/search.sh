#!/usr/bin/env bash
# Size of the search index and what typical queries cost on a generated site:
# bytes fetched per query (search.js under node, counting every file it reads)
# and time to answer in Chromium (served from loopback), cold (a newly opened
# page) and warm (the next query on the same page).
#
#     bash bench/search.sh [NOTICES] [AS_OF]
#
# The site is built as of AS_OF (default 2025-11-30, near the end of the corpus's
# last year), so the index has its most parts: the settled part (the years before)
# and one for each quarter of that year.
# Needs node, and for the browser times Debian's chromium and
# `npm ci --prefix tests/search` (playwright-core). With BEFORE=path/to/gongkai
# (another build, say of an earlier commit), the same corpus is built with it too
# and measured the same way, each site with its own search.js, the two in turn
# ROUNDS times (default 3), for a paired comparison in one run.
set -euo pipefail
notices=${1:-10000}
as_of=${2:-2025-11-30}
source "$(dirname "$0")/corpus.sh"
corpus "$work" "$notices"

# Index files and sizes of one built site.
sizes() {
  local out=$1 index_files
  index_files=$(find "$out/search" -type f ! -name index.html | sort)
  echo "index: $(echo "$index_files" | wc -l) files, $(cat $index_files | wc -c) bytes"
  for f in $index_files; do echo "  ${f#"$out/search/"}: $(wc -c < "$f") bytes"; done
  echo "search.js: $(wc -c < "$out/assets/search.js") bytes"
}

# Typical queries: phrases from the notices (some cut across words), Traditional
# script, document numbers as typed, two terms, a filter, and phrases no notice has.
queries='["义务教育","控辍保学","教师队伍建设","義務教育均衡","校园安全","学前教育普及","通政办发〔2018〕5号","通政办发2018 5","〔2020〕12号","教育信息化 2021","普惠 幼儿园","家庭教育指导","提升教育教学质量","农村学校标准化","特殊教育","毛入园率","卫生健康局","财政局 经费","巩固率","不存在的短语"]'
measure() {
python3 - "$1" "$repo" "$queries" <<'PY'
import json, statistics, subprocess, sys, os
out, repo, queries = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
def node(reqs):
    r = subprocess.run(["node", f"{repo}/tests/search/node.mjs", out], input=json.dumps(reqs), capture_output=True, text=True, check=True)
    return json.loads(r.stdout)
cold = node([{"query": q, "cold": True} for q in queries])
# The next query on a page where another was asked before.
warm = node([r for q, n in zip(queries, queries[1:] + queries[:1]) for r in ({"query": n, "cold": True}, {"query": q})])[1::2]
print(f"{'query':<18} {'results':>7} {'total':>6} {'cold KB':>8} {'warm KB':>8} {'requests':>8}")
for q, c, w in zip(queries, cold, warm):
    total = f"{c['total']}" + ("" if c["exact"] else "≤")
    print(f"{q:<18} {len(c['results']):>7} {total:>6} {c['bytes']/1024:>8.1f} {w['bytes']/1024:>8.1f} {c['files']:>8}")
for name, rows in (("cold", cold), ("warm", warm)):
    b = [r["bytes"] / 1024 for r in rows]
    print(f"bytes per query, {name}: median {statistics.median(b):.1f} KB, max {max(b):.1f} KB")
chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
if os.path.exists(chromium) and os.path.isdir(f"{repo}/tests/search/node_modules/playwright-core"):
    # Each query on a newly opened page, then the next query on that page.
    nxt = queries[1:] + queries[:1]
    reqs = {"api": [r for q, n in zip(queries, nxt) for r in ({"query": q, "cold": True}, {"query": n})]}
    r = subprocess.run(["node", f"{repo}/tests/search/browser.mjs", out], input=json.dumps(reqs), capture_output=True, text=True, check=True)
    api = json.loads(r.stdout)["api"]
    c, w = [a["ms"] for a in api[0::2]], [a["ms"] for a in api[1::2]]
    print(f"Chromium, cold page: median {statistics.median(c):.0f} ms, max {max(c):.0f} ms")
    print(f"Chromium, warm (the next query on the same page): median {statistics.median(w):.0f} ms, max {max(w):.0f} ms")
else:
    print("Chromium times skipped (needs chromium and npm ci --prefix tests/search)")
PY
}

"$repo/target/release/gongkai" --root "$work" build -q --as-of "$as_of" --out "$work/output"
echo "== this build (as of $as_of)"
sizes "$work/output"
if [ -z "${BEFORE:-}" ]; then
  measure "$work/output"
  exit 0
fi
"$BEFORE" --root "$work" build -q --as-of "$as_of" --out "$work/before"
echo "== BEFORE: $BEFORE"
sizes "$work/before"
# In turn, ROUNDS times (default 3), so that neither side always runs first.
for round in $(seq 1 "${ROUNDS:-3}"); do
  echo "== round $round: this build"
  measure "$work/output"
  echo "== round $round: BEFORE"
  measure "$work/before"
done
