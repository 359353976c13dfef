#!/usr/bin/env bash
# bench/archive_year.sh with its work folder on a freshly made filesystem, since
# what `du` counts for a folder depends on it (ext4: 4 KiB each; XFS and btrfs:
# small folders inside their inode). Needs root for the loop mount and mkfs.<fs>
# (packages xfsprogs, btrfs-progs); under sudo the benchmark itself (and its cargo
# build) runs as the user who called sudo.
#
#     sudo bash bench/archive_filesystems.sh ext4|ext4-inline|xfs|btrfs [NOTICES] [IMAGE_SIZE] [EDITS]
set -euo pipefail
fs=${1:?usage: bench/archive_filesystems.sh ext4|ext4-inline|xfs|btrfs [NOTICES] [IMAGE_SIZE] [revision|silent]}
notices=${2:-1000}
size=${3:-2G}
edits=${4:-revision}
bench=$(cd "$(dirname "$0")" && pwd)
scratch=$(mktemp -d)
img="$scratch/fs.img"
mnt="$scratch/mnt"
cleanup() {
  # Never remove the image while it is still mounted.
  if mountpoint -q "$mnt" && ! umount "$mnt"; then
    echo "left mounted: $mnt ($img)" >&2
    return
  fi
  rm -rf "$scratch"
}
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
if [ -n "${SUDO_USER:-}" ]; then
  chown "$SUDO_USER" "$mnt"
  sudo -u "$SUDO_USER" env "PATH=$PATH" TMPDIR="$mnt" bash "$bench/archive_year.sh" "$notices" 2024 "$edits"
else
  TMPDIR=$mnt bash "$bench/archive_year.sh" "$notices" 2024 "$edits"
fi
