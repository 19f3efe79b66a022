#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""unitexec.py UNIT KEY [-i INSTANCE] [-e NAME=VALUE ...]

Print the commands a systemd unit's KEY lines (ExecStartPre, ExecStart, ...)
would run, one per line, as "FLAG<TAB>COMMAND": FLAG is "-" when systemd
ignores the command's failure, "=" otherwise; COMMAND is shell-quoted and
starts with `env -i` and the environment systemd would give it, so a test
can run exactly that inside its own namespaces.

What systemd does, for the subset a unit of ours may use (a test of a unit
using more must fail, not guess): specifiers %i %I %n %%; Environment=
(-e adds a drop-in's Environment= after the unit's), then EnvironmentFile=
(which wins, as in systemd; a leading "-" makes it optional); in a command
"$$" is "$", "${NAME}" is replaced inside its word, a word "$NAME" becomes
the value's whitespace-separated words; prefixes "-" and "@"/"+"/"!"/":"
are refused except "-".
"""
import argparse
import re
import shlex
import sys

PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def die(msg):
    print(f"unitexec: {msg}", file=sys.stderr)
    sys.exit(2)


def read_unit(path):
    """[(section, key, value)] with continuation lines joined."""
    items, section, pending = [], None, ""
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = pending + raw.rstrip("\n")
            pending = ""
            if line.endswith("\\"):
                pending = line[:-1] + " "
                continue
            s = line.strip()
            if not s or s[0] in "#;":
                continue
            if s.startswith("["):
                section = s.strip("[]")
                continue
            key, _, value = s.partition("=")
            items.append((section, key.strip(), value.strip()))
    return items


def specifiers(text, unit, instance):
    table = {"i": instance or "", "I": instance or "", "n": unit, "%": "%"}

    def sub(m):
        if m.group(1) not in table:
            die(f"specifier %{m.group(1)} not supported")
        return table[m.group(1)]
    return re.sub(r"%(.)", sub, text)


def read_env_file(path):
    env = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            s = line.strip()
            if not s or s[0] in "#;":
                continue
            name, sep, value = s.partition("=")
            if not sep:
                die(f"{path}: not NAME=VALUE: {s}")
            words = shlex.split(value) if value else [""]
            env[name.strip()] = " ".join(words)
    return env


def expand(words, env):
    out = []
    for w in words:
        m = re.fullmatch(r"\$(\w+)", w)
        if m:
            out.extend(env.get(m.group(1), "").split())
            continue

        def sub(m):
            if m.group(0) == "$$":
                return "$"
            return env.get(m.group(1), "")
        out.append(re.sub(r"\$\$|\$\{(\w+)\}", sub, w))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("unit")
    ap.add_argument("key")
    ap.add_argument("-i", "--instance")
    ap.add_argument("-e", "--env", action="append", default=[])
    args = ap.parse_args()
    name = args.unit.rsplit("/", 1)[-1]
    if args.instance:
        name = name.replace("@.", f"@{args.instance}.")
    items = [(s, k, specifiers(v, name, args.instance))
             for s, k, v in read_unit(args.unit)]

    env = {}
    for s, k, v in items:
        if s == "Service" and k == "Environment":
            for a in shlex.split(v):
                n, _, val = a.partition("=")
                env[n] = val
    for a in args.env:
        n, _, val = a.partition("=")
        env[n] = val
    for s, k, v in items:
        if s == "Service" and k == "EnvironmentFile":
            optional = v.startswith("-")
            path = v[1:] if optional else v
            try:
                env.update(read_env_file(path))
            except FileNotFoundError:
                if not optional:
                    die(f"EnvironmentFile {path} does not exist (systemd refuses to start)")

    for s, k, v in items:
        if s != "Service" or k != args.key:
            continue
        flag = "="
        while v and v[0] in "-@+!:":
            if v[0] != "-":
                die(f"{args.key} prefix {v[0]!r} not supported")
            flag, v = "-", v[1:]
        words = expand(shlex.split(v), env)
        if not words or not words[0].startswith("/"):
            die(f"{args.key} command is not an absolute path: {v}")
        cmd = ["env", "-i", f"PATH={PATH}"] + [f"{n}={val}" for n, val in env.items()] + words
        print(f"{flag}\t{shlex.join(cmd)}")


if __name__ == "__main__":
    main()
