# SPDX-License-Identifier: GPL-2.0
# A tiny Linux guest for QEMU under TCG (KVM guests do not boot on these
# machines: docs/FACTS.md): Debian's cloud kernel, a busybox initramfs made
# here that loads the virtio-net modules and runs a script of the test's,
# then powers off. Source after net.sh and xt_init.
#
#   xt_guest_need                     skip unless QEMU, kernel, busybox, cpio
#   xt_guest_initrd OUT SCRIPT        the initramfs, SCRIPT run by /init
#   xt_guest_wait CONSOLE PID TEXT    wait for TEXT on the guest's console

# The virtio-net stack of the cloud kernel, in load order.
XT_GUEST_MODS="virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci failover net_failover virtio_net"

xt_guest_need()
{
	XT_QEMU=$(command -v qemu-system-x86_64) || xt_skip "qemu-system-x86_64 missing"
	command -v cpio >/dev/null || xt_skip "cpio missing"
	XT_BUSYBOX=$(command -v busybox) || xt_skip "busybox-static missing"
	file -L "$XT_BUSYBOX" 2>/dev/null | grep -q dynamic && xt_skip "busybox is not static"
	XT_KERNEL=$(ls /boot/vmlinuz-*cloud-amd64 2>/dev/null | sort -V | tail -1)
	[ -n "$XT_KERNEL" ] || xt_skip "no Debian cloud kernel (linux-image-cloud-amd64)"
	XT_KVER=${XT_KERNEL#/boot/vmlinuz-}
}

# xt_guest_initrd OUT SCRIPT: gzip'd cpio at OUT whose /init mounts /proc
# and /sys, loads the virtio modules, runs SCRIPT (busybox sh; eth0 is the
# virtio NIC), then powers the guest off.
xt_guest_initrd()
{
	local out=$1 script=$2 rd m f
	rd=$(mktemp -d "$XT_TMP/initrd-XXXXXX")
	mkdir -p "$rd/bin" "$rd/lib" "$rd/proc" "$rd/sys" "$rd/dev" "$rd/tmp"
	cp "$XT_BUSYBOX" "$rd/bin/busybox"
	for m in $XT_GUEST_MODS; do
		f=$(find "/lib/modules/$XT_KVER" -name "$m.ko*" | head -1)
		[ -n "$f" ] || xt_skip "module $m missing for $XT_KVER"
		case $f in
		*.xz) xz -dc "$f" >"$rd/lib/$m.ko" ;;
		*.zst) zstd -dcq "$f" >"$rd/lib/$m.ko" ;;
		*) cp "$f" "$rd/lib/$m.ko" ;;
		esac
	done
	{
		cat <<INIT
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
for m in $XT_GUEST_MODS; do insmod /lib/\$m.ko || echo "GUEST insmod \$m failed"; done
INIT
		printf '%s\n' "$script"
		echo "poweroff -f"
	} >"$rd/init"
	chmod +x "$rd/init"
	(cd "$rd" && find . | cpio -o -H newc 2>/dev/null | gzip -1) >"$out" ||
		xt_fail "cannot build the initramfs"
	rm -rf "$rd"
}

# xt_guest_wait CONSOLE PID TEXT [SECS]: until TEXT shows on CONSOLE (a
# file QEMU writes the serial console to); fails if QEMU (PID) exits first
# or SECS (default 150) pass.
xt_guest_wait()
{
	local i
	for ((i = 0; i < ${4:-150}; i++)); do
		grep -q "$3" "$1" && return 0
		kill -0 "$2" 2>/dev/null || return 1
		sleep 1
	done
	return 1
}
