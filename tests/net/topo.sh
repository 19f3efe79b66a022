# SPDX-License-Identifier: GPL-2.0
# The net suite's topology, on top of tests/lib/net.sh. Source it, then
# topo_init NAME; topo_bridge [ARGS]; topo_ports MODE.
#
#   namespace br:  bridge br0; ports vnet1 vnet2 vnet3 (VMs), uplink (ext)
#   namespace vm1: vif0 02:00:00:00:00:01 10.77.0.1/24  <-> vnet1 in br
#   namespace vm2: vif0 02:00:00:00:00:02 10.77.0.2/24  <-> vnet2
#   namespace vm3: vif0 02:00:00:00:00:03 10.77.0.3/24  <-> vnet3
#   namespace ext: vif0 02:00:00:00:00:64 10.77.0.100/24 <-> uplink
#
# Every address lives only inside these namespaces.

# shellcheck source=../lib/net.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/net.sh"

PKT=$xt_root/tests/net/pkt.py
BR=br0
HOSTS=(vm1 vm2 vm3 ext)
declare -A PORT=([vm1]=vnet1 [vm2]=vnet2 [vm3]=vnet3 [ext]=uplink)
declare -A MAC=([vm1]=02:00:00:00:00:01 [vm2]=02:00:00:00:00:02
	[vm3]=02:00:00:00:00:03 [ext]=02:00:00:00:00:64)
declare -A IP=([vm1]=10.77.0.1 [vm2]=10.77.0.2 [vm3]=10.77.0.3
	[ext]=10.77.0.100)

# topo_init NAME [HOST...]: namespaces, veths and addresses (default: all
# four hosts). The bridge namespace is "br".
topo_init()
{
	local h
	xt_init "$1"
	shift
	xt_need jq python3
	xt_need_xbr
	[ $# -gt 0 ] && HOSTS=("$@")
	xt_ns br
	for h in "${HOSTS[@]}"; do
		xt_ns "$h"
		xt_veth br "${PORT[$h]}" "$h" vif0 "${MAC[$h]}"
		xt_addr "$h" vif0 "${IP[$h]}/24"
	done
}

# xbr_br ARGS...: the CLI in the bridge namespace.
xbr_br() { xbr_in br "$@"; }

# topo_bridge [ARGS...]: xbr bridge add br0 ARGS.
topo_bridge() { xbr_br bridge add "$BR" "$@" || xt_fail "bridge add $BR $*"; }

# topo_port HOST MODE [ARGS...]: add HOST's port in MODE. A veth that is
# the target of native XDP redirects needs NAPI on its peer: GRO on the
# inner end of xdp-mode ports (docs/FACTS.md).
topo_port()
{
	local h=$1 mode=$2
	shift 2
	if [ "$mode" = xdp ]; then
		xt_gro_on "$h" vif0 || xt_fail "gro on in $h"
	fi
	xbr_br port add "$BR" "${PORT[$h]}" mode "$mode" "$@" ||
		xt_fail "port add $BR ${PORT[$h]} mode $mode $*"
}

# topo_ports MODE: every host's port in MODE.
topo_ports()
{
	local h
	for h in "${HOSTS[@]}"; do
		topo_port "$h" "$1"
	done
}

# ping_pair A B: A pings B's address.
ping_pair() { xt_ping "$1" "${IP[$2]}" "${3:-2}"; }

# ping_all: every host pings every other one.
ping_all()
{
	local a b
	for a in "${HOSTS[@]}"; do
		for b in "${HOSTS[@]}"; do
			[ "$a" = "$b" ] && continue
			ping_pair "$a" "$b" || xt_fail "ping $a -> $b (${IP[$b]})"
		done
	done
	xt_log "ok: every pair pings (${HOSTS[*]})"
}

# pstat DEV FIELD: xbr's counter FIELD of port DEV (stats -j).
pstat()
{
	xbr_br -j stats "$BR" | jq -r --arg d "$1" \
		".[] | select(.dev == \$d) | .$2"
}

# rx HOST: frames the kernel received on HOST's inner end.
rx() { xt_link_stat "$1" vif0 rx packets; }

# fdb_entry MAC: the fdb show -j object for MAC ("" if none).
fdb_entry()
{
	xbr_br -j fdb show "$BR" | jq -c --arg m "${1,,}" \
		'.[] | select((.mac | ascii_downcase) == $m)'
}

# fdb_field MAC FIELD: one field of MAC's FDB entry ("" if none).
fdb_field()
{
	local e
	e=$(fdb_entry "$1")
	[ -n "$e" ] && jq -r ".$2" <<<"$e" || true
}

# send_raw HOST DSTMAC [ARGS]: a raw frame from HOST's MAC (pkt.py send).
send_raw()
{
	local h=$1 dst=$2
	shift 2
	nsx "$h" python3 "$PKT" send vif0 --src "${MAC[$h]}" --dst "$dst" "$@"
}

# count_start HOST SECONDS [pkt.py count ARGS...]: count the frames HOST
# receives for SECONDS in the background (EtherType 0x88b5 unless --type
# says otherwise), listening before it returns. count_wait waits for every
# counter (in this shell, not in $(...)); count_of HOST prints its count.
# Counting one's own frames keeps ARP retries, probes and ND out of the
# numbers.
COUNT_PIDS=()
count_start() { listen_start "$1" count "${@:2}"; }

# tags_start HOST SECONDS --src MAC: as count_start, with pkt.py tags: the
# outer tag of every frame from MAC (count_of prints its last line: use
# tags_of HOST for all).
tags_start() { listen_start "$1" tags "${@:2}"; }
tags_of() { grep -v '^ready$\|^end$' "$XT_TMP/count-$1"; }

listen_start()
{
	local h=$1 cmd=$2 secs=$3 out=$XT_TMP/count-$1
	shift 3
	: >"$out"
	xt_bg "$h" python3 "$PKT" "$cmd" vif0 --seconds "$secs" "$@" >"$out"
	COUNT_PIDS+=("$XT_LAST_PID")
	xt_wait 5 grep -q ready "$out" || xt_fail "listener in $h did not start"
}

count_wait()
{
	local p
	for p in "${COUNT_PIDS[@]}"; do wait "$p" 2>/dev/null; done
	COUNT_PIDS=()
}

count_of() { tail -n 1 "$XT_TMP/count-$1"; }

# xt_on_fail: what a failing test wants to see, into its log.
xt_on_fail()
{
	echo "---- xbr state ----"
	xbr_br port show "$BR" 2>&1
	xbr_br fdb show "$BR" 2>&1
	xbr_br stats "$BR" 2>&1
}

# topo_quiet: pin every host's neighbours (nud permanent). A host that
# answered an ARP request probes its requester by unicast ~5 s later
# (delay_first_probe_time); tests that count frames per host must not see
# those.
topo_quiet()
{
	local a b
	for a in "${HOSTS[@]}"; do
		for b in "${HOSTS[@]}"; do
			[ "$a" = "$b" ] && continue
			nsx "$a" ip neigh replace "${IP[$b]}" lladdr "${MAC[$b]}" \
				nud permanent dev vif0
		done
	done
}
