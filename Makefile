# SPDX-License-Identifier: GPL-2.0
# xbr: build, skeletons, tests, demo, benchmarks.
#
#   make            build BPF objects, skeletons, xbr (and xbr-vhost, bench tools)
#   make check      build and run every test; ends with "N passed, N failed"
#   make demo       install deps, build, run the demo topology
#   make bench      the full benchmark (make bench-quick: a smoke run)

PREFIX  ?= /usr/local
DESTDIR ?=
# Where `make install` puts things (DESTDIR is prepended to each).
SBINDIR    ?= $(PREFIX)/sbin
LIBEXECDIR ?= $(PREFIX)/libexec
SYSCONFDIR ?= /etc
# Units of a PREFIX=/usr install go where Debian's packages put theirs
# (bookworm's systemd.pc: systemdsystemunitdir=/lib/systemd/system); any
# other prefix keeps them under it: systemd also reads
# /usr/local/lib/systemd/system, the place for units not from a package.
ifeq ($(PREFIX),/usr)
SYSTEMDUNITDIR ?= /lib/systemd/system
else
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
endif
LIBVIRTHOOKDIR ?= $(SYSCONFDIR)/libvirt/hooks/qemu.d
MANDIR     ?= $(PREFIX)/share/man
BUILD   := build
XBR_VERSION ?= 0.1

CLANG   ?= clang
BPFTOOL ?= bpftool
CC      ?= gcc
ARCH_INC := /usr/include/$(shell uname -m)-linux-gnu

# -g keeps BTF: bpftool prints named fields of every map.
BPF_CFLAGS := -target bpf -mcpu=v3 -g -O2 -Wall -Wno-unused-function \
	-Iinclude -Ibpf -I$(ARCH_INC) -D__TARGET_ARCH_x86

PKGS    := libbpf libxdp
CFLAGS  ?= -O2 -g
CFLAGS  += -DXBR_VERSION=\"$(XBR_VERSION)\" -Wall -Wextra -Wno-missing-field-initializers -std=gnu11 \
	-Iinclude -Iuser/lib -I$(BUILD) $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lbpf -lxdp) -lelf -lz

# The bridge's programs: one object per attach point.
BPF_PROGS := xbr_xdp xbr_tc xbr_egress xbr_fdb xbr_trace xbr_events xbr_vport
BPF_OBJS  := $(BPF_PROGS:%=$(BUILD)/%.bpf.o)
BPF_SKELS := $(BPF_PROGS:%=$(BUILD)/%.skel.h)
BPF_HDRS  := $(wildcard bpf/*.h) $(wildcard include/xbr/*.h)

LIB_SRCS  := $(wildcard user/lib/*.c)
LIB_OBJS  := $(LIB_SRCS:user/lib/%.c=$(BUILD)/lib/%.o)
CLI_SRCS  := $(wildcard user/cli/*.c)
CLI_OBJS  := $(CLI_SRCS:user/cli/%.c=$(BUILD)/cli/%.o)
USER_HDRS := $(wildcard user/lib/*.h) $(wildcard user/cli/*.h) $(wildcard include/xbr/*.h)

ALL_TARGETS := $(BUILD)/xbr
# What `make install` puts in $(PREFIX)/sbin; sub-projects add theirs.
INSTALL_BINS := $(BUILD)/xbr

.SECONDARY:
.DELETE_ON_ERROR:
.PHONY: all clean check demo demo-clean deps install programs man deb bench bench-quick
all: build-all

# Sub-projects add to ALL_TARGETS and define their own rules.
-include tests/unit/unit.mk
-include tests/cli/cli.mk
-include bench/bench.mk
-include user/vhost/vhost.mk
-include user/xbrd/xbrd.mk
-include tests/vport/vport.mk

build-all: $(ALL_TARGETS)

$(BUILD):
	mkdir -p $(BUILD)/lib $(BUILD)/cli

$(BUILD)/%.bpf.o: bpf/%.bpf.c $(BPF_HDRS) | $(BUILD)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/%.skel.h: $(BUILD)/%.bpf.o
	$(BPFTOOL) gen skeleton $< name $* > $@.tmp && mv $@.tmp $@

$(BUILD)/lib/%.o: user/lib/%.c $(USER_HDRS) $(BPF_SKELS) | $(BUILD)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/libxbr.a: $(LIB_OBJS)
	$(AR) rcs $@ $^

$(BUILD)/cli/%.o: user/cli/%.c $(USER_HDRS) | $(BUILD)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/xbr: $(CLI_OBJS) $(BUILD)/libxbr.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

check: build-all
	bash tests/run.sh

demo:
	bash scripts/deps.sh
	$(MAKE) build-all
	bash scripts/demo.sh

demo-clean:
	bash scripts/demo.sh clean

deps:
	bash scripts/deps.sh

# host/: systemd units, QEMU's tap scripts, the libvirt hook and example
# configuration, with the paths above written into them (in $(BUILD)/host,
# made again at every install: the paths may differ each time).
HOST_UNITS := xbr.service xbrd.service xbr-vhost@.service xbr-metrics.service xbr-metrics.timer
HOST_SUBST := sed -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@LIBEXECDIR@|$(LIBEXECDIR)|g' \
	-e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' -e 's|@LIBVIRTHOOKDIR@|$(LIBVIRTHOOKDIR)|g'
HOST_SRCS := $(HOST_UNITS:%=host/systemd/%.in) host/qemu/qemu-ifup.in \
	host/libvirt/qemu-hook.in host/etc/xbr.conf host/etc/qemu.conf
ETC_XBR := $(DESTDIR)$(SYSCONFDIR)/xbr

# man/: the manual pages, the same paths written into them (in $(BUILD)/man,
# made again at every install). Installed uncompressed, as man-db reads
# them; a package's tools compress them (Debian's dh_compress).
MAN_PAGES := xbr.8 xbr-vhost.8 xbrd.8 xbr.conf.5
MAN_SUBST := $(HOST_SUBST) -e 's|@SYSTEMDUNITDIR@|$(SYSTEMDUNITDIR)|g' \
	-e 's|@VERSION@|$(XBR_VERSION)|g'

man:
	rm -rf $(BUILD)/man && mkdir -p $(BUILD)/man
	for p in $(MAN_PAGES); do $(MAN_SUBST) man/$$p.in > $(BUILD)/man/$$p || exit 1; done

# What make install installs, and no test or benchmark tool.
programs: $(INSTALL_BINS)

install: programs man
	rm -rf $(BUILD)/host && mkdir -p $(BUILD)/host
	for f in $(HOST_SRCS); do \
		b=$${f##*/}; $(HOST_SUBST) $$f > $(BUILD)/host/$${b%.in} || exit 1; done
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(SYSTEMDUNITDIR) \
		$(DESTDIR)$(LIBEXECDIR)/xbr $(DESTDIR)$(LIBVIRTHOOKDIR) $(ETC_XBR)/vhost
	install -m 0755 $(INSTALL_BINS) $(DESTDIR)$(SBINDIR)/
	install -m 0644 $(HOST_UNITS:%=$(BUILD)/host/%) $(DESTDIR)$(SYSTEMDUNITDIR)/
	install -m 0755 $(BUILD)/host/qemu-ifup $(DESTDIR)$(LIBEXECDIR)/xbr/
	ln -sf qemu-ifup $(DESTDIR)$(LIBEXECDIR)/xbr/qemu-ifdown
	install -m 0755 $(BUILD)/host/qemu-hook $(DESTDIR)$(LIBVIRTHOOKDIR)/xbr
	install -d $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man8
	install -m 0644 $(filter %.5,$(MAN_PAGES:%=$(BUILD)/man/%)) $(DESTDIR)$(MANDIR)/man5/
	install -m 0644 $(filter %.8,$(MAN_PAGES:%=$(BUILD)/man/%)) $(DESTDIR)$(MANDIR)/man8/
	@# An operator's own configuration is never replaced.
	for f in xbr.conf qemu.conf; do \
		if [ -e $(ETC_XBR)/$$f ]; then echo "install: keeping $(ETC_XBR)/$$f"; \
		else install -m 0644 $(BUILD)/host/$$f $(ETC_XBR)/ || exit 1; fi; done

# A Debian package of what make install installs, built by dpkg-buildpackage
# from debian/ in a copy of the tree: build/deb/xbr_VERSION_ARCH.deb.
deb:
	bash scripts/deb.sh

clean:
	rm -rf $(BUILD)
