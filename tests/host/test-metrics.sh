#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# xbr-metrics.service and .timer as installed: systemd-analyze verify is
# silent about them; the timer runs the service every 15 s from boot on;
# the service's command, run as systemd would in a namespace of ours,
# writes XBR_METRICS_DIR/xbr.prom (the exposition format, the bridge's
# ports in it) and leaves no temporary file; a reader that reads the file
# over and over while the service runs again and again never sees a
# partial one (the file is renamed into place, never written in place);
# and a missing directory fails the service, saying so, with nothing left
# behind. Where Debian's prometheus-node-exporter is installed (or
# XBR_NODE_EXPORTER names its binary), node_exporter itself reads the file.
. "$(dirname "$0")/../lib/net.sh"
. "$(dirname "$0")/lib.sh"
xt_init host-metrics
xt_need_xbr
xt_need systemd-analyze jq python3
host_install
PARSE=$xt_root/tests/cli/promparse.py

vdir=$XT_TMP/verify
mkdir -p "$vdir"
cp "$H_UNITS/xbr-metrics.service" "$H_UNITS/xbr-metrics.timer" "$vdir/"
for u in xbr-metrics.service xbr-metrics.timer; do
	out=$(cd "$vdir" && systemd-analyze verify --man=no "./$u" 2>&1) ||
		xt_fail "systemd-analyze verify $u: $out"
	[ -z "$out" ] || xt_fail "systemd-analyze verify $u says: $out"
done
grep -qx 'OnBootSec=15s' "$H_UNITS/xbr-metrics.timer" &&
	grep -qx 'OnUnitActiveSec=15s' "$H_UNITS/xbr-metrics.timer" &&
	grep -qx 'WantedBy=timers.target' "$H_UNITS/xbr-metrics.timer" ||
	xt_fail "xbr-metrics.timer does not run every 15 s from boot: $(cat "$H_UNITS/xbr-metrics.timer")"
grep -qx 'Environment=XBR_METRICS_DIR=/var/lib/prometheus/node-exporter' "$H_UNITS/xbr-metrics.service" ||
	xt_fail "xbr-metrics.service does not default to Debian's textfile directory"
xt_log "ok: systemd-analyze verify: clean; every 15 s; Debian's textfile directory by default"

xt_ns br
xt_ns peer
for i in 0 1 2 3 4 5 6 7; do
	xt_veth br "vm$i" peer "p$i"
done
xbr_in br bridge add br0 || xt_fail "bridge add br0"
for i in 0 1 2 3 4 5 6 7; do
	xbr_in br port add br0 "vm$i" || xt_fail "port add vm$i"
done

dir=$XT_TMP/textfile
mkdir -p "$dir"
host_unit_cmds xbr-metrics.service ExecStart -e XBR_PIN_ROOT="$XBR_PIN_ROOT" -e XBR_METRICS_DIR="$dir"
[ ${#HOST_CMDS[@]} = 1 ] || xt_fail "xbr-metrics.service has ${#HOST_CMDS[@]} ExecStart lines"
eval "cmd=(${HOST_CMDS[0]#*$'\t'})"
xt_log "xbr-metrics.service: $(host_cmd_words "${cmd[@]}")"
nsx br "${cmd[@]}" || xt_fail "xbr-metrics.service failed"
[ -f "$dir/xbr.prom" ] || xt_fail "no $dir/xbr.prom"
python3 "$PARSE" "$dir/xbr.prom" >"$XT_TMP/fams.json" || xt_fail "xbr.prom is not the exposition format"
n=$(jq '[.xbr_port_rx_packets_total.samples[] | select(.[0].bridge == "br0")] | length' "$XT_TMP/fams.json")
[ "$n" = 8 ] || xt_fail "xbr.prom has $n ports of br0, not 8"
[ "$(ls "$dir")" = xbr.prom ] || xt_fail "the service left more than xbr.prom: $(ls "$dir")"
[ "$(stat -c %a "$dir/xbr.prom")" = 644 ] || xt_fail "xbr.prom is not readable by node_exporter's user"
xt_log "ok: the service writes $dir/xbr.prom ($(wc -l <"$dir/xbr.prom") lines), nothing else"

# A reader in a loop against the service run again and again: every read
# is a whole file (it ends with the last family's last sample).
last=$(tail -1 "$dir/xbr.prom" | cut -d'{' -f1)
python3 - "$dir/xbr.prom" "$last" >"$XT_TMP/reader.out" 2>&1 <<'EOF' &
import sys, time
path, last = sys.argv[1], sys.argv[2]
reads = bad = 0
end = time.time() + 4
while time.time() < end:
    with open(path) as f:
        text = f.read()
    reads += 1
    lines = text.splitlines()
    if not text.endswith("\n") or not lines or not lines[-1].startswith(last):
        bad += 1
print(reads, bad)
EOF
reader=$!
XT_PIDS+=("$reader")
runs=0
while kill -0 "$reader" 2>/dev/null; do
	nsx br "${cmd[@]}" || xt_fail "xbr-metrics.service failed on run $runs"
	runs=$((runs + 1))
done
wait "$reader" || xt_fail "the reader failed: $(cat "$XT_TMP/reader.out")"
read -r reads bad <"$XT_TMP/reader.out"
[ "$runs" -ge 10 ] && [ "$reads" -ge 100 ] ||
	xt_fail "too little overlap to tell: $runs runs, $reads reads"
[ "$bad" = 0 ] || xt_fail "$bad of $reads reads saw a partial xbr.prom"
xt_log "ok: $reads reads during $runs runs of the service: never a partial file"

# Where Debian's node_exporter is installed, it reads the file too (its
# own parser, its own rules for textfiles): no scrape error, our series.
ne=${XBR_NODE_EXPORTER:-/usr/bin/prometheus-node-exporter}
if [ -x "$ne" ]; then
	xt_bg br "$ne" --web.listen-address=127.0.0.1:19100 --collector.disable-defaults \
		--collector.textfile --collector.textfile.directory="$dir" 2>"$XT_TMP/ne.log"
	scrape() { nsx br python3 -c 'import urllib.request as u
print(u.urlopen("http://127.0.0.1:19100/metrics", timeout=2).read().decode())'; }
	xt_wait 10 scrape || xt_fail "node_exporter does not answer: $(cat "$XT_TMP/ne.log")"
	m=$(scrape)
	grep -qx 'node_textfile_scrape_error 0' <<<"$m" ||
		xt_fail "node_exporter cannot read xbr.prom: $(grep textfile <<<"$m") $(cat "$XT_TMP/ne.log")"
	grep -q '^xbr_port_rx_packets_total{bridge="br0",port="vm7"} ' <<<"$m" ||
		xt_fail "node_exporter does not export xbr's series"
	xt_log "ok: $ne reads xbr.prom: no scrape error, $(grep -c '^xbr_' <<<"$m") xbr samples"
else
	xt_log "note: prometheus-node-exporter not installed: its own reading not checked"
fi

# No directory: the service fails, says why, leaves nothing.
host_unit_cmds xbr-metrics.service ExecStart -e XBR_PIN_ROOT="$XBR_PIN_ROOT" \
	-e XBR_METRICS_DIR="$XT_TMP/nosuch"
eval "cmd=(${HOST_CMDS[0]#*$'\t'})"
if err=$(nsx br "${cmd[@]}" 2>&1); then
	xt_fail "xbr-metrics.service succeeded without its directory"
fi
grep -q nosuch <<<"$err" || xt_fail "the failure does not name the directory: $err"
[ ! -e "$XT_TMP/nosuch" ] || xt_fail "the failing service made $XT_TMP/nosuch"
xt_log "ok: no directory: fails with: $err"
exit 0
