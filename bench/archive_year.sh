#!/usr/bin/env bash
# A year of monthly snapshots in one archive (an OCFL object, each snapshot a
# version) against one snapshot alone: the bytes by `du -sb` (apparent sizes,
# folders included) and by `du -sB1` (blocks the file system gives them).
#
#     bash bench/archive_year.sh [NOTICES] [YEAR] [revision|silent]
#
# The generated corpus publishes about NOTICES/20 notices a year, so each month-end
# snapshot (YEAR-01-31 … YEAR-12-31) shows a few notices more, and repeals that
# took effect. Before each, two notices of earlier years are edited too: by default
# amended as a clerk amends a published notice, with a revision taking effect on
# the 15th (`revisions/YEAR-MM-15.md`, the text with a sentence added); with
# `silent`, by adding the sentence to the notice's own file instead, which changes
# the text it was published with.
set -euo pipefail
notices=${1:-1000}
year=${2:-2024}
edits=${3:-revision}
source "$(dirname "$0")/corpus.sh"
corpus "$work" "$notices"
gongkai=("$repo/target/release/gongkai" --root "$work")
# Notices of earlier years, as bundles (a folder with index.md) that can hold revisions.
mapfile -t files < <(find "$work/content/notices" -name index.md | awk -F/ -v y="$year" '$(NF-2) < y' | sort)
[ ${#files[@]} -gt 0 ] || { echo "no notice of a year before $year to edit" >&2; exit 1; }
archive="$work/archive"
for month in $(seq 1 12); do
  as_of=$(date -u -d "$year-$month-01 +1 month -1 day" +%F)
  for k in 1 2; do
    file=${files[$(( (month * 2 + k) * 7919 % ${#files[@]} ))]}
    sentence=$(printf '%s月修改：增加一句（第%s处）。' "$month" "$k")
    if [ "$edits" = silent ]; then
      printf '\n%s\n' "$sentence" >> "$file"
    else
      revision="$(dirname "$file")/revisions/$(date -u -d "$year-$month-15" +%F).md"
      mkdir -p "$(dirname "$revision")"
      # The text in force until now (the latest revision, or the notice's own text
      # after its front matter), with the sentence added.
      latest=$(find "$(dirname "$file")/revisions" -name '*.md' ! -path "$revision" | sort | tail -n 1)
      { if [ -n "$latest" ]; then cat "$latest"; else awk 'n >= 2; /^---$/ {n++}' "$file"; fi
        printf '\n%s\n' "$sentence"; } > "$revision.tmp"
      mv "$revision.tmp" "$revision"
    fi
  done
  "${gongkai[@]}" snapshot --as-of "$as_of" --archive "$archive" 2>>"$work/log" >/dev/null \
    || { cat "$work/log" >&2; exit 1; }
done
last=$(date -u -d "$year-12-31" +%F)
"${gongkai[@]}" snapshot --as-of "$last" --out "$work/alone" 2>>"$work/log" >/dev/null
one=$(du -sb "$work/alone" | cut -f1)
twelve=$(du -sb "$archive" | cut -f1)
one_blocks=$(du -sB1 "$work/alone" | cut -f1)
twelve_blocks=$(du -sB1 "$archive" | cut -f1)
files_only() { find "$1" -type f -printf '%s\n' | awk '{s += $1} END {print s}'; }
echo "notices: $notices, edits: $edits, versions: $(find "$archive/site" -mindepth 1 -maxdepth 1 -type d -name 'v*' | wc -l) (month ends of $year)"
echo "file system: $(stat -f -c %T "$work")"
echo "one snapshot (a bag):    $one bytes, $one_blocks in blocks"
echo "twelve in the archive:   $twelve bytes, $twelve_blocks in blocks"
awk -v t="$twelve" -v o="$one" -v tb="$twelve_blocks" -v ob="$one_blocks" \
  'BEGIN {printf "twelve / one = %.2f (du -sb), %.2f (blocks)\n", t / o, tb / ob}'
awk -v t="$(files_only "$archive")" -v o="$(files_only "$work/alone")" 'BEGIN {printf "files only: twelve / one = %.2f\n", t / o}'
echo "folders: one snapshot $(find "$work/alone" -type d | wc -l), the archive $(find "$archive" -type d | wc -l)"
"${gongkai[@]}" verify "$archive" | tail -n 1
if command -v ocfl-validate.py >/dev/null; then ocfl-validate.py -q "$archive/site" | tail -n 1; fi
