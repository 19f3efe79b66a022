# SPDX-License-Identifier: GPL-2.0
# The host suite: what `make install` ships (units, QEMU's tap scripts, the
# libvirt hook), tested as installed. Source after tests/lib/net.sh and
# xt_init.
#
# host_install: `make install` into $XT_TMP with every path under it
# (PREFIX=$XT_TMP/usr SYSCONFDIR=$XT_TMP/etc), so the installed files point
# at each other and at real binaries: units verify, scripts find xbr and
# their configuration, and nothing outside the test's directory is written.
HOST_UNITEXEC=$xt_root/tests/host/unitexec.py

host_install()
{
	H=$XT_TMP
	make -s -C "$xt_root" install PREFIX="$H/usr" SYSCONFDIR="$H/etc" \
		>"$XT_TMP/install.log" 2>&1 || { cat "$XT_TMP/install.log"; xt_fail "make install"; }
	H_SBIN=$H/usr/sbin
	H_UNITS=$H/usr/lib/systemd/system
	H_IFUP=$H/usr/libexec/xbr/qemu-ifup
	H_IFDOWN=$H/usr/libexec/xbr/qemu-ifdown
	H_HOOK=$H/etc/libvirt/hooks/qemu.d/xbr
	H_ETC=$H/etc/xbr
	[ -x "$H_SBIN/xbr" ] && [ -x "$H_IFUP" ] && [ -x "$H_HOOK" ] ||
		xt_fail "make install left out files: $(find "$H" -type f | tr '\n' ' ')"
}

# host_unit_cmds UNIT KEY [unitexec ARGS]: the commands of UNIT's KEY lines
# (FLAG<TAB>COMMAND, see unitexec.py) into the array HOST_CMDS.
host_unit_cmds()
{
	local unit=$1 key=$2 out
	shift 2
	out=$(python3 "$HOST_UNITEXEC" "$H_UNITS/$unit" "$key" "$@") ||
		xt_fail "cannot read $key of $unit"
	[ -n "$out" ] || xt_fail "$unit has no $key"
	mapfile -t HOST_CMDS <<<"$out"
}

# host_cmd_words env -i NAME=VALUE... CMD ARGS: "CMD ARGS", for logs.
host_cmd_words()
{
	shift 2
	while [ $# -gt 0 ] && [[ $1 == *=* ]]; do shift; done
	echo "$*"
}

# host_run_unit NS UNIT KEY [unitexec ARGS]: run UNIT's KEY commands in
# namespace NS (a "-" command may fail, as under systemd); fails on the
# first failing one.
host_run_unit()
{
	local ns=$1 unit=$2 key=$3 line flag cmd
	shift 3
	host_unit_cmds "$unit" "$key" "$@"
	for line in "${HOST_CMDS[@]}"; do
		flag=${line%%$'\t'*}
		eval "cmd=(${line#*$'\t'})"
		xt_log "$unit $key: $(host_cmd_words "${cmd[@]}")"
		if ! nsx "$ns" "${cmd[@]}" && [ "$flag" != - ]; then
			xt_fail "$unit: $key failed: ${cmd[*]}"
		fi
	done
}

# host_need_cmd WHAT CMD...: skip until CMD (a command this suite runs but
# another part of xbr provides) exists and takes --help.
host_need_cmd()
{
	local what=$1
	shift
	local cmd="${1##*/}${2:+ ${*:2}} --help"
	[ -x "$1" ] && "$@" --help >/dev/null 2>&1 ||
		xt_skip "needs $what: \`$cmd\` fails (not built, or not installed by make install, yet)"
}
