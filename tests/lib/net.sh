# SPDX-License-Identifier: GPL-2.0
# Shared test harness: namespaces, veths, taps and a private bpffs pin root,
# all torn down by one trap on every exit path. Source it, then call
# xt_init NAME before anything else.
#
# Exit codes follow automake: 0 pass, 77 skip (say why first), other fail.

XT_SKIP=77
XT_NS=()
XT_PIDS=()
XT_CLEANUPS=()

xt_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
: "${XBR:=$xt_root/build/xbr}"
export XBR

xt_log() { printf '  %s\n' "$*"; }
# A test may define xt_on_fail (e.g. to dump state into its log).
xt_fail()
{
	printf 'FAIL: %s\n' "$*" >&2
	if declare -F xt_on_fail >/dev/null && [ -z "${XT_FAILING:-}" ]; then
		XT_FAILING=1
		set +e
		xt_on_fail >&2
	fi
	exit 1
}
xt_skip() { printf 'SKIP: %s\n' "$*"; exit $XT_SKIP; }

# xt_init NAME: unique prefix for this test's objects, own pin root (a fresh
# bpffs instance, so nothing is shared with the host's /sys/fs/bpf), trap.
xt_init()
{
	[ "$(id -u)" -eq 0 ] || xt_skip "needs root"
	XT_NAME=$1
	# Namespace names are global: make ours unique per run.
	XT_PFX="xt$$"
	XT_TMP=$(mktemp -d "/tmp/xbr-$XT_NAME-XXXXXX")	# no dots: libbpf pin paths
	XBR_PIN_ROOT=$XT_TMP/bpf
	mkdir -p "$XBR_PIN_ROOT"
	mount -t bpf bpf "$XBR_PIN_ROOT" || xt_fail "cannot mount bpffs"
	export XBR_PIN_ROOT
	trap xt_cleanup EXIT
	# Any signal that would end us must still run the cleanup (a closed
	# output pipe or terminal included).
	trap 'exit 130' INT TERM HUP
	trap 'exit 141' PIPE
}

xt_at_exit() { XT_CLEANUPS+=("$*"); }

xt_cleanup()
{
	local rc=$? i
	set +e
	trap '' PIPE
	exec >/dev/null 2>&1 </dev/null
	for ((i = ${#XT_CLEANUPS[@]} - 1; i >= 0; i--)); do
		eval "${XT_CLEANUPS[$i]}" >/dev/null 2>&1
	done
	for pid in "${XT_PIDS[@]}"; do
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	for ns in "${XT_NS[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	if [ -n "${XT_TMP:-}" ]; then
		umount "$XBR_PIN_ROOT" 2>/dev/null
		rm -rf "$XT_TMP"
	fi
	exit $rc
}

# xt_ns SHORT: create namespace $XT_PFX-SHORT with lo up; prints nothing.
# Use "$(xt_nsname SHORT)" to get the real name.
xt_nsname() { echo "$XT_PFX-$1"; }

xt_ns()
{
	local ns
	ns=$(xt_nsname "$1")
	ip netns add "$ns" || xt_fail "netns add $ns"
	XT_NS+=("$ns")
	ip -n "$ns" link set lo up
	# br_netfilter is built in and defaults on in every namespace.
	ip netns exec "$ns" sysctl -qw net.bridge.bridge-nf-call-iptables=0 2>/dev/null || true
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 2>/dev/null || true
	true
}

# nsx SHORT CMD...: run CMD inside namespace SHORT.
nsx()
{
	local ns
	ns=$(xt_nsname "$1")
	shift
	ip netns exec "$ns" "$@"
}

# xt_veth NS1 DEV1 NS2 DEV2 [MAC2]: veth pair DEV1 in NS1 <-> DEV2 in NS2,
# both up. MAC2 sets DEV2's address (handy for predictable FDB checks).
xt_veth()
{
	local n1 n2
	n1=$(xt_nsname "$1")
	n2=$(xt_nsname "$3")
	ip link add "$2" netns "$n1" type veth peer name "$4" netns "$n2" ||
		xt_fail "veth $2/$4"
	[ -n "${5:-}" ] && ip -n "$n2" link set "$4" address "$5"
	ip -n "$n1" link set "$2" up
	ip -n "$n2" link set "$4" up
}

# xt_addr NS DEV CIDR: add an address.
xt_addr() { ip -n "$(xt_nsname "$1")" addr add "$3" dev "$2"; }

# xt_bg NS CMD...: start CMD in NS in the background; killed at exit.
# The pid is left in $XT_LAST_PID.
xt_bg()
{
	local ns
	ns=$(xt_nsname "$1")
	shift
	ip netns exec "$ns" "$@" &
	XT_LAST_PID=$!
	XT_PIDS+=("$XT_LAST_PID")
}

# xbr_in NS ARGS...: run the xbr CLI inside namespace NS with our pin root.
xbr_in() { nsx "$1" "$XBR" "${@:2}"; }

# xt_ping NS ADDR [COUNT]: quiet ping that must succeed.
xt_ping() { nsx "$1" ping -q -c "${3:-2}" -i 0.2 -W 1 "$2" >/dev/null; }

# xt_expect_ok DESC CMD...: CMD must succeed.
xt_expect_ok()
{
	local d=$1
	shift
	"$@" || xt_fail "$d"
	xt_log "ok: $d"
}

# xt_expect_fail DESC CMD...: CMD must fail.
xt_expect_fail()
{
	local d=$1
	shift
	! "$@" || xt_fail "$d (unexpectedly succeeded)"
	xt_log "ok: $d"
}

# ---- generic helpers added for the cli/net suites -------------------------

# xt_need CMD...: skip unless every CMD is installed.
xt_need()
{
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || xt_skip "$c not installed"
	done
}

# xt_need_xbr: the CLI must be built (make builds it; a missing one fails).
xt_need_xbr() { [ -x "$XBR" ] || xt_fail "xbr not built: $XBR (run make)"; }

# xt_wait SECS CMD...: poll CMD every 0.1 s until it succeeds; fail after SECS.
xt_wait()
{
	local n=$(($1 * 10))
	shift
	while ! "$@" >/dev/null 2>&1; do
		n=$((n - 1))
		[ $n -gt 0 ] || return 1
		sleep 0.1
	done
}

# xt_wait_eq SECS WANT CMD...: poll until CMD prints WANT; fail after SECS.
# (xt_wait test "$(CMD)" = WANT would run CMD once, before the wait.)
xt_wait_eq()
{
	local secs=$1
	shift
	xt_wait "$secs" xt_prints "$@"
}

# xt_prints WANT CMD...: whether CMD prints WANT.
xt_prints()
{
	local want=$1
	shift
	[ "$("$@" 2>/dev/null)" = "$want" ]
}

# xt_link_stat NS DEV rx|tx packets|bytes|dropped: the kernel's counter of
# a netdev (independent of xbr's own counters).
xt_link_stat()
{
	ip -n "$(xt_nsname "$1")" -j -s link show dev "$2" |
		jq -r ".[0].stats64.$3.$4"
}

# xt_has_xdp NS DEV: an XDP program is attached to DEV (any mode).
xt_has_xdp()
{
	[ "$(ip -n "$(xt_nsname "$1")" -j link show dev "$2" | jq -r '.[0].xdp != null')" = true ]
}

# xt_has_tc NS DEV: a BPF program on DEV's tc ingress (clsact or tcx).
xt_has_tc()
{
	local n
	if command -v bpftool >/dev/null; then
		n=$(nsx "$1" bpftool -j net show dev "$2" 2>/dev/null |
			jq '[.[0].tc[]? | select((.kind // "") | test("ingress"))] | length')
		[ "${n:-0}" -gt 0 ] && return 0
	fi
	[ -n "$(nsx "$1" tc filter show dev "$2" ingress 2>/dev/null)" ]
}

# xt_expect_err DESC PATTERN CMD...: CMD must fail and its stderr must match
# the extended regex PATTERN (case-insensitive).
xt_expect_err()
{
	local d=$1 pat=$2 err
	shift 2
	err=$("$@" 2>&1 >/dev/null) && xt_fail "$d (unexpectedly succeeded)"
	printf '%s\n' "$err" | grep -Eqi -- "$pat" ||
		xt_fail "$d: stderr '$err' does not match /$pat/"
	xt_log "ok: $d (${err%%$'\n'*})"
}

# xt_gro_on NS DEV: turn GRO on (gives a veth NAPI, so it can take native
# XDP redirects: docs/FACTS.md). ethtool if installed, else the legacy
# ETHTOOL_SGRO ioctl from python3.
xt_gro_on()
{
	if command -v ethtool >/dev/null; then
		nsx "$1" ethtool -K "$2" gro on >/dev/null
		return
	fi
	nsx "$1" python3 -c '
import ctypes, fcntl, socket, struct, sys
ev = ctypes.create_string_buffer(struct.pack("II", 0x2c, 1))  # ETHTOOL_SGRO
ifr = struct.pack("16sP", sys.argv[1].encode(), ctypes.addressof(ev)) + bytes(16)
fcntl.ioctl(socket.socket(), 0x8946, ifr)  # SIOCETHTOOL
' "$2"
}
