#!/usr/bin/env bash
# bench/archive_year.sh with its work folder on a freshly made filesystem, since
# what `du` counts for a folder depends on it (ext4: 4 KiB each; XFS and btrfs:
# small folders inside their inode). Needs root (a loop mount) and mkfs.<fs>
# (packages xfsprogs, btrfs-progs).
#
#     sudo bash bench/archive_filesystems.sh ext4|ext4-inline|xfs|btrfs [NOTICES] [IMAGE_SIZE] [EDITS]
set -euo pipefail
fs=$1
notices=${2:-1000}
size=${3:-2G}
edits=${4:-revision}
bench=$(cd "$(dirname "$0")" && pwd)
scratch=$(mktemp -d)
img="$scratch/fs.img"
mnt="$scratch/mnt"
cleanup() { umount "$mnt" 2>/dev/null || true; rm -rf "$scratch"; }
trap cleanup EXIT
truncate -s "$size" "$img"
case $fs in
  ext4) mkfs.ext4 -q -F "$img" ;;
  ext4-inline) mkfs.ext4 -q -F -O inline_data "$img" ;;
  xfs) mkfs.xfs -q -f "$img" ;;
  btrfs) mkfs.btrfs -q -f "$img" >/dev/null ;;
  *) echo "unknown filesystem $fs (ext4, ext4-inline, xfs, btrfs)" >&2; exit 2 ;;
esac
mkdir -p "$mnt"
mount -o loop "$img" "$mnt"
echo "filesystem: $fs"
TMPDIR=$mnt bash "$bench/archive_year.sh" "$notices" 2024 "$edits"
