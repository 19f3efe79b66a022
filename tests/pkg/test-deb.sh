#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make deb builds xbr's Debian package without touching the work tree, and
# the package holds what `make install DESTDIR=... PREFIX=/usr` installs:
# the same files, links and modes (man pages gzip'd by dh_compress), the
# same bytes for everything but the binaries (built with Debian's flags and
# stripped; they run and say the package's version), plus only Debian's
# own copyright, changelog and lintian overrides. Every file under /etc is
# a conffile; installing enables and starts no unit, and xbr.service is
# never started or restarted by the package. lintian, at every level it
# has, finds nothing but what debian/xbr.lintian-overrides accepts.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }
skip() { printf 'SKIP: %s\n' "$*"; exit 77; }
log() { printf '  %s\n' "$*"; }
for c in dpkg-buildpackage dh fakeroot; do
	command -v "$c" >/dev/null || skip "$c not installed (scripts/deps.sh installs it)"
done
tmp=$(mktemp -d /tmp/xbr-deb-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# -- make deb, in a copy: the work tree is as it was.
git_state() { git status --porcelain --untracked-files=all 2>/dev/null || true; }
before=$(git_state)
start=$(date +%s)
make -s deb >"$tmp/deb.log" 2>&1 || { cat "$tmp/deb.log"; fail "make deb"; }
log "make deb: $(($(date +%s) - start)) s"
[ "$(git_state)" = "$before" ] || fail "make deb changed the work tree: $(diff <(echo "$before") <(git_state))"
ver=$(make -s -p -n programs 2>/dev/null | sed -n 's/^XBR_VERSION :*= //p' | head -1)
[ -n "$ver" ] || fail "cannot read XBR_VERSION from the Makefile"
debs=(build/deb/xbr_*_amd64.deb)
[ ${#debs[@]} = 1 ] && [ -f "${debs[0]}" ] || fail "make deb made no single xbr .deb: $(ls build/deb)"
deb=${debs[0]}
[ "$(dpkg-deb -f "$deb" Version)" = "$ver" ] ||
	fail "the package is version $(dpkg-deb -f "$deb" Version), the Makefile's XBR_VERSION $ver (debian/changelog and Makefile disagree)"
log "ok: $deb, version $ver, work tree untouched"

# -- what make install installs against what the package holds.
make -s install DESTDIR="$tmp/inst" PREFIX=/usr >"$tmp/install.log" 2>&1 ||
	{ cat "$tmp/install.log"; fail "make install DESTDIR=$tmp/inst PREFIX=/usr"; }
dpkg-deb -x "$deb" "$tmp/pkg"
# "TYPE MODE PATH [-> TARGET]" of every file and link under a root; man
# pages named without the .gz the package gives them.
listing() {
	(cd "$1" && find . \( -type f -o -type l \) -printf '%y %m %p -> %l\n') |
		sed -e 's|^\(. [0-9]* \)\./|\1/|' -e 's| -> $||' \
			-e 's|^\(f [0-9]* /usr/share/man/.*\)\.gz$|\1|' | sort
}
debian_own='^f 644 /usr/share/(doc/xbr/(copyright|changelog\.gz)|lintian/overrides/xbr)$'
listing "$tmp/inst" >"$tmp/inst.list"
listing "$tmp/pkg" | grep -Ev "$debian_own" >"$tmp/pkg.list"
[ "$(listing "$tmp/pkg" | grep -cE "$debian_own")" = 3 ] ||
	fail "the package lacks Debian's copyright, changelog or lintian overrides: $(listing "$tmp/pkg" | grep share/)"
diff -u "$tmp/inst.list" "$tmp/pkg.list" >"$tmp/diff" ||
	fail "the package and make install differ (- make install, + package): $(cat "$tmp/diff")"
# A floor, so that two empty lists cannot agree: binaries, units, pages.
[ "$(grep -cE ' /usr/sbin/| /lib/systemd/system/| /usr/share/man/' "$tmp/inst.list")" = 12 ] ||
	fail "make install installed other than 3 binaries, 5 units, 4 pages: $(cat "$tmp/inst.list")"
[ -d "$tmp/pkg/etc/xbr/vhost" ] || fail "the package has no /etc/xbr/vhost"
# dpkg -c says the same of the archive itself.
n=$(dpkg -c "$deb" | awk '$1 !~ /^d/' | wc -l)
[ "$n" = $(($(wc -l <"$tmp/inst.list") + 3)) ] || fail "dpkg -c lists $n files and links"
log "ok: the package holds make install's $(wc -l <"$tmp/inst.list") files and links, same modes, + Debian's 3"

# Same bytes, but for the binaries; those run and know the version.
while read -r type mode path rest; do
	[ "$type" = f ] || continue
	case $path in
	/usr/sbin/*) continue ;;
	/usr/share/man/*) cmp -s "$tmp/inst$path" <(gzip -dc "$tmp/pkg$path.gz") ||
		fail "$path differs from make install's" ;;
	*) cmp -s "$tmp/inst$path" "$tmp/pkg$path" || fail "$path differs from make install's" ;;
	esac
done <"$tmp/inst.list"
for b in xbr xbr-vhost xbrd; do
	"$tmp/pkg/usr/sbin/$b" --help >/dev/null || fail "the package's $b does not run"
done
[ "$("$tmp/pkg/usr/sbin/xbr" --version)" = "xbr $ver" ] ||
	fail "the package's xbr says $("$tmp/pkg/usr/sbin/xbr" --version), not xbr $ver"
log "ok: same bytes but for the binaries, which run; xbr --version: xbr $ver"

# -- conffiles and maintainer scripts.
dpkg-deb -e "$deb" "$tmp/ctl"
diff <(cd "$tmp/pkg" && find etc -type f | sed 's|^|/|' | sort) <(sort "$tmp/ctl/conffiles") >"$tmp/cf" ||
	fail "conffiles are not every file under /etc: $(cat "$tmp/cf")"
log "ok: conffiles: $(tr '\n' ' ' <"$tmp/ctl/conffiles")"
post=$tmp/ctl/postinst
grep -q 'deb-systemd-invoke' "$post" || fail "postinst restarts nothing: $(cat "$post")"
grep 'deb-systemd-invoke' "$post" | grep -q "'xbr.service'" &&
	fail "postinst starts or restarts xbr.service: $(grep deb-systemd-invoke "$post")"
[ "$(grep -c 'deb-systemd-helper enable' "$post")" = "$(grep -c 'was-enabled' "$post")" ] ||
	fail "postinst enables a unit that was not enabled before: $(cat "$post")"
for u in xbrd.service xbr-metrics.timer; do
	grep 'deb-systemd-invoke' "$post" | grep -q "'$u'" || fail "an upgrade does not restart $u"
done
log "ok: no unit enabled or started by installing; xbr.service never (re)started; xbrd and the timer restarted on upgrade when enabled"

# -- lintian, when it is installed: nothing but the accepted findings.
if ! command -v lintian >/dev/null; then
	log "note: lintian not installed: not run"
	exit 0
fi
lintian --display-info --pedantic --display-experimental --show-overrides "$deb" \
	>"$tmp/lintian" 2>&1 || true
grep -v '^running with root privileges' "$tmp/lintian" | grep -E '^[EWIPX]: ' &&
	fail "lintian finds what debian/xbr.lintian-overrides does not accept (above)"
grep -E '^[A-Z]: ' "$tmp/lintian" | grep -vE '^[NO]: ' &&
	fail "lintian says something unexpected: $(cat "$tmp/lintian")"
log "ok: lintian $(lintian --version | awk '{print $2}'): no findings but the $(grep -c '^O: ' "$tmp/lintian") accepted ones:"
grep '^O: ' "$tmp/lintian" | sed 's/^/    /'
exit 0
