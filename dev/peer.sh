#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# peer.sh - upstream's KVM selftests as a regression gate: the same binaries
# on the patched kernel and on pristine Linux 6.12, and the same results.
#
# Builds two arm64 kernels with one configuration, the one dev/e2e.sh uses
# (arch/arm64/kvm/s2attr/.kunitconfig + tools/kvm/s2attr/e2e/e2e.config,
# through kunit.py config) plus tools/kvm/s2attr/peer/peer.config (what the
# KVM selftests' own config fragment needs), and checks that the two .config
# files agree in every option both trees define: the patched one only adds
# the s2attr test options. Each kernel has its own build directory under
# $S2ATTR_CACHE/build/peer-*; kbuild rebuilds only what changed.
#
# The selftests are built once, static, from the pristine tree and against
# the pristine uapi headers: they are upstream's tests, the patched uapi only
# adds to it (checked below), and one set of binaries on both kernels means a
# difference comes from the kernel. tools/kvm/s2attr/peer/tests.list says
# what runs, with which arguments and timeouts; page_fault_test runs one
# sub-test per process (peer/page_fault_one.c).
#
# Each kernel boots once (both at the same time) in
#   qemu-system-aarch64 -machine virt,virtualization=on,gic-version=3 -cpu max -smp 2 -m 1024
# (KVM in VHE mode inside) with peer/init.c as /init, which runs the list.
# The tests whose results differ run again on both kernels; then
# peer/table.py prints the table test x kernel -> result and the verdict.
# Ends with "peer: N passed, N failed, N known failures on pristine".
#
# Consoles: $S2ATTR_CACHE/logs/peer-{pristine,patched}[-rerun].log.
# Env: KDIR, S2ATTR_CACHE (see dev/kernel-tree.sh), PEER_TIMEOUT (s, per boot, 1500),
# PEER_JOBS (1: boot the kernels one after the other; default: both at once).
set -euo pipefail
shopt -s inherit_errexit

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$repo"
export S2ATTR_CACHE=${S2ATTR_CACHE:-${XDG_CACHE_HOME:-${HOME:?set S2ATTR_CACHE or HOME}/.cache}/s2attr}
# kunit.py runs from the pristine tree, which must stay as it was unpacked.
export PYTHONDONTWRITEBYTECODE=1
peer=$repo/tools/kvm/s2attr/peer
list=$peer/tests.list
cross=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-)
jobs=$(nproc)
boot_timeout=${PEER_TIMEOUT:-1500}
start=$(date +%s)

fail() {
	echo "peer.sh: $*" >&2
	echo "peer: 0 passed, 1 failed"
	exit 1
}

step() {
	echo "peer.sh: [$(($(date +%s) - start))s] $*"
}

[ $# -eq 0 ] || fail "usage: peer.sh   (env: KDIR, S2ATTR_CACHE, PEER_TIMEOUT)"

bash dev/deps.sh kernel || fail "could not install the kernel build dependencies"
bash dev/kernel-tree.sh apply >&2 || fail "could not prepare the kernel work tree"
pristine=$(bash dev/kernel-tree.sh pristine)
work=$(bash dev/kernel-tree.sh work)
name=$(basename "$work")
logs=$S2ATTR_CACHE/logs
suite=$S2ATTR_CACHE/build/peer-selftests-$name
mkdir -p "$logs" "$suite"
# Anything newer than this in the pristine tree at the end is our doing.
marker=$suite/.started
touch "$marker"

# symbols TREE: every Kconfig symbol TREE defines.
symbols() {
	find "$1" -name 'Kconfig*' -type f -print0 |
		xargs -0 sed -nE 's/^[[:space:]]*(menu)?config[[:space:]]+([A-Za-z0-9_]+).*/\2/p' |
		sort -u
}

# options FILE: "SYMBOL VALUE" for each option a .config sets ("n" when not set).
options() {
	sed -nE 's/^CONFIG_([A-Za-z0-9_]+)=(.*)$/\1 \2/p; s/^# CONFIG_([A-Za-z0-9_]+) is not set$/\1 n/p' \
		"$1" | sort -k1,1
}

symbols "$pristine" >"$suite/pristine.symbols"
symbols "$work" >"$suite/patched.symbols"
cat arch/arm64/kvm/s2attr/.kunitconfig tools/kvm/s2attr/e2e/e2e.config "$peer/peer.config" \
	>"$suite/kunitconfig"

# configure KERNEL TREE: kunit.py config in TREE, for the build directory of
# KERNEL, from the lines of the kunitconfig that set symbols TREE defines.
configure() {
	local kernel=$1 tree=$2 build=$S2ATTR_CACHE/build/peer-$1-$name
	mkdir -p "$build"
	awk 'NR == FNR { have[$1] = 1; next }
	     match($0, /^CONFIG_[A-Za-z0-9_]+=/) && !(substr($0, 8, RLENGTH - 8) in have) { next }
	     /^# CONFIG_[A-Za-z0-9_]+ is not set/ && !(substr($2, 8) in have) { next }
	     { print }' "$suite/$kernel.symbols" "$suite/kunitconfig" >"$build/kunitconfig"
	(cd "$tree" && python3 tools/testing/kunit/kunit.py config --arch=arm64 \
		--cross_compile=aarch64-linux-gnu- --kunitconfig="$build/kunitconfig" \
		--build_dir="$build/kernel") >"$logs/peer-$kernel-config.log" 2>&1 ||
		fail "the $kernel kernel configuration failed; see $logs/peer-$kernel-config.log"
}

step "configuring both kernels (kunit.py config)"
configure pristine "$pristine"
configure patched "$work"
bp=$S2ATTR_CACHE/build/peer-pristine-$name/kernel
bw=$S2ATTR_CACHE/build/peer-patched-$name/kernel

# The two .config files: identical in every option both trees define.
options "$bp/.config" >"$suite/pristine.options"
options "$bw/.config" >"$suite/patched.options"
comm -12 "$suite/pristine.symbols" "$suite/patched.symbols" >"$suite/common.symbols"
join -a1 -a2 -e- -o0,1.2,2.2 "$suite/pristine.options" "$suite/patched.options" |
	awk 'NR == FNR { common[$1] = 1; next }
	     ($1 in common) && $2 != $3 {
		printf "  CONFIG_%s: pristine %s, patched %s\n", $1, $2, $3; bad++ }
	     ($1 in common) && $2 == $3 { same++ }
	     !($1 in common) { only = only " CONFIG_" $1 "=" ($2 == "-" ? $3 : $2) }
	     END { printf "peer.sh: config: %d options set identically in both .config files", same
		   printf "; only in one tree:%s\n", only ? only : " none"
		   exit bad > 0 }' "$suite/common.symbols" - ||
	fail "the pristine and the patched .config differ in options both trees have (above)"

# build KERNEL TREE DIR: the Image, and the uapi headers in DIR/usr.
build() {
	step "building the $1 kernel in $3"
	make -C "$2" O="$3" "${cross[@]}" -j"$jobs" Image >"$logs/peer-$1-build.log" 2>&1 ||
		fail "the $1 kernel does not build; see $logs/peer-$1-build.log"
	make -C "$2" O="$3" "${cross[@]}" headers_install INSTALL_HDR_PATH="$3/usr" \
		>"$logs/peer-$1-headers.log" 2>&1 ||
		fail "make headers_install failed for $1; see $logs/peer-$1-headers.log"
}
build pristine "$pristine" "$bp"
build patched "$work" "$bw"

# The selftests are built against the pristine uapi. The patched kernel's
# may add to it (the s2attr capability), never change what 6.12 has.
uapi() {
	diff "$@" -r -x '.*.cmd' "$bp/usr/include" "$bw/usr/include" || true
}
removed=$(uapi | grep -E '^(<|Only in '"$bp"')' || true)
if [ -n "$removed" ]; then
	echo "$removed" | head -n 20
	fail "the patched uapi headers change or drop what pristine 6.12 has"
fi
echo "peer.sh: uapi: the patched headers add $(uapi | grep -c '^>') lines to pristine's" \
	"$(uapi -q | sed -E 's|^Files .*/usr/include/([^ ]*) and .*|\1|; s|^Only in .*/usr/include/?|+|' |
	   tr '\n' ' ')and change none"

# The programs tests.list runs: /kvm/PATH is the selftest PATH.
mapfile -t progs < <(sed 's/#.*//' "$list" | awk 'NF >= 3 { print $3 }' | sort -u)
targets=()
for p in "${progs[@]}"; do
	[ "$p" = /kvm/page_fault_one ] || targets+=("$suite/kselftest/${p#/kvm/}")
done
step "building ${#targets[@]} KVM selftests of $(bash dev/kernel-tree.sh version)" \
	"and page_fault_one"
kvm=$pristine/tools/testing/selftests/kvm
ksargs=("${cross[@]}" USERLDFLAGS=-static OUTPUT="$suite/kselftest" abs_objdir="$suite/obj"
	TMPOUT="$suite/tmp" KHDR_INCLUDES="-isystem $bp/usr/include")
mkdir -p "$suite/obj/tools"
make -C "$kvm" "${ksargs[@]}" -j"$jobs" "${targets[@]}" >"$logs/peer-selftests.log" 2>&1 ||
	fail "the KVM selftests do not build; see $logs/peer-selftests.log"
# page_fault_test's own source, #included, with a main() that runs one sub-test.
make -C "$kvm" "${ksargs[@]}" --eval "$suite/kselftest/page_fault_one: $peer/page_fault_one.c \
	aarch64/page_fault_test.c \$(wildcard $suite/kselftest/lib/*.o $suite/kselftest/lib/*/*.o) ; \
	\$(CC) \$(CFLAGS) -I\$(CURDIR) \$(CPPFLAGS) \$(LDFLAGS) \$(TARGET_ARCH) \$< \
	\$(LIBKVM_OBJS) \$(LDLIBS) -o \$@" "$suite/kselftest/page_fault_one" \
	>>"$logs/peer-selftests.log" 2>&1 ||
	fail "page_fault_one does not build; see $logs/peer-selftests.log"
aarch64-linux-gnu-gcc -static -O2 -Wall -Wextra -Werror -o "$suite/init" "$peer/init.c" ||
	fail "peer/init.c does not build"

newer=$(find "$pristine" -newer "$marker" -print -quit)
[ -z "$newer" ] || fail "the build wrote into the pristine tree: $newer"

# initramfs [SELECT]: /init, /tests.list, /kvm/...; with SELECT, /select.list.
initramfs() {
	local root=$suite/initramfs p
	rm -rf "$root"
	mkdir -p "$root/kvm"
	cp "$suite/init" "$root/init"
	cp "$list" "$root/tests.list"
	for p in "${progs[@]}"; do
		mkdir -p "$(dirname "$root$p")"
		cp "$suite/kselftest/${p#/kvm/}" "$root$p"
	done
	if [ $# -gt 0 ]; then cp "$1" "$root/select.list"; fi
	(cd "$root" && find . | cpio -o -H newc --quiet) >"$suite/initramfs.cpio"
}

# qemu KERNEL IMAGE LOG: run the list on KERNEL.
qemu() {
	local rc=0
	timeout "$boot_timeout" qemu-system-aarch64 \
		-machine virt,virtualization=on,gic-version=3 -cpu max -smp 2 -m 1024 \
		-nographic -no-reboot -nic none -kernel "$2" -initrd "$suite/initramfs.cpio" \
		-append "console=ttyAMA0 rdinit=/init kunit.enable=0 panic=-1 -- $1" \
		</dev/null >"$3" 2>&1 || rc=$?
	[ "$rc" -eq 0 ] || echo "peer.sh: $1: QEMU exited with $rc (124: timed out after ${boot_timeout}s)"
	grep -E '^peer-result: ' "$3" | tr -d '\r' | awk -v k="$1" '{ n[$3]++ } END {
		printf "peer.sh: %s: %d results:", k, NR; for (r in n) printf " %d %s", n[r], r; print "" }'
}

# boot SUFFIX: both kernels, at the same time unless PEER_JOBS=1. Most tests
# keep one vCPU thread busy, so two guests on two host CPUs take the time of one.
boot() {
	local pid
	step "booting both kernels (consoles: $logs/peer-{pristine,patched}$1.log)"
	if [ "$parallel" -eq 1 ]; then
		qemu pristine "$bp/$image" "$logs/peer-pristine$1.log" &
		pid=$!
		qemu patched "$bw/$image" "$logs/peer-patched$1.log"
		wait "$pid"
	else
		qemu pristine "$bp/$image" "$logs/peer-pristine$1.log"
		qemu patched "$bw/$image" "$logs/peer-patched$1.log"
	fi
}

image=arch/arm64/boot/Image
parallel=1
if [ "${PEER_JOBS:-$jobs}" -lt 2 ]; then parallel=0; fi
initramfs
boot ""

python3 "$peer/table.py" differ "$list" "$logs/peer-pristine.log" "$logs/peer-patched.log" \
	>"$suite/differ.list"
rerun=()
if [ -s "$suite/differ.list" ]; then
	step "$(wc -l <"$suite/differ.list") tests differ; running them again on both kernels:" \
		"$(tr '\n' ' ' <"$suite/differ.list")"
	initramfs "$suite/differ.list"
	boot -rerun
	rerun=("$logs/peer-pristine-rerun.log" "$logs/peer-patched-rerun.log")
fi

step "results"
set +e
python3 "$peer/table.py" table "$list" "$logs/peer-pristine.log" "$logs/peer-patched.log" \
	"${rerun[@]}"
rc=$?
set -e
step "done"
exit "$rc"
