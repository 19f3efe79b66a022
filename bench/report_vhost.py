#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn tests/vhost/bench-vhost.sh's raw data into bench/results-vhost.md.

usage: report_vhost.py RAW_DIR RESULTS_MD COMMAND SECONDS ROUNDS

Rates are medians over rounds; ratios are medians (min .. max) of per-round
ratios between paths measured in the same round, seconds apart.
"""
import csv
import datetime
import os
import platform
import statistics
import sys

PEER = 'dpdk'
OURS = ('xbr', 'xbr-packed', 'xbr-tap')
DESCRIPTIONS = {
    'xbr': 'virtio_user -> xbr-vhost -> AF_XDP socket on vm0 ==veth== far0 (sink)',
    'xbr-packed': 'the same on packed rings (virtio_user packed_vq=1)',
    'xbr-tap': 'virtio_user -> xbr-vhost --tap -> tap vt0 (sink: the XDP program on the tap, '
               'where a bridge port\'s would decide): one write() per guest frame, one read() '
               'per frame for the guest',
    'dpdk': 'virtio_user -> testpmd net_vhost0 -(io fwd)-> net_af_xdp0 on vd0 ==veth== fard0 '
            '(sink): DPDK\'s own vhost back-end on the same kind of AF_XDP port, the fair peer',
    'dpdk-afpacket': 'the same through net_af_packet0 on vp0 ==veth== farp0 (the earlier '
                     'comparison; a footnote)',
}
POLLS = ('poll', 'ppoll', 'epoll_wait', 'epoll_pwait', 'epoll_pwait2')


def rows(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return list(csv.DictReader(f, delimiter='\t'))


def num(x):
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


def spread(xs):
    xs = [x for x in xs if x is not None]
    if not xs:
        return None
    return statistics.median(xs), min(xs), max(xs)


def fmt(s, f='{:.2f}', suffix=''):
    if s is None:
        return 'n/a'
    return f'{f.format(s[0])}{suffix} ({f.format(s[1])} .. {f.format(s[2])})'


def p99(xs):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.99 * (len(xs) - 1))))]


def main():
    raw, out, command, secs, nrounds = sys.argv[1:6]
    win = rows(os.path.join(raw, 'vhost.tsv'))
    paths = []
    for r in win:
        if r['path'] not in paths:
            paths.append(r['path'])
    by = {}  # (dir, path) -> {round: row}
    for r in win:
        by.setdefault((r['dir'], r['path']), {})[r['round']] = r

    def rate(d, p):
        return spread([num(r['rate']) / 1e6 for r in by.get((d, p), {}).values()])

    def ratios(d, a, b):
        x, y = by.get((d, a), {}), by.get((d, b), {})
        return [num(x[k]['rate']) / num(y[k]['rate']) for k in x
                if k in y and num(y[k]['rate'])]

    def total(d, p, col):
        return sum(num(r[col]) or 0 for r in by.get((d, p), {}).values())

    def verdict(ok):
        return 'met' if ok else '**missed**'

    md = []
    w = md.append
    w('# xbr-vhost against its fair peer\n')
    w(f'- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC; kernel '
      f'{platform.release()}; {os.cpu_count()} cores (a VM, shared with other work)')
    w(f'- command: `{command}`; {nrounds} interleaved rounds of {secs} s per path and direction')
    w('- front-end (the "guest"): dpdk-testpmd with virtio_user, 64 B frames, for every path')
    w('- placement: each back-end on CPU 0; the front-end\'s forwarding lcore on CPU 1. Guest TX: '
      'the guest sends flat out (txonly). Guest RX: xbr-trafficgen sends live frames into the '
      'far end of the path\'s veth (into the tap for xbr-tap, as a bridge would redirect) from CPU 0, beside the back-end (the host\'s side of the '
      'network shares one core, the guest has the other), flat out, then at twice what the '
      'path delivered flat out in that round (rx2x), counting who drops what; the guest counts '
      '(rxonly).')
    w('- CPU: the back-end process\'s user and system time (/proc/PID/stat; this VM has no PMU), '
      'system calls counted with perf\'s syscall tracepoints, xbr-vhost\'s own counters.\n')
    w('| path | what carries the frames |')
    w('|---|---|')
    for p in paths:
        w(f'| {p} | {DESCRIPTIONS.get(p, "")} |')
    w('')

    # Targets.
    w('## Targets\n')
    w('| target | measured | |')
    w('|---|---|---|')
    for d, what in (('tx', 'guest TX'), ('rx', 'guest RX')):
        for p, how in (('xbr', 'AF_XDP vport'), ('xbr-tap', 'tap port')):
            s = spread(ratios(d, p, PEER))
            if s:
                w(f'| {what} >= 1.5x the fair peer (xbr-vhost on a {how} / DPDK vhost + AF_XDP, '
                  f'same round) | {fmt(s, suffix="x")} | {verdict(s[0] >= 1.5)} |')
    tx_lost = sum(total('tx', p, 'lost') for p in OURS)
    own = sum(total('rx2x', p, 'backend_drops') for p in OURS)
    kern = sum(total('rx2x', p, 'kernel_drops') for p in OURS)
    if by.get(('tx', 'xbr')):
        refused = [num(r['attempted']) / num(r['offered']) for r in by[('tx', 'xbr')].values()
                   if num(r['offered'])]
        w(f'| 0 frames lost by xbr-vhost at overload | guest TX flat out (the guest\'s ring was '
          f'full: testpmd was refused {statistics.median(refused):.0f}x per frame carried): '
          f'{tx_lost:.0f} lost; guest RX at 2x: {own:.0f} dropped by xbr-vhost ({kern:.0f} by the '
          f'kernel at the socket or the tap\'s queue, which a full guest leaves behind) | '
          f'{verdict(tx_lost == 0 and own == 0)} |')
    irq = rows(os.path.join(raw, 'irq.tsv'))
    for r in irq:
        if r['path'] in OURS and num(r['guest_rx']):
            per = 1000 * num(r['guest_irqs']) / num(r['guest_rx'])
            w(f'| < 10 guest interrupts per 1000 frames (a Linux guest receiving a stream; '
              f'{r["path"]}) | {per:.1f} ({r["guest_irqs"]} for {r["guest_rx"]} frames) | '
              f'{verdict(per < 10)} |')
    w('')

    # Rates.
    w('## Rates (64 B)\n')
    w('| direction | path | delivered Mpps | vs dpdk, same round | lost (sum) | by the back-end '
      '| by the kernel |')
    w('|---|---|---|---|---|---|---|')
    for d, what in (('tx', 'guest TX'), ('rx', 'guest RX, flat out'), ('rx2x', 'guest RX, 2x')):
        for p in paths:
            if (d, p) not in by:
                continue
            vs = fmt(spread(ratios(d, p, PEER)), suffix='x') if p != PEER else '1'
            w(f'| {what} | {p} | {fmt(rate(d, p), "{:.3f}")} | {vs} | {total(d, p, "lost"):.0f} '
              f'| {total(d, p, "backend_drops"):.0f} | {total(d, p, "kernel_drops"):.0f} |')
    w('')
    w('Lost on guest TX is what the guest handed over (testpmd TX-packets) and the far end did '
      'not count. On guest RX, the kernel drops at the AF_XDP socket (ring full, no fill '
      'buffers) what a back-end did not take in time; a DPDK back-end also frees frames it '
      'took from the socket when the guest has no buffers (its TX-dropped): those are the '
      'back-end\'s. xbr-vhost takes a frame from the socket only once the guest has a buffer '
      'for it. On a tap, the kernel drops at the tap\'s queue what xbr-vhost did not read in '
      'time; a frame xbr-vhost read for a guest without buffers waits for them.\n')

    # CPU breakdown.
    w('## Where the time goes (per frame delivered)\n')
    w('| direction | path | back-end busy | + ksoftirqd/0 | user ns | system ns | system calls '
      '| sendto | recvfrom | read, write | poll, epoll | frames per batch | guest kicks per 1000 |')
    w('|---|---|---|---|---|---|---|---|---|---|---|---|---|')
    for d in ('tx', 'rx'):
        for p in paths:
            rs = list(by.get((d, p), {}).values())
            if not rs:
                continue

            def per(col, scale=1.0):
                return spread([scale * num(r[col]) / num(r['delivered']) for r in rs
                               if num(r.get(col)) is not None and num(r['delivered'])])

            busy = spread([100 * (num(r['user_ns']) + num(r['sys_ns'])) / num(r['window_ns'])
                           for r in rs if num(r['window_ns'])])
            soft = spread([100 * (num(r['user_ns']) + num(r['sys_ns']) +
                                  (num(r.get('ksoftirqd_ns')) or 0)) / num(r['window_ns'])
                           for r in rs if num(r['window_ns'])])
            polls = spread([sum(num(r.get(c)) or 0 for c in POLLS) / num(r['delivered'])
                            for r in rs if num(r['delivered'])])
            rws = spread([sum(num(r.get(c)) or 0 for c in ('read', 'write', 'writev')) /
                          num(r['delivered']) for r in rs if num(r['delivered'])])
            if p.startswith('xbr'):
                pre = 'tx' if d == 'tx' else 'rx'
                batch = spread([num(r[f'{pre}_frames']) / num(r[f'{pre}_batches']) for r in rs
                                if num(r.get(f'{pre}_batches'))])
                kicks = per(f'{pre}_kicks', 1000)
                extra = f'{fmt(batch, "{:.1f}")} | {fmt(kicks, "{:.1f}")}'
            else:
                extra = 'n/a | n/a'
            w(f'| {d} | {p} | {fmt(busy, "{:.0f}", "%")} | {fmt(soft, "{:.0f}", "%")} | '
              f'{fmt(per("user_ns"), "{:.0f}")} | '
              f'{fmt(per("sys_ns"), "{:.0f}")} | {fmt(per("sys_total"), "{:.3f}")} | '
              f'{fmt(per("sendto"), "{:.3f}")} | {fmt(per("recvfrom"), "{:.3f}")} | '
              f'{fmt(rws, "{:.3f}")} | {fmt(polls, "{:.3f}")} | {extra} |')
    w('')
    w('"busy" is the back-end\'s CPU time over the window; "+ ksoftirqd/0" adds the softirq '
      'work the kernel deferred to ksoftirqd on the back-end\'s CPU (the far end\'s veth NAPI '
      'under load), which is the path\'s too. A DPDK back-end polls, so it is busy '
      'whether or not it moves frames, and its time per frame is the share of a core it took, '
      'not what a frame costs. The kernel\'s work for a frame sent through an AF_XDP socket in '
      'copy mode (an skb per frame, the veth, the far end\'s XDP) runs inside the sendto() that '
      'kicks it, so it is the back-end\'s system time; so is, on a tap, the tap\'s XDP program '
      'and what it does with the frame, which run inside the write().\n')

    for p in paths:
        prof = os.path.join(raw, f'profile-{p}.txt')
        if not os.path.exists(prof):
            continue
        w(f'### Guest TX through {p}: where its CPU goes (perf record -e cpu-clock, 2 s)\n')
        w('```')
        with open(prof) as f:
            w(f.read().rstrip())
        w('```\n')

    if irq:
        w('## A Linux guest receiving a stream (QEMU 7.2, TCG)\n')
        w('Debian\'s cloud kernel under TCG, virtio-net on -netdev vhost-user to the back-end '
          '(vectors=0: INTx), the far end sends 64 B frames with pktsend (AF_PACKET, retrying '
          'on a full queue); the guest counts its virtio interrupts (/proc/interrupts) and '
          'received frames. A TCG guest is slow, so the stream overloads it: what it receives '
          'is what it could take.\n')
        w('| path | frames sent | guest received | guest interrupts | per 1000 frames | '
          'back-end\'s count of interrupts |')
        w('|---|---|---|---|---|---|')
        for r in irq:
            g = num(r['guest_rx'])
            per = f'{1000 * num(r["guest_irqs"]) / g:.1f}' if g else 'n/a'
            w(f'| {r["path"]} | {r["stream"]} | {r["guest_rx"]} | {r["guest_irqs"]} | {per} | '
              f'{r["backend_rx_interrupts"] or "n/a"} |')
        w('')

    lat = {}
    lat_rounds = {}
    path = os.path.join(raw, 'latency.tsv')
    if os.path.exists(path):
        with open(path) as f:
            for rnd, p, ms in csv.reader(f, delimiter='\t'):
                lat.setdefault(p, []).append(float(ms) * 1000)
                lat_rounds.setdefault(p, {}).setdefault(rnd, []).append(float(ms) * 1000)
    if lat:
        w('## Round trips (ping -i 0.002 from the far end to testpmd\'s icmpecho)\n')
        w('The guest polls (testpmd), so this is the path without a guest\'s wakeup: the '
          'back-end\'s and the kernel\'s part. ping reports 1 us steps. The Linux bridge has '
          'no vhost-user path; its VMs sit on taps (results.md, "Latency through a tap", same '
          'ping).\n')
        w('| path | samples | median us | p99 us, median (min .. max) of rounds |')
        w('|---|---|---|---|')
        for p, xs in lat.items():
            w(f'| {p} | {len(xs)} | {statistics.median(xs):.0f} | '
              f'{fmt(spread([p99(v) for v in lat_rounds[p].values()]), "{:.0f}")} |')
        w('')

    w('## Every window\n')
    w('```')
    cols = ['round', 'dir', 'path', 'offered', 'delivered', 'rate', 'lost', 'backend_drops',
            'kernel_drops', 'user_ns', 'sys_ns', 'sys_total', 'sendto']
    w('\t'.join(cols))
    for r in win:
        w('\t'.join(r.get(c, '') for c in cols))
    w('```')
    with open(out, 'w') as f:
        f.write('\n'.join(md) + '\n')

    # For plot_vhost.gp: a row per direction, a column per path.
    with open(os.path.join(raw, 'plot-vhost.dat'), 'w') as f:
        f.write('direction\t' + '\t'.join(paths) + '\n')
        for d, what in (('tx', '"guest TX"'), ('rx', '"guest RX"')):
            vals = [rate(d, p) for p in paths]
            f.write(what + '\t' + '\t'.join(f'{v[0]:.3f}' if v else '0' for v in vals) + '\n')


if __name__ == '__main__':
    main()
