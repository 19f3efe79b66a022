#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# apply FILE ends where running FILE's lines with -batch on a fresh start
# ends, whatever state it starts from: every configuration below is
# applied after every other, and save must print what a batch run of the
# same file leads to. The files move pvids, VLAN ranges and flags, turn
# locks on and off with MACs and addresses, change modes, trust and limits,
# add and remove vports, static entries, rules and whole bridges.
. "$(dirname "$0")/cli.sh"
cli_init apply-batch

CONFS=(
"bridge add br0 host-port
port add br0 vnet0
port add br0 vnet1 mode tc
vlan add br0 dev vnet0 vid 10 pvid untagged
vlan add br0 dev vnet1 vid 10-30
vlan del br0 dev vnet1 vid 15
port set br0 vnet0 locked on mac 02:00:00:00:10:00 ip 10.0.0.1,fd00::1 max-macs 2
fdb add br0 02:00:00:00:77:01 dev vnet1 vlan 20 static"

"bridge add br0 ageing 30 host-port
bridge set br0 fdb-max-learned 1000
port add br0 vnet0 mode xdp
port set br0 vnet0 mac 02:00:00:00:10:00 flood off dhcp-server on ra on
port add br0 vnet2
vlan add br0 dev vnet2 vid 1 untagged
vlan add br0 dev vnet2 vid 5 pvid
vport add br0 vm1 mac 52:54:00:00:00:01
port auto br0 vnet*
bridge add br1
port add br1 vnet3 learning off
port set br1 vnet3 learn-limit 0 flood-limit 100"

"bridge add br1 ageing 600
port add br1 vnet1
port add br1 vnet0
vlan del br1 dev vnet0 vid 1
vlan add br1 dev vnet0 vid 1
bridge set br1 vlan-filtering off
vport add br1 vm2 queues 2"

"bridge add br0
port add br0 vnet0 mode tc
port set br0 vnet0 locked on max-macs 3
port set br0 vnet0 locked off
port set br0 vnet0 ip 10.0.0.9
port add br0 vnet3
vlan add br0 dev vnet3 vid 100-200 untagged
vlan add br0 dev vnet3 vid 150 pvid untagged
port auto br0 tap*"
)

conf() { printf '%s\n' "${CONFS[$1]}" >"$XT_TMP/conf$1"; echo "$XT_TMP/conf$1"; }
clean() { for b in $(x -j bridge show | jq -r '.[].name'); do x bridge del "$b"; done; }

# What a batch run of each file on a clean slate saves.
for i in "${!CONFS[@]}"; do
	clean
	x -batch "$(conf "$i")" || xt_fail "batch of configuration $i"
	x save >"$XT_TMP/want$i" || xt_fail "save"
done
n=0
for from in "${!CONFS[@]}"; do
	for to in "${!CONFS[@]}"; do
		clean
		x apply "$(conf "$from")" || xt_fail "apply $from on a clean slate"
		x apply "$(conf "$to")" 2>"$XT_TMP/err" || xt_fail "apply $to after $from: $(cat "$XT_TMP/err")"
		x save >"$XT_TMP/got" || xt_fail "save"
		cmp -s "$XT_TMP/want$to" "$XT_TMP/got" ||
			xt_fail "apply $to after $from: $(diff "$XT_TMP/want$to" "$XT_TMP/got")"
		n=$((n + 1))
	done
done
for i in "${!CONFS[@]}"; do xt_log "conf $i saves $(grep -vc "^#" "$XT_TMP/want$i") lines"; done
xt_log "ok: $n transitions end where a batch of the target file ends"
clean
[ -z "$(pins)" ] || xt_fail "pins left: $(pins)"
echo PASS
