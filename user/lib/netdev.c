// SPDX-License-Identifier: GPL-2.0
/*
 * The few link operations xbr needs (a veth pair for the host port and for
 * vports, delete, up, driver and address), over rtnetlink and ioctls.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/ethtool.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/pkt_sched.h>
#include <linux/sockios.h>
#include <linux/veth.h>
#include "internal.h"

struct nl_req {
	struct nlmsghdr nh;
	struct ifinfomsg ifi;
	char attrs[512];
};

static struct rtattr *nl_attr_put(struct nl_req *req, int type, const void *data, int len)
{
	struct nlmsghdr *nh = &req->nh;
	char *base = (char *)req;
	struct rtattr *rta = (struct rtattr *)(base + NLMSG_ALIGN(nh->nlmsg_len));

	rta->rta_type = type;
	rta->rta_len = RTA_LENGTH(len);
	if (len)
		memcpy(base + ((char *)RTA_DATA(rta) - base), data, len);
	nh->nlmsg_len = NLMSG_ALIGN(nh->nlmsg_len) + RTA_ALIGN(rta->rta_len);
	return rta;
}

static void nl_attr_end(struct nl_req *req, struct rtattr *nest)
{
	nest->rta_len = (char *)req + req->nh.nlmsg_len - (char *)nest;
}

/* Send one request and wait for its ACK; returns -errno from the kernel. */
static int nl_talk(struct nlmsghdr *nh)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	char buf[4096];
	struct nlmsgerr *e;
	int fd, ret;
	ssize_t n;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	nh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	nh->nlmsg_seq = 1;
	if (sendto(fd, nh, nh->nlmsg_len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		ret = -errno;
		goto out;
	}
	n = recv(fd, buf, sizeof(buf), 0);
	if (n < 0) {
		ret = -errno;
		goto out;
	}
	nh = (struct nlmsghdr *)buf;
	if (!NLMSG_OK(nh, (size_t)n) || nh->nlmsg_type != NLMSG_ERROR) {
		ret = -EPROTO;
		goto out;
	}
	e = NLMSG_DATA(nh);
	ret = e->error;
out:
	close(fd);
	return ret;
}

/* A tcmsg request has its own header; the attribute helpers work on any
 * request whose header comes first. */
struct nl_tc_req {
	struct nlmsghdr nh;
	struct tcmsg tcm;
	char attrs[128];
};

/*
 * `tc qdisc replace dev NAME root KIND` (a qdisc without options). A veth
 * pushes back on a full peer only when its sender has a qdisc (6.16+):
 * with noqueue it drops instead.
 */
int xbr_netdev_root_qdisc(const char *name, const char *kind)
{
	struct nl_tc_req req;
	struct rtattr *rta;

	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = NLMSG_LENGTH(sizeof(req.tcm));
	req.nh.nlmsg_type = RTM_NEWQDISC;
	req.nh.nlmsg_flags = NLM_F_CREATE | NLM_F_REPLACE;
	req.tcm.tcm_family = AF_UNSPEC;
	req.tcm.tcm_ifindex = if_nametoindex(name);
	req.tcm.tcm_parent = TC_H_ROOT;
	if (!req.tcm.tcm_ifindex)
		return -ENODEV;
	rta = (struct rtattr *)((char *)&req + NLMSG_ALIGN(req.nh.nlmsg_len));
	rta->rta_type = TCA_KIND;
	rta->rta_len = RTA_LENGTH(strlen(kind) + 1);
	memcpy((char *)&req + ((char *)RTA_DATA(rta) - (char *)&req), kind, strlen(kind) + 1);
	req.nh.nlmsg_len = NLMSG_ALIGN(req.nh.nlmsg_len) + RTA_ALIGN(rta->rta_len);
	return nl_talk(&req.nh);
}

static void nl_req_init(struct nl_req *req, int type, int flags)
{
	memset(req, 0, sizeof(*req));
	req->nh.nlmsg_len = NLMSG_LENGTH(sizeof(req->ifi));
	req->nh.nlmsg_type = type;
	req->nh.nlmsg_flags = flags;
	req->ifi.ifi_family = AF_UNSPEC;
}

static void nl_put_queues(struct nl_req *req, __u32 queues)
{
	if (!queues)
		return;
	nl_attr_put(req, IFLA_NUM_TX_QUEUES, &queues, sizeof(queues));
	nl_attr_put(req, IFLA_NUM_RX_QUEUES, &queues, sizeof(queues));
}

/* A veth pair; @queues tx/rx queues on both ends (0: the kernel's default). */
int xbr_netdev_veth_add(const char *name, const char *peer, uint32_t queues)
{
	struct rtattr *linkinfo, *data, *peer_info;
	struct ifinfomsg peer_ifi = { .ifi_family = AF_UNSPEC };
	struct nl_req req;

	nl_req_init(&req, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	nl_attr_put(&req, IFLA_IFNAME, name, strlen(name) + 1);
	nl_put_queues(&req, queues);
	linkinfo = nl_attr_put(&req, IFLA_LINKINFO, NULL, 0);
	nl_attr_put(&req, IFLA_INFO_KIND, "veth", 4);
	data = nl_attr_put(&req, IFLA_INFO_DATA, NULL, 0);
	/* VETH_INFO_PEER carries an ifinfomsg followed by the peer's attributes. */
	peer_info = nl_attr_put(&req, VETH_INFO_PEER, &peer_ifi, sizeof(peer_ifi));
	nl_attr_put(&req, IFLA_IFNAME, peer, strlen(peer) + 1);
	nl_put_queues(&req, queues);
	nl_attr_end(&req, peer_info);
	nl_attr_end(&req, data);
	nl_attr_end(&req, linkinfo);
	return nl_talk(&req.nh);
}

int xbr_netdev_del(const char *name)
{
	struct nl_req req;

	nl_req_init(&req, RTM_DELLINK, 0);
	req.ifi.ifi_index = if_nametoindex(name);
	if (!req.ifi.ifi_index)
		return -ENODEV;
	return nl_talk(&req.nh);
}

int xbr_netdev_up(const char *name)
{
	struct nl_req req;

	nl_req_init(&req, RTM_NEWLINK, 0);
	req.ifi.ifi_index = if_nametoindex(name);
	if (!req.ifi.ifi_index)
		return -ENODEV;
	req.ifi.ifi_flags = IFF_UP;
	req.ifi.ifi_change = IFF_UP;
	return nl_talk(&req.nh);
}

static int netdev_ioctl(const char *name, unsigned long cmd, struct ifreq *ifr)
{
	int fd, ret = 0;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	strncpy(ifr->ifr_name, name, IFNAMSIZ - 1);
	if (ioctl(fd, cmd, ifr) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

enum xbr_port_kind xbr_driver_kind(const char *driver)
{
	/* A LAN lives behind these: many stations, their DHCP servers and
	 * routers among them. */
	static const char *const lan_drivers[] = { "bonding", "team", "vxlan", "geneve" };
	static const char *const virtual_drivers[] = {
		"macvlan", "macvtap", "ipvlan", "bridge", "openvswitch", "dummy", "wireguard",
		"gre", "ip6gre", "vrf",
	};
	size_t i;

	if (!strcmp(driver, "veth"))
		return XBR_KIND_VETH;
	if (!strcmp(driver, "tun"))
		return XBR_KIND_TAP;
	for (i = 0; i < sizeof(lan_drivers) / sizeof(lan_drivers[0]); i++)
		if (!strcmp(driver, lan_drivers[i]))
			return XBR_KIND_LAN;
	for (i = 0; i < sizeof(virtual_drivers) / sizeof(virtual_drivers[0]); i++)
		if (!strcmp(driver, virtual_drivers[i]))
			return XBR_KIND_VIRTUAL;
	return XBR_KIND_NIC;
}

/* The driver decides what a port can run: see the mode table in port.c. */
int xbr_netdev_kind(const char *name, enum xbr_port_kind *kind)
{
	struct ethtool_drvinfo info = { .cmd = ETHTOOL_GDRVINFO };
	struct ifreq ifr = { .ifr_data = (void *)&info };
	int ret;

	ret = netdev_ioctl(name, SIOCETHTOOL, &ifr);
	if (ret)
		return ret;
	*kind = xbr_driver_kind(info.driver);
	return 0;
}

int xbr_netdev_mac(const char *name, uint8_t mac[6])
{
	struct ifreq ifr = {};
	int ret;

	ret = netdev_ioctl(name, SIOCGIFHWADDR, &ifr);
	if (ret)
		return ret;
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	return 0;
}

static int ethtool_set(const char *name, __u32 cmd, __u32 data)
{
	struct ethtool_value val = { .cmd = cmd, .data = data };
	struct ifreq ifr = { .ifr_data = (void *)&val };

	return netdev_ioctl(name, SIOCETHTOOL, &ifr);
}

/* GRO on a veth gives it NAPI, which an XDP redirect into its peer needs,
 * without the cost an XDP program on it would put on the peer's TSO. */
int xbr_netdev_gro(const char *name, bool on)
{
	return ethtool_set(name, ETHTOOL_SGRO, on);
}

/* ethtool -K NAME tx on|off */
int xbr_netdev_tx_csum(const char *name, bool on)
{
	return ethtool_set(name, ETHTOOL_STXCSUM, on);
}

/* net.ipv6.conf.NAME.disable_ipv6; a kernel without IPv6 has nothing to do. */
int xbr_netdev_ipv6(const char *name, bool on)
{
	char path[PATH_MAX];
	int fd, ret = 0;

	if (xbr_path(path, "/proc/sys/net/ipv6/conf/%s/disable_ipv6", name))
		return -ENAMETOOLONG;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	if (write(fd, on ? "0" : "1", 1) != 1)
		ret = -errno;
	close(fd);
	return ret;
}
