#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make install DESTDIR=tmp PREFIX=/usr lays out what a Debian host expects:
# binaries in /usr/sbin, units in /lib/systemd/system, the tap scripts in
# /usr/libexec/xbr, the libvirt hook in /etc/libvirt/hooks/qemu.d, examples
# in /etc/xbr; every path written into them is the installed one; a second
# install keeps the operator's configuration and replaces the rest. The
# default PREFIX (/usr/local) keeps units and scripts under /usr/local.
. "$(dirname "$0")/../lib/net.sh"
xt_init host-install
xt_need_xbr
xt_need python3 dash

inst()	# inst DESTDIR [make ARGS]: make install, quiet unless it fails
{
	local d=$1
	shift
	make -C "$xt_root" install DESTDIR="$d" "$@" >"$XT_TMP/make.log" 2>&1 ||
		{ cat "$XT_TMP/make.log"; xt_fail "make install DESTDIR=$d $*"; }
}

D=$XT_TMP/root
inst "$D" PREFIX=/usr

# file MODE PATH: PATH (under $D) exists, a regular file with MODE.
file()
{
	[ -f "$D$2" ] || xt_fail "make install left out $2"
	[ "$(stat -c %a "$D$2")" = "$1" ] || xt_fail "$2 has mode $(stat -c %a "$D$2"), not $1"
}
file 755 /usr/sbin/xbr
file 755 /usr/sbin/xbr-vhost
cmp -s "$D/usr/sbin/xbr" "$xt_root/build/xbr" || xt_fail "/usr/sbin/xbr is not build/xbr"
if [ -x "$xt_root/build/xbrd" ]; then
	file 755 /usr/sbin/xbrd
else
	xt_log "note: build/xbrd not built yet: not checked in /usr/sbin"
fi
for u in xbr.service xbrd.service xbr-vhost@.service xbr-metrics.service xbr-metrics.timer; do
	file 644 "/lib/systemd/system/$u"
done
file 755 /usr/libexec/xbr/qemu-ifup
[ "$(readlink "$D/usr/libexec/xbr/qemu-ifdown")" = qemu-ifup ] ||
	xt_fail "qemu-ifdown is not a link to qemu-ifup"
file 755 /etc/libvirt/hooks/qemu.d/xbr
file 644 /etc/xbr/xbr.conf
file 644 /etc/xbr/qemu.conf
[ -d "$D/etc/xbr/vhost" ] || xt_fail "no /etc/xbr/vhost for xbr-vhost@ instances"
xt_log "ok: the tree: $(cd "$D" && find . -type f -o -type l | sort | tr '\n' ' ')"

# Nothing is left to fill in, and what was filled in is the installed path.
left=$(grep -rl '@[A-Z]*@' "$D/lib" "$D/etc" "$D/usr/libexec" || true)
[ -z "$left" ] || xt_fail "placeholders left in: $left"
grep -q '^ExecStart=/usr/sbin/xbr --pin-root ${XBR_PIN_ROOT} apply ${XBR_CONF}$' \
	"$D/lib/systemd/system/xbr.service" || xt_fail "xbr.service does not run /usr/sbin/xbr apply"
grep -q '^Environment=XBR_CONF=/etc/xbr/xbr.conf$' "$D/lib/systemd/system/xbr.service" ||
	xt_fail "xbr.service does not read /etc/xbr/xbr.conf"
grep -q '^ExecStart=/usr/sbin/xbrd --pin-root ${XBR_PIN_ROOT}$' "$D/lib/systemd/system/xbrd.service" ||
	xt_fail "xbrd.service does not run /usr/sbin/xbrd"
grep -q '^EnvironmentFile=/etc/xbr/vhost/%i.conf$' "$D/lib/systemd/system/xbr-vhost@.service" ||
	xt_fail "xbr-vhost@ does not read /etc/xbr/vhost/%i.conf"
grep -q '^XBR=${XBR:-/usr/sbin/xbr}$' "$D/usr/libexec/xbr/qemu-ifup" ||
	xt_fail "qemu-ifup does not run /usr/sbin/xbr"
grep -q '^conf=${XBR_QEMU_CONF:-/etc/xbr/qemu.conf}$' "$D/usr/libexec/xbr/qemu-ifup" ||
	xt_fail "qemu-ifup does not read /etc/xbr/qemu.conf"
grep -q '^XBR = os.environ.get("XBR", "/usr/sbin/xbr")$' "$D/etc/libvirt/hooks/qemu.d/xbr" ||
	xt_fail "the libvirt hook does not run /usr/sbin/xbr"
grep -q 'script=/usr/libexec/xbr/qemu-ifup' "$D/etc/xbr/qemu.conf" ||
	xt_fail "qemu.conf does not show the installed script path"
dash -n "$D/usr/libexec/xbr/qemu-ifup" || xt_fail "qemu-ifup is not valid sh"
python3 -c 'import ast, sys; ast.parse(open(sys.argv[1]).read())' "$D/etc/libvirt/hooks/qemu.d/xbr" ||
	xt_fail "the libvirt hook is not valid python3"
[ "$(head -1 "$D/etc/libvirt/hooks/qemu.d/xbr")" = "#!/usr/bin/python3" ] ||
	xt_fail "the hook's interpreter is not Debian's python3"
xt_log "ok: installed paths written into units, scripts, hook and examples"

# The example xbr.conf holds no command: applied at boot it makes nothing.
grep -Ev '^[[:space:]]*(#|$)' "$D/etc/xbr/xbr.conf" &&
	xt_fail "the example xbr.conf would configure something at boot"
xt_log "ok: the example xbr.conf is all comments"

# Again over an operator's changes: configuration kept, code replaced.
echo "bridge add br7" >>"$D/etc/xbr/xbr.conf"
echo "bridge br7" >>"$D/etc/xbr/qemu.conf"
echo "# changed" >>"$D/lib/systemd/system/xbr.service"
echo "# changed" >>"$D/usr/libexec/xbr/qemu-ifup"
inst "$D" PREFIX=/usr
grep -q '^bridge add br7$' "$D/etc/xbr/xbr.conf" || xt_fail "a second install replaced xbr.conf"
grep -q '^bridge br7$' "$D/etc/xbr/qemu.conf" || xt_fail "a second install replaced qemu.conf"
grep -q "keeping $D/etc/xbr/xbr.conf" "$XT_TMP/make.log" || xt_fail "install did not say it kept xbr.conf"
grep -q '# changed' "$D/lib/systemd/system/xbr.service" "$D/usr/libexec/xbr/qemu-ifup" &&
	xt_fail "a second install did not replace the unit and the script"
xt_log "ok: a second install keeps xbr.conf and qemu.conf, replaces units and scripts"

# The default prefix: everything but /etc under /usr/local.
L=$XT_TMP/local
inst "$L"
for f in /usr/local/sbin/xbr /usr/local/lib/systemd/system/xbr.service \
	 /usr/local/libexec/xbr/qemu-ifup /etc/libvirt/hooks/qemu.d/xbr /etc/xbr/xbr.conf; do
	[ -f "$L$f" ] || xt_fail "PREFIX=/usr/local: no $f"
done
grep -q '^ExecStart=/usr/local/sbin/xbr ' "$L/usr/local/lib/systemd/system/xbr.service" ||
	xt_fail "PREFIX=/usr/local: xbr.service does not run /usr/local/sbin/xbr"
[ ! -e "$L/lib" ] || xt_fail "PREFIX=/usr/local installed into /lib"
xt_log "ok: the default prefix keeps units and scripts under /usr/local"
exit 0
