#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The manual pages as `make install` installs them: xbr(8), xbr-vhost(8),
# xbrd(8) and xbr.conf(5) are all there with every path filled in; groff
# (-ww, every warning), man-db (what lintian runs) and mandoc -T lint -W all
# render them without a word; and they cannot fall behind the programs:
# every object, command, keyword and option `xbr --help` lists is in
# xbr(8), every option of `xbr-vhost --help` in xbr-vhost(8), of `xbrd
# --help` in xbrd(8). A missing one is named.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }
skip() { printf 'SKIP: %s\n' "$*"; exit 77; }
log() { printf '  %s\n' "$*"; }
for c in groff mandoc man; do
	command -v "$c" >/dev/null || skip "$c not installed (scripts/deps.sh installs it)"
done
[ -x build/xbr ] && [ -x build/xbr-vhost ] && [ -x build/xbrd ] || fail "not built: run make"
tmp=$(mktemp -d /tmp/xbr-man-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

make -s install DESTDIR="$tmp/root" PREFIX=/usr >"$tmp/install.log" 2>&1 ||
	{ cat "$tmp/install.log"; fail "make install DESTDIR=$tmp/root PREFIX=/usr"; }
M=$tmp/root/usr/share/man
pages=(man8/xbr.8 man8/xbr-vhost.8 man8/xbrd.8 man5/xbr.conf.5)
for p in "${pages[@]}"; do
	[ -f "$M/$p" ] || fail "make install left out $p: $(cd "$tmp/root" && find . -path '*man*' -type f)"
done
[ "$(find "$M" -type f | wc -l)" = ${#pages[@]} ] || fail "unexpected pages: $(find "$M" -type f)"
left=$(grep -l '@[A-Z]*@' "${pages[@]/#/$M/}" || true)
[ -z "$left" ] || fail "placeholders left in: $left"
grep -q '^\.IR /usr/libexec/xbr/qemu\\-ifup ' "$M/man8/xbr.8" ||
	fail "xbr(8) does not name the installed qemu-ifup"
log "ok: make install puts ${pages[*]} under /usr/share/man, paths filled in"

# Rendering: nothing on stderr, nothing from the linter.
for p in "${pages[@]}"; do
	f=$M/$p
	out=$(groff -ww -man -Tutf8 -z "$f" 2>&1) || fail "groff $p: $out"
	[ -z "$out" ] || fail "groff -ww $p says: $out"
	out=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z "$f" 2>&1 >/dev/null) ||
		fail "man -l $p: $out"
	[ -z "$out" ] || fail "man --warnings -l $p says: $out"
	out=$(mandoc -T lint -W all "$f" 2>&1) || fail "mandoc -T lint $p: $out"
	[ -z "$out" ] || fail "mandoc -T lint -W all $p says: $out"
	log "ok: $p: groff -ww, man --warnings and mandoc -T lint -W all say nothing"
done

# text PAGE: the page as a reader sees it, on one line (words never hyphenated:
# the pages turn hyphenation off).
text() { mandoc -T ascii "$M/$1" | sed 's/.\x08//g' | tr -s ' \n' '  '; }
has() { grep -qF -- "$2" <<<"$1"; }
# has_word TEXT WORD: WORD stands alone (not inside a longer keyword).
has_word() { grep -qE -- "(^|[^a-z0-9_-])$(sed 's/[][\.*^$|+?(){}]/\\&/g' <<<"$2")([^a-z0-9_-]|\$)" <<<"$1"; }

missing=()
page=$(text man8/xbr.8)
usage=$("${XBR:-build/xbr}" --help)
# The OBJECT := { ... } list, over as many lines as it takes.
objects=$(sed -n '/OBJECT := {/,/}/p' <<<"$usage" | tr '\n' ' ' |
	sed -n 's/.*OBJECT := {\([^}]*\)}.*/\1/p' | tr -d '|')
[ -n "$objects" ] || fail "xbr --help has no 'OBJECT := { ... }' line"
for o in $objects; do
	has "$page" "xbr $o" || missing+=("object $o")
done
# Synopsis lines ("  xbr OBJECT [COMMAND] ..." and their continuations):
# "xbr OBJECT COMMAND" must be in the page, and every keyword after it.
synopsis=$(awk '/^  xbr [a-z]/ { s = 1; print; next }
	s && /^      *[^ ]/ { print; next } { s = 0 }' <<<"$usage")
[ "$(grep -c '^  xbr ' <<<"$synopsis")" -ge 20 ] || fail "found too few commands in xbr --help: $synopsis"
cmds=0 kws=0
while read -r line; do
	set -- $line
	if [ "$1" = xbr ]; then
		obj=$2
		shift 2
		if [[ ${1:-} =~ ^[a-z] ]]; then
			cmd="xbr $obj $1"
			shift
		else
			cmd="xbr $obj"
		fi
		cmds=$((cmds + 1))
		has "$page" "$cmd" || missing+=("command '$cmd'")
	fi
	for w in "$@"; do
		for k in $(tr '[]{}|,.' '       ' <<<"$w"); do
			[[ $k =~ ^(-|--)?[a-z][a-z0-9-]*$ ]] || continue
			kws=$((kws + 1))
			has_word "$page" "$k" || missing+=("keyword '$k' of '$cmd'")
		done
	done
done <<<"$synopsis"
for o in -j -json -s -statistics --pin-root -batch -force -h --help -V --version; do
	has_word "$page" "$o" || missing+=("option $o")
done
log "xbr --help: $(grep -c '^  xbr ' <<<"$synopsis") synopsis lines"
[ ${#missing[@]} = 0 ] || fail "xbr(8) lacks what xbr --help lists: $(printf '%s; ' "${missing[@]}")"
log "ok: xbr(8) has every object ($(wc -w <<<"$objects")), command ($cmds), keyword ($kws) and option of xbr --help"

for prog in xbr-vhost xbrd; do
	page=$(text "man8/$prog.8")
	opts=$("build/$prog" --help | grep -oE -- '(^|[ [|{(])--?[a-z][a-z-]*' | sed 's/^[^-]*//' | sort -u)
	[ -n "$opts" ] || fail "$prog --help lists no option"
	missing=()
	for o in $opts --help; do
		has_word "$page" "$o" || missing+=("$o")
	done
	[ ${#missing[@]} = 0 ] || fail "$prog(8) lacks options of $prog --help: ${missing[*]}"
	log "ok: $prog(8) has every option of $prog --help: $(tr '\n' ' ' <<<"$opts")"
done
exit 0
