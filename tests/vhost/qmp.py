#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""qmp.py SOCKET COMMAND [JSON-ARGUMENTS]: run one QMP command on the QEMU
monitor at SOCKET (-qmp unix:SOCKET,server=on,wait=off) and print its
"return" as JSON; exit 1 on an error reply.
qmp.py SOCKET migrate-wait [TIMEOUT]: poll query-migrate until the
migration completes (print its statistics as JSON) or fails (exit 1)."""
import json
import socket
import sys
import time


class Qmp:
    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        self.file = self.sock.makefile("rw")
        json.loads(self.file.readline())          # the greeting
        self.cmd("qmp_capabilities")

    def cmd(self, name, args=None):
        msg = {"execute": name}
        if args:
            msg["arguments"] = args
        self.file.write(json.dumps(msg) + "\n")
        self.file.flush()
        while True:
            reply = json.loads(self.file.readline())
            if "event" in reply:
                continue
            if "error" in reply:
                raise RuntimeError(f"{name}: {reply['error'].get('desc')}")
            return reply.get("return")


def main():
    qmp = Qmp(sys.argv[1])
    name = sys.argv[2]
    try:
        if name == "migrate-wait":
            deadline = time.time() + float(sys.argv[3] if len(sys.argv) > 3 else 120)
            while time.time() < deadline:
                st = qmp.cmd("query-migrate")
                if st.get("status") == "completed":
                    print(json.dumps(st))
                    return 0
                if st.get("status") in ("failed", "cancelled"):
                    print(json.dumps(st))
                    return 1
                time.sleep(0.1)
            print(json.dumps({"status": "timeout"}))
            return 1
        args = json.loads(sys.argv[3]) if len(sys.argv) > 3 else None
        print(json.dumps(qmp.cmd(name, args)))
        return 0
    except RuntimeError as e:
        print(f"qmp: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
