# SPDX-License-Identifier: GPL-2.0
# xbrd, the event agent (user/xbrd): included by the top Makefile.
XBRD_SRCS := main.c links.c reconcile.c
XBRD_OBJS := $(XBRD_SRCS:%.c=$(BUILD)/agent/%.o)
XBRD_HDRS := $(wildcard user/xbrd/*.h)

ALL_TARGETS += $(BUILD)/xbrd
INSTALL_BINS += $(BUILD)/xbrd

$(BUILD)/agent:
	mkdir -p $@

$(BUILD)/agent/%.o: user/xbrd/%.c $(XBRD_HDRS) $(USER_HDRS) | $(BUILD)/agent
	$(CC) $(CFLAGS) -Iuser/xbrd -c $< -o $@

$(BUILD)/xbrd: $(XBRD_OBJS) $(BUILD)/libxbr.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)
