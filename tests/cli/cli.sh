# SPDX-License-Identifier: GPL-2.0
# Set-up shared by the CLI tests: a bridge namespace "br" holding veth ends
# vnet0..vnet3 (peers in namespace "peer"), nothing attached yet.
# shellcheck source=../lib/net.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/net.sh"

cli_init()
{
	local i
	xt_init "$1"
	xt_need jq
	xt_need_xbr
	xt_ns br
	xt_ns peer
	for i in 0 1 2 3; do
		xt_veth br vnet$i peer p$i 02:00:00:00:10:0$i
	done
}

x() { xbr_in br "$@"; }		# the CLI, in the bridge namespace
pins() { ls "$XBR_PIN_ROOT/xbr/${1:-}" 2>/dev/null; }

# attached DEV: any xbr program left on DEV (XDP or tc ingress filter)?
attached() { xt_has_xdp br "$1" || xt_has_tc br "$1"; }

xt_on_fail()
{
	echo "---- state ----"
	echo "pinned bridges: $(ls "$XBR_PIN_ROOT/xbr" 2>/dev/null | tr "\n" " ")"
	x bridge show 2>&1
	x port show 2>&1
	x fdb show 2>&1
}
