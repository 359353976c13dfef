#!/usr/bin/env bash
# `gongkai import` of a ~1 MB Word document with the release binary: the document
# is made by examples/make_docx.rs (the three samples' paragraphs over and over,
# Word-numbered headings, tables with merged cells); each round imports it into a
# fresh folder; prints every round and the median in milliseconds.
#
#     bash bench/import_docx.sh [ROUNDS] [PARAGRAPHS]
set -euo pipefail
rounds=${1:-9}
paragraphs=${2:-3500}
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$repo"
cargo build --release --quiet
cargo run --release --quiet --example make_docx -- bench "$work/big.docx" "$paragraphs"
mkdir -p "$work/site/content"
times=()
for round in $(seq 1 "$rounds"); do
  rm -rf "$work/site/content/imported"
  start=$(date +%s%N)
  "$repo/target/release/gongkai" --root "$work/site" import "$work/big.docx" > "$work/report.txt"
  end=$(date +%s%N)
  ms=$(( (end - start) / 1000000 ))
  times+=("$ms")
  echo "round $round: $ms ms"
done
grep -q "wrote " "$work/report.txt" || { cat "$work/report.txt"; exit 1; }
echo "body: $(wc -c < "$work/site/content/imported/big/index.md") bytes of Markdown"
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
echo "median of $rounds: $median ms"
