#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host port: `bridge add br0 host-port` makes a veth pair whose host side is
# named br0 (in the bridge's namespace) and whose peer is a port; the host's
# address on it reaches every VM and the uplink, like the Linux bridge's br0.
set -e
. "$(dirname "$0")/topo.sh"
topo_init hostport
topo_bridge host-port

nsx br ip link show dev "$BR" >/dev/null 2>&1 || xt_fail "no host-side netdev $BR"
[ "$(ip -n "$(xt_nsname br)" -j -d link show dev "$BR" | jq -r '.[0].linkinfo.info_kind')" = veth ] ||
	xt_fail "$BR is not a veth"
hp=$(xbr_br -j bridge show "$BR" | jq -r '.[0].host_port')
[ -n "$hp" ] && [ "$hp" != null ] && [ "$hp" != false ] ||
	xt_fail "bridge show: host_port is '$hp'"
n=$(xbr_br -j port show "$BR" | jq length)
[ "$n" = 1 ] || xt_fail "host port's peer not a port (port show: $n ports)"
xt_log "ok: $BR is a veth, host_port=$hp, its peer is the only port"

topo_ports auto
nsx br ip addr add 10.77.0.254/24 dev "$BR"
nsx br ip link set "$BR" up
for h in "${HOSTS[@]}"; do
	xt_ping br "${IP[$h]}" || xt_fail "host port -> $h"
	xt_ping "$h" 10.77.0.254 || xt_fail "$h -> host port"
done
xt_log "ok: host address reaches every host and is reached by them"

hmac=$(nsx br cat "/sys/class/net/$BR/address")
e=$(fdb_entry "$hmac")
jq -e '.state == "local"' <<<"$e" >/dev/null ||
	xt_fail "host MAC $hmac is not a local FDB entry: '$e'"
xt_log "ok: host MAC $hmac is a local entry: $e"
# A VM cannot take the host's MAC over.
nsx vm3 python3 "$PKT" send vif0 --src "$hmac" --dst ff:ff:ff:ff:ff:ff
sleep 0.2
[ "$(fdb_field "$hmac" state)" = local ] || xt_fail "spoofed host MAC moved the local entry: $(fdb_entry "$hmac")"
xt_ping vm1 10.77.0.254 || xt_fail "host unreachable after a VM spoofed its MAC"
xt_log "ok: the local entry resists a spoofed source"

# Migrating from a Linux bridge, the operator gives the host side the old
# bridge's MAC: the host stays reachable under its new address.
nsx br ip link set "$BR" address 02:00:00:00:00:fe
for h in "${HOSTS[@]}"; do
	nsx "$h" ip neigh flush dev vif0
	xt_ping br "${IP[$h]}" || xt_fail "host port (new MAC) -> $h"
	xt_ping "$h" 10.77.0.254 || xt_fail "$h -> host port (new MAC)"
done
nsx vm1 ip neigh show 10.77.0.254 | grep -q 02:00:00:00:00:fe || xt_fail "vm1 did not see the new host MAC"
xt_log "ok: host port reachable after its MAC changed: $(fdb_entry 02:00:00:00:00:fe)"

xbr_br bridge del "$BR" || xt_fail "bridge del"
! nsx br ip link show dev "$BR" >/dev/null 2>&1 || xt_fail "bridge del left netdev $BR"
xt_log "ok: bridge del removed the host port"

# And it can be made again (nothing left behind that blocks it).
topo_bridge host-port
nsx br ip link show dev "$BR" >/dev/null 2>&1 || xt_fail "host port not re-created"
xt_log "ok: bridge with host port re-created"

# The operator deletes the host side by hand: its peer port is gone, the
# VMs still forward, and bridge del still cleans up.
topo_ports auto
nsx br ip link del "$BR"
hp=$(xbr_br -j bridge show "$BR" | jq -r '.[0].ports[] | if type == "object" then .dev else . end' | grep -v -e vnet -e uplink || true)
st=$(xbr_br -j port show "$BR" | jq -r --arg d "$hp" '.[] | select(.dev == $d) | .state')
[ -z "$hp" ] || [ "$st" = gone ] || xt_fail "host port peer $hp shown as '$st' after its netdev was deleted"
ping_all
xbr_br bridge del "$BR" || xt_fail "bridge del after the host side was deleted by hand"
[ ! -e "$XBR_PIN_ROOT/xbr/$BR" ] || xt_fail "bridge del left pins"
xt_log "ok: host side deleted by hand: peer ${hp:-(dropped)} ${st:-}, VMs forward, bridge del cleans up"
