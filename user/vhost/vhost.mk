# SPDX-License-Identifier: GPL-2.0
# xbr-vhost (user/vhost) and its tests (tests/vhost): included by the top
# Makefile.
#
#   make build/xbr-vhost     the daemon (part of `make`)
#   make vhost-tests         test helpers, unit tests and fuzzers
#                            (`make check` builds them first)
#   make fuzz                each fuzzer for FUZZ_SECONDS (default 600)
VHOST_SRCS := vhost_user.c vhost_sock.c vhost_mem.c vhost_log.c \
	virtq.c virtq_split.c virtq_packed.c virtq_layout.c \
	ring_state.c xsk_port.c tap_port.c guest_io.c datapath.c datapath_tap.c stats.c log.c takeover.c main.c
VHOST_OBJS := $(VHOST_SRCS:%.c=$(BUILD)/vhost/%.o)
VHOST_HDRS := $(wildcard user/vhost/*.h)

ALL_TARGETS += $(BUILD)/xbr-vhost
INSTALL_BINS += $(BUILD)/xbr-vhost

$(BUILD)/vhost:
	mkdir -p $@

$(BUILD)/vhost/%.o: user/vhost/%.c $(VHOST_HDRS) | $(BUILD)/vhost
	$(CC) $(CFLAGS) -c $< -o $@

# main.c and takeover.c find vports through libxbr, as the xbr CLI does.
$(BUILD)/vhost/main.o $(BUILD)/vhost/takeover.o: $(USER_HDRS)

$(BUILD)/xbr-vhost: $(VHOST_OBJS) $(BUILD)/libxbr.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

# Test helpers: the stand-in vport program, a counting (and slowable) sink,
# a frame sender, a hostile front-end.
VHOST_TESTS := $(BUILD)/vhost/xsk_redirect.bpf.o $(BUILD)/vhost/sink.bpf.o \
	$(BUILD)/vhost/pktsend $(BUILD)/vhost/evil_frontend \
	$(BUILD)/vhost/test_virtq

$(BUILD)/vhost/%.bpf.o: tests/vhost/%.bpf.c | $(BUILD)/vhost
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/vhost/pktsend: tests/vhost/pktsend.c | $(BUILD)/vhost
	$(CC) $(CFLAGS) -o $@ $<

$(BUILD)/vhost/evil_frontend: tests/vhost/evil_frontend.c $(VHOST_HDRS) | $(BUILD)/vhost
	$(CC) $(CFLAGS) -Iuser/vhost -o $@ $<

# Unit tests link the guest-facing code only (no AF_XDP, no sockets).
VHOST_UNIT_OBJS := $(addprefix $(BUILD)/vhost/,virtq.o virtq_split.o virtq_packed.o \
	virtq_layout.o vhost_mem.o vhost_log.o \
	ring_state.o vhost_user.o log.o)
$(BUILD)/vhost/test_virtq: tests/vhost/test_virtq.c $(VHOST_UNIT_OBJS) | $(BUILD)/vhost
	$(CC) $(CFLAGS) -Iuser/vhost -o $@ $< $(VHOST_UNIT_OBJS)

# libFuzzer targets, built with ASan and UBSan by clang, if it can.
VHOST_FUZZ_SRCS := $(addprefix user/vhost/,vhost_user.c vhost_mem.c vhost_log.c virtq.c \
	virtq_split.c virtq_packed.c virtq_layout.c ring_state.c log.c)
VHOST_FUZZ_CFLAGS := -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined -std=gnu11 -Iuser/vhost -Iinclude
VHOST_HAVE_FUZZER := $(shell printf 'int LLVMFuzzerTestOneInput(const char *d, long n) { return 0; }' | \
	$(CLANG) -x c -fsanitize=fuzzer -o /dev/null - >/dev/null 2>&1 && echo y)
VHOST_FUZZERS := $(addprefix $(BUILD)/vhost/,fuzz_msg fuzz_fds fuzz_ring)
ifeq ($(VHOST_HAVE_FUZZER),y)
VHOST_TESTS += $(VHOST_FUZZERS)
endif
$(BUILD)/vhost/fuzz_%: tests/vhost/fuzz_%.c $(VHOST_FUZZ_SRCS) $(VHOST_HDRS) | $(BUILD)/vhost
	$(CLANG) $(VHOST_FUZZ_CFLAGS) -o $@ $< $(VHOST_FUZZ_SRCS)

# make fuzz [FUZZ_SECONDS=N]: every fuzzer for N seconds (default 600),
# one after the other at nice 10; corpora grow in build/vhost/fuzz-corpus.
FUZZ_SECONDS ?= 600
.PHONY: fuzz
fuzz: $(VHOST_FUZZERS)
	bash tests/vhost/fuzz.sh $(FUZZ_SECONDS)

.PHONY: vhost-tests
vhost-tests: $(BUILD)/xbr-vhost $(VHOST_TESTS)
check: vhost-tests

# Benchmark helpers (tests/vhost/bench-vhost.sh): a live-frames generator.
VHOST_BENCH := $(BUILD)/vhost/xdp_tx.bpf.o $(BUILD)/vhost/xdpgen
$(BUILD)/vhost/xdpgen: tests/vhost/xdpgen.c | $(BUILD)/vhost
	$(CC) $(CFLAGS) -o $@ $< $(LDLIBS)
vhost-tests: $(VHOST_BENCH)
