# SPDX-License-Identifier: GPL-2.0
# xbr-vhost: included by the top Makefile.
#
#   make build/xbr-vhost              the daemon
#   make vhost-tests                  unit test and fuzzer binaries
VHOST_SRCS := vhost_user.c vhost_sock.c vhost_mem.c virtq.c xsk_port.c \
	datapath.c stats.c log.c main.c
VHOST_OBJS := $(VHOST_SRCS:%.c=$(BUILD)/vhost/%.o)
VHOST_HDRS := $(wildcard user/vhost/*.h)

ALL_TARGETS += $(BUILD)/xbr-vhost

$(BUILD)/vhost:
	mkdir -p $@

$(BUILD)/vhost/%.o: user/vhost/%.c $(VHOST_HDRS) | $(BUILD)/vhost
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/xbr-vhost: $(VHOST_OBJS)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

# Test helpers (tests/vhost): the stand-in vport program, a slow counting
# sink, a frame sender, unit tests and libFuzzer targets.
VHOST_TEST_BPF := $(BUILD)/vhost/xsk_redirect.bpf.o $(BUILD)/vhost/sink.bpf.o
VHOST_LIB_OBJS := $(filter-out $(BUILD)/vhost/main.o $(BUILD)/vhost/xsk_port.o \
	$(BUILD)/vhost/datapath.o,$(VHOST_OBJS))

$(BUILD)/vhost/%.bpf.o: tests/vhost/%.bpf.c | $(BUILD)/vhost
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/vhost/pktsend: tests/vhost/pktsend.c | $(BUILD)/vhost
	$(CC) $(CFLAGS) -o $@ $<

$(BUILD)/vhost/test_virtq: tests/vhost/test_virtq.c $(BUILD)/vhost/virtq.o \
		$(BUILD)/vhost/vhost_mem.o $(BUILD)/vhost/vhost_user.o \
		$(BUILD)/vhost/log.o $(VHOST_HDRS) | $(BUILD)/vhost
	$(CC) $(CFLAGS) -Iuser/vhost -o $@ $(filter %.c %.o,$^)

# libFuzzer needs clang; each target is built with ASan and UBSan.
VHOST_FUZZ_CFLAGS := -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined -std=gnu11 -Iuser/vhost -Iinclude
$(BUILD)/vhost/fuzz_%: tests/vhost/fuzz_%.c $(wildcard user/vhost/*.c) \
		$(VHOST_HDRS) | $(BUILD)/vhost
	$(CLANG) $(VHOST_FUZZ_CFLAGS) -o $@ $< user/vhost/vhost_user.c \
		user/vhost/vhost_mem.c user/vhost/virtq.c user/vhost/log.c

VHOST_TESTS := $(VHOST_TEST_BPF) $(BUILD)/vhost/pktsend $(BUILD)/vhost/test_virtq \
	$(BUILD)/vhost/fuzz_msg $(BUILD)/vhost/fuzz_ring
.PHONY: vhost-tests
vhost-tests: $(BUILD)/xbr-vhost $(VHOST_TESTS)
