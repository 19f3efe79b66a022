#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# xbr -batch: a file of commands (comments, blank lines, quoted words)
# leaves the bridge exactly as running them one by one does; an error on
# line N stops there with "line N: ...", lines before it done, none after;
# -force goes on and reports every bad line; stdin works; options, vport
# run and bad quotes on a line are refused by line number.
set -e
. "$(dirname "$0")/cli.sh"
cli_init cli-batch

cat >"$XT_TMP/cmds" <<'EOF'
# A bridge as a hypervisor would set it up.
bridge add br0 ageing 120

port add br0 vnet0 mode tc
port add "br0" vnet1 learning off
   # an indented comment
port add br0 vnet2 mode xdp flood off
port set br0 vnet1 locked on mac 02:00:00:00:10:01 max-macs 2 flood-limit 100
vlan add br0 dev vnet0 vid 10 pvid untagged
vlan add br0 dev "vnet2" vid 20-22
fdb add br0 02:00:00:00:00:aa dev vnet0 static
fdb add br0 02:00:00:00:00:bb dev vnet2 vlan 20 static
bridge set br0 ageing 90
port set br0 vnet0 learn-limit 7
EOF

# Everything the commands set, independent of when they ran.
state()
{
	x -j bridge show | jq -S -c .
	x -j port show | jq -S -c .
	x -j vlan show | jq -S -c .
	x -j fdb show | jq -S -c 'map(del(.age)) | sort_by(.mac)'
	bpftool -j map dump pinned "$XBR_PIN_ROOT/xbr/br0/config" | jq -c '.[0].formatted.value | del(.ports_gen)'
	bpftool -j map dump pinned "$XBR_PIN_ROOT/xbr/br0/flood_list" | jq -c '[.[].formatted.value | select(. != 0)]'
	bpftool -j map dump pinned "$XBR_PIN_ROOT/xbr/br0/sec_macs" | jq -S -c '[.[].formatted] | sort_by(.key.mac)'
	for i in 0 1 2 3; do echo "vnet$i: xdp $(xt_has_xdp br vnet$i && echo y) tc $(xt_has_tc br vnet$i && echo y)"; done
}

# The same lines, one xbr each (bash's own quoting handles these words).
one_by_one()
{
	local line
	while IFS= read -r line; do
		[[ $line =~ ^[[:space:]]*(#|$) ]] && continue
		eval "x $line" || xt_fail "one by one: xbr $line"
	done <"$1"
}

x -batch "$XT_TMP/cmds" || xt_fail "xbr -batch: exit $?"
batch=$(state)
echo "$batch"
x bridge del br0
one_by_one "$XT_TMP/cmds"
single=$(state)
[ "$batch" = "$single" ] || xt_fail "batch and one by one differ:
$(diff <(echo "$batch") <(echo "$single"))"
xt_log "ok: the batch's state equals running its lines one by one"
x bridge del br0

x -batch - <"$XT_TMP/cmds" || xt_fail "xbr -batch - (stdin)"
[ "$(state)" = "$single" ] || xt_fail "batch from stdin differs"
xt_log "ok: -batch - reads stdin"
x bridge del br0

# An error on line 4 stops there.
cat >"$XT_TMP/bad" <<'EOF'
bridge add br0
port add br0 vnet0
# line 3
port add br0 vnet9
port add br0 vnet1
port add br0 nosuch2
port add br0 vnet2
EOF
if x -batch "$XT_TMP/bad" 2>"$XT_TMP/err"; then xt_fail "a batch with a bad line succeeded"; fi
cat "$XT_TMP/err"
grep -qx 'xbr: line 4: no such device: vnet9' "$XT_TMP/err" || xt_fail "no 'line 4: ...' error: $(cat "$XT_TMP/err")"
[ "$(wc -l <"$XT_TMP/err")" = 1 ] || xt_fail "more than one error without -force: $(cat "$XT_TMP/err")"
[ "$(x -j port show br0 | jq -c 'map(.dev)')" = '["vnet0"]' ] ||
	xt_fail "after stopping at line 4: $(x -j port show br0 | jq -c 'map(.dev)')"
xt_log "ok: stops at line 4, lines 1-3 done, none after"
x bridge del br0

if x -batch "$XT_TMP/bad" -force 2>"$XT_TMP/err"; then xt_fail "-force batch with bad lines exited 0"; fi
grep -qx 'xbr: line 4: no such device: vnet9' "$XT_TMP/err" &&
	grep -qx 'xbr: line 6: no such device: nosuch2' "$XT_TMP/err" ||
	xt_fail "-force did not report lines 4 and 6: $(cat "$XT_TMP/err")"
[ "$(x -j port show br0 | jq -c 'map(.dev)')" = '["vnet0","vnet1","vnet2"]' ] ||
	xt_fail "-force: $(x -j port show br0 | jq -c 'map(.dev)')"
xt_log "ok: -force goes on: lines 4 and 6 reported, every good line done"

# The same state as one by one, the bad lines failing there too.
after_force=$(state)
x bridge del br0
while IFS= read -r line; do
	case $line in "#"*) continue ;; esac
	x $line 2>/dev/null || true
done <"$XT_TMP/bad"
[ "$(state)" = "$after_force" ] || xt_fail "-force batch and one by one differ"
xt_log "ok: -force's state equals running the lines one by one"

printf 'port set br0 vnet0 flood off\n-j port show\n' >"$XT_TMP/opt"
xt_expect_err "a global option on a line" '^xbr: line 2: "-j": options go before -batch' x -batch "$XT_TMP/opt"
printf '\n\nport set br0 "vnet0 flood off\n' >"$XT_TMP/quote"
xt_expect_err "an unterminated quote" '^xbr: line 3: unterminated quote' x -batch "$XT_TMP/quote"
printf 'vport run br0 vm1 -- true\n' >"$XT_TMP/run"
xt_expect_err "vport run in a batch" '^xbr: line 1: vport run cannot run in a batch' x -batch "$XT_TMP/run"
printf 'xbr port show\n' >"$XT_TMP/xbr"
xt_expect_err "a line starting with xbr" 'line 1: .*xbr' x -batch "$XT_TMP/xbr"
xt_expect_err "a missing batch file" "$XT_TMP/none" x -batch "$XT_TMP/none"
xt_expect_err "a command after -batch FILE" 'unexpected' x -batch "$XT_TMP/cmds" port show
[ "$(x -j port show br0 | jq -c 'map(select(.dev == "vnet0") | .flood)')" = '[false]' ] ||
	xt_fail "line 1 of the option file was not run before line 2 failed"
printf '# nothing\n\n' >"$XT_TMP/empty"
x -batch "$XT_TMP/empty" || xt_fail "a batch of comments failed"

# Output of show lines, in order, with the batch's -j.
printf 'bridge show br0\nport show br0\n' >"$XT_TMP/show"
out=$(x -j -batch "$XT_TMP/show")
[ "$(jq -s -c 'map(length)' <<<"$out")" = '[1,3]' ] || xt_fail "-j -batch show output: $out"
xt_log "ok: show lines print in order, JSON with -j"
x bridge del br0
