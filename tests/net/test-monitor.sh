#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# xbr monitor -j on a live bridge: a learn and a move from the datapath, an
# ageing from the reclaimer within its period (nobody sends meanwhile), a
# static entry's add and delete from the CLI, a port's delete and add, a
# dropped frame's reason and addresses. A flood of new sources is
# rate-limited in the stream: the events that came plus the count the
# stream says it left out are exactly the stations learned. A second
# monitor of the bridge is refused, naming the first.
. "$(dirname "$0")/topo.sh"

topo_init monitor vm1 vm2 vm3 ext
topo_bridge
topo_ports auto
topo_quiet
OUT=$XT_TMP/monitor.json

xt_bg br "$XBR" -j monitor "$BR" >"$OUT"
MON=$XT_LAST_PID
# Reading once it holds the flock on the bridge's monitor/ directory.
monitor_reads()
{
	local ino
	ino=$(stat -c %i "$XBR_PIN_ROOT/xbr/$BR/monitor" 2>/dev/null) || return 1
	grep -q "FLOCK .*:$ino " /proc/locks
}
xt_wait 5 monitor_reads || xt_fail "xbr monitor did not start reading"

# has JQ-FILTER: some event matches (polled for 5 s).
has() { xt_wait 5 jq -s -e "any(.[]; $1)" "$OUT"; }
# the_event JQ-FILTER: the first event that matches.
the_event() { jq -c "select($1)" "$OUT" | head -n 1; }

ping_pair vm1 vm2 || xt_fail "vm1 -> vm2"
has '.event == "fdb" and .action == "learn" and .mac == "'"${MAC[vm1]}"'" and .dev == "vnet1"' ||
	xt_fail "no learn of vm1 on vnet1: $(cat "$OUT")"
xt_log "ok: learn: $(the_event '.action == "learn"')"

# vm2's MAC speaks from vm3's port: a move.
nsx vm3 python3 "$PKT" send vif0 --src "${MAC[vm2]}" --dst ff:ff:ff:ff:ff:ff
has '.action == "move" and .mac == "'"${MAC[vm2]}"'" and .dev == "vnet3" and .from == "vnet2"' ||
	xt_fail "no move of vm2 to vnet3: $(cat "$OUT")"
xt_log "ok: move: $(the_event '.action == "move"')"

# A static entry added and deleted by the CLI.
xbr_br fdb add "$BR" 02:00:00:00:00:42 dev vnet3 static || xt_fail "fdb add"
xbr_br fdb del "$BR" 02:00:00:00:00:42 || xt_fail "fdb del"
has '.action == "add" and .mac == "02:00:00:00:00:42" and .kind == "static"' &&
	has '.action == "del" and .mac == "02:00:00:00:00:42" and .cause == "fdb del"' ||
	xt_fail "no add and del of 02:00:00:00:00:42: $(cat "$OUT")"
xt_log "ok: delete: $(the_event '.action == "del"')"

# Ageing: a station heard once, then silent, is reclaimed within the ageing
# time and one reclaimer period (1 s here: a tenth of the ageing, at least 1).
xbr_br bridge set "$BR" ageing 3 || xt_fail "ageing 3"
nsx ext python3 "$PKT" send vif0 --src 02:00:00:00:00:aa --dst ff:ff:ff:ff:ff:ff
t0=$(date +%s%N)
has '.action == "learn" and .mac == "02:00:00:00:00:aa"' || xt_fail "02:00:00:00:00:aa not learned"
xt_wait 8 jq -s -e 'any(.[]; .action == "age" and .mac == "02:00:00:00:00:aa")' "$OUT" ||
	xt_fail "02:00:00:00:00:aa never aged: $(cat "$OUT")"
took=$((($(date +%s%N) - t0) / 1000000))
# ageing + one period + the poll's slack
[ "$took" -le $((3000 + 1000 + 1000)) ] || xt_fail "aged after $took ms (ageing 3 s, period 1 s)"
xt_log "ok: ageing after $took ms: $(the_event '.action == "age"')"
xbr_br bridge set "$BR" ageing 300 || xt_fail "ageing 300"

# A port deleted (a station behind it goes too) and added again.
nsx vm3 python3 "$PKT" send vif0 --src 02:00:00:00:00:cc --dst ff:ff:ff:ff:ff:ff
has '.action == "learn" and .mac == "02:00:00:00:00:cc"' || xt_fail "02:00:00:00:00:cc not learned"
xbr_br port del "$BR" vnet3 || xt_fail "port del vnet3"
topo_port vm3 auto
has '.event == "port" and .action == "del" and .dev == "vnet3"' &&
	has '.event == "port" and .action == "add" and .dev == "vnet3"' ||
	xt_fail "no port del and add of vnet3: $(cat "$OUT")"
has '.action == "del" and .mac == "02:00:00:00:00:cc" and .cause == "port deleted"' ||
	xt_fail "vnet3's stations left without a word: $(cat "$OUT")"
xt_log "ok: port: $(the_event '.event == "port"')"

# A dropped frame: a locked port's foreign source.
xbr_br port set "$BR" vnet1 locked on mac "${MAC[vm1]}" || xt_fail "lock vnet1"
nsx vm1 python3 "$PKT" send vif0 --src 02:00:00:00:00:55 --dst "${MAC[vm2]}"
has '.event == "drop" and .reason == "locked" and .dev == "vnet1" and
	.src == "02:00:00:00:00:55" and .dst == "'"${MAC[vm2]}"'" and .ethertype == "0x88b5"' ||
	xt_fail "no drop event of the foreign source: $(cat "$OUT")"
xt_log "ok: drop: $(the_event '.event == "drop"')"
xbr_br port set "$BR" vnet1 locked off || xt_fail "unlock vnet1"

# A second reader is refused.
xt_expect_err "a second monitor" "reads its events already" xbr_br monitor "$BR"

# A flood of 4000 new sources in about a second: at most 1000 FDB events a
# second get through, the next one says how many were left out.
learned() { xbr_br -j stats "$BR" | jq '[.[] | .learned + .moves] | add'; }
xbr_br port set "$BR" uplink learn-limit 0 || xt_fail "uplink learn-limit 0"
mark=$(wc -l <"$OUT")
before=$(learned)
nsx ext python3 "$xt_root/tests/lib/macflood.py" vif0 4000 --seq 44 >/dev/null ||
	xt_fail "macflood"
sleep 1.2	# a new window: the next event carries the count
nsx ext python3 "$PKT" send vif0 --src 02:00:00:00:00:bb --dst ff:ff:ff:ff:ff:ff
has '.action == "learn" and .mac == "02:00:00:00:00:bb"' || xt_fail "02:00:00:00:00:bb not learned"
after=$(learned)
events=$(tail -n +$((mark + 1)) "$OUT" | jq -s '[.[] | select(.event == "fdb")] | length')
left_out=$(tail -n +$((mark + 1)) "$OUT" |
	jq -s '[.[] | select(.event == "suppressed" and .class == "fdb") | .count] | add // 0')
xt_log "flood: $((after - before)) learned, $events events, $left_out said left out"
[ "$left_out" -gt 0 ] || xt_fail "a flood of 4000 sources was not rate-limited"
[ $((events + left_out)) -eq $((after - before)) ] ||
	xt_fail "events ($events) + left out ($left_out) != stations learned ($((after - before)))"
xt_log "ok: a MAC flood is rate-limited and the stream says by how much"

kill "$MON"
wait "$MON" 2>/dev/null
echo PASS
