#!/usr/bin/env bash
# A second build after one notice changed, against a full build of the same site:
# medians of RUNS each, on the generated corpus.
#
#     bash bench/rebuild.sh [NOTICES] [RUNS]
#
# Full: a build with no earlier output. Unchanged: a build with nothing changed.
# One edit: a sentence added to one notice (a different one each run), then a build
# (with the build cache the earlier builds left); then another edit and a build
# with --no-cache, the same work without the cache, in the same run.
set -euo pipefail
notices=${1:-10000}
runs=${2:-5}
source "$(dirname "$0")/corpus.sh"
corpus "$work" "$notices"
build=("$repo/target/release/gongkai" --root "$work" build -q)
seconds() {
  if /usr/bin/time -o "$work/time" -f '%e' "${build[@]}" "$@" >/dev/null 2>"$work/err"; then tail -n 1 "$work/time"; else echo failed; fi
}
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mapfile -t files < <(find "$work/content/notices" -name '*.md' | sort)
full=(); same=(); edit=(); plain=()
for i in $(seq "$runs"); do
  rm -rf "$work/output" "$work/.output.gongkai"
  full+=("$(seconds)")
  same+=("$(seconds)")
  printf '\n第%s次修改：增加一句。\n' "$i" >> "${files[$(( i * 7919 % ${#files[@]} ))]}"
  edit+=("$(seconds)")
  printf '\n第%s次修改：再增加一句。\n' "$i" >> "${files[$(( (i + 3) * 7919 % ${#files[@]} ))]}"
  plain+=("$(seconds --no-cache)")
done
if [[ " ${full[*]} ${same[*]} ${edit[*]} ${plain[*]} " == *" failed "* ]]; then cat "$work/err" >&2; exit 1; fi
f=$(median "${full[@]}"); s=$(median "${same[@]}"); e=$(median "${edit[@]}"); p=$(median "${plain[@]}")
echo "notices: $notices, runs: $runs, $(nproc) cores"
echo "full build:        median $f s (runs: ${full[*]})"
echo "nothing changed:   median $s s (runs: ${same[*]})"
echo "one notice edited: median $e s (runs: ${edit[*]})"
echo "  without the cache: median $p s (runs: ${plain[*]})"
awk -v e="$e" -v f="$f" -v p="$p" 'BEGIN {printf "one edit / full build = %.2f; with the cache / without = %.2f\n", e / f, e / p}'
