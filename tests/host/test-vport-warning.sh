#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# QEMU's -netdev af-xdp reads one queue's socket only: `xbr vport add ...
# queues N` (N > 1) and `xbr vport qemu` of such a vport say so on stderr,
# succeed all the same, and keep stdout clean for scripts. One queue: no
# warning.
set -e
. "$(dirname "$0")/../lib/net.sh"
xt_init host-vport-warning
xt_need_xbr
xt_ns br
x() { xbr_in br "$@"; }
x bridge add br0 || xt_fail "bridge add br0"

# stderr_of VAR CMD...: CMD must succeed; its stderr into VAR, stdout into VAR_out.
stderr_of()
{
	local var=$1 out
	shift
	out=$("$@" 2>"$XT_TMP/err") || xt_fail "$* failed: $(cat "$XT_TMP/err")"
	printf -v "$var" '%s' "$(cat "$XT_TMP/err")"
	printf -v "${var}_out" '%s' "$out"
}

warned() { grep -q "^xbr: warning: vport $2 has $3 queues.*af-xdp reads one queue only" <<<"$1"; }

stderr_of err x vport add br0 vm1
[ -z "$err" ] || xt_fail "vport add with 1 queue printed: $err"
stderr_of err x vport qemu br0 vm1 map-path
[ -z "$err" ] || xt_fail "vport qemu of a 1-queue vport printed: $err"
xt_log "ok: one queue, no warning"

stderr_of err x vport add br0 vm2 queues 2
warned "$err" vm2 2 || xt_fail "vport add queues 2 did not warn: '$err'"
grep -q "QEMU 10.0: queue 0; 10.1 and later with inhibit=on: the last one" <<<"$err" ||
	xt_fail "warning does not say which queue QEMU reads: $err"
[ "$(x -j vport show br0 vm2 | jq '.[0].queues')" = 2 ] ||
	xt_fail "vport vm2 was not made with 2 queues"
xt_log "ok: vport add queues 2 warns and makes the vport ($err)"

for form in "" map-path sock-fds; do
	# shellcheck disable=SC2086
	stderr_of err x vport qemu br0 vm2 $form
	warned "$err" vm2 2 || xt_fail "vport qemu ${form:-(all)} did not warn: '$err'"
	grep -q "xbr: warning" <<<"$err_out" && xt_fail "vport qemu $form put the warning on stdout"
	grep -q "af-xdp,id=vm2" <<<"$err_out" || xt_fail "vport qemu $form printed no -netdev: $err_out"
done
xt_log "ok: vport qemu of a 2-queue vport warns on stderr, stdout unchanged"

# A failed add warns about nothing: the error alone.
err=$(x vport add br0 vm2 queues 4 2>&1 >/dev/null) && xt_fail "second vport add vm2 succeeded"
warned "$err" vm2 4 && xt_fail "a failed vport add also warned: $err"
xt_log "ok: a refused add prints only its error ($err)"
exit 0
