#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn bench/run.sh's raw data into bench/results.md and the plot's data.

usage: report.py RAW_DIR RESULTS_MD COMMAND

The variants of each family (veth, tap, jumbo) are in RAW_DIR/families.tsv.

Every rate figure is a median over interleaved rounds; every ratio is the
median (and min-max) of per-round ratios, each taken between two windows a
fraction of a second apart, which is what survives this machine's drift.
"""
import csv
import datetime
import os
import platform
import statistics
import sys

BASELINE = 'lb-nfoff'
BIG = '-100k'  # twin of a variant with a 100 000-entry FDB (bench/run.sh)

DESCRIPTIONS = {
    'direct': 'generator straight into the sink, no switch (the machine\'s ceiling)',
    'xdp-fwd': 'bare XDP: dst-MAC hash lookup + devmap redirect, no bridge logic '
               '(the XDP path\'s ceiling; bench/fwd.bpf.c)',
    'tc-fwd': 'bare tc: the same lookup + bpf_redirect at tc ingress (the tc path\'s ceiling)',
    'lb-nfoff': 'Linux bridge, bridge-nf-call-{ip,ip6,arp}tables=0',
    'lb-nfon': 'Linux bridge, bridge-nf-call-*=1, empty ruleset (a fresh namespace\'s default)',
    'xbr-xdp': 'xbr, `port add ... mode xdp` (the operator vouches for complete checksums: '
               'TCP runs with tx checksum offload off at the endpoints)',
    'xbr-tc': 'xbr, `port add ... mode tc`',
    'xbr-auto': 'xbr, `port add ... mode auto` (the default)',
}


TAP_DESCRIPTIONS = {
    'direct': 'no switch: VM1 writes into a tap whose own XDP program counts and drops '
              '(what a VM can write at all), or the generator redirects straight into '
              'VM1\'s tap (what a VM can read at all)',
    'lb-nfoff': 'Linux bridge with up0, vnet0, vnet1; bridge-nf-call-* 0',
    'lb-nfon': 'the same, bridge-nf-call-* 1 (a fresh namespace\'s default)',
    'xdp-fwd': 'bare XDP on every port: lookup + devmap redirect (bench/fwd.bpf.c); it '
               'finishes no checksum, so NEEDS_CSUM frames leave unfinished: the '
               'redirect\'s ceiling, not a correct forwarder',
    'tc-fwd': 'bare tc: lookup + bpf_redirect at tc ingress of every port',
    'xbr-nic': 'xbr: uplink up0 `mode xdp` (a NIC-like port: takes XDP redirects), taps '
               '`auto`',
    'xbr-auto': 'xbr: every port `auto` (the default; a veth uplink is then a tc port)',
    'xbr-tc': 'xbr: every port `mode tc`',
}

TAP_DIRS = {
    'tap-up': 'VM1 on its tap -> uplink (up0 ==veth== wire0, sink)',
    'up-tap': 'uplink (live frames into wire0) -> VM1 reading its tap',
    'tap-tap': 'VM1 -> VM2, both on taps of one switch (VM2 reads its tap)',
}

# Targets on the VMs' ports: (label, direction, variant, against, at least).
TAP_TARGETS = (
    ('tap -> veth uplink, every port auto, >= 1.3x Linux bridge (nf off)',
     'tap-up', 'xbr-auto', 'lb-nfoff', 1.3),
    ('tap (auto) -> NIC-like uplink >= 0.9x bare XDP redirect',
     'tap-up', 'xbr-nic', 'xdp-fwd', 0.9),
    ('tap (auto) -> tap >= 0.9x bare XDP redirect',
     'tap-tap', 'xbr-auto', 'xdp-fwd', 0.9),
)
CSUM = {'c': 'complete checksums', 'p': 'NEEDS_CSUM'}


def read_tsv(path, header=True):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        rows = list(csv.reader(f, delimiter='\t'))
    return rows[1:] if header else rows


def spread(xs):
    xs = [x for x in xs if x is not None]
    if not xs:
        return None
    return statistics.median(xs), min(xs), max(xs)


def quartiles(xs):
    xs = sorted(x for x in xs if x is not None)
    if len(xs) < 4:
        return None
    q = statistics.quantiles(xs, n=4)
    return q[0], q[2]


def fmt_spread(s, fmt='{:.2f}', suffix=''):
    if s is None:
        return 'n/a'
    med, lo, hi = s
    return f'{fmt.format(med)}{suffix} ({fmt.format(lo)} .. {fmt.format(hi)})'


class Workload:
    def __init__(self, raw, name, direction, size, flows, extra):
        self.name, self.direction = name, direction
        self.size, self.flows, self.extra = int(size), int(flows), extra
        self.pps = {}      # variant -> {round: rx pps}
        self.sent = {}     # variant -> [sent, received]
        self.cpu = {}      # variant -> {round: ns per received frame}
        self.vm_cpu = {}   # variant -> {round: ns per received frame, of the tap reader}
        self.read_pps = None  # what a VM read, when pps holds what was forwarded
        self.sent_pps = {}    # variant -> {round: sent pps}
        self.cpu_sent = {}    # variant -> {round: ns per sent frame}
        for row in read_tsv(os.path.join(raw, name + '.tsv')):
            r, v, secs, sent, rcvd, _bytes, cpu = row[:7]
            vm_cpu = int(row[7]) if len(row) > 7 else 0
            secs, sent, rcvd, cpu = float(secs), int(sent), int(rcvd), int(cpu)
            self.pps.setdefault(v, {})[int(r)] = rcvd / secs if secs > 0 else 0
            self.sent_pps.setdefault(v, {})[int(r)] = sent / secs if secs > 0 else 0
            s = self.sent.setdefault(v, [0, 0])
            s[0] += sent
            s[1] += rcvd
            if sent:
                self.cpu_sent.setdefault(v, {})[int(r)] = cpu / sent
            if rcvd:
                self.cpu.setdefault(v, {})[int(r)] = cpu / rcvd
                if vm_cpu:
                    self.vm_cpu.setdefault(v, {})[int(r)] = vm_cpu / rcvd

    def count_forwarded(self):
        """Rates become what the sender handed over: for a VM writing into its
        tap, each write returns once the switch has put the frame in the
        receiving tap's queue, so that is the switch's rate, whether or not
        the VM behind that tap keeps up (read_mpps says what it read)."""
        self.read_pps, self.pps = self.pps, self.sent_pps
        self.cpu = self.cpu_sent

    def read_mpps(self, v):
        return spread([p / 1e6 for p in (self.read_pps or self.pps).get(v, {}).values()])

    def rounds(self):
        return max((len(p) for p in self.pps.values()), default=0)

    def mpps(self, v):
        return spread([p / 1e6 for p in self.pps.get(v, {}).values()])

    def ratios(self, v, base):
        a, b = self.pps.get(v, {}), self.pps.get(base, {})
        return [a[r] / b[r] for r in a if r in b and b[r] > 0]

    def ratio(self, v, base):
        return spread(self.ratios(v, base))

    def loss(self, v):
        sent, rcvd = self.sent.get(v, [0, 0])
        return 100.0 * (sent - rcvd) / sent if sent else None

    def cpu_ns(self, v):
        return spread(list(self.cpu.get(v, {}).values()))

    def cpu_ratio(self, v, base):
        """Per-round CPU ns/frame of v over base's."""
        a, b = self.cpu.get(v, {}), self.cpu.get(base, {})
        return spread([a[r] / b[r] for r in a if r in b and b[r] > 0])

    def vm_cpu_ns(self, v):
        return spread(list(self.vm_cpu.get(v, {}).values()))

    def cpu_over(self, v, base):
        """Per-round CPU ns/frame of v minus base's in the same round."""
        a, b = self.cpu.get(v, {}), self.cpu.get(base, {})
        return spread([a[r] - b[r] for r in a if r in b])


def machine():
    cpu = 'unknown'
    with open('/proc/cpuinfo') as f:
        for line in f:
            if line.startswith('model name'):
                cpu = line.split(':', 1)[1].strip()
                break
    return cpu, os.cpu_count()


def verdict(ok):
    return 'met' if ok else '**missed**'


def read_latency(path):
    """Round trips in us: all samples per variant, and per variant per round."""
    lat, rounds = {}, {}
    for r, v, ms in read_tsv(path, False):
        lat.setdefault(v, []).append(float(ms) * 1000)
        rounds.setdefault(v, {}).setdefault(int(r), []).append(float(ms) * 1000)
    return lat, rounds


def p99(xs):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.99 * (len(xs) - 1))))]


def p99_of_rounds(rounds, v):
    """p99 of each round: one burst of someone else's work spoils one round."""
    return [p99(xs) for xs in rounds.get(v, {}).values()]


def latency_table(w, variants, lat, lat_rounds):
    """Round trips per variant: all samples, and the spread of per-round p99."""
    w('| variant | samples | median us | p99 us, all samples | p99 us, median (min .. max) of rounds |')
    w('|---|---|---|---|---|')
    for v in variants:
        if v in lat:
            w(f'| {v} | {len(lat[v])} | {statistics.median(lat[v]):.0f} | {p99(lat[v]):.0f} | '
              f'{fmt_spread(spread(p99_of_rounds(lat_rounds, v)), "{:.0f}")} |')
    w('')


def tap_title(name, x):
    parts = name.split('-')
    what = TAP_DIRS.get(x.direction, x.direction)
    csum = f', {CSUM[parts[-1]]}' if parts[-1] in CSUM else ''
    cap = f', capped at {x.extra.split("-r ")[1].split()[0]} frames/s' if '-r ' in x.extra else ''
    return f'{what}: {x.size} B{csum}{cap}'


def tap_tables(w, wl, taps, lat, lat_rounds):
    names = [n for n in wl if wl[n].direction in TAP_DIRS]
    if not names:
        return
    w('## VM ports: taps\n')
    w('One interleaved run per table: each variant one 0.25 s window per round in turn. '
      'Ratios are medians (min .. max) of per-round ratios. "CPU ns/frame" is the sender\'s '
      'CPU (the VM\'s write path runs the whole switch in its syscall, or the generator\'s '
      'softirqs do) plus ksoftirqd, per frame counted (received; forwarded for VM -> VM); '
      '"VM CPU" is the CPU of the VM reading '
      'its tap, per frame read. Loss is what the sender handed over and no VM or sink counted '
      '(a tap whose VM reads too slowly drops at its queue, as it does for QEMU).\n')
    for name in names:
        x = wl[name]
        reads = x.direction != 'tap-up'
        w(f'### {tap_title(name, x)}\n')
        if x.read_pps is not None:
            w('Mpps here is what the switch forwarded into VM2\'s tap (VM1\'s write rate: each '
              'write returns once the frame is in that queue); "VM2 read" is what VM2 got, '
              'the rest its tap dropped because VM2 read too slowly.\n')
        elif x.direction == 'up-tap' and '-r ' not in x.extra:
            w('Saturated, what VM1 reads is bound by VM1 (one read() per frame on the other '
              'CPU) and by how its wakeups fall, not by the switch alone: a path that fills the '
              'tap\'s queue in bursts lets the VM read more per wakeup. The capped run below '
              'compares the switches\' CPU.\n')
        w('| variant | Mpps | Gbit/s | vs lb-nfoff | vs lb-nfon | vs bare XDP | loss % '
          '| CPU ns/frame |' + (' VM CPU ns/frame |' if reads else '') +
          (' VM2 read Mpps |' if x.read_pps is not None else ''))
        w('|---|---|---|---|---|---|---|---|' + ('---|' if reads else '') +
          ('---|' if x.read_pps is not None else ''))
        for v in taps:
            t = f't-{v}'
            m = x.mpps(t)
            if m is None:
                continue
            gbps = m[0] * 1e6 * x.size * 8 / 1e9
            row = (f'| {v} | {fmt_spread(m, "{:.3f}")} | {gbps:.2f} | '
                   f'{fmt_spread(x.ratio(t, "t-lb-nfoff"), suffix="x")} | '
                   f'{fmt_spread(x.ratio(t, "t-lb-nfon"), suffix="x")} | '
                   f'{fmt_spread(x.ratio(t, "t-xdp-fwd"), suffix="x")} | '
                   f'{x.loss(t):.2f} | {fmt_spread(x.cpu_ns(t), "{:.0f}")} |')
            if reads:
                row += f' {fmt_spread(x.vm_cpu_ns(t), "{:.0f}")} |'
            if x.read_pps is not None:
                row += f' {fmt_spread(x.read_mpps(t), "{:.3f}")} |'
            w(row)
        w('')
    if lat:
        w('### Latency through a tap (ping -i 0.002 wire -> VM1 and back, interleaved rounds)\n')
        w('VM1 is xbr-tapecho: it answers echo requests from its tap, reading and writing as '
          'QEMU does, woken by epoll on the VMs\' CPU, so a round trip includes a VM\'s '
          'wakeup, as a guest\'s does.\n')
        latency_table(w, taps, lat, lat_rounds)


def jumbo_tables(w, wl, jumbo, raw):
    x = wl.get('jumbo-9018')
    if x is None or not jumbo:
        return
    paths = {}
    for row in read_tsv(os.path.join(raw, 'jumbo-ports.tsv'), False):
        v, dev, mode, xdp, tc = row
        paths.setdefault(v, []).append((dev, mode, xdp, tc))
    says = [row[1] for row in read_tsv(os.path.join(raw, 'xbr-says.txt'), False)
            if len(row) > 1 and row[0].startswith('j-')]
    w('## Jumbo frames (MTU 9000 on every port, 9018 B frames)\n')
    w('The veth topology with MTU 9000 on wire0, up0, vm0 and vmif0; frames from an '
      'AF_PACKET socket on wire0 (sendmmsg, qdisc bypassed: live frames are one page at '
      'most), so the sender\'s own cost (an skb per frame, 9 KB copied) is in every '
      'figure: read the CPU cost over `direct`, which is the forwarding alone. The sink '
      'and the bare XDP forwarder are `xdp.frags` programs (multi-buffer XDP).\n')
    w('| variant | path | Mpps | Gbit/s | vs lb-nfoff | loss % | CPU ns/frame | over direct |')
    w('|---|---|---|---|---|---|---|---|')
    for v in jumbo:
        t = f'j-{v}'
        m = x.mpps(t)
        if m is None:
            continue
        if v in paths:
            how = ', '.join(f'{dev}: mode {mode}, ' +
                            ('runs XDP' if xdp not in ('false', 'null', '') else 'runs tc only')
                            for dev, mode, xdp, tc in paths[v])
        else:
            how = {'xdp-fwd': 'multi-buffer XDP redirect', 'tc-fwd': 'tc redirect',
                   'direct': 'no switch'}.get(v, 'Linux bridge')
        gbps = m[0] * 1e6 * x.size * 8 / 1e9
        w(f'| {v} | {how} | {fmt_spread(m, "{:.3f}")} | {gbps:.2f} | '
          f'{fmt_spread(x.ratio(t, "j-lb-nfoff"), suffix="x")} | {x.loss(t):.2f} | '
          f'{fmt_spread(x.cpu_ns(t), "{:.0f}")} | '
          f'{fmt_spread(x.cpu_over(t, "j-direct"), "{:.0f}")} |')
    w('')
    if says:
        w('What xbr said when the ports were added:\n')
        w('```')
        w('\n'.join(sorted(set(says))))
        w('```\n')


def tap_plot(wl, taps, path):
    """Ratio to the Linux bridge (nf off) per 64 B tap workload, for plot.gp."""
    shown = [v for v in taps if v not in ('lb-nfoff', 'direct')]
    labels = {'tap-up-64-c': 'tap->uplink', 'tap-up-64-p': 'tap->uplink NEEDS_CSUM',
              'up-tap-64-100k': 'uplink->tap (CPU)', 'tap-tap-64-c': 'tap->tap',
              'tap-tap-64-p': 'tap->tap NEEDS_CSUM'}
    with open(path, 'w') as f:
        f.write('workload ' + ' '.join(shown) + '\n')
        for name, label in labels.items():
            x = wl.get(name)
            if x is None:
                continue
            cols = []
            for v in shown:
                # Capped, every variant delivers the cap: compare CPU per
                # frame instead (the bridge's over the variant's).
                r = (x.cpu_ratio('t-lb-nfoff', f't-{v}') if '-r ' in x.extra else
                     x.ratio(f't-{v}', 't-lb-nfoff'))
                cols.append(f'{r[0]:.3f}' if r else '0')
            f.write(f'"{label}" ' + ' '.join(cols) + '\n')


def main():
    raw, out, command = sys.argv[1], sys.argv[2], sys.argv[3]
    families = {row[0]: row[1].split() for row in
                read_tsv(os.path.join(raw, 'families.tsv'), False) if len(row) > 1}
    variants = families.get('veth', [])
    taps = families.get('tap', [])
    jumbo = families.get('jumbo', [])
    wl = {row[0]: Workload(raw, *row) for row in read_tsv(os.path.join(raw, 'workloads.txt'), False)}
    for x in wl.values():
        if x.direction == 'tap-tap':
            x.count_forwarded()
    have = set(variants)
    cpu, ncpu = machine()
    md = []
    w = md.append

    w('# xbr benchmark results\n')
    w(f'- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC')
    w(f'- kernel: {platform.release()}; CPU: {cpu}, {ncpu} cores (a VM)')
    w(f'- command: `{command}`; raw windows in build/bench/results/')
    main_wl = wl.get('fwd-64-1f')
    if main_wl:
        w(f'- method: one xbr-trafficgen process (BPF_PROG_TEST_RUN live frames), '
          f'{main_wl.rounds()} measured rounds per workload after 1 warm-up, each variant '
          'one 0.25 s window per round in turn; rates are medians over rounds, ratios are '
          'medians (min-max) of per-round ratios against the Linux bridge with '
          'br_netfilter off in the same round.')
    w('- absolute numbers on this machine drift by 2-3x within minutes: read the ratios.\n')

    w('## Variants\n')
    if variants:
        w('| variant | what forwards |')
        w('|---|---|')
        for v in variants:
            w(f'| {v} | {DESCRIPTIONS.get(v, "")} |')
        w('')
    if taps:
        w('On the VMs\' ports (taps; tables under "VM ports: taps"): VM1 on tap vnet0, VM2 on '
          'tap vnet1, an uplink up0 ==veth== wire0. A VM writes into its tap as QEMU does '
          'without vhost-net (this kernel has none): /dev/net/tun opened O_NONBLOCK with '
          'IFF_TAP | IFF_NO_PI | IFF_VNET_HDR, the 12-byte virtio-net header of a VERSION_1 '
          'guest, one writev() per frame; frames carry a complete UDP checksum or are '
          'NEEDS_CSUM (VIRTIO_NET_HDR_F_NEEDS_CSUM, csum_start 34, csum_offset 6, the '
          'pseudo-header sum in the field: a guest with checksum offload). A VM reads its '
          'tap with read() until EAGAIN, then epoll, on the other CPU (QEMU\'s tap_send()).\n')
        w('| variant | what forwards |')
        w('|---|---|')
        for v in taps:
            w(f'| {v} | {TAP_DESCRIPTIONS.get(v, "")} |')
        w('')

    # The targets xbr is held to.
    w('## Targets (64 B, 1 flow unless said)\n')
    w('Median of per-round ratios, [interquartile range] and (min .. max): a single '
      'window hit by another process on this shared 2-core VM moves min and max, not the '
      'median.\n')
    w('| target | measured | |')
    w('|---|---|---|')

    def iqr(xs, scale=lambda x: x, fmt='{:.2f}'):
        q = quartiles([scale(x) for x in xs])
        return f' [{fmt.format(min(q))} .. {fmt.format(max(q))}]' if q else ''

    def target(label, s, ok, xs=()):
        if s is None:
            w(f'| {label} | n/a (variant not measured) | |')
            return
        med, rest = fmt_spread(s, suffix="x").split(' ', 1)
        q = quartiles(xs)
        # A verdict the middle half of the rounds disagrees about is noise.
        noisy = q is not None and ok(q[0]) != ok(q[1])
        w(f'| {label} | {med}{iqr(xs)} {rest} | {verdict(ok(s[0]))}'
          f'{" (within noise: the interquartile range spans the target)" if noisy else ""} |')

    if main_wl:
        if {'xbr-xdp', 'xdp-fwd'} <= have:
            target('xbr xdp >= 0.9x bare XDP redirect', main_wl.ratio('xbr-xdp', 'xdp-fwd'), lambda m: m >= 0.9,
                   main_wl.ratios('xbr-xdp', 'xdp-fwd'))
        if {'xbr-xdp', 'lb-nfoff'} <= have:
            target('xbr xdp >= 3x Linux bridge, nf off', main_wl.ratio('xbr-xdp', 'lb-nfoff'), lambda m: m >= 3,
                   main_wl.ratios('xbr-xdp', 'lb-nfoff'))
        if {'xbr-xdp', 'lb-nfon'} <= have:
            target('xbr xdp >= 4.5x Linux bridge, nf on', main_wl.ratio('xbr-xdp', 'lb-nfon'), lambda m: m >= 4.5,
                   main_wl.ratios('xbr-xdp', 'lb-nfon'))
        if {'xbr-tc', 'tc-fwd'} <= have:
            target('xbr tc >= 0.95x bare tc redirect', main_wl.ratio('xbr-tc', 'tc-fwd'), lambda m: m >= 0.95,
                   main_wl.ratios('xbr-tc', 'tc-fwd'))
    # FDB size: each variant against its big-FDB twin in the same rounds.
    for name, what in (('fdb-64-1f', '1 flow, FDB 10 -> 100 000'),
                       ('fdb-64-1024f', '1024 flows, FDB 2 056 -> 100 000')):
        if name not in wl:
            continue
        for v in variants:
            if v == 'direct' or not v.startswith(('xbr', 'lb-nfoff', 'xdp-fwd')):
                continue
            r = wl[name].ratio(v + BIG, v)
            if r is None:
                continue
            cost = tuple(100 * (1 - x) for x in (r[0], r[2], r[1]))
            med, rest = fmt_spread(cost, "{:+.0f}", "%").split(' ', 1)
            q = iqr(wl[name].ratios(v + BIG, v), lambda x: 100 * (1 - x), '{:+.0f}%')
            if v.startswith('xbr'):
                w(f'| {v}: {what} costs <= 10% | {med}{q} {rest} | {verdict(cost[0] <= 10)} |')
            else:
                w(f'| ({v} for reference: {what}) | {med}{q} {rest} | |')
    tcp = read_tsv(os.path.join(raw, 'tcp.tsv'), False)
    tcp_bps = {}
    for r, v, bps, retr in tcp:
        tcp_bps.setdefault(v, {})[int(r)] = float(bps) if bps not in ('', 'null') else 0.0
    tcp_failed = {v for r, v, bps, retr in tcp if bps in ('', 'null')}
    if 'xbr-auto' in tcp_bps and BASELINE in tcp_bps:
        xs = [tcp_bps['xbr-auto'][r] / tcp_bps[BASELINE][r]
              for r in tcp_bps['xbr-auto'] if tcp_bps[BASELINE].get(r)]
        target('TCP through xbr (default mode auto) >= Linux bridge', spread(xs), lambda m: m >= 1, xs)
    lat, lat_rounds = read_latency(os.path.join(raw, 'latency.tsv'))

    def p99_rounds(v):
        return p99_of_rounds(lat_rounds, v)

    for v in ('xbr-auto', 'xbr-xdp'):
        if v in lat and BASELINE in lat:
            a, b = statistics.median(p99_rounds(v)), statistics.median(p99_rounds(BASELINE))
            w(f'| p99 latency {v} <= Linux bridge (nf off): median of per-round p99 | '
              f'{a:.0f} vs {b:.0f} us | {verdict(a <= b)} |')

    # The VMs' ports.
    for label, direction, v, base, least in TAP_TARGETS:
        for size in (64, 1518):
            for cs in ('c', 'p'):
                x = wl.get(f'{direction}-{size}-{cs}')
                if x is None or f't-{v}' not in x.pps or f't-{base}' not in x.pps:
                    continue
                target(f'{label} ({size} B, {CSUM[cs]})', x.ratio(f't-{v}', f't-{base}'),
                       lambda m, least=least: m >= least, x.ratios(f't-{v}', f't-{base}'))
    tlat, tlat_rounds = read_latency(os.path.join(raw, 'latency-tap.tsv'))
    for v in ('xbr-auto', 'xbr-nic'):
        if v in tlat and BASELINE in tlat:
            a = statistics.median(p99_of_rounds(tlat_rounds, v))
            b = statistics.median(p99_of_rounds(tlat_rounds, BASELINE))
            w(f'| p99 latency wire -> VM on a tap and back, {v} <= Linux bridge (nf off): '
              f'median of per-round p99 | {a:.0f} vs {b:.0f} us | {verdict(a <= b)} |')
    w('')

    # One table per workload.
    titles = {
        'fwd-64-1f': '64 B, 1 flow, wire -> VM, FDB 10',
        'rev-64-1f': '64 B, 1 flow, VM -> wire, FDB 10',
        'fwd-1518-1f': '1518 B, 1 flow, wire -> VM, FDB 10',
        'cpu-64-1f-200k': '64 B, 1 flow, capped at 200 kpps: CPU cost',
        'fdb-64-1f': '64 B, 1 flow, wire -> VM: FDB 10, and 100 000 (-100k)',
        'fdb-64-1024f': '64 B, 1024 flows, wire -> VM: FDB 2 056, and 100 000 (-100k)',
    }
    if variants:
        w('## Throughput\n')
    w('Frame sizes count the FCS (64 B = 60 B in the kernel); Gbit/s are on-the-wire bits of '
      'received frames. Loss is against what the generator sent; CPU ns/frame is the scheduler\'s '
      'CPU time of the generator thread plus every ksoftirqd (this VM has no PMU: `perf stat` '
      'reports cycles and instructions as not supported; IRQ time accounting is off, so the '
      'softirqs the generator runs at local_bh_enable() - veth NAPI, the switch, the sink - '
      'are charged to it) divided by received frames.\n' if variants else '')
    for name, t in titles.items():
        if name not in wl:
            continue
        x = wl[name]
        w(f'### {t}\n')
        w('| variant | Mpps | Gbit/s | vs lb-nfoff | vs lb-nfon | loss % | CPU ns/frame |')
        w('|---|---|---|---|---|---|---|')
        for v in [u for v in variants for u in (v, v + BIG)]:
            m = x.mpps(v)
            if m is None:
                continue
            gbps = m[0] * 1e6 * x.size * 8 / 1e9
            loss = x.loss(v)
            w(f'| {v} | {fmt_spread(m, "{:.3f}")} | {gbps:.2f} | '
              f'{fmt_spread(x.ratio(v, "lb-nfoff"), suffix="x")} | '
              f'{fmt_spread(x.ratio(v, "lb-nfon"), suffix="x")} | '
              f'{loss:.2f} | {fmt_spread(x.cpu_ns(v), "{:.0f}")} |')
        w('')
    cpu_wl = wl.get('cpu-64-1f-200k')
    if main_wl and 'direct' in have:
        w('CPU cost of forwarding alone: CPU ns/frame minus that of `direct` (the generator '
          'and the sink) in the same round, median (min .. max). Saturated, the whole path '
          'runs on the generator\'s CPU at 100%, which makes this the steadier figure; at '
          '200 kpps it also pays wakeups and cold caches, and BPF run-time stats were on.')
        w('')
        w('| variant | saturated (64 B, 1 flow) | at 200 kpps |')
        w('|---|---|---|')
        for v in variants:
            if v == 'direct':
                continue
            sat = main_wl.cpu_over(v, 'direct')
            cap = cpu_wl.cpu_over(v, 'direct') if cpu_wl else None
            w(f'| {v} | {fmt_spread(sat, "{:.0f}")} | {fmt_spread(cap, "{:.0f}")} |')
        w('')
    stats = read_tsv(os.path.join(raw, 'prog-stats.tsv'), False)
    if stats and cpu_wl:
        before = {(v, where, n): (int(t), int(c))
                  for tag, v, where, n, _ty, t, c in stats if tag == 'before'}
        rows = []
        for tag, v, where, name, ptype, t, c in stats:
            if tag != 'after':
                continue
            t0, c0 = before.get((v, where, name), (0, 0))
            runs, ns = int(c) - c0, int(t) - t0
            # The warm-up round ran too, at the same capped rate.
            frames = cpu_wl.sent.get(v, [0, 0])[1] * (cpu_wl.rounds() + 1) / max(cpu_wl.rounds(), 1)
            rows.append((v, where, name, ptype, runs, ns, frames))
        if rows:
            w('Where the BPF variants spend it: the kernel\'s BPF run-time stats '
              '(`bpf_enable_stats(BPF_STATS_RUN_TIME)` during the capped run, which add a '
              'clock read per run) of each program a frame can meet: on the ingress port '
              'up0, and xbr\'s devmap egress programs. A program shared by several ports '
              'counts runs on all of them.')
            w('')
            w('| variant | where | program | runs per frame | ns per run | ns per frame |')
            w('|---|---|---|---|---|---|')
            for v, where, name, ptype, runs, ns, frames in rows:
                if frames:
                    w(f'| {v} | {where} | {name} ({ptype}) | {runs / frames:.2f} | '
                      f'{ns / runs if runs else 0:.0f} | {ns / frames:.0f} |')
            w('')

    fdb = read_tsv(os.path.join(raw, 'fdb-size.tsv'), False)
    if fdb:
        counts = {}
        for v, _asked, n in fdb:
            counts.setdefault(v, []).append(n)
        w('FDB entries counted after each fill (the Linux bridge\'s own `permanent` port '
          'addresses not included): ' +
          '; '.join(f'{v} {" then ".join(n)}' for v, n in counts.items()) + '.\n')

    if tcp:
        csum = dict(read_tsv(os.path.join(raw, 'tcp-csum.tsv'), False))
        retr = {}
        for r, v, bps, rt in tcp:
            retr[v] = retr.get(v, 0) + (int(rt) if rt.isdigit() else 0)
        w('## TCP (iperf3, one stream wire -> VM, default offloads)\n')
        w('| variant | Gbit/s | vs lb-nfoff | retransmits | TcpInCsumErrors at receiver |')
        w('|---|---|---|---|---|')
        for v in variants:
            if v not in tcp_bps:
                continue
            g = spread([b / 1e9 for b in tcp_bps[v].values()])
            rs = spread([tcp_bps[v][r] / tcp_bps[BASELINE][r] for r in tcp_bps[v]
                         if tcp_bps.get(BASELINE, {}).get(r)])
            note = ' (tx checksum offload off at both ends: an XDP-only switch cannot ' \
                'forward CHECKSUM_PARTIAL)' if v in ('xdp-fwd', 'xbr-xdp') else ''
            if v in tcp_failed:
                note += ' **iperf3 failed in some rounds (counted as 0)**'
            w(f'| {v}{note} | {fmt_spread(g)} | {fmt_spread(rs, suffix="x")} | '
              f'{retr.get(v, 0)} | {csum.get(v, "?")} |')
        w('')

    if lat:
        w('## Latency (ping -i 0.002 wire -> VM, round trip, interleaved rounds)\n')
        latency_table(w, variants, lat, lat_rounds)

    tap_tables(w, wl, taps, tlat, tlat_rounds)
    jumbo_tables(w, wl, jumbo, raw)

    w('![Mpps per variant, 64 B, 1 flow; taps: ratio to the Linux bridge](results.png)\n')
    with open(out, 'w') as f:
        f.write('\n'.join(md))
    if taps:
        tap_plot(wl, taps, os.path.join(raw, 'plot-tap.dat'))

    if main_wl:
        with open(os.path.join(raw, 'plot.dat'), 'w') as f:
            for v in variants:
                m = main_wl.mpps(v)
                if m:
                    f.write(f'"{v}" {m[0]:.4f} {m[1]:.4f} {m[2]:.4f}\n')


if __name__ == '__main__':
    main()
