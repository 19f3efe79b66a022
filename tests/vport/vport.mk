# SPDX-License-Identifier: GPL-2.0
# tests/vport: included by the top Makefile.
#
#   make vport-tests      the AF_XDP test client (QEMU's net/af-xdp.c in a box)
#
# `make check` builds it first; tests/vport/test-*.sh run it.
VPORT_TESTS := $(BUILD)/vport/xsk_client

$(BUILD)/vport:
	mkdir -p $@

$(BUILD)/vport/xsk_client: tests/vport/xsk_client.c | $(BUILD)/vport
	$(CC) $(CFLAGS) -Wl,--export-dynamic-symbol=socket -o $@ $< $(LDLIBS) -ldl

.PHONY: vport-tests
vport-tests: $(VPORT_TESTS)
check: vport-tests
