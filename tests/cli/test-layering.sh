#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# No file in user/ depends on a file that depends back on it: the modules'
# dependencies (a symbol one object file uses and another defines, from nm)
# and the #include graph of user/ must both be free of cycles. Prints the
# module graph, lowest layer first, into the log.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
command -v nm >/dev/null && command -v tsort >/dev/null || { echo "SKIP: needs nm and tsort"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }

objs=()
for d in lib cli vhost; do
	for o in build/"$d"/*.o; do
		[ -e "$o" ] && objs+=("$o")
	done
done
[ ${#objs[@]} -gt 10 ] || fail "no objects under build/{lib,cli,vhost}: run make first"

# "D module symbol" for what a module defines, "U module symbol" for what it uses.
for o in "${objs[@]}"; do
	m=$(basename "$(dirname "$o")")/$(basename "$o" .o)
	nm "$o" | awk -v m="$m" '$1 == "U" { print "U", m, $2 }
		NF == 3 && $2 ~ /^[TDBRCGSV]$/ { print "D", m, $3 }'
done >"$tmp/syms"
awk '$1 == "D" { def[$3] = $2 } $1 == "U" { use[NR] = $2 " " $3 }
	END { for (i in use) { split(use[i], a, " ")
		if ((a[2] in def) && def[a[2]] != a[1]) print a[1], def[a[2]] } }' \
	"$tmp/syms" | sort -u >"$tmp/calls"
[ -s "$tmp/calls" ] || fail "found no dependencies between modules"
if ! tsort "$tmp/calls" >"$tmp/order" 2>"$tmp/loop"; then
	cat "$tmp/loop" >&2
	fail "the modules of user/ depend on each other in a circle (above)"
fi
echo "modules, each depending only on modules below it:"
tac "$tmp/order" | while read -r m; do
	printf '  %-18s %s\n' "$m" "$(awk -v m="$m" '$1 == m { printf "%s ", $2 }' "$tmp/calls")"
done

# Includes: "x.h" resolved next to the including file, then in user/lib
# (the -I the Makefile gives); generated skeletons are leaves.
find user -name '*.[ch]' | sort | while read -r f; do
	grep -o '^#include "[^"]*"' "$f" | sed 's/.*"\(.*\)"/\1/' | while read -r h; do
		for cand in "$(dirname "$f")/$h" "user/lib/$h"; do
			if [ -e "$cand" ]; then
				echo "$f $(realpath --relative-to=. "$cand")"
				break
			fi
		done
	done
done >"$tmp/includes"
if ! tsort "$tmp/includes" >/dev/null 2>"$tmp/loop"; then
	cat "$tmp/loop" >&2
	fail "headers of user/ include each other in a circle (above)"
fi
echo "ok: $(wc -l <"$tmp/calls") dependencies among ${#objs[@]} modules, $(wc -l <"$tmp/includes") includes: no cycle"

# The check itself must catch a cycle.
{ cat "$tmp/calls"; echo "lib/err lib/state"; } | tsort >/dev/null 2>&1 &&
	fail "tsort did not report a planted cycle"
echo "ok: a planted cycle (lib/err -> lib/state) is caught"
