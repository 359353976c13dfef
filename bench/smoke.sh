#!/usr/bin/env bash
# Every benchmark once on a tiny corpus: they must run and print (`.ci/run` calls
# this). The figures mean nothing at this size; see the README's Performance section.
set -euo pipefail
bench=$(cd "$(dirname "$0")" && pwd)
n=${1:-60}
echo "== build vs hugo"; bash "$bench/build_vs_hugo.sh" "$n" 1
echo "== rebuild";        bash "$bench/rebuild.sh" "$n" 1
echo "== serve latency";  python3 "$bench/serve_latency.py" "$n" 2
echo "== search";         bash "$bench/search.sh" "$n"
echo "== archive year";   bash "$bench/archive_year.sh" "$n"
echo "== read sheet";     bash "$bench/read_sheet.sh" 2000 1
echo "== import docx";    bash "$bench/import_docx.sh" 1 200
