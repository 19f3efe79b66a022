# SPDX-License-Identifier: GPL-2.0
# tests/cli: included by the top Makefile.
#
#   make cli-tests     BPF objects the cli tests need (part of `make`)
#
# refused.bpf.o holds an xbr_tc and an xbr_egress program the verifier
# rejects: a reload from a directory holding it must change nothing.
CLI_TESTS := $(BUILD)/tests/cli/refused.bpf.o
ALL_TARGETS += $(CLI_TESTS)

$(BUILD)/tests/cli:
	mkdir -p $@

$(BUILD)/tests/cli/%.bpf.o: tests/cli/%.bpf.c $(BPF_HDRS) | $(BUILD)/tests/cli
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

.PHONY: cli-tests
cli-tests: $(CLI_TESTS)
check: cli-tests
