#!/bin/bash
# Install everything xbr needs to build, test, demo and benchmark, from
# Debian 12 packages. Idempotent: packages already present are skipped.
set -euo pipefail

PKGS=(
	# build
	make gcc clang llvm pkg-config libbpf-dev libxdp-dev libelf-dev zlib1g-dev
	linux-libc-dev bpftool
	# run, demo and tests
	iproute2 iputils-ping iperf3 procps python3 jq ethtool nftables
	# benchmarks
	gnuplot-nox linux-perf
	# vhost-user tests: a foreign frontend and a real guest
	dpdk dpdk-dev qemu-system-x86 busybox-static cpio linux-image-cloud-amd64
	libclang-rt-14-dev
	# host integration tests: systemd-analyze verify of the units (systemd
	# need not run), the libvirt hook's interpreter
	systemd python3
	# man pages (groff and mandoc check them) and the Debian package
	# (dpkg-buildpackage with debhelper builds it, lintian checks it)
	groff-base mandoc dpkg-dev debhelper fakeroot lintian
)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
	echo "deps: all ${#PKGS[@]} packages present"
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: need root to install: ${missing[*]}" >&2
	exit 1
fi

echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
