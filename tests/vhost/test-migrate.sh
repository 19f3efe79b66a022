#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Live migration of a running guest between two QEMUs on one host, each on
# its own xbr-vhost and vport of the same bridge:
#
#   QEMU src --vhost-user-- xbr-vhost --vport vm1  (mac-locked) --\
#                                                                  br0 -- vnet1 == vif0 (ns h1)
#   QEMU dst --vhost-user-- xbr-vhost --vport vm1d --takeover vm1 -/
#
# While the guest pings h1 five times a second and receives a TCP stream
# from h1 (checked by md5 in the guest), QEMU migrates it to the
# destination (-incoming). Checked: the migration completes (downtime
# reported), the stream arrives intact, at most a few pings are lost
# (counted), the source logged dirty pages while QEMU asked it to, the
# destination found the rings where the source left them (the guest's used
# index equals the base QEMU carried over), the destination's xbr-vhost
# announced the guest (RARP seen in h1), the MAC lock moved from vm1 to
# vm1d, the FDB points at vm1d, and the destination carries traffic.
#
# What this cannot prove is that every write was logged: QEMU marks the
# used ring dirty itself when it stops the rings, and TCP heals a segment
# read from a stale buffer (checksum or sequence number, then a resend),
# so the md5 matches even with logging off (tried: it did). The unit tests
# and fuzz_ring check the log itself: every page the walker writes must be
# marked.
# VH_PACKED=1 (test-migrate-packed.sh): the same on packed rings.
. "$(dirname "$0")/../lib/net.sh"
. "$(dirname "$0")/lib.sh"
xt_init vhost-migrate
vh_need_build
[ -x "$XBR" ] || xt_skip "build/xbr not built"
vh_guest_need
VH_GUEST_MAC=52:54:00:12:34:56
H1_MAC=02:00:00:00:00:01
STREAM_MB=${VH_STREAM_MB:-32}
export XBR_RUN_DIR=$XT_TMP/run

vh_guest_initrd "$(cat <<'INIT'
ping -i 0.2 10.199.0.1 >/tmp/ping 2>&1 &
pingpid=$!
(nc -l -p 5000 | md5sum >/tmp/md5) &
ncpid=$!
echo "GUEST READY"
wait $ncpid
sleep 1
kill -INT $pingpid
sleep 1
echo "GUEST MD5 $(cut -d' ' -f1 /tmp/md5)"
echo "GUEST PINGS $(grep 'packets transmitted' /tmp/ping)"
echo "GUEST TCP $(grep '^Tcp:' /proc/net/snmp | head -1)"
echo "GUEST TCP $(grep '^Tcp:' /proc/net/snmp | tail -1)"
echo "GUEST DONE"
sleep 60
poweroff -f
INIT
)"

xt_ns br
xt_ns h1
xt_veth br vnet1 h1 vif0 "$H1_MAC"
xt_addr h1 vif0 10.199.0.1/24
xbr_in br bridge add br0 || xt_fail "bridge add"
xbr_in br port add br0 vnet1 || xt_fail "port add vnet1"
xbr_in br vport add br0 vm1 mac "$VH_GUEST_MAC" || xt_fail "vport add vm1"
xbr_in br vport add br0 vm1d || xt_fail "vport add vm1d"

# port_lock DEV: "locked MAC,MAC..." of a bridge port, from `xbr -j port show`.
port_lock()
{
	xbr_in br -j port show br0 | python3 -c '
import json, sys
for p in json.load(sys.stdin):
    if p["dev"] == sys.argv[1]:
        print("locked" if p.get("locked") else "unlocked", ",".join(p.get("macs", [])) or "-")' "$1"
}

# fdb_port MAC: the port the FDB has MAC on.
fdb_port()
{
	xbr_in br -j fdb show br0 | python3 -c '
import json, sys
for e in json.load(sys.stdin):
    if e.get("mac", "").lower() == sys.argv[1].lower():
        print(e.get("dev") or e.get("port"))' "$1"
}

start_vhost()	# NAME VPORT [ARGS...]
{
	local name=$1 vport=$2
	shift 2
	xt_bg br "$VH_BIN" --bridge br0 --vport "$vport" "$@" 2>>"$XT_TMP/$name.log"
	for _ in $(seq 50); do
		[ -S "$XBR_RUN_DIR/br0/$vport.sock" ] && return 0
		sleep 0.1
	done
	cat "$XT_TMP/$name.log"
	xt_fail "xbr-vhost $name did not start"
}

stat_of()	# SOCK NAME: a top-level or queue-0 counter of an xbr-vhost
{
	sed -n "s/.*\"$2\":\([0-9]*\).*/\1/p" "$1.stats" | head -1
}

fail()
{
	for f in src.console dst.console src.log dst.log; do
		echo "---- $f"
		tail -40 "$XT_TMP/$f" | grep -v "vring . enabled$"
	done
	xt_fail "$*"
}

start_vhost src vm1
start_vhost dst vm1d --takeover vm1
SRC_SOCK=$XBR_RUN_DIR/br0/vm1.sock
DST_SOCK=$XBR_RUN_DIR/br0/vm1d.sock
[ "$(port_lock vm1d-br)" = "locked -" ] ||
	fail "destination port before the migration: $(port_lock vm1d-br), want locked without MAC"
xt_log "before: vm1-br $(port_lock vm1-br), vm1d-br $(port_lock vm1d-br) (pending)"

vh_qemu src "$SRC_SOCK" 1
vh_qemu dst "$DST_SOCK" 1 -incoming "unix:$XT_TMP/migrate.sock"
vh_console_wait src "GUEST READY" || fail "guest did not boot"
sleep 1
[ "$(fdb_port "$VH_GUEST_MAC")" = vm1-br ] || fail "FDB has the guest on $(fdb_port "$VH_GUEST_MAC") before"

head -c "${STREAM_MB}M" /dev/urandom >"$XT_TMP/stream"
want_md5=$(md5sum <"$XT_TMP/stream" | cut -d' ' -f1)
xt_bg h1 python3 "$(dirname "$0")/rarp_count.py" vif0 "$VH_GUEST_MAC" 240 >"$XT_TMP/rarps"
# ~8 s of stream at 4 MiB/s: the migration happens in its middle.
xt_bg h1 timeout 200 python3 "$(dirname "$0")/tcp_send.py" 10.199.0.2 5000 "$XT_TMP/stream" \
	"${VH_STREAM_RATE:-4}" >"$XT_TMP/sender.out" 2>&1
sender=$XT_LAST_PID
sleep 3	# the stream is flowing

qmp=$(dirname "$0")/qmp.py
python3 "$qmp" "$XT_TMP/src.qmp" migrate-set-parameters '{"max-bandwidth": 4294967296}' >/dev/null ||
	fail "migrate-set-parameters"
python3 "$qmp" "$XT_TMP/src.qmp" migrate "{\"uri\": \"unix:$XT_TMP/migrate.sock\"}" >/dev/null ||
	fail "QEMU refused to migrate (see src.console)"
result=$(python3 "$qmp" "$XT_TMP/src.qmp" migrate-wait 150) || fail "migration failed: $result"
downtime=$(python3 -c 'import json,sys; r=json.loads(sys.argv[1]); print(r.get("downtime"), r.get("total-time"))' "$result")
xt_log "migration completed: downtime ${downtime% *} ms, total ${downtime#* } ms"
[ -e "$XT_TMP/sender.out" ] && [ ! -s "$XT_TMP/sender.out" ] ||
	fail "the stream ended before the migration did: $(cat "$XT_TMP/sender.out")"
sleep 1.2	# stats files are rewritten every second
dirty=$(stat_of "$SRC_SOCK" dirty_pages)
python3 "$qmp" "$XT_TMP/src.qmp" quit >/dev/null 2>&1

wait "$sender" || fail "the stream could not be sent to the guest: $(cat "$XT_TMP/sender.out")"
xt_log "stream sent: $(cat "$XT_TMP/sender.out")"
vh_console_wait dst "GUEST DONE" 120 || fail "the guest did not finish on the destination"
got_md5=$(grep -o 'GUEST MD5 [0-9a-f]*' "$XT_TMP/dst.console" | cut -d' ' -f3)
pings=$(grep -o 'GUEST PINGS.*' "$XT_TMP/dst.console")
tx=$(echo "$pings" | grep -o '[0-9]* packets transmitted' | grep -o '^[0-9]*')
rx=$(echo "$pings" | grep -o '[0-9]* packets received' | grep -o '^[0-9]*')
xt_log "stream of $STREAM_MB MiB: sent $want_md5, guest got ${got_md5:-nothing}"
[ -n "$got_md5" ] && [ "$got_md5" = "$want_md5" ] || fail "the stream arrived damaged or not at all"
xt_log "pings every 0.2 s: $tx sent, $rx answered, $((tx - rx)) lost"
[ -n "$tx" ] && [ "$tx" -gt 10 ] || fail "the guest's ping did not run: $pings"
[ $((tx - rx)) -le "${VH_MAX_LOST:-10}" ] || fail "$((tx - rx)) pings lost"
grep -q "completions never reached" "$XT_TMP/dst.log" &&
	fail "used ring writes of the source were lost: $(grep -o 'vring.*reached' "$XT_TMP/dst.log")"
xt_log "source xbr-vhost marked $dirty dirty pages"
[ -n "$dirty" ] && [ "$dirty" -gt 0 ] || fail "the source logged no dirty page"

rarps=$(tail -1 "$XT_TMP/rarps")
xt_log "RARPs from the guest's MAC seen in h1: ${rarps:-0} (destination announces: $(stat_of "$DST_SOCK" announces))"
[ -n "$rarps" ] && [ "$rarps" -ge 1 ] || fail "no announce reached h1"
xt_log "after: vm1-br $(port_lock vm1-br), vm1d-br $(port_lock vm1d-br)"
[ "$(port_lock vm1d-br)" = "locked $VH_GUEST_MAC" ] || fail "the MAC lock did not move to vm1d-br"
[ "$(port_lock vm1-br)" = "locked -" ] || fail "vm1-br still has $(port_lock vm1-br)"
[ "$(fdb_port "$VH_GUEST_MAC")" = vm1d-br ] || fail "FDB has the guest on $(fdb_port "$VH_GUEST_MAC")"
xt_log "FDB: the guest is on vm1d-br"
nsx h1 ping -c 3 -i 0.2 -W 2 10.199.0.2 >/dev/null || fail "h1 cannot ping the guest after the migration"
xt_log "h1 pings the guest on the destination; dst xbr-vhost moved $(stat_of "$DST_SOCK" rx_frames) frames to it, $(stat_of "$DST_SOCK" tx_frames) from it"
[ "$(stat_of "$DST_SOCK" tx_frames)" -gt 0 ] || fail "the destination's xbr-vhost carried nothing"
vh_check_layout "$XT_TMP/dst.log"
exit 0
