#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench/results-security.md from bench/security.sh's summaries."""
import csv
import datetime
import os
import platform
import sys

NOTES = {
    "lb-nfoff": "Linux bridge, bridge-nf-call-* 0",
    "lb-nft": "Linux bridge + nftables bridge-family anti-spoofing on the VM port "
              "(ether saddr, ip saddr, arp saddr ip)",
    "xbr-xdp": "xbr, mode xdp",
    "xbr-locked": "xbr, mode xdp, VM port locked to its MAC and IPv4 address",
    "xbr-vlan": "xbr, mode xdp, VM port access VLAN 10, uplink trunk (XDP pushes the tag)",
    "xbr-tc": "xbr, mode tc",
    "xbr-tc-locked": "xbr, mode tc, VM port locked",
    "xbr-tc-vlan": "xbr, mode tc, access VLAN 10 -> trunk (tc pushes the tag)",
}


def load(path):
    with open(path) as f:
        return {r["variant"]: r for r in csv.DictReader(f, delimiter="\t")}


def cpu_model():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "?"


def main():
    out_dir, md = sys.argv[1], sys.argv[2]
    lines = [
        "# What VLANs and port security cost",
        "",
        f"- date: {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC",
        f"- kernel: {platform.release()}; CPU: {cpu_model()}, {os.cpu_count()} cores",
        "- command: `make bench` (bench/security.sh); raw windows in build/bench/security/",
        "- frames VM -> wire, one flow, every variant interleaved in the same run; "
        "ratios are medians of per-round ratios (min .. max)",
        "",
        "| variant | what |",
        "|---|---|",
    ]
    lines += [f"| {v} | {n} |" for v, n in NOTES.items()]
    for name, size in (("sec-64", 64), ("sec-1518", 1518)):
        rows = load(os.path.join(out_dir, name + ".summary"))
        lines += ["", f"## {size} B", "",
                  "| variant | Mpps | Gbit/s | vs lb-nfoff | vs lb-nft | CPU ns/frame |",
                  "|---|---|---|---|---|---|"]
        nft = float(rows["lb-nft"]["mpps"]) if "lb-nft" in rows else 0
        for v in NOTES:
            if v not in rows:
                continue
            r = rows[v]
            mpps = float(r["mpps"])
            vs_nft = f"{mpps / nft:.2f}x" if nft else "n/a"
            lines.append(
                f"| {v} | {mpps:.3f} ({float(r['mpps_min']):.3f} .. {float(r['mpps_max']):.3f}) "
                f"| {float(r['gbps']):.2f} | {float(r['ratio']):.2f}x "
                f"({float(r['ratio_min']):.2f} .. {float(r['ratio_max']):.2f}) | {vs_nft} "
                f"| {float(r['cpu_ns_pkt']):.0f} |")
        base = rows.get("xbr-xdp")
        if base:
            b = float(base["mpps"])
            costs = [f"{v} {100 * (float(rows[v]['mpps']) / b - 1):+.0f}%"
                     for v in ("xbr-locked", "xbr-vlan") if v in rows]
            lines += ["", "Against plain xbr-xdp: " + ", ".join(costs) + "."]
    lines += ["", "Every lock was checked in the same run: a frame from a spoofed source "
              "MAC was sent through lb-nft, xbr-locked and xbr-tc-locked and none arrived.", ""]
    with open(md, "w") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    main()
