#!/usr/bin/env bash
# Reading a workbook with a sheet of ROWS reported values (default 200,000, made
# by examples/big_sheet.rs: ROWS/10 indicators, percent-formatted values, date
# cells) with gongkai's reader, as a build reads a notice's data files
# (examples/read_data.rs, release build), RUNS times (default 5); then the same
# figures as CSV files, for comparison. Prints the median wall time and the median
# peak memory (maximum resident set size, /usr/bin/time -v) of each.
#
#     bash bench/read_sheet.sh [ROWS] [RUNS]
set -euo pipefail
rows=${1:-200000}
runs=${2:-5}
repo=$(cd "$(dirname "$0")/.." && pwd)
cargo build --release --quiet --example big_sheet --example read_data --manifest-path "$repo/Cargo.toml"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$repo/target/release/examples/big_sheet" "$work/site" "$rows"
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
measure() {
  local label=$1; shift
  local secs=() kib=()
  for _ in $(seq "$runs"); do
    if ! /usr/bin/time -v -o "$work/time" "$repo/target/release/examples/read_data" "$@" >"$work/out" 2>&1; then
      cat "$work/out" "$work/time" >&2; exit 1
    fi
    secs+=("$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; print s}' "$work/time")")
    kib+=("$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time")")
  done
  echo "$label: $(cat "$work/out")"
  echo "  median $(median "${secs[@]}") s (runs: ${secs[*]}), peak memory median $(( $(median "${kib[@]}") / 1024 )) MiB"
}
echo "rows: $rows, runs: $runs, $(nproc) cores"
measure "workbook ($(du -k "$work/site/content/plan/big.xlsx" | cut -f1) KiB .xlsx)" "$work/site/content/plan/big.xlsx"
measure "same figures as CSV ($(du -ck "$work/site/csv/"*.csv | tail -1 | cut -f1) KiB)" "$work/site/csv/indicators.csv" "$work/site/csv/targets.csv" "$work/site/csv/actuals.csv"
