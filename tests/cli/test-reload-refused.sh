#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `bridge reload` is all or nothing: with a program the verifier refuses
# (the tc one, loaded second; the egress one, loaded last) or an object
# missing, the reload fails naming the program and why, and the bridge is
# exactly as before: same programs pinned and attached on every port, same
# flood sets, config, ports and FDB, and still forwarding. A reload from a
# directory of good objects then swaps everything.
set -e
. "$(dirname "$0")/../net/topo.sh"
topo_init reload-refused vm1 vm2 vm3
REFUSED=$xt_root/build/tests/cli/refused.bpf.o
[ -f "$REFUSED" ] || xt_fail "$REFUSED not built (make cli-tests)"
xt_need bpftool
PIN=$XBR_PIN_ROOT/xbr/$BR

topo_bridge
topo_port vm1 xdp
topo_port vm2 tc
topo_port vm3 xdp
topo_quiet
ping_all

prog_id() { bpftool -j prog show pinned "$PIN/progs/$1" | jq .id; }
xdp_id() { ip -n "$(xt_nsname br)" -j link show dev "$1" | jq '.[0].xdp.prog.id // 0'; }
tc_id() { nsx br bpftool -j net show dev "$1" | jq -c '[.[0].tc[]? | .id] | sort'; }
# A map's entries, {key: value} with BTF, or raw bytes (the devmaps).
dump() { bpftool -j map dump pinned "$PIN/$1" | jq -S -c 'map(.formatted // {key, value})'; }
# A devmap's entries: ifindex -> id of the program on it (bytes 4-7).
devmap() { bpftool -j map dump pinned "$PIN/$1" | jq -c 'map(.value | map(ltrimstr("0x") |
	explode | map(if . > 96 then . - 87 else . - 48 end) | .[0] * 16 + .[1])) |
	map({ifindex: .[0], prog: (.[4] + .[5] * 256 + .[6] * 65536)}) | sort_by(.ifindex)'; }

# Everything a reload could change, as one text to compare.
snapshot()
{
	local p
	echo "pins: $(cd "$PIN" && find . | sort | tr '\n' ' ')"
	echo "progs: $(prog_id xdp) $(prog_id tc) $(prog_id egress)"
	for p in vnet1 vnet2 vnet3; do
		echo "$p: xdp $(xdp_id $p) tc $(tc_id $p)"
	done
	echo "config: $(dump config)"
	echo "ports: $(dump ports | jq -c 'sort_by(.key)')"
	echo "flood_list: $(dump flood_list | jq -c 'map(select(.value != 0))')"
	echo "flood_ports: $(devmap flood_ports)"
	echo "tx_ports: $(devmap tx_ports)"
	echo "fdb: $(xbr_br -j fdb show "$BR" | jq -S -c 'map({mac, dev, vlan, state}) | sort_by(.mac)')"
}

# A broadcast from vm1 reaches vm2 (tc port) and vm3 (XDP port).
check_forwarding()
{
	local r2 r3
	ping_all
	r2=$(rx vm2)
	r3=$(rx vm3)
	send_raw vm1 ff:ff:ff:ff:ff:ff --count 5
	sleep 0.3
	[ $(($(rx vm2) - r2)) = 5 ] && [ $(($(rx vm3) - r3)) = 5 ] ||
		xt_fail "$1: broadcast from vm1 reached vm2 $(($(rx vm2) - r2)) and vm3 $(($(rx vm3) - r3)) times of 5"
	xt_log "ok: $1: every pair pings, a broadcast reaches both other ports"
}

objdir()	# objdir NAME REFUSED-PROGRAM: this build's objects, one swapped for the refused one
{
	local d=$XT_TMP/$1 p
	mkdir -p "$d"
	for p in xdp tc egress fdb trace events; do
		cp "$xt_root/build/xbr_$p.bpf.o" "$d/"
	done
	[ -z "$2" ] || cp "$REFUSED" "$d/xbr_$2.bpf.o"
	echo "$d"
}

before=$(snapshot)
echo "$before"
[ "$(devmap flood_ports | jq length)" = 2 ] || xt_fail "expected vnet1 and vnet3 in the XDP flood set: $(devmap flood_ports)"

for prog in tc egress; do
	d=$(objdir "refused-$prog" "$prog")
	xt_expect_err "reload with a refused $prog program" \
		"reload refused, nothing changed: the $prog program from $d/xbr_$prog.bpf.o failed verification: .*(invalid access to packet|outside of the packet)" \
		xbr_br bridge reload "$BR" objects "$d"
	xbr_br bridge reload "$BR" objects "$d" 2>"$XT_TMP/err" || true
	xt_log "    stderr: $(tr '\n' '|' <"$XT_TMP/err")"
	after=$(snapshot)
	[ "$after" = "$before" ] || xt_fail "refused $prog reload changed the bridge:
$(diff <(echo "$before") <(echo "$after"))"
	xt_log "ok: refused $prog: pins, programs, attachments, maps unchanged"
	check_forwarding "after the refused $prog reload"
done

d=$(objdir missing "")
rm "$d/xbr_egress.bpf.o"
xt_expect_err "reload with an object missing" "egress program from $d/xbr_egress.bpf.o" \
	xbr_br bridge reload "$BR" objects "$d"
[ "$(snapshot)" = "$before" ] || xt_fail "a reload with an object missing changed the bridge"
xt_expect_err "reload from a directory that does not exist" "$XT_TMP/nowhere" \
	xbr_br bridge reload "$BR" objects "$XT_TMP/nowhere"
[ "$(snapshot)" = "$before" ] || xt_fail "a reload from nowhere changed the bridge"

# The good objects: every program and attachment is new, the maps stay.
d=$(objdir good "")
xbr_br bridge reload "$BR" objects "$d" || xt_fail "reload from a directory of good objects"
after=$(snapshot)
echo "$after"
old=($(grep '^progs:' <<<"$before" | cut -d' ' -f2-))
new=($(grep '^progs:' <<<"$after" | cut -d' ' -f2-))
for i in 0 1 2; do [ "${old[$i]}" != "${new[$i]}" ] || xt_fail "program $i kept id ${old[$i]}"; done
[ "$(xdp_id vnet1)" = "${new[0]}" ] && [ "$(xdp_id vnet3)" = "${new[0]}" ] || xt_fail "XDP ports do not run the new XDP program"
for p in vnet1 vnet2 vnet3; do
	[ "$(tc_id $p)" = "[${new[1]}]" ] || xt_fail "$p does not run the new tc program: $(tc_id $p)"
done
[ "$(devmap flood_ports | jq -c 'map(.prog) | unique')" = "[${new[2]}]" ] ||
	xt_fail "flood devmap entries do not carry the new egress program: $(devmap flood_ports)"
for m in config ports flood_list; do
	[ "$(grep "^$m:" <<<"$before" | sed 's/"ports_gen":[0-9]*//')" = "$(grep "^$m:" <<<"$after" | sed 's/"ports_gen":[0-9]*//')" ] ||
		xt_fail "good reload changed map $m"
done
xt_log "ok: good reload: programs ${old[*]} -> ${new[*]} everywhere, maps kept"
check_forwarding "after the good reload"
