# Sourced by the benchmark scripts: builds the release binary and the corpus
# generator, and gives `repo`, a temporary `work` folder removed on exit, and
# `corpus DIR N` (a deterministic generated site of N notices in DIR).
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cargo build --release --quiet --bin gongkai --example corpus --manifest-path "$repo/Cargo.toml"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
corpus() { "$repo/target/release/examples/corpus" "$1" "$2" 2>/dev/null; }
