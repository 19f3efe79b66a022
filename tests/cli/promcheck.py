#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""promcheck.py PROM BEFORE AFTER: xbr stats --prometheus against -j.

PROM is `xbr stats --prometheus`; BEFORE and AFTER are {"stats": `xbr -j
stats`, "bridges": `xbr -j bridge show`, "ports": `xbr -j port show`}
taken just before and just after it. PROM must parse (promparse.py) and
hold exactly the series the JSON gives, no more, no fewer, each with the
JSON's value: equal where BEFORE and AFTER agree, between them where a
counter moved meanwhile (the reclaimer's walks go on by themselves).
Every number stats -j has of a port is expected as a counter, so one added
to -j without a Prometheus series fails here.
Prints how many series it compared; exits 1 with every difference.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import promparse  # noqa: E402

# Every number stats -j gives of a port is a counter, exported as
# xbr_port_NAME_total: a counter added to -j without its series fails.
NOT_COUNTERS = {"bridge", "dev", "drops"}
# What bridge show -j gives as numbers, and the series of each.
BRIDGE_GAUGES = {"ageing": "xbr_bridge_ageing_seconds", "fdb_learned": "xbr_bridge_fdb_learned",
                 "fdb_max_learned": "xbr_bridge_fdb_max_learned"}


def expected(snap):
    """{(metric, ((label, value), ...)): value} from one JSON snapshot."""
    exp = {}

    def put(name, value, **labels):
        exp[(name, tuple(sorted(labels.items())))] = float(value)

    for s in snap["stats"]:
        lb = {"bridge": s["bridge"], "port": s["dev"]}
        for c, v in s.items():
            if c not in NOT_COUNTERS:
                put(f"xbr_port_{c}_total", v, **lb)
        for reason, n in s["drops"].items():
            put("xbr_port_drops_total", n, reason=reason, **lb)
    for p in snap["ports"]:
        lb = {"bridge": p["bridge"], "port": p["dev"]}
        put("xbr_port_fdb_learned", p["fdb_learned"], **lb)
        put("xbr_port_up", p["state"] == "up", **lb)
    for b in snap["bridges"]:
        lb = {"bridge": b["name"]}
        for k, v in b.items():
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                continue
            if k not in BRIDGE_GAUGES:
                raise SystemExit(f"FAIL: bridge show -j has {k}, which promcheck.py does not know")
            put(BRIDGE_GAUGES[k], v, **lb)
        for k, v in b["reclaimer"].items():
            if k == "period_ms":
                put("xbr_bridge_reclaimer_period_seconds", v / 1000, **lb)
            else:
                put(f"xbr_bridge_reclaimer_{k}_total", v, **lb)
    return exp


# -j rounds these down, to whole seconds and to milliseconds: the exact
# value lies within one such step above.
SLACK = {"xbr_bridge_ageing_seconds": 1.0, "xbr_bridge_reclaimer_period_seconds": 0.001}


def main():
    prom_path, before_path, after_path = sys.argv[1:4]
    with open(prom_path, encoding="utf-8") as f:
        try:
            fams = promparse.parse(f.read())
        except promparse.FormatError as e:
            print(f"FAIL: {prom_path} is no exposition format: {e}")
            return 1
    got = {}
    for name, fam in fams.items():
        for labels, value in fam["samples"]:
            got[(name, tuple(sorted(labels.items())))] = value
    snaps = []
    for path in (before_path, after_path):
        with open(path, encoding="utf-8") as f:
            snaps.append(expected(json.load(f)))
    errors = []
    if set(snaps[0]) != set(snaps[1]):
        errors.append("the JSON before and after name different series: the test's state moved")
    for key in sorted(set(got) - set(snaps[0])):
        errors.append(f"not in -j: {key[0]}{dict(key[1])} = {got[key]}")
    for key in sorted(set(snaps[0]) - set(got)):
        errors.append(f"missing: {key[0]}{dict(key[1])} (-j: {snaps[0][key]})")
    exact = 0
    for key in sorted(set(got) & set(snaps[0])):
        lo, hi = sorted((snaps[0][key], snaps[1].get(key, snaps[0][key])))
        slack = SLACK.get(key[0])
        if slack:
            ok = lo - 1e-9 <= got[key] < hi + slack
        else:
            ok = lo <= got[key] <= hi
        if not ok:
            errors.append(f"{key[0]}{dict(key[1])} = {got[key]}, -j says {lo}"
                          + (f"..{hi}" if hi != lo else ""))
        exact += lo == hi
    for e in errors:
        print(f"FAIL: {e}")
    if errors:
        return 1
    print(f"ok: {len(got)} series in {len(fams)} families, each equal to -j"
          f" ({len(got) - exact} counters moved between the reads and lie between them)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
