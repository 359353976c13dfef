#!/usr/bin/env bash
# The README's test command: install what the tests need, where this machine lets
# it, then run every test with nothing skipped, and each benchmark once.
#
#   bash tests/run.sh [cargo test arguments]
#
# What it installs, and where:
#   - Debian packages: chromium (the browser tests), hugo (the build benchmark's
#     peer), nginx and rsync (the publishing test) — with apt-get when run as root or with
#     password-less sudo; else it lists them with the command to install them;
#   - npm packages of tests/search (playwright-core, axe-core; pinned in its lock
#     file, never a browser download) into tests/search/node_modules;
#   - Python tools, each in a virtual environment inside .tools/ (git-ignored):
#     the Library of Congress BagIt validator, Webrecorder's WACZ validator with the
#     WARC reader and indexer, and pywb, the replay server (in one of its own: it
#     pins versions the others do not share).
# Then: cargo test, the fuzz targets' build (cargo check in fuzz/), bench/smoke.sh.
# GONGKAI_ALL_TESTS makes a test whose tool is missing fail rather than skip.
set -euo pipefail
cd "$(dirname "$0")/.."
tools=.tools
started=$SECONDS

missing=()
for pkg in chromium hugo nginx rsync; do
  command -v "$pkg" >/dev/null || [ -x "/usr/sbin/$pkg" ] || missing+=("$pkg")
done
command -v node >/dev/null || missing+=(nodejs npm)
command -v python3 >/dev/null || missing+=(python3)
python3 -c 'import venv, ensurepip' 2>/dev/null || missing+=(python3-venv)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then sudo=(); elif sudo -n true 2>/dev/null; then sudo=(sudo); else sudo=(none); fi
  if [ "${sudo[0]:-}" = none ]; then
    echo "tests/run.sh: the tests need Debian packages this user cannot install: ${missing[*]}" >&2
    echo "  install them with:  sudo apt-get install --no-install-recommends ${missing[*]}" >&2
    echo "  then run this command again" >&2
    exit 1
  fi
  echo "== installing ${missing[*]} (apt-get)"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

echo "== npm packages of tests/search"
npm ci --prefix tests/search --no-audit --no-fund --loglevel=error

# A virtual environment with these exact versions, made once (kept in .tools/).
venv() {
  local dir=$1; shift
  local stamp="$dir/.installed"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$*" ]; then
    echo "== Python tools: $* (in $dir)"
    rm -rf "$dir"
    python3 -m venv "$dir"
    "$dir/bin/python" -m pip install --quiet --disable-pip-version-check "$@"
    echo "$*" > "$stamp"
  fi
}
venv "$tools/venv" bagit==1.9.0 wacz==0.6.0 warcio==1.8.1 cdxj-indexer==1.5.0
venv "$tools/pywb" pywb==2.10.0
# The OCFL reference validator (ocfl-validate.py), in its own environment: its file-system library pins its own dependencies.
venv "$tools/ocfl" ocfl-py==2.1.0
# The tools on PATH for the tests and benchmarks; pywb's last, so python3 stays the system's.
PATH="$PWD/$tools/venv/bin:$PATH:$PWD/$tools/ocfl/bin:$PWD/$tools/pywb/bin:/usr/sbin"
export PATH GONGKAI_ALL_TESTS=1

echo "== cargo test"
cargo test "$@"
# The fuzz targets (docs/contributing.md) are a crate of their own that needs
# nightly to fuzz; on stable they must at least build against today's library.
echo "== fuzz targets build"
(cd fuzz && cargo check --quiet --bins)
echo "== each benchmark once, on a small site"
bash bench/smoke.sh
echo "== all tests passed, nothing skipped, in $((SECONDS - started)) s"
