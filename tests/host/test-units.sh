#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The systemd units as installed: systemd-analyze verify finds nothing to
# say about them, their ordering is the one README promises, and the
# commands they run work when run as systemd would (its environment, its
# expansion of the lines) in namespaces of ours:
# - xbr.service's ExecStartPre mounts bpffs on an unmounted pin root, once;
# - xbr-vhost@vm1 serves vport vm1 from /etc/xbr/vhost/vm1.conf, binds its
#   queues and leaves on SIGTERM (systemctl stop) with the map cleaned;
#   with PORT=tap, xbr-vhost@vt3 serves the tap vt3, a port of the bridge,
#   and a tap outside the bridge is refused.
# xbr.service's ExecStart (xbr apply) is test-boot's, xbrd.service
# test-agent's.
. "$(dirname "$0")/../lib/net.sh"
. "$(dirname "$0")/lib.sh"
xt_init host-units
xt_need_xbr
xt_need systemd-analyze jq python3 unshare mountpoint
host_install

# -- verify: any word from it (an unknown key, a missing binary) fails.
vdir=$XT_TMP/verify
mkdir -p "$vdir"
cp "$H_UNITS/xbr.service" "$vdir/"
cp "$H_UNITS/xbr-vhost@.service" "$vdir/xbr-vhost@vm1.service"
for u in xbr.service xbr-vhost@vm1.service; do
	out=$(cd "$vdir" && systemd-analyze verify --man=no "./$u" 2>&1) ||
		xt_fail "systemd-analyze verify $u: $out"
	[ -z "$out" ] || xt_fail "systemd-analyze verify $u says: $out"
	xt_log "ok: systemd-analyze verify $u: clean"
done

# -- ordering, as README says: before network-pre (so ifupdown/networkd see
# br0), before libvirt; the agent and xbr-vhost after xbr.service.
unit_has() { grep -Eq "^$2=(.* )?$3( |\$)" "$H_UNITS/$1" || xt_fail "$1 has no $2=$3"; }
unit_has xbr.service Before network-pre.target
unit_has xbr.service Wants network-pre.target
unit_has xbr.service Before libvirtd.service
unit_has xbr.service Type oneshot
unit_has xbr.service RemainAfterExit yes
unit_has xbr.service WantedBy multi-user.target
grep -Eq '^After=.*network' "$H_UNITS/xbr.service" &&
	xt_fail "xbr.service is ordered after a network target: $(grep '^After=' "$H_UNITS/xbr.service")"
unit_has xbrd.service After xbr.service
unit_has xbrd.service Restart on-failure
unit_has xbr-vhost@.service After xbr.service
unit_has xbr-vhost@.service Restart on-failure
grep -q "^ExecStart=$H_SBIN/xbr --pin-root \${XBR_PIN_ROOT} apply \${XBR_CONF}\$" \
	"$H_UNITS/xbr.service" || xt_fail "xbr.service does not run xbr apply of XBR_CONF"
grep -q "^Environment=XBR_CONF=$H_ETC/xbr.conf\$" "$H_UNITS/xbr.service" ||
	xt_fail "xbr.service does not default to $H_ETC/xbr.conf"
xt_log "ok: ordering before network-pre.target and libvirt; agent and vhost after xbr.service"

# -- xbr.service ExecStartPre, in a mount namespace of ours: bpffs on an
# unmounted pin root, and nothing more the second time.
pins=$XT_TMP/bootpins
mkdir -p "$pins"
host_unit_cmds xbr.service ExecStartPre -e XBR_PIN_ROOT="$pins"
for line in "${HOST_CMDS[@]}"; do
	if [ "${line%%$'\t'*}" = - ]; then
		echo "${line#*$'\t'} || true"
	else
		echo "${line#*$'\t'} || exit 1"
	fi
done >"$XT_TMP/pre.sh"
out=$(unshare --mount --propagation private bash -c '
	. "$1" && findmnt -n -o FSTYPE "$2" &&
	. "$1" && findmnt -n -o FSTYPE "$2" | wc -l && stat -f -c %T "$2"' \
	_ "$XT_TMP/pre.sh" "$pins" 2>&1) || xt_fail "xbr.service ExecStartPre: $out"
mountpoint -q "$pins" && xt_fail "the pin root mount escaped our mount namespace"
[ "$(printf '%s\n' "$out" | tail -3 | tr '\n' ' ')" = "bpf 1 bpf_fs " ] ||
	xt_fail "ExecStartPre did not mount bpffs exactly once: $out"
xt_log "ok: xbr.service ExecStartPre mounts bpffs on an unmounted pin root, once"

# -- xbr-vhost@vm1: its env file, its ExecStart, a stop.
xt_ns br
xbr_in br bridge add br0 || xt_fail "bridge add br0"
xbr_in br vport add br0 vm1 queues 2 2>/dev/null || xt_fail "vport add vm1"
sock=$XT_TMP/vm1.sock
mkdir -p "$H_ETC/vhost"
cat >"$H_ETC/vhost/vm1.conf" <<EOF
# vport vm1 of br0, with a socket of the test's
BRIDGE=br0
QUEUES=2
OPTIONS="--socket $sock -q"
EOF
host_unit_cmds xbr-vhost@.service ExecStart -i vm1 -e XBR_PIN_ROOT="$XBR_PIN_ROOT"
[ ${#HOST_CMDS[@]} = 1 ] || xt_fail "xbr-vhost@ has ${#HOST_CMDS[@]} ExecStart lines"
eval "cmd=(${HOST_CMDS[0]#*$'\t'})"
xt_log "xbr-vhost@vm1: $(host_cmd_words "${cmd[@]}")"
xt_bg br "${cmd[@]}" 2>"$XT_TMP/vhost.log"
vpid=$XT_LAST_PID
sockets() { xbr_in br -j vport show br0 vm1 | jq '.[0].sockets'; }
xt_wait 10 test -S "$sock" || { cat "$XT_TMP/vhost.log"; xt_fail "xbr-vhost@vm1 made no socket $sock"; }
xt_wait_eq 10 2 sockets ||
	xt_fail "xbr-vhost@vm1 bound $(sockets) of 2 queues: $(cat "$XT_TMP/vhost.log")"
xt_log "ok: xbr-vhost@vm1 listens on $sock with both queues in the XSKMAP"
kill -TERM "$vpid"
wait "$vpid"
rc=$?
[ $rc = 0 ] || xt_fail "xbr-vhost@vm1 exited $rc on SIGTERM: $(cat "$XT_TMP/vhost.log")"
[ "$(sockets)" = 0 ] || xt_fail "xbr-vhost@vm1 left $(sockets) sockets in the map"
xt_log "ok: SIGTERM (systemctl stop): exit 0, map empty"

# PORT=tap: the instance serves a tap that is a port of the bridge.
nsx br ip tuntap add dev vt3 mode tap multi_queue || xt_fail "tuntap add vt3"
xbr_in br port add br0 vt3 || xt_fail "port add vt3"
printf 'BRIDGE=br0\nQUEUES=2\nPORT=tap\nOPTIONS="-q"\n' >"$H_ETC/vhost/vt3.conf"
host_unit_cmds xbr-vhost@.service ExecStart -i vt3 -e XBR_PIN_ROOT="$XBR_PIN_ROOT" \
	-e XBR_RUN_DIR="$XT_TMP/run"
eval "cmd=(${HOST_CMDS[0]#*$'\t'})"
xt_log "xbr-vhost@vt3: $(host_cmd_words "${cmd[@]}")"
xt_bg br "${cmd[@]}" 2>"$XT_TMP/vhost-tap.log"
vpid=$XT_LAST_PID
sock=$XT_TMP/run/br0/vt3.sock
xt_wait 10 test -S "$sock" || { cat "$XT_TMP/vhost-tap.log"; xt_fail "xbr-vhost@vt3 made no socket $sock"; }
served_queues() { grep -c '"queue":' "$sock.stats"; }
xt_wait_eq 5 2 served_queues ||
	xt_fail "xbr-vhost@vt3 does not serve 2 queues: $(cat "$XT_TMP/vhost-tap.log")"
kill -TERM "$vpid"
wait "$vpid"
rc=$?
[ $rc = 0 ] || xt_fail "xbr-vhost@vt3 exited $rc on SIGTERM: $(cat "$XT_TMP/vhost-tap.log")"
xt_log "ok: xbr-vhost@vt3 (PORT=tap) listens on $sock with 2 queues, stops with 0"
# A tap that is no port of the bridge is refused, naming both.
nsx br ip tuntap add dev vt4 mode tap || xt_fail "tuntap add vt4"
printf 'BRIDGE=br0\nPORT=tap\nOPTIONS="--socket %s"\n' "$XT_TMP/vt4.sock" >"$H_ETC/vhost/vt4.conf"
host_unit_cmds xbr-vhost@.service ExecStart -i vt4 -e XBR_PIN_ROOT="$XBR_PIN_ROOT"
eval "cmd=(${HOST_CMDS[0]#*$'\t'})"
err=$(timeout 10 ip netns exec "$(xt_nsname br)" "${cmd[@]}" 2>&1) &&
	xt_fail "xbr-vhost@vt4 served a tap that is no port of br0"
grep -q "tap vt4 is not a port of bridge br0" <<<"$err" || xt_fail "xbr-vhost@vt4: $err"
xt_log "ok: xbr-vhost@vt4 on a tap outside the bridge fails: ${err%%$'\n'*}"

# An instance whose vport does not exist fails (and systemd would say why).
printf 'BRIDGE=br0\nOPTIONS="--socket %s"\n' "$XT_TMP/vm9.sock" >"$H_ETC/vhost/vm9.conf"
host_unit_cmds xbr-vhost@.service ExecStart -i vm9 -e XBR_PIN_ROOT="$XBR_PIN_ROOT"
eval "cmd=(${HOST_CMDS[0]#*$'\t'})"
err=$(timeout 10 ip netns exec "$(xt_nsname br)" "${cmd[@]}" 2>&1) &&
	xt_fail "xbr-vhost@vm9 ran without a vport vm9"
grep -q vm9 <<<"$err" || xt_fail "xbr-vhost@vm9's error does not name the vport: $err"
xt_log "ok: xbr-vhost@vm9 without a vport fails: ${err%%$'\n'*}"
exit 0
