# SPDX-License-Identifier: GPL-2.0
# tests/unit: BPF_PROG_TEST_RUN of the pinned programs on crafted frames.
# Run by tests/unit/test-datapath.sh (make check).

UNIT_BIN := $(BUILD)/tests/unit/xbr-unit
ALL_TARGETS += $(UNIT_BIN)

$(UNIT_BIN): tests/unit/xbr-unit.c tests/unit/frames.h $(BUILD)/libxbr.a $(USER_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ tests/unit/xbr-unit.c $(BUILD)/libxbr.a $(LDLIBS)
