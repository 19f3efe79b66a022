#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A configuration's life: apply a file -> traffic flows -> save prints
# every setting of the file -> applying save's output changes nothing and
# save prints the same again -> a reboot (the pin root and the interfaces
# gone, the veths made anew) -> apply again -> the same state, traffic
# flows. Applying the same file under a ping flood loses nothing and
# touches no program; a file with an error changes nothing; what the file
# no longer names goes, what differs changes.
. "$(dirname "$0")/topo.sh"

topo_init apply
CONF=$XT_TMP/xbr.conf
cat >"$CONF" <<C
# two tenants, a trunk, a locked VM
bridge add $BR ageing 120 host-port
bridge set $BR fdb-max-learned 50000
port add $BR uplink mode tc
port add $BR vnet1
port set $BR vnet1 locked on mac ${MAC[vm1]} ip ${IP[vm1]} max-macs 1 learn-limit 64
port add $BR vnet2 mode tc
port set $BR vnet2 flood-limit 500 dhcp-server on
port add $BR vnet3
vlan add $BR dev vnet1 vid 10 pvid untagged
vlan add $BR dev vnet2 vid 10 pvid untagged
vlan add $BR dev vnet3 vid 20 pvid untagged
vlan add $BR dev uplink vid 10 pvid untagged
vlan add $BR dev uplink vid 20
vlan del $BR dev vnet1 vid 1
vlan del $BR dev vnet2 vid 1
vlan del $BR dev vnet3 vid 1
vlan del $BR dev uplink vid 1
fdb add $BR ${MAC[ext]} dev uplink static
port auto $BR "vnet*"
C
save() { xbr_br save >"$XT_TMP/$1" || xt_fail "save"; }
# What is attached where: which program ids run on each port.
progs() { nsx br bpftool -j net show | jq -S -c '[.[] | (.xdp, .tc)[]? | {devname, id}] | sort_by(.devname)'; }

xbr_br apply "$CONF" || xt_fail "apply $CONF"
ping_pair vm1 vm2 || xt_fail "vm1 -> vm2 (VLAN 10) after apply"
ping_pair vm1 ext || xt_fail "vm1 -> ext (VLAN 10, untagged on the uplink)"
! ping_pair vm1 vm3 1 || xt_fail "vm1 reached vm3 across VLANs"
xt_log "ok: the applied file forwards as it says"

save s1
for want in "bridge add $BR ageing 120 host-port" "fdb-max-learned 50000" \
	"port add $BR uplink mode tc" "locked on mac ${MAC[vm1]} ip ${IP[vm1]} max-macs 1" \
	"learn-limit 64" "flood-limit 500" "vnet2 .*dhcp-server on" \
	"vlan add $BR dev vnet3 vid 20 pvid untagged" "vlan add $BR dev uplink vid 20\$" \
	"vlan del $BR dev vnet1 vid 1" "vlan-filtering on" \
	"fdb add $BR ${MAC[ext]} dev uplink static" "port auto $BR vnet\\*"; do
	grep -q -- "$want" "$XT_TMP/s1" || xt_fail "save lacks '$want': $(cat "$XT_TMP/s1")"
done
xt_log "ok: save prints every setting of the file"

p1=$(progs)
xbr_br apply "$XT_TMP/s1" || xt_fail "apply of save's output"
save s2
cmp -s "$XT_TMP/s1" "$XT_TMP/s2" || xt_fail "save after apply(save) differs: $(diff "$XT_TMP/s1" "$XT_TMP/s2")"
[ "$(progs)" = "$p1" ] || xt_fail "apply(save) re-attached programs"
xt_log "ok: apply of save's output changes nothing, save prints the same"

# The same file again under a ping flood: nothing lost.
nsx vm1 ping -q -i 0.002 -c 1500 "${IP[vm2]}" >"$XT_TMP/ping" 2>&1 &
pp=$!
sleep 0.3
for i in 1 2 3; do xbr_br apply "$CONF" || xt_fail "apply under load"; done
wait $pp
grep -q ' 0% packet loss' "$XT_TMP/ping" ||
	xt_fail "frames lost while applying an unchanged file: $(grep loss "$XT_TMP/ping")"
[ "$(progs)" = "$p1" ] || xt_fail "an unchanged apply re-attached programs"
xt_log "ok: applying the same file under a ping flood lost nothing"

# A file with an error changes nothing: a typo, a missing device, a bad value.
for bad in "port add $BR vnet9" "port set $BR vnet1 learn-limit lots" "vlan add $BR dev vnet1" \
	"fdb add $BR ${MAC[vm3]} dev vnet3" "frobnicate $BR"; do
	{ cat "$CONF"; echo "port set $BR vnet3 learn-limit 5"; echo "$bad"; } >"$XT_TMP/bad"
	n=$(wc -l <"$XT_TMP/bad")
	xt_expect_err "apply with '$bad'" "line $n: " xbr_br apply "$XT_TMP/bad"
	save s3
	cmp -s "$XT_TMP/s1" "$XT_TMP/s3" || xt_fail "a refused apply changed something ($bad)"
done
xt_log "ok: a file with an error changes nothing"

# What the file no longer names goes; what differs changes.
sed -e "/port add $BR vnet3/d" -e "/dev vnet3/d" -e "s/learn-limit 64/learn-limit 65/" \
	-e "s/port add $BR vnet2 mode tc/port add $BR vnet2 mode xdp/" \
	-e "/fdb add/d" -e "/port auto/d" "$CONF" >"$XT_TMP/less"
xbr_br apply "$XT_TMP/less" || xt_fail "apply of a smaller file"
save s4
! grep -q vnet3 "$XT_TMP/s4" || xt_fail "vnet3 is still a port"
grep -q "port add $BR vnet2 mode xdp" "$XT_TMP/s4" || xt_fail "vnet2's mode did not change"
grep -q "learn-limit 65" "$XT_TMP/s4" || xt_fail "vnet1's learn-limit did not change"
! grep -q "^fdb add\|^port auto" "$XT_TMP/s4" || xt_fail "the static entry or rule stayed"
ping_pair vm1 vm2 || xt_fail "vm1 -> vm2 after vnet2 moved to mode xdp"
xt_log "ok: what the file no longer names is gone, what differs changed"

# A running VM's port (transient) survives an apply of a file that does not
# name it, and is no part of save; a file that names it adopts it.
xbr_br apply "$CONF" || xt_fail "apply back"
nsx br ip tuntap add dev tapvm mode tap && nsx br ip link set tapvm up
xbr_br port add "$BR" tapvm transient on || xt_fail "port add tapvm transient on"
xbr_br apply "$CONF" || xt_fail "apply with a transient port"
[ -n "$(xbr_br -j port show "$BR" | jq -r '.[] | select(.dev == "tapvm") | .dev')" ] ||
	xt_fail "apply took the transient port away"
! xbr_br save | grep -q tapvm || xt_fail "save printed the transient port"
{ cat "$CONF"; echo "port add $BR tapvm mode auto"; echo "port set $BR tapvm learn-limit 9"; } \
	>"$XT_TMP/adopt"
xbr_br apply "$XT_TMP/adopt" || xt_fail "apply adopting tapvm"
xbr_br save | grep -q "port set $BR tapvm .*learn-limit 9" || xt_fail "tapvm was not adopted"
nsx br ip link del tapvm
xt_log "ok: apply leaves a VM's (transient) port alone; a file naming it adopts it"

# A reboot: pins and interfaces gone; the veths come back; apply restores.
xbr_br apply "$CONF" || xt_fail "apply back"
save s5
cmp -s "$XT_TMP/s1" "$XT_TMP/s5" || xt_fail "back to the first file: $(diff "$XT_TMP/s1" "$XT_TMP/s5")"
umount "$XBR_PIN_ROOT" && mount -t bpf bpf "$XBR_PIN_ROOT" || xt_fail "cannot renew the pin root"
nsx br ip link del "$BR" 2>/dev/null
for h in "${HOSTS[@]}"; do
	nsx br ip link del "${PORT[$h]}"
	xt_veth br "${PORT[$h]}" "$h" vif0 "${MAC[$h]}"
	xt_addr "$h" vif0 "${IP[$h]}/24"
done
[ -z "$(xbr_br save | grep -v '^#')" ] || xt_fail "a state survived the reboot"
xbr_br apply "$CONF" || xt_fail "apply after the reboot"
save s6
cmp -s "$XT_TMP/s1" "$XT_TMP/s6" || xt_fail "after the reboot: $(diff "$XT_TMP/s1" "$XT_TMP/s6")"
ping_pair vm1 vm2 || xt_fail "vm1 -> vm2 after the reboot"
xt_log "ok: after a reboot, apply brings the same state back and traffic flows"
echo PASS
