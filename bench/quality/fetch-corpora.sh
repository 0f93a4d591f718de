#!/usr/bin/env bash
# Gets the review-quality benchmark's corpora at their pinned commits (bench/quality/corpora.tsv) into a
# folder, on a machine with internet access:  bench/quality/fetch-corpora.sh <folder> [name ...]
# Each corpus becomes <folder>/<name>, a plain work tree (no .git). Corpora already there are left alone.
set -euo pipefail
dest="${1:?usage: fetch-corpora.sh <folder> [name ...]}"; shift || true
here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$dest"
tail -n +2 "$here/corpora.tsv" | while IFS=$'\t' read -r name repo commit; do
  [ -n "$name" ] || continue
  if [ "$#" -gt 0 ] && ! printf '%s\n' "$@" | grep -qx "$name"; then continue; fi
  if [ -d "$dest/$name" ]; then echo "$name: already in $dest"; continue; fi
  echo "$name: $repo @ $commit"
  tmp="$(mktemp -d)"
  git -C "$tmp" init -q
  git -C "$tmp" remote add origin "https://github.com/$repo.git"
  git -C "$tmp" fetch -q --depth 1 origin "$commit"
  mkdir -p "$dest/$name"
  git -C "$tmp" archive FETCH_HEAD | tar -x -C "$dest/$name"
  rm -rf "$tmp"
done
