#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Many CLIs at once, as when a hypervisor starts and stops VMs together:
# port add/del/set (locked too), vlan add/del, fdb add and bridge set race
# each other, in tc and in XDP mode, round after round. Afterwards the
# bridge holds exactly what was asked: every port once with its own id,
# counting only its own frames; flags, VLANs and flood sets as set; the
# config's derived flags right; broadcast reaching every flood port and no
# other; a port locked after it forwarded drops foreign sources at once
# (the ports generation moved). Then the waits: a held lock makes others
# wait with a message and go on when it is released, a reader never
# waits, and a holder killed -9 wedges nothing.
set -e
. "$(dirname "$0")/cli.sh"
cli_init cli-locking
xt_need bpftool flock timeout
PKT=$xt_root/tests/net/pkt.py
PIN=$XBR_PIN_ROOT/xbr
N=8
ROUNDS=${XBR_LOCK_ROUNDS:-3}
for i in 4 5 6 7; do
	xt_veth br vnet$i peer p$i 02:00:00:00:10:0$i
done
mac() { echo "02:00:00:00:10:0$1"; }

pf() { x -j port show br0 | jq -r --arg d "vnet$1" ".[] | select(.dev == \$d) | .$2"; }
cfg() { bpftool -j map dump pinned "$PIN/br0/config" | jq -r ".[0].formatted.value.$1"; }
ifx() { nsx br cat /sys/class/net/vnet$1/ifindex; }
st() { x -j stats br0 | jq -r --arg d "vnet$1" ".[] | select(.dev == \$d) | .$2"; }

# The XDP flood set's ifindexes (a devmap: raw little-endian keys).
flood_ports() { bpftool -j map dump pinned "$PIN/br0/flood_ports" | jq '.[].key |
	map(ltrimstr("0x") | explode | map(if . > 96 then . - 87 else . - 48 end) | .[0] * 16 + .[1]) |
	.[0] + .[1] * 256 + .[2] * 65536' | sort -n | tr '\n' ' '; }

# run_all LABEL CMD...: every command (a string) at once; all must succeed.
run_all()
{
	local label=$1 i pids=() cmds
	shift
	cmds=("$@")
	for i in "${!cmds[@]}"; do
		(eval "${cmds[$i]}") >"$XT_TMP/job$i" 2>&1 &
		pids+=($!)
	done
	for i in "${!pids[@]}"; do
		wait "${pids[$i]}" || xt_fail "$label: '${cmds[$i]}' failed: $(cat "$XT_TMP/job$i")"
	done
}

check_round()
{
	local mode=$1 i j ids want got k
	# Ports: each once, distinct ids.
	[ "$(x -j port show br0 | jq -c 'map(.dev) | sort')" = "$(seq 0 $((N - 1)) | sed 's/^/vnet/' | jq -R . | jq -s -c sort)" ] ||
		xt_fail "ports: $(x -j port show br0 | jq -c 'map(.dev)')"
	ids=$(bpftool -j map dump pinned "$PIN/br0/ports" | jq '[.[].formatted.value.id] | unique | length')
	[ "$ids" = $N ] || xt_fail "$N ports share $ids ids: $(bpftool -j map dump pinned "$PIN/br0/ports" |
		jq -c 'map(.formatted.value | {name, id})')"
	# Flags as set.
	for i in $(seq 0 $((N - 1))); do
		want="$([ $i = 1 ] || [ $i = 2 ] && echo true || echo false)/$([ $i = 3 ] && echo false || echo true)/$([ $i = 4 ] && echo false || echo true)"
		got="$(pf $i locked)/$(pf $i flood)/$(pf $i learning)"
		[ "$got" = "$want" ] || xt_fail "vnet$i locked/flood/learning $got, want $want"
	done
	# VLANs: vnet5 joined 10, vnet6 joined and left 20.
	[ "$(x -j vlan show br0 | jq -c '.[] | select(.dev == "vnet5") | [.vlans[].vid]')" = '[1,10]' ] ||
		xt_fail "vnet5 VLANs: $(x -j vlan show br0)"
	[ "$(x -j vlan show br0 | jq -c '.[] | select(.dev == "vnet6") | [.vlans[].vid]')" = '[1]' ] ||
		xt_fail "vnet6 VLANs: $(x -j vlan show br0)"
	# The config's own fields and what follows from the ports.
	[ "$(x -j bridge show br0 | jq -c '.[0] | [.ageing, .vlan_filtering, .xdp_flood]')" = "[$AGEING,true,$([ $mode = xdp ] && echo true || echo false)]" ] ||
		xt_fail "bridge show: $(x -j bridge show br0)"
	[ $(($(cfg flags) & 4)) = 4 ] || xt_fail "config lacks XBR_CFG_F_SEC_MACS with locked ports: flags $(cfg flags)"
	[ "$(cfg nr_flood)" = $((N - 1)) ] || xt_fail "nr_flood $(cfg nr_flood), want $((N - 1))"
	want=$(for i in $(seq 0 $((N - 1))); do [ $i = 3 ] || ifx $i; done | sort -n | tr '\n' ' ')
	got=$(bpftool -j map dump pinned "$PIN/br0/flood_list" | jq '.[].formatted.value | select(. != 0)' | sort -n | tr '\n' ' ')
	[ "$got" = "$want" ] || xt_fail "flood_list holds $got, want $want"
	got=$(flood_ports)
	[ "$got" = "$([ $mode = xdp ] && echo "$want")" ] || xt_fail "flood_ports holds '$got' in mode $mode"
	[ "$(x -j fdb show br0 | jq '[.[] | select(.state == "static")] | length')" = 24 ] ||
		xt_fail "static FDB entries: $(x -j fdb show br0 | jq '[.[] | select(.state == "static")] | length') of 24"

	# Traffic: vnet$i sends i+2 broadcasts from its own MAC. Each port's
	# rx counts its own frames only; each flood port's peer gets every
	# other port's; vnet3 (flood off) none.
	declare -A rx0 krx0
	for i in $(seq 0 $((N - 1))); do
		rx0[$i]=$(st $i rx_packets)
		krx0[$i]=$(xt_link_stat peer p$i rx packets)
	done
	total=0
	for i in $(seq 0 $((N - 1))); do
		nsx peer python3 "$PKT" send p$i --src "$(mac $i)" --dst ff:ff:ff:ff:ff:ff --count $((i + 2))
		total=$((total + i + 2))
	done
	sleep 0.5
	for i in $(seq 0 $((N - 1))); do
		got=$(($(st $i rx_packets) - rx0[$i]))
		[ $got = $((i + 2)) ] || xt_fail "mode $mode: vnet$i counted $got frames received, sent $((i + 2)) (counters shared?)"
		got=$(($(xt_link_stat peer p$i rx packets) - krx0[$i]))
		want=$([ $i = 3 ] && echo 0 || echo $((total - i - 2)))
		[ $got = $want ] || xt_fail "mode $mode: p$i received $got broadcasts, want $want (flood set wrong?)"
	done
	# vnet1 was locked after it forwarded: a foreign source is dropped now.
	k=$(x -j stats br0 | jq '.[] | select(.dev == "vnet1") | .drops.locked')
	nsx peer python3 "$PKT" send p1 --src 02:00:00:00:77:01 --dst ff:ff:ff:ff:ff:ff --count 3
	sleep 0.2
	[ $(($(x -j stats br0 | jq '.[] | select(.dev == "vnet1") | .drops.locked') - k)) = 3 ] ||
		xt_fail "mode $mode: locked vnet1 let a foreign source through (stale port copy?)"
	xt_log "ok: mode $mode round $r: $N ports, distinct ids, flags, VLANs, flood sets, counters, lock"
}

for mode in tc xdp; do
	if [ $mode = xdp ]; then
		for i in $(seq 0 $((N - 1))); do xt_gro_on peer p$i; done
	fi
	for r in $(seq 1 "$ROUNDS"); do
		x bridge add br0
		AGEING=$((100 + r))
		# Phase 1: every port at once, churn on vnet7, config and FDB.
		jobs=()
		for i in $(seq 0 6); do jobs+=("x port add br0 vnet$i mode $mode"); done
		jobs+=("x port add br0 vnet7 mode $mode && x port del br0 vnet7 && x port add br0 vnet7 mode $mode")
		jobs+=("x bridge set br0 ageing 77")
		for i in $(seq 1 12); do
			# The port may not be there yet: retry until it is.
			jobs+=("for t in \$(seq 100); do x fdb add br0 02:00:00:00:30:$(printf %02x $i) dev vnet$((i % 7)) static 2>/dev/null && break; sleep 0.05; done")
		done
		run_all "round $r phase 1" "${jobs[@]}"
		# Warm the datapath's port copies before vnet1 is locked.
		nsx peer python3 "$PKT" send p1 --src 02:00:00:00:77:01 --dst ff:ff:ff:ff:ff:ff --count 2
		# Phase 2: security, switches, VLANs, more FDB, config.
		jobs=("x port set br0 vnet1 locked on mac $(mac 1)"
			"x port set br0 vnet2 locked on mac $(mac 2) max-macs 1"
			"x port set br0 vnet3 flood off"
			"x port set br0 vnet4 learning off"
			"x vlan add br0 dev vnet5 vid 10"
			"x vlan add br0 dev vnet6 vid 20 && x vlan del br0 dev vnet6 vid 20"
			"x port del br0 vnet7 && x port add br0 vnet7 mode $mode"
			"x bridge set br0 ageing $AGEING")
		for i in $(seq 13 24); do
			jobs+=("x fdb add br0 02:00:00:00:30:$(printf %02x $i) dev vnet$((i % 7)) static")
		done
		run_all "round $r phase 2" "${jobs[@]}"
		check_round $mode
		x bridge del br0
		for i in $(seq 0 $((N - 1))); do ! attached vnet$i || xt_fail "vnet$i attached after bridge del"; done
	done
done

# ---- waiting -------------------------------------------------------------
x bridge add br0
x port add br0 vnet0
ms() { echo $(($(date +%s%N) / 1000000)); }

# Another holder of the bridge's lock (flock(1) takes the same one).
flock -x -o "$PIN/br0" sleep 3.5 &
holder=$!
sleep 0.3
t0=$(ms)
timeout 2 ip netns exec "$(xt_nsname br)" "$XBR" -j port show br0 >/dev/null || xt_fail "a reader waited for the lock"
[ $(($(ms) - t0)) -lt 1000 ] || xt_fail "a reader took over a second under a held lock"
x port set br0 vnet0 flood off 2>"$XT_TMP/wait" || xt_fail "port set under a held lock failed: $(cat "$XT_TMP/wait")"
dt=$(($(ms) - t0))
wait $holder
cat "$XT_TMP/wait"
grep -Eq "^xbr: warning: bridge br0 is locked by pid $holder \(flock .*\): waiting$" "$XT_TMP/wait" ||
	xt_fail "no message naming the bridge and the holder: $(cat "$XT_TMP/wait")"
[ $dt -gt 2500 ] || xt_fail "port set went ahead after ${dt} ms, the lock was held 3.5 s"
[ "$(pf 0 flood)" = false ] || xt_fail "port set did not apply after the wait"
xt_log "ok: a change waits for the bridge's lock (${dt} ms), saying who holds it; readers do not"

# The lock above bridges.
flock -x -o "$PIN" sleep 3 &
holder=$!
sleep 0.3
x fdb add br0 02:00:00:00:40:01 dev vnet0 static 2>"$XT_TMP/wait" || xt_fail "fdb add under the top lock failed"
wait $holder
grep -Eq "^xbr: warning: bridge br0: every bridge is locked by pid $holder" "$XT_TMP/wait" ||
	xt_fail "no message for the lock above bridges: $(cat "$XT_TMP/wait")"
xt_log "ok: a change waits for the lock above bridges: $(cat "$XT_TMP/wait")"

# A batch holds every bridge; killed -9, it leaves the lock free.
mkfifo "$XT_TMP/fifo"
ip netns exec "$(xt_nsname br)" "$XBR" -batch "$XT_TMP/fifo" &
batch=$!	# xbr's own pid: ip netns exec execs it
exec 7>"$XT_TMP/fifo"
echo "port set br0 vnet0 flood on" >&7
xt_wait 5 grep -q "FLOCK .* WRITE $batch " /proc/locks || xt_fail "the batch holds no lock"
x port set br0 vnet0 learning off 2>"$XT_TMP/wait" &
waiter=$!
sleep 2.5
kill -0 $waiter 2>/dev/null || xt_fail "port set went ahead while a batch held every bridge"
kill -9 $batch
wait $batch 2>/dev/null || true
exec 7>&-
t0=$(ms)
wait $waiter || xt_fail "port set after the batch was killed failed: $(cat "$XT_TMP/wait")"
[ $(($(ms) - t0)) -lt 1000 ] || xt_fail "the waiter took over a second after the holder died"
[ "$(pf 0 flood)/$(pf 0 learning)" = true/false ] || xt_fail "vnet0 flood/learning $(pf 0 flood)/$(pf 0 learning)"
xt_log "ok: a batch holds every bridge; killed -9, the waiter goes on at once ($(cat "$XT_TMP/wait"))"
x bridge del br0
