#!/usr/bin/env bash
# Full build of gongkai against Hugo on the same generated corpus, in the same run,
# alternating: median wall time and peak memory of RUNS builds each, the ratio, and
# what each wrote (files, bytes; gongkai's search index apart).
#
#     bash bench/build_vs_hugo.sh [NOTICES] [RUNS]
#
# Hugo (Debian's `hugo` package) gets the same Markdown files and a minimal theme with
# the same page kinds: one page per notice, paginated lists by issuer, genre, form and
# topic, RSS feeds and a sitemap. gongkai also writes year lists, per-issuer feeds,
# the catalogue (catalogue.json and its yearly parts), progress pages, the search index and sanitised HTML.
set -euo pipefail
notices=${1:-10000}
runs=${2:-5}
command -v hugo >/dev/null || { echo "hugo not found: apt-get install hugo" >&2; exit 1; }
source "$(dirname "$0")/corpus.sh"
corpus "$work/g" "$notices"
bash "$repo/bench/hugo_site.sh" "$work/g" "$work/h"

# wall seconds and peak kilobytes of one run, appended to the named arrays
run() {
  local -n times=$1 mems=$2; shift 2
  local out
  /usr/bin/time -o "$work/time" -f '%e %M' "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  out=$(tail -n 1 "$work/time")
  times+=("${out% *}"); mems+=("${out#* }")
}
# Every run a full build from nothing: no earlier output for either to reuse.
gt=(); gm=(); ht=(); hm=()
for _ in $(seq "$runs"); do
  rm -rf "$work/g/output" "$work/g/.output.gongkai" "$work/h/public" "$work/h/resources"
  sync
  run gt gm "$repo/target/release/gongkai" --root "$work/g" build -q
  run ht hm hugo --source "$work/h" --destination "$work/h/public" --quiet
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
files() { find "$1" -type f | wc -l; }
# The bytes of the files themselves: a folder's own size (4 KB each on ext4, some
# 13,000 of them at 10,000 notices on either side) is not output.
bytes() { find "$1" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}'; }
dirs() { find "$1" -type d | wc -l; }
g=$(median "${gt[@]}"); h=$(median "${ht[@]}")
echo "notices: $notices, runs: $runs, $(nproc) cores ($(hugo version | cut -d' ' -f2))"
echo "corpus: $(files "$work/g/content") files, $(bytes "$work/g/content") bytes"
# The notices' text without front matter: about their plain text, which the
# search index is measured against.
text=$(find "$work/g/content" -name '*.md' -exec awk 'FNR == 1 {fm = 0} /^---$/ && fm < 2 {fm++; next} fm >= 2' {} + | wc -c)
echo "gongkai: median ${g} s (runs: ${gt[*]}), peak $(( $(median "${gm[@]}") / 1024 )) MB"
echo "hugo:    median ${h} s (runs: ${ht[*]}), peak $(( $(median "${hm[@]}") / 1024 )) MB"
awk -v g="$g" -v h="$h" 'BEGIN {printf "time gongkai / hugo = %.2f\n", g / h}'
gf=$(files "$work/g/output"); gb=$(bytes "$work/g/output"); hf=$(files "$work/h/public"); hb=$(bytes "$work/h/public")
echo "output gongkai: $gf files, $gb bytes, $(dirs "$work/g/output") folders (search index: $(files "$work/g/output/search") files, $(bytes "$work/g/output/search") bytes)"
echo "output hugo:    $hf files, $hb bytes, $(dirs "$work/h/public") folders"
awk -v i="$(bytes "$work/g/output/search")" -v t="$text" 'BEGIN {printf "search index / text of the notices (%d bytes) = %.2f\n", t, i / t}'
awk -v gf="$gf" -v hf="$hf" -v gb="$gb" -v hb="$hb" 'BEGIN {printf "files gongkai / hugo = %.2f, bytes gongkai / hugo = %.2f\n", gf / hf, gb / hb}'
