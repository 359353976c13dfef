#!/usr/bin/env bash
# Full-build time of gongkai against Hugo on the same generated corpus, measured in
# the same run, alternating, median of RUNS builds each.
#
#     bash bench/build_vs_hugo.sh [NOTICES] [RUNS]
#
# Hugo (Debian's `hugo` package) gets the same Markdown files and a minimal theme with
# the same page kinds: one page per notice, paginated lists by issuer, genre, form and
# topic, RSS feeds and a sitemap. gongkai also writes year lists, per-issuer feeds,
# catalogue.json, progress pages and sanitised HTML, so the comparison is not in its favour.
set -euo pipefail
notices=${1:-10000}
runs=${2:-5}
repo=$(cd "$(dirname "$0")/.." && pwd)
command -v hugo >/dev/null || { echo "hugo not found: apt-get install hugo" >&2; exit 1; }
cargo build --release --quiet --bin gongkai --example corpus --manifest-path "$repo/Cargo.toml"
work=$(mktemp -d)
"$repo/target/release/examples/corpus" "$work/g" "$notices" 2>/dev/null

# The Hugo site: same content, minimal templates.
mkdir -p "$work/h/layouts/_default" "$work/h/content"
cp -r "$work/g/content/notices" "$work/h/content/"
cat > "$work/h/hugo.yaml" <<'YAML'
baseURL: https://bench.example.org/
title: bench
languageCode: zh-Hans
disableKinds: []
paginate: 20
taxonomies: {issuer: issuer, genre: genre, form: form, topic: topics}
markup: {goldmark: {renderer: {unsafe: false}}}
YAML
cat > "$work/h/layouts/_default/baseof.html" <<'HTML'
<!DOCTYPE html><html lang="zh-Hans"><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body>{{ block "main" . }}{{ end }}</body></html>
HTML
cat > "$work/h/layouts/_default/single.html" <<'HTML'
{{ define "main" }}<table>{{ with .Params.doc_number }}<tr><th>发文字号</th><td>{{ . }}</td></tr>{{ end }}<tr><th>发文机关</th><td>{{ .Params.issuer }}</td></tr><tr><th>发布日期</th><td>{{ .Params.published }}</td></tr></table><h1>{{ .Title }}</h1>{{ .Content }}{{ end }}
HTML
cat > "$work/h/layouts/_default/list.html" <<'HTML'
{{ define "main" }}<h1>{{ .Title }}</h1><ol>{{ range .Paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Params.doc_number }}</li>{{ end }}</ol>{{ template "_internal/pagination.html" . }}{{ end }}
HTML
cp "$work/h/layouts/_default/list.html" "$work/h/layouts/_default/terms.html"

time_ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
g=(); h=()
for _ in $(seq "$runs"); do
  g+=("$(time_ms "$repo/target/release/gongkai" --root "$work/g" build -q)")
  h+=("$(time_ms hugo --source "$work/h" --destination "$work/h/public" --quiet)")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
gm=$(median "${g[@]}"); hm=$(median "${h[@]}")
gp=$(find "$work/g/output" -name '*.html' | wc -l); hp=$(find "$work/h/public" -name '*.html' | wc -l)
echo "notices: $notices, runs: $runs ($(hugo version | cut -d' ' -f2))"
echo "gongkai: median ${gm} ms (runs: ${g[*]}), ${gp} HTML files"
echo "hugo:    median ${hm} ms (runs: ${h[*]}), ${hp} HTML files"
awk -v g="$gm" -v h="$hm" 'BEGIN {printf "gongkai time / hugo time = %.2f\n", g / h}'
rm -rf "$work"
