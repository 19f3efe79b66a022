# SPDX-License-Identifier: GPL-2.0
# tests/unit: BPF_PROG_TEST_RUN of the pinned programs on crafted frames.
# Run by tests/unit/test-datapath.sh (make check).

UNIT_BIN := $(BUILD)/tests/unit/xbr-unit
UNIT_SRCS := $(wildcard tests/unit/*.c)
ALL_TARGETS += $(UNIT_BIN)

$(UNIT_BIN): $(UNIT_SRCS) $(wildcard tests/unit/*.h) $(BUILD)/libxbr.a $(USER_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $(UNIT_SRCS) $(BUILD)/libxbr.a $(LDLIBS)
