#!/usr/bin/env bash
# Pagefind on the same generated gongkai site: index build time and size, bytes
# fetched / results / time per query in headless Chromium, and recall.
#
#     bash bench/pagefind.sh [NOTICES]      (default 10000)
#
# Env: RUNS (index builds timed, default 3), WORK (work folder, default a new
# temporary one; with KEEP_SITE=1 an existing WORK/site is reused). Pagefind and
# playwright-core are installed into WORK from npm (versions pinned in bench/pagefind/package.json).
set -euo pipefail
notices=${1:-10000}
runs=${RUNS:-3}
repo=$(cd "$(dirname "$0")/.." && pwd)
pf=${WORK:-$(mktemp -d)}
mkdir -p "$pf/results"
cp "$repo/bench/pagefind/package.json" "$pf/"
cd "$pf"

# 1. The site, built by gongkai.
if [[ ${KEEP_SITE:-0} != 1 || ! -d $pf/site/output ]]; then
  (cd "$repo" && cargo build --release --quiet --bin gongkai --example corpus)
  rm -rf "$pf/site"
  "$repo/target/release/examples/corpus" "$pf/site" "$notices" 2>/dev/null >/dev/null
  "$repo/target/release/gongkai" --root "$pf/site" build -q
fi
echo "site: $(find site/output -name '*.html' | wc -l) HTML files, $(find site/output/notices -mindepth 3 -maxdepth 3 -name index.html | wc -l) notice pages"

# 2. Pagefind from the npm registry (its linux-x64 binary is an optional dependency).
[[ -x node_modules/.bin/pagefind ]] || npm install --no-audit --no-fund --loglevel=error
echo "pagefind: $(npx pagefind --version 2>/dev/null)"

# A copy of the output; only notice pages get data-pagefind-body (on <main id="main">),
# so list, facet, progress and search pages are not indexed.
rm -rf pfsite
cp -r site/output pfsite
find pfsite/notices -mindepth 3 -maxdepth 3 -name index.html -print0 \
  | xargs -0 sed -i 's/<main id="main"/<main id="main" data-pagefind-body/'
echo "pages marked data-pagefind-body: $(grep -rl --include=index.html 'data-pagefind-body' pfsite/notices | wc -l)"

# 3. Index build, timed RUNS times (the pagefind/ output removed before each).
: > results/build_times.txt
for i in $(seq "$runs"); do
  rm -rf pfsite/pagefind
  /usr/bin/time -f '%e %M' -o results/time.$i npx pagefind --site "$pf/pfsite" > results/pagefind_build.$i.log 2>&1
  cat results/time.$i >> results/build_times.txt
done
echo "command: npx pagefind --site $pf/pfsite"
grep -E 'Indexed|Discovered|Running Pagefind' results/pagefind_build.1.log | sed 's/^ */  /'
python3 - results/build_times.txt <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
t = [float(r[0]) for r in rows]; m = [int(r[1]) for r in rows]
print(f"build wall time: runs {t} s, median {statistics.median(t):.2f} s; max RSS median {statistics.median(m)/1024:.0f} MiB")
PY
echo "index: $(find pfsite/pagefind -type f | wc -l) files, $(du -sb --apparent-size pfsite/pagefind | cut -f1) bytes"
for part in index fragment; do
  echo "  $part/: $(find pfsite/pagefind/$part -type f | wc -l) files, $(du -sb --apparent-size pfsite/pagefind/$part | cut -f1) bytes"
done
echo "  other (js, css, wasm, pf_meta, entry): $(find pfsite/pagefind -maxdepth 1 -type f | wc -l) files, $(find pfsite/pagefind -maxdepth 1 -type f -printf '%s\n' | awk '{s+=$1} END {print s}') bytes"
echo "  (for reference, gongkai's own output/search: $(find site/output/search -type f | wc -l) files, $(du -sb --apparent-size site/output/search | cut -f1) bytes)"

# 4. Queries in Chromium (cold: new context each), and recall ids.
queries='["义务教育","控辍保学","教师队伍建设","義務教育均衡","校园安全","学前教育普及","通政办发〔2018〕5号","通政办发2018 5","〔2020〕12号","教育信息化 2021","普惠 幼儿园","家庭教育指导","提升教育教学质量","农村学校标准化","特殊教育","毛入园率","卫生健康局","财政局 经费","巩固率","不存在的短语"]'
recall='["义务教育","控辍保学","育优质均","義務教育均衡","通政办发〔2018〕5号","55号","校园安全","毛入园率","巩固率","卫生健康局","普惠 幼儿园","财政局 经费","〔2020〕12号"]'
echo "{\"queries\": $queries, \"recall\": $recall}" | node "$repo/bench/pagefind/pf_browser.mjs" "$pf/pfsite" > results/answers.json
python3 "$repo/bench/pagefind/pf_report.py" results/answers.json "$pf/site/content" "$pf/pfsite" | tee results/report.txt
