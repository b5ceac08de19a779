#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# peer.sh [--debug] - upstream's KVM selftests as a regression gate: the
# same binaries on the patched kernel and on pristine Linux 6.12, and the
# same results.
#
# The patched kernel is dev/e2e.sh's: the same build directory
# ($S2ATTR_CACHE/build/e2e-arm64-*), the same configuration
# (arch/arm64/kvm/s2attr/.kunitconfig + tools/kvm/s2attr/e2e/e2e.config,
# which also has what the KVM selftests' own fragment asks for), so after
# make e2e it costs no build. Pristine 6.12 is built with that configuration
# in $S2ATTR_CACHE/build/peer-pristine-* (kbuild rebuilds only what
# changed), and the two .config files must agree in every option both trees
# define: the patched one only adds the s2attr test options.
#
# --debug: the patched kernel is dev/e2e.sh --debug's instead (KASAN,
# lockdep, DEBUG_VM, kmemleak: tools/kvm/s2attr/e2e/debug.config on top);
# pristine stays as it is. The results must still be the same, and the
# debug kernel must print no report: peer/table.py fails a test during
# which either kernel warns.
#
# The selftests are built once, static, from the pristine tree and against
# the pristine uapi headers: they are upstream's tests, the patched uapi only
# adds to it (checked below), and one set of binaries on both kernels means a
# difference comes from the kernel. tools/kvm/s2attr/peer/tests.list says
# what runs, with which arguments and timeouts; page_fault_test runs one
# sub-test per process (peer/page_fault_one.c).
#
# For each CPU model of PEER_CPUS (default "max cortex-a72", as dev/e2e.sh;
# with --debug, "max"), both kernels boot at the same time in
#   qemu-system-aarch64 -machine virt,virtualization=on,gic-version=3 -cpu CPU -smp 2 -m 1024
#   max          -cpu max,pauth-impdef=on: KVM in VHE mode (FWB, no DIC)
#   cortex-a72   -cpu cortex-a72: KVM in nVHE mode (no FWB, no DIC)
# with peer/init.c as /init, which runs the list (a line that starts with
# "@MODEL" only on that model: page_fault_test's guest modes need the CPU's
# IPA size and granules; "@nodebug" not with --debug). The tests whose
# results differ run again on both kernels; then peer/table.py prints the
# table test x kernel -> result and the verdict for that CPU model. Ends with
# "peer: N passed, N failed, N known failures on pristine" (--debug:
# "peer-debug: ...") over every CPU model.
#
# Consoles: $S2ATTR_CACHE/logs/peer[-debug]-CPU-{pristine,patched}[-rerun].log.
# Env: KDIR, S2ATTR_CACHE (see dev/kernel-tree.sh), PEER_CPUS, PEER_TIMEOUT
# (s, per boot, 1500; --debug: 3000), PEER_JOBS (1: boot the kernels one
# after the other; default: both at once).
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
start=$(date +%s)

debug=0
if [ "${1:-}" = --debug ]; then
	debug=1
	shift
fi
if [ "$debug" -eq 1 ]; then
	suite_name=peer-debug variant=peer-debug boot_timeout=${PEER_TIMEOUT:-3000}
else
	suite_name=peer variant=peer boot_timeout=${PEER_TIMEOUT:-1500}
fi

fail() {
	echo "peer.sh: $*" >&2
	echo "$suite_name: 0 passed, 1 failed"
	exit 1
}

# e2e's kernel and CPU models (cpu_qemu, cpu_mode), as dev/e2e.sh boots them.
# shellcheck source=dev/e2e-kernel.sh
. "$repo/dev/e2e-kernel.sh"
# The debug kernel boots on max only: KASAN and lockdep watch the same code
# on both models, and e2e --debug boots cortex-a72's nVHE paths.
if [ "$debug" -eq 1 ]; then default_cpus=max; else default_cpus="max cortex-a72"; fi
read -r -a cpus <<<"${PEER_CPUS:-$default_cpus}"
[ "${#cpus[@]}" -gt 0 ] || fail "PEER_CPUS names no CPU model"
for cpu in "${cpus[@]}"; do
	[ -n "${cpu_mode[$cpu]:-}" ] ||
		fail "PEER_CPUS: unknown CPU model '$cpu' (known: ${!cpu_mode[*]})"
done

step() {
	echo "peer.sh: [$(($(date +%s) - start))s] $*"
}

[ $# -eq 0 ] || fail "usage: peer.sh [--debug]   (env: KDIR, S2ATTR_CACHE, PEER_CPUS, PEER_TIMEOUT)"

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
mapfile -t fragments < <(e2e_fragments)
cat "${fragments[@]}" >"$suite/kunitconfig"
mapfile -t fragments < <(e2e_fragments --debug)
cat "${fragments[@]}" >"$suite/kunitconfig-debug"

# configure KERNEL TREE BUILD KUNITCONFIG: kunit.py config in TREE for BUILD
# (the build directory's parent, as dev/e2e.sh has it), from the lines of
# KUNITCONFIG that set symbols TREE defines.
configure() {
	local kernel=$1 tree=$2 build=$3 symbols=$suite/$1.symbols
	mkdir -p "$build"
	[ "$kernel" = pristine ] || symbols=$suite/patched.symbols
	awk 'NR == FNR { have[$1] = 1; next }
	     match($0, /^CONFIG_[A-Za-z0-9_]+=/) && !(substr($0, 8, RLENGTH - 8) in have) { next }
	     /^# CONFIG_[A-Za-z0-9_]+ is not set/ && !(substr($2, 8) in have) { next }
	     { print }' "$symbols" "$4" >"$build/kunitconfig"
	(cd "$tree" && python3 tools/testing/kunit/kunit.py config --arch=arm64 \
		--cross_compile=aarch64-linux-gnu- --kunitconfig="$build/kunitconfig" \
		--build_dir="$build/kernel") >"$logs/$variant-$kernel-config.log" 2>&1 ||
		fail "the $kernel kernel configuration failed; see $logs/$variant-$kernel-config.log"
}

step "configuring the kernels (kunit.py config)"
bp=$S2ATTR_CACHE/build/peer-pristine-$name
bw=$(e2e_build_dir "$work")
configure pristine "$pristine" "$bp" "$suite/kunitconfig"
configure patched "$work" "$bw" "$suite/kunitconfig"
bp=$bp/kernel
bw=$bw/kernel

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
	make -C "$2" O="$3" "${cross[@]}" -j"$jobs" Image >"$logs/$variant-$1-build.log" 2>&1 ||
		fail "the $1 kernel does not build; see $logs/$variant-$1-build.log"
	make -C "$2" O="$3" "${cross[@]}" headers_install INSTALL_HDR_PATH="$3/usr" \
		>"$logs/$variant-$1-headers.log" 2>&1 ||
		fail "make headers_install failed for $1; see $logs/$variant-$1-headers.log"
}
build pristine "$pristine" "$bp"
build patched "$work" "$bw"
# The kernel that boots as "patched": e2e's, or with --debug e2e --debug's
# (checked above through its base, e2e's .config; debug.config only adds).
boot_patched=$bw
if [ "$debug" -eq 1 ]; then
	bd=$(e2e_build_dir "$work" --debug)
	configure patched-debug "$work" "$bd" "$suite/kunitconfig-debug"
	boot_patched=$bd/kernel
	build patched-debug "$work" "$boot_patched"
fi

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
# list_for CPU: tests.list as the guest on CPU reads it: a line that starts
# with "@MODEL" is kept, without it, only on that CPU model; one that starts
# with "@nodebug" only without --debug.
list_for() {
	awk -v cpu="$1" -v debug="$debug" '
	     /^@/ { if ($1 != "@" cpu && ($1 != "@nodebug" || debug)) next
		    sub(/^@[^[:space:]]+[[:space:]]+/, "") }
	     { print }' "$list"
}
mapfile -t progs < <(for cpu in "${cpus[@]}"; do list_for "$cpu"; done | sed 's/#.*//' |
	awk 'NF >= 3 { print $3 }' | sort -u)
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

# initramfs CPU [SELECT]: /init, /tests.list for CPU, /kvm/...; with SELECT,
# /select.list.
initramfs() {
	local root=$suite/initramfs p cpu=$1
	shift
	rm -rf "$root"
	mkdir -p "$root/kvm"
	cp "$suite/init" "$root/init"
	list_for "$cpu" >"$root/tests.list"
	for p in "${progs[@]}"; do
		mkdir -p "$(dirname "$root$p")"
		cp "$suite/kselftest/${p#/kvm/}" "$root$p"
	done
	if [ $# -gt 0 ]; then cp "$1" "$root/select.list"; fi
	(cd "$root" && find . | cpio -o -H newc --quiet) >"$suite/initramfs.cpio"
}

# qemu CPU KERNEL IMAGE LOG: run the list on KERNEL, on CPU.
qemu() {
	local rc=0
	timeout "$boot_timeout" qemu-system-aarch64 \
		-machine virt,virtualization=on,gic-version=3 -cpu "${cpu_qemu[$1]}" -smp 2 -m 1024 \
		-nographic -no-reboot -nic none -kernel "$3" -initrd "$suite/initramfs.cpio" \
		-append "console=ttyAMA0 rdinit=/init kunit.enable=0 panic=-1$extra -- $2" \
		</dev/null >"$4" 2>&1 || rc=$?
	[ "$rc" -eq 0 ] ||
		echo "peer.sh: $1: $2: QEMU exited with $rc (124: timed out after ${boot_timeout}s)"
	grep -E '^peer-result: ' "$4" | tr -d '\r' | awk -v k="$1: $2" '{ n[$3]++ } END {
		printf "peer.sh: %s: %d results:", k, NR; for (r in n) printf " %d %s", n[r], r; print "" }'
}

# boot CPU SUFFIX: both kernels on CPU, at the same time unless PEER_JOBS=1.
# Most tests keep one vCPU thread busy, so two guests on two host CPUs take
# the time of one.
boot() {
	local pid log=$logs/$variant-$1
	step "$1: booting both kernels (consoles: $log-{pristine,patched}$2.log)"
	if [ "$parallel" -eq 1 ]; then
		qemu "$1" pristine "$bp/$image" "$log-pristine$2.log" &
		pid=$!
		qemu "$1" patched "$boot_patched/$image" "$log-patched$2.log"
		wait "$pid"
	else
		qemu "$1" pristine "$bp/$image" "$log-pristine$2.log"
		qemu "$1" patched "$boot_patched/$image" "$log-patched$2.log"
	fi
}

image=arch/arm64/boot/Image
parallel=1
if [ "${PEER_JOBS:-$jobs}" -lt 2 ]; then parallel=0; fi
# A KASAN kernel in TCG is slow, not stuck (as dev/e2e.sh --debug).
extra=
[ "$debug" -eq 0 ] || extra=" rcupdate.rcu_cpu_stall_timeout=300"

total_pass=0 total_fail=0 total_known=0 total_skip=0 rc=0
for cpu in "${cpus[@]}"; do
	log=$logs/$variant-$cpu
	list_for "$cpu" >"$suite/tests-$cpu.list"
	initramfs "$cpu"
	boot "$cpu" ""
	python3 "$peer/table.py" differ "$suite/tests-$cpu.list" "$log-pristine.log" \
		"$log-patched.log" >"$suite/differ.list"
	rerun=()
	if [ -s "$suite/differ.list" ]; then
		step "$cpu: $(wc -l <"$suite/differ.list") tests differ; running them again on" \
			"both kernels: $(tr '\n' ' ' <"$suite/differ.list")"
		initramfs "$cpu" "$suite/differ.list"
		boot "$cpu" -rerun
		rerun=("$log-pristine-rerun.log" "$log-patched-rerun.log")
	fi

	step "$cpu: results"
	python3 "$peer/table.py" table --mode="${cpu_mode[$cpu]}" "$suite/tests-$cpu.list" \
		"$log-pristine.log" "$log-patched.log" "${rerun[@]}" >"$suite/table-$cpu.txt" ||
		rc=1
	sed "s/^peer: /peer: $cpu: /" "$suite/table-$cpu.txt"
	read -r p f k sk < <(sed -nE \
		's/^peer: ([0-9]+) passed, ([0-9]+) failed, ([0-9]+) known[^;]*; ([0-9]+) of.*/\1 \2 \3 \4/p' \
		"$suite/table-$cpu.txt"; echo "0 1 0 0")
	total_pass=$((total_pass + p)) total_fail=$((total_fail + f))
	total_known=$((total_known + k)) total_skip=$((total_skip + sk))
done
step "done"
[ "$rc" -eq 0 ] || [ "$total_fail" -gt 0 ] || total_fail=1
echo "$suite_name: $total_pass passed, $total_fail failed, $total_known known failures on pristine;" \
	"$total_skip of the passes skip on both (${cpus[*]})"
exit "$rc"
