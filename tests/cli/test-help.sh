#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Every object answers `help` with its grammar (exit 0); unknown objects and
# commands fail naming what was wrong.
set -e
. "$(dirname "$0")/cli.sh"
cli_init cli-help

declare -A WANT=(
	[bridge]="add del set reload show ageing host-port"
	[port]="add set del show mode learning flood"
	[fdb]="add del show flush static dynamic"
	[stats]="stats"
)
for obj in bridge port fdb stats; do
	out=$(x "$obj" help 2>&1) || xt_fail "xbr $obj help exits non-zero: $out"
	for w in ${WANT[$obj]}; do
		grep -qw -- "$w" <<<"$out" || xt_fail "xbr $obj help does not mention '$w': $out"
	done
	xt_log "ok: xbr $obj help"
done

out=$(x help 2>&1) || xt_fail "xbr help exits non-zero"
# Every object the usage lists answers help too.
# (The list may wrap onto following lines.)
objs=$(tr '\n' ' ' <<<"$out" | sed -n 's/.*OBJECT := {\([^}]*\)}.*/\1/p' | tr -d '|')
[ -n "$objs" ] || xt_fail "xbr help has no 'OBJECT := { ... }' line: $out"
for obj in $objs; do
	o=$(x "$obj" help 2>&1) || xt_fail "xbr $obj help exits non-zero: $o"
	grep -qi usage <<<"$o" || xt_fail "xbr $obj help prints no usage: $o"
done
xt_log "ok: help for every listed object: $objs"
for obj in bridge port fdb stats; do
	grep -qw "$obj" <<<"$out" || xt_fail "xbr help does not list '$obj': $out"
done
for opt in -j --pin-root; do
	grep -q -- "$opt" <<<"$out" || xt_fail "xbr help does not mention $opt"
done
xt_log "ok: xbr help lists objects and options"

out=$(x 2>&1) || true
grep -qw bridge <<<"$out" || xt_fail "xbr without arguments prints no usage: $out"
xt_log "ok: xbr without arguments prints usage"

xt_expect_err "unknown object" 'frobnicate' x frobnicate
xt_expect_err "unknown bridge command" 'frobnicate' x bridge frobnicate
xt_expect_err "unknown port command" 'frobnicate' x port frobnicate
xt_expect_err "unknown fdb command" 'frobnicate' x fdb frobnicate
xt_expect_err "unknown option" '\-\-frob' x --frob bridge show
xt_expect_err "missing bridge name" 'name|usage|bridge' x bridge add

# --pin-root overrides XBR_PIN_ROOT.
alt=$XT_TMP/alt
mkdir -p "$alt"
mount -t bpf bpf "$alt"
xt_at_exit "umount $alt"
x --pin-root "$alt" bridge add brA || xt_fail "bridge add with --pin-root"
[ -d "$alt/xbr/brA" ] || xt_fail "--pin-root ignored: no $alt/xbr/brA"
[ ! -e "$XBR_PIN_ROOT/xbr/brA" ] || xt_fail "--pin-root ignored: brA under XBR_PIN_ROOT"
x --pin-root "$alt" bridge del brA || xt_fail "bridge del with --pin-root"
xt_log "ok: --pin-root"
