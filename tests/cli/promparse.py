#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""A strict reader of Prometheus' text exposition format (version 0.0.4).

promparse.py FILE    parse FILE (- for stdin), print its families as JSON:
                     {name: {"type", "help", "samples": [[{labels}, value]]}}

What it refuses, each with the line number: a last line without a line
feed; a comment "# HELP" or "# TYPE" without its tokens; a second HELP or
TYPE of a name; a TYPE after the name's first sample; an unknown type; a
metric or label name outside the format's character sets; a label value
or HELP text with an escape other than the format's (\\\\, \\" in label
values, \\n); a label named twice; a value Go's ParseFloat would refuse;
a family whose samples are not one uninterrupted group; a series (name and
label set) given twice. And what xbr promises beyond the format: every
sample has a TYPE and a HELP, no timestamps (node_exporter's textfile
collector refuses them), counters are named *_total and are not negative.
Histograms and summaries (whose samples carry suffixed names) are not
read: xbr prints none.
"""
import json
import re
import sys

NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
LABEL = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
TYPES = {"counter", "gauge", "histogram", "summary", "untyped"}
# Go's strconv.ParseFloat, as the format says: decimal or hex floats, and
# NaN/Inf in any case with an optional sign.
FLOAT = re.compile(r"[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?"
                   r"|0[xX][0-9a-fA-F]+(\.[0-9a-fA-F]*)?([pP][+-]?\d+)?)"
                   r"|[+-]?(?i:inf|infinity|nan)")


class FormatError(Exception):
    pass


def unescape(text, lineno, quotes):
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if c == "\\":
            nxt = text[i + 1:i + 2]
            if nxt == "\\" or nxt == "n" or (quotes and nxt == '"'):
                out.append("\n" if nxt == "n" else nxt)
                i += 2
                continue
            raise FormatError(f"line {lineno}: bad escape \\{nxt}")
        if quotes and c == '"':
            raise FormatError(f"line {lineno}: unescaped \" in a label value")
        out.append(c)
        i += 1
    return "".join(out)


def parse_labels(line, pos, lineno):
    """The labels after "{" at pos: ({name: value}, position after "}")."""
    labels = {}
    while True:
        while line[pos:pos + 1] in (" ", "\t"):
            pos += 1
        if line[pos:pos + 1] == "}":
            return labels, pos + 1
        m = LABEL.match(line, pos)
        if not m:
            raise FormatError(f"line {lineno}: bad label name at column {pos + 1}")
        name, pos = m.group(0), m.end()
        if line[pos:pos + 2] != '="':
            raise FormatError(f'line {lineno}: label {name} without ="')
        pos += 2
        end = pos
        while end < len(line) and line[end] != '"':
            end += 2 if line[end] == "\\" else 1
        if end >= len(line):
            raise FormatError(f"line {lineno}: unterminated value of label {name}")
        if name in labels:
            raise FormatError(f"line {lineno}: label {name} twice")
        labels[name] = unescape(line[pos:end], lineno, True)
        pos = end + 1
        if line[pos:pos + 1] == ",":
            pos += 1
        elif line[pos:pos + 1] != "}":
            raise FormatError(f"line {lineno}: expected , or }} after label {name}")


def parse(text):
    if text and not text.endswith("\n"):
        raise FormatError("the last line does not end with a line feed")
    fams, done, current = {}, set(), None

    def family(name):
        return fams.setdefault(name, {"type": None, "help": None, "samples": []})

    for lineno, line in enumerate(text.split("\n")[:-1], 1):
        s = line.strip(" \t")
        if not s:
            continue
        if s.startswith("#"):
            tok = s[1:].split(None, 2)
            if not tok or tok[0] not in ("HELP", "TYPE"):
                continue
            if len(tok) < 2 or not NAME.fullmatch(tok[1]):
                raise FormatError(f"line {lineno}: {tok[0]} without a metric name")
            f = family(tok[1])
            if tok[1] in done or (f["samples"] and tok[0] == "HELP"):
                raise FormatError(f"line {lineno}: {tok[0]} of {tok[1]} after its samples")
            if tok[0] == "HELP":
                if f["help"] is not None:
                    raise FormatError(f"line {lineno}: a second HELP for {tok[1]}")
                f["help"] = unescape(tok[2] if len(tok) > 2 else "", lineno, False)
            else:
                if f["type"] is not None:
                    raise FormatError(f"line {lineno}: a second TYPE for {tok[1]}")
                if f["samples"]:
                    raise FormatError(f"line {lineno}: TYPE of {tok[1]} after its samples")
                if len(tok) != 3 or tok[2] not in TYPES:
                    raise FormatError(f"line {lineno}: bad TYPE line: {s}")
                f["type"] = tok[2]
            continue
        m = NAME.match(s)
        if not m:
            raise FormatError(f"line {lineno}: no metric name: {s}")
        name, pos = m.group(0), m.end()
        labels = {}
        if s[pos:pos + 1] == "{":
            labels, pos = parse_labels(s, pos + 1, lineno)
        rest = s[pos:].split()
        if not rest or len(rest) > 2 or s[pos:pos + 1] not in (" ", "\t"):
            raise FormatError(f"line {lineno}: expected VALUE [TIMESTAMP]: {s}")
        if not FLOAT.fullmatch(rest[0]):
            raise FormatError(f"line {lineno}: bad value {rest[0]!r}")
        if len(rest) == 2:
            raise FormatError(f"line {lineno}: a timestamp (the textfile collector refuses it)")
        value = float(rest[0]) if not rest[0].lower().startswith(("0x", "+0x", "-0x")) \
            else float.fromhex(rest[0])
        if name != current:
            if name in done:
                raise FormatError(f"line {lineno}: samples of {name} are not one group")
            if current:
                done.add(current)
            current = name
        f = family(name)
        if f["type"] is None or f["help"] is None:
            raise FormatError(f"line {lineno}: {name} has no TYPE or HELP before its samples")
        key = sorted(labels.items())
        if any(sorted(l.items()) == key for l, _ in f["samples"]):
            raise FormatError(f"line {lineno}: series {name}{labels} twice")
        if f["type"] == "counter":
            if not name.endswith("_total"):
                raise FormatError(f"line {lineno}: counter {name} is not named *_total")
            if not value >= 0:
                raise FormatError(f"line {lineno}: counter {name} is {value}")
        f["samples"].append([labels, value])
    return fams


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "-"
    with (sys.stdin if path == "-" else open(path, encoding="utf-8")) as f:
        text = f.read()
    try:
        fams = parse(text)
    except FormatError as e:
        print(f"promparse: {path}: {e}", file=sys.stderr)
        return 1
    json.dump(fams, sys.stdout, indent=1, sort_keys=True)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
