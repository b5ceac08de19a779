# SPDX-License-Identifier: GPL-2.0-only
#
# s2attr: build, test and export the stage-2 memory attribute engine.
#
#   make run          the main job: KVM guests in QEMU fault through s2attr (make e2e), the tables
#   make e2e          end to end: one kernel booted on -cpu max (VHE, FWB, MTE) and cortex-a72
#                     (nVHE, no FWB, no MTE), the KVM selftest s2attr_e2e runs every scenario
#                     under every policy and decides; check.py asks the tables too
#                     (E2E_SCENARIO=name to run one, E2E_CPUS="max cortex-a72" to choose)
#   make peer         upstream's KVM selftests on e2e's kernel and on pristine 6.12 built with
#                     the same config, on both CPU models: the same results, no kernel warning
#   make check-debug  e2e and peer on a debug build of the kernel (KASAN, lockdep, DEBUG_VM,
#                     kmemleak): no report in the console, no leak
#   make check        every test suite
#   make check-fast   host only (< 60 s): tool and tests with ASan/UBSan
#   make tool         build/s2attr, the user-space tool
#   make kunit        the KUnit suite on a patched Linux 6.12 arm64 kernel in QEMU
#   make apply        provision the kernel tree and apply the project to a work copy
#   make mutation     mutants of the policy tables and grants against the host tests
#   make mutation-glue  mutants of glue.c and the series' KVM changes against KUnit and e2e
#                     (slow, hours; not part of make check; MUTATION_GLUE_ARGS="--e2e-minutes 60")
#   make fuzz         libFuzzer + ASan/UBSan on decide(), the explain and the trace parsers
#   make check-valgrind  the tool and the host tests under valgrind
#   make bench        instructions per decision (callgrind) against the 6.12/6.17 if-chains
#   make fault-cost   host instructions per whole stage-2 fault (arm64 PMU, QEMU -icount),
#                     the patched kernel under each policy against pristine 6.12;
#                     TRACE=1 adds where they go, per function (QEMU's execution log)
#   make docs         build the virt book with Sphinx on the patched tree
#   make docs-check   s2attr.rst: generated tables current, lines <= 100 columns; kernel-doc -Wall
#   make docs-update  regenerate the tables in Documentation/virt/kvm/arm/s2attr.rst
#   make patches      the git format-patch series for 6.12 in build/patches/
#   make series-check git am the series patch by patch: build, checkpatch, W=1, sparse
#
# KDIR=/path/to/linux-6.12.y uses your tree instead of Debian's linux-source-6.12.
# S2ATTR_CACHE (default ~/.cache/s2attr) holds the kernel trees and builds.

BUILD		?= build
HOSTCC		?= gcc
RESULTS		:= $(BUILD)/results

TOOL_SRCS	:= $(filter-out %/kunit_host.c,$(wildcard tools/kvm/s2attr/*.c))
TOOL_HDRS	:= $(wildcard tools/kvm/s2attr/*.h)
# The pure engine; glue.c is the kernel-only arm64 side.
ENGINE_SRCS	:= $(addprefix arch/arm64/kvm/s2attr/,decide.c policies.c)
ENGINE_HDRS	:= include/kvm/s2attr.h $(TOOL_HDRS) $(wildcard arch/arm64/kvm/s2attr/*.h) \
		   $(wildcard tools/kvm/s2attr/include/*/*.h)
HOST_TEST_SRCS	:= lib/tests/s2attr_kunit.c tools/kvm/s2attr/kunit_host.c

HOST_CFLAGS	:= -std=gnu11 -O2 -g -Wall -Wextra -Wno-unused-parameter -Werror \
		   -Itools/kvm/s2attr/include -Iinclude -Iarch/arm64/kvm/s2attr
SAN_CFLAGS	:= -O1 -fsanitize=address,undefined -fno-sanitize-recover=all \
		   -fno-omit-frame-pointer

.PHONY: print-engine-srcs all tool check check-fast kunit run apply deps-host clean help summary \
	patches series-check mutation fuzz check-valgrind bench docs docs-check docs-update e2e \
	mutation-glue check-debug peer fault-cost

all: tool

# For dev/*.sh: the engine sources that build in user space.
print-engine-srcs:
	@echo $(ENGINE_SRCS)

help:
	@sed -n 's/^#   //p' Makefile

deps-host:
	@bash dev/deps.sh host

tool: $(BUILD)/s2attr

$(BUILD)/s2attr: $(ENGINE_SRCS) $(ENGINE_HDRS) $(TOOL_SRCS)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $(ENGINE_SRCS) $(TOOL_SRCS)

$(BUILD)/asan/s2attr: $(ENGINE_SRCS) $(ENGINE_HDRS) $(TOOL_SRCS)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $(SAN_CFLAGS) -o $@ $(ENGINE_SRCS) $(TOOL_SRCS)

$(BUILD)/asan/s2attr-kunit-host: $(ENGINE_SRCS) $(ENGINE_HDRS) $(HOST_TEST_SRCS)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $(SAN_CFLAGS) -o $@ $(ENGINE_SRCS) $(HOST_TEST_SRCS)

# Each suite leaves "N passed, N failed" in $(RESULTS)/<suite>; dev/summary.sh adds them up.
check-fast: deps-host $(BUILD)/asan/s2attr $(BUILD)/asan/s2attr-kunit-host
	@mkdir -p $(RESULTS)
	@bash dev/record.sh $(RESULTS)/host-kunit $(BUILD)/asan/s2attr-kunit-host
	@bash dev/record.sh $(RESULTS)/cli bash tools/kvm/s2attr/tests/cli_test.sh $(BUILD)/asan/s2attr
	@bash dev/summary.sh $(RESULTS) host-kunit cli

apply:
	@bash dev/deps.sh kernel
	@bash dev/kernel-tree.sh apply

e2e: tool
	@mkdir -p $(RESULTS)
	@bash dev/record.sh $(RESULTS)/e2e bash dev/e2e.sh $(E2E_SCENARIO)
	@bash dev/summary.sh $(RESULTS) e2e

# The debug kernel: e2e, then upstream's selftests against pristine 6.12.
check-debug: tool
	@mkdir -p $(RESULTS)
	@status=0; \
	bash dev/record.sh $(RESULTS)/debug-e2e bash dev/e2e.sh --debug $(E2E_SCENARIO) || status=1; \
	bash dev/record.sh $(RESULTS)/debug-peer bash dev/peer.sh --debug || status=1; \
	bash dev/summary.sh $(RESULTS) debug-e2e debug-peer || status=1; \
	exit $$status

fault-cost:
	@mkdir -p $(RESULTS)
	@bash dev/record.sh $(RESULTS)/fault-cost bash dev/fault-cost.sh $(if $(TRACE),--trace)
	@bash dev/summary.sh $(RESULTS) fault-cost

peer:
	@mkdir -p $(RESULTS)
	@bash dev/record.sh $(RESULTS)/peer bash dev/peer.sh
	@bash dev/summary.sh $(RESULTS) peer

kunit:
	@mkdir -p $(RESULTS)
	@bash dev/record.sh $(RESULTS)/kunit bash dev/kunit.sh
	@bash dev/summary.sh $(RESULTS) kunit

mutation:
	@mkdir -p $(RESULTS)
	@bash dev/record.sh $(RESULTS)/mutation bash dev/mutation.sh
	@bash dev/summary.sh $(RESULTS) mutation

# Not in CHECK_TARGETS: one or two kernel relinks and boots per mutant.
mutation-glue:
	@mkdir -p $(RESULTS)
	@bash dev/record.sh $(RESULTS)/mutation-glue bash dev/mutation-glue.sh $(MUTATION_GLUE_ARGS)
	@bash dev/summary.sh $(RESULTS) mutation-glue

fuzz:
	@mkdir -p $(RESULTS)
	@bash dev/record.sh $(RESULTS)/fuzz bash dev/fuzz.sh
	@bash dev/summary.sh $(RESULTS) fuzz

check-valgrind:
	@mkdir -p $(RESULTS)
	@bash dev/record.sh $(RESULTS)/valgrind bash dev/valgrind.sh
	@bash dev/summary.sh $(RESULTS) valgrind

bench:
	@mkdir -p $(RESULTS)
	@bash dev/record.sh $(RESULTS)/bench bash dev/bench.sh
	@bash dev/summary.sh $(RESULTS) bench

docs: tool
	@mkdir -p $(RESULTS)
	@bash dev/record.sh $(RESULTS)/docs bash dev/docs.sh build
	@bash dev/summary.sh $(RESULTS) docs

docs-check: tool
	@mkdir -p $(RESULTS)
	@bash dev/record.sh $(RESULTS)/docs-check bash dev/docs.sh check
	@bash dev/summary.sh $(RESULTS) docs-check

docs-update: tool
	@bash dev/docs.sh update

patches:
	@bash dev/deps.sh kernel
	@bash dev/series.sh export $(BUILD)/patches

series-check:
	@bash dev/deps.sh kernel
	@mkdir -p $(RESULTS)
	@bash dev/record.sh $(RESULTS)/series-check bash dev/series.sh check
	@bash dev/summary.sh $(RESULTS) series-check

# Host suites first (minutes), then the kernel ones; bench reads kunit's log for its time,
# peer boots e2e's kernel.
CHECK_TARGETS := check-fast docs-check mutation fuzz check-valgrind kunit bench e2e peer \
		 fault-cost check-debug docs series-check
CHECK_SUITES := host-kunit cli docs-check mutation fuzz valgrind kunit bench e2e peer \
		fault-cost debug-e2e debug-peer docs series-check

check:
	@rm -rf $(RESULTS)
	@status=0; \
	for t in $(CHECK_TARGETS); do \
		$(MAKE) --no-print-directory $$t || status=1; \
	done; \
	echo "== make check: every suite =="; \
	bash dev/summary.sh $(RESULTS) $(CHECK_SUITES) || status=1; \
	exit $$status

# The sum over every suite of `make check`, as the last line CI prints.
summary:
	@bash dev/summary.sh $(RESULTS) $(CHECK_SUITES) 2>/dev/null | tail -n 1

run: tool
	@bash dev/run.sh

clean:
	rm -rf $(BUILD)
