// SPDX-License-Identifier: GPL-2.0
/* The words of the API: MAC addresses as text, names of modes, kinds and
 * drop reasons. */
#include <errno.h>
#include <stdio.h>
#include "internal.h"

static const char *const mode_names[] = {
	[XBR_MODE_AUTO] = "auto", [XBR_MODE_XDP] = "xdp", [XBR_MODE_TC] = "tc",
};

static const char *const kind_names[] = {
	[XBR_KIND_NIC] = "nic", [XBR_KIND_VETH] = "veth", [XBR_KIND_TAP] = "tap",
	[XBR_KIND_VIRTUAL] = "virtual", [XBR_KIND_LAN] = "lan",
};

static const char *const drop_names[XBR_DROP_MAX] = {
	[XBR_DROP_PARSE] = "parse",
	[XBR_DROP_BAD_SRC] = "bad_src",
	[XBR_DROP_LINK_LOCAL] = "link_local",
	[XBR_DROP_HAIRPIN] = "hairpin",
	[XBR_DROP_MTU] = "mtu",
	[XBR_DROP_REDIRECT] = "redirect",
	[XBR_DROP_NO_PORT] = "no_port",
	[XBR_DROP_VLAN] = "vlan",
	[XBR_DROP_MAC_SPOOF] = "mac_spoof",
	[XBR_DROP_LOCKED] = "locked",
	[XBR_DROP_IP_SPOOF] = "ip_spoof",
	[XBR_DROP_FLOOD_LIMIT] = "flood_limit",
	[XBR_DROP_DHCP_SERVER] = "dhcp_server",
	[XBR_DROP_RA] = "ra",
	[XBR_DROP_L4_HIDDEN] = "l4_hidden",
	[XBR_DROP_PORT_DOWN] = "port_down",
};

const char *xbr_mode_name(enum xbr_port_mode mode)
{
	return mode <= XBR_MODE_TC ? mode_names[mode] : "?";
}

const char *xbr_kind_name(enum xbr_port_kind kind)
{
	return kind <= XBR_KIND_LAN ? kind_names[kind] : "?";
}

const char *xbr_drop_name(enum xbr_drop_reason reason)
{
	return reason < XBR_DROP_MAX && drop_names[reason] ? drop_names[reason] : "?";
}

int xbr_parse_mac(const char *s, uint8_t mac[6])
{
	unsigned int b[6];
	char tail;
	int i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5],
		   &tail) != 6)
		return -EINVAL;
	for (i = 0; i < 6; i++) {
		if (b[i] > 0xff)
			return -EINVAL;
		mac[i] = b[i];
	}
	return 0;
}

void xbr_format_mac(const uint8_t mac[6], char buf[18])
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3],
		 mac[4], mac[5]);
}
