#!/usr/bin/env bash
# Publish a built site so that readers never see half of it: upload the new build
# beside the release being served, then swap the two in one step.
#
#   bash docs/operator/publish.sh output/ /srv/gongkai              on this machine
#   bash docs/operator/publish.sh output/ deploy@www:/srv/gongkai   on a server, over ssh
#
# The web server serves DIR/current, a link to the release in DIR/releases/. A
# release holds only what changed since the last one: unchanged files are hard
# links to it (rsync --link-dest). The five newest releases are kept, so the last
# one can be put back by pointing `current` at it.
set -euo pipefail
src=${1:?usage: publish.sh OUTPUT_DIR [USER@HOST:]DIR}
dest=${2:?usage: publish.sh OUTPUT_DIR [USER@HOST:]DIR}
[ -f "$src/catalogue.json" ] || { echo "publish.sh: $src is not a gongkai build (no catalogue.json)" >&2; exit 1; }
case $dest in
  *:*) host=${dest%%:*}; dir=${dest#*:}; on() { ssh "$host" "$@"; } ;;
  *) host=; dir=$dest; on() { bash -c "$*"; } ;;
esac
release=$(date -u +%Y%m%dT%H%M%S%N)
# 1. Upload into a new release folder.
on "mkdir -p '$dir/releases'"
previous=$(on "readlink '$dir/current' 2>/dev/null || true")
rsync -a --delete ${previous:+--link-dest="../${previous#releases/}"} "${src%/}/" "${host:+$host:}$dir/releases/$release/"
# 2. Swap: a new link renamed over the old one; a rename is atomic.
on "ln -sfn 'releases/$release' '$dir/current.new' && mv -T '$dir/current.new' '$dir/current'"
# 3. Keep the five newest releases.
on "cd '$dir/releases' && ls -1 | sort | head -n -5 | xargs -r rm -rf"
echo "published $src as $dir/releases/$release (now $dir/current)"
