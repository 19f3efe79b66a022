#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make deb: xbr's Debian package, built by dpkg-buildpackage (binary only,
# unsigned) from debian/ in a copy of the tree, so that the work tree gets
# none of its debian/xbr, debian/.debhelper or build/ output. The copy is
# the tree as git sees it (tracked files and new ones not ignored; outside
# a git checkout, everything but build/). Results: build/deb/*.deb, the
# log in build/deb/build.log.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/build/deb
src=$out/xbr

rm -rf "$out"
mkdir -p "$src"
if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	git -C "$root" ls-files -z --cached --others --exclude-standard |
		while IFS= read -r -d '' f; do
			[ -e "$root/$f" ] || [ -L "$root/$f" ] && printf '%s\0' "$f"
		done | tar -C "$root" --null -T - -cf - | tar -C "$src" -xf -
else
	tar -C "$root" --exclude=./build -cf - . | tar -C "$src" -xf -
fi

echo "deb: dpkg-buildpackage in $src (log: $out/build.log)"
if ! (cd "$src" && dpkg-buildpackage -b -uc -us -j"$(nproc)") >"$out/build.log" 2>&1; then
	tail -n 40 "$out/build.log" >&2
	echo "deb: dpkg-buildpackage failed: $out/build.log" >&2
	exit 1
fi
ls "$out"/*.deb
