# SPDX-License-Identifier: GPL-2.0
# bench/: the traffic generator, sink, bare forwarders and FDB filler that
# `make bench` compares xbr with the Linux bridge with. Included by the top
# Makefile; builds into $(BUILD)/bench/.

BENCH_DIR   := $(BUILD)/bench
BENCH_BPF   := gen sink fwd
BENCH_SKELS := $(BENCH_BPF:%=$(BENCH_DIR)/%.skel.h)
BENCH_HDRS  := $(wildcard bench/*.h) $(wildcard include/xbr/*.h)
BENCH_BINS  := $(addprefix $(BENCH_DIR)/,xbr-trafficgen xbr-sink \
		xbr-benchfwd xbr-fdbfill xbr-tapecho)

ALL_TARGETS += $(BENCH_BINS)

$(BENCH_DIR):
	mkdir -p $@

# Shortest stem wins: these beat the top Makefile's $(BUILD)/%.bpf.o.
$(BENCH_DIR)/%.bpf.o: bench/%.bpf.c $(BENCH_HDRS) | $(BENCH_DIR)
	$(CLANG) $(BPF_CFLAGS) -Ibench -c $< -o $@

$(BENCH_DIR)/%.skel.h: $(BENCH_DIR)/%.bpf.o
	$(BPFTOOL) gen skeleton $< name bench_$* > $@

$(BENCH_DIR)/%.o: bench/%.c $(BENCH_HDRS) $(BENCH_SKELS) | $(BENCH_DIR)
	$(CC) $(CFLAGS) -Ibench -I$(BENCH_DIR) -c $< -o $@

$(BENCH_DIR)/xbr-trafficgen: $(addprefix $(BENCH_DIR)/,trafficgen.o \
		sinks.o netns.o frame.o cpuclock.o tapvm.o) $(BUILD)/libxbr.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS) -lm -lpthread

$(BENCH_DIR)/xbr-tapecho: $(addprefix $(BENCH_DIR)/,tapecho.o tapvm.o \
		netns.o frame.o)
	$(CC) $(CFLAGS) -o $@ $^ -lpthread

$(BENCH_DIR)/xbr-sink: $(addprefix $(BENCH_DIR)/,sink.o sinks.o netns.o)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(BENCH_DIR)/xbr-benchfwd: $(BENCH_DIR)/fwd.o
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(BENCH_DIR)/xbr-fdbfill: $(BENCH_DIR)/fdbfill.o $(BENCH_DIR)/frame.o $(BUILD)/libxbr.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

# xbr itself is measured when it can be built; bench/run.sh says so when
# it is missing and measures the rest.
BENCH_NEEDS := $(BENCH_BINS) $(if $(CLI_SRCS),$(BUILD)/xbr)

# The vhost part needs xbr-vhost and its test helpers (user/vhost/vhost.mk).
bench: $(BENCH_NEEDS) vhost-tests
	bash bench/run.sh
	bash bench/security.sh
	bash bench/vhost.sh

bench-quick: $(BENCH_NEEDS) vhost-tests
	bash bench/run.sh --quick
	bash bench/security.sh --quick
	bash bench/vhost.sh --quick
