#!/usr/bin/env bash
# Reading a workbook with a sheet of ROWS reported values (default 200,000, made
# by examples/big_sheet.rs: ROWS/10 indicators, percent-formatted values, date
# cells): `gongkai check` on a site of that one notice, RUNS times (default 5),
# with the release binary. Prints the median wall time and the median peak
# memory (maximum resident set size, /usr/bin/time -v).
#
#     bash bench/read_sheet.sh [ROWS] [RUNS]
set -euo pipefail
rows=${1:-200000}
runs=${2:-5}
repo=$(cd "$(dirname "$0")/.." && pwd)
cargo build --release --quiet --bin gongkai --example big_sheet --manifest-path "$repo/Cargo.toml"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$repo/target/release/examples/big_sheet" "$work/site" "$rows"
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
secs=(); kib=()
for _ in $(seq "$runs"); do
  if ! /usr/bin/time -v -o "$work/time" "$repo/target/release/gongkai" --root "$work/site" check >"$work/out" 2>&1; then
    cat "$work/out" "$work/time" >&2; exit 1
  fi
  grep -q '0 error(s)' "$work/out" || { cat "$work/out" >&2; exit 1; }
  secs+=("$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; print s}' "$work/time")")
  kib+=("$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time")")
done
echo "rows: $rows ($(du -k "$work/site/content/plan/big.xlsx" | cut -f1) KiB .xlsx), runs: $runs, $(nproc) cores"
echo "gongkai check: median $(median "${secs[@]}") s (runs: ${secs[*]})"
echo "peak memory:   median $(( $(median "${kib[@]}") / 1024 )) MiB (runs, KiB: ${kib[*]})"
