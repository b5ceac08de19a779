#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# fault-cost.sh [--trace] - what a whole stage-2 fault costs the host, in instructions
# the arm64 PMU counts: the patched kernel under each policy against
# pristine Linux 6.12, on the same faults, with the same QEMU command line.
#
# Both kernels are built with e2e's configuration plus
# tools/kvm/s2attr/fault-cost/fault-cost.config (perf events and the PMUv3
# driver, static keys as in distribution kernels, debug information for
# --trace), each in its own build directory ($S2ATTR_CACHE/build/
# fault-cost-{patched,pristine}-*). tools/kvm/s2attr/fault-cost/fault_cost.c
# is built static against the KVM selftest library of the patched tree and
# its uapi; the same binary runs on both kernels (pristine offers no policy
# capability: its default only). Each kernel boots once in
#   qemu-system-aarch64 -machine virt,virtualization=on,gic-version=3,dtb-randomness=off
#     -cpu max,pauth-impdef=on -smp 1 -m 1024 -icount shift=0
# with mem=768M (RAM at 0x70000000 the kernel does not map, for /dev/mem)
# and norandmaps. Without norandmaps the same pristine kernel costs 3913
# or 3961 instructions per anon-read fault from one boot to the next
# (user-space ASLR places the test's memory, and so the host's page-table
# walks, differently); with it, and without the DTB's random seed, every
# boot of a kernel gives the same counts.
# -icount shift=N is what makes QEMU's PMU implement INST_RETIRED at all
# (target/arm: instructions_supported() is "icount is precise"), and then
# the count is QEMU's own instruction counter, exact; -smp 1 because that
# counter is one for the whole machine. The PMU's exception-level filter
# is applied by QEMU on every change of exception level, so on this VHE
# host (kernel at EL2, guest at EL1/EL0) exclude_guest|exclude_user count
# EL2 only: the host kernel, not the guest.
#
# The series' test device (test_s2attr_pfnmap.hidden=64M@0x78000000, apart
# from /dev/mem's pages) gives the pfnmap kinds on the patched kernel only:
# pristine has no such device, so those rows have no ratio; a policy that
# refuses the memory is "refused" there.
#
# Prints, per memory kind, the instructions per fault (median over the
# pages) of pristine and of each policy, with the ratio to pristine, and
# ends with "fault-cost: N passed, N failed": a kernel that does not boot or
# does not report, a patched kernel without the test device, and a ratio
# for anonymous translation faults (anon-read, anon-write) under the
# default policy above FAULT_COST_MAX_RATIO (1.02), fail.
#
# --trace then boots each kernel again under -singlestep with QEMU's
# execution log filtered to the functions of the fault path, and prints
# for anon-read and dirty-write, per function (inline functions by name,
# from the debug information), the instructions per fault of each kernel
# and the difference (dev/fault-cost-trace.py). Takes a minute per kernel.
#
# Consoles: $S2ATTR_CACHE/logs/fault-cost-{patched,pristine}.log.
# Env: KDIR, S2ATTR_CACHE (see dev/kernel-tree.sh), FAULT_COST_MAX_RATIO.
set -euo pipefail
shopt -s inherit_errexit

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$repo"
export S2ATTR_CACHE=${S2ATTR_CACHE:-${XDG_CACHE_HOME:-${HOME:?set S2ATTR_CACHE or HOME}/.cache}/s2attr}
export PYTHONDONTWRITEBYTECODE=1
fc=$repo/tools/kvm/s2attr/fault-cost
cross=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-)
jobs=$(nproc)
max_ratio=${FAULT_COST_MAX_RATIO:-1.02}
start=$(date +%s)

fail() {
	echo "fault-cost.sh: $*" >&2
	echo "fault-cost: 0 passed, 1 failed"
	exit 1
}

step() {
	echo "fault-cost.sh: [$(($(date +%s) - start))s] $*"
}

trace=
case "${1-}" in
--trace) trace=1; shift ;;
esac
[ $# -eq 0 ] || fail "usage: fault-cost.sh [--trace]   (env: KDIR, S2ATTR_CACHE, FAULT_COST_MAX_RATIO)"

# shellcheck source=dev/e2e-kernel.sh
. "$repo/dev/e2e-kernel.sh"

bash dev/deps.sh kernel || fail "could not install the kernel build dependencies"
bash dev/kernel-tree.sh apply >&2 || fail "could not prepare the kernel work tree"
pristine=$(bash dev/kernel-tree.sh pristine)
work=$(bash dev/kernel-tree.sh work)
name=$(basename "$work")
logs=$S2ATTR_CACHE/logs
out=$S2ATTR_CACHE/build/fault-cost-$name
mkdir -p "$logs" "$out"
marker=$out/.started
touch "$marker"

mapfile -t fragments < <(e2e_fragments)
cat "${fragments[@]}" "$fc/fault-cost.config" >"$out/kunitconfig"

# kernel NAME TREE: configure (kunit.py config: the fragment's lines on
# olddefconfig) and build TREE in $S2ATTR_CACHE/build/fault-cost-NAME-*,
# its kernel/ subdirectory then in $kbuild. The series' three test options,
# which pristine does not define, are left out there, as dev/peer.sh does.
kernel() {
	local build=$S2ATTR_CACHE/build/fault-cost-$1-$name
	mkdir -p "$build"
	if [ "$1" = pristine ]; then
		grep -vE '^CONFIG_(TEST_S2ATTR_PFNMAP|KVM_ARM64_S2ATTR_(GLUE_)?KUNIT_TEST)=' \
			"$out/kunitconfig" >"$build/kunitconfig"
	else
		cp "$out/kunitconfig" "$build/kunitconfig"
	fi
	(cd "$2" && python3 tools/testing/kunit/kunit.py config --arch=arm64 \
		--cross_compile=aarch64-linux-gnu- --kunitconfig="$build/kunitconfig" \
		--build_dir="$build/kernel") >"$logs/fault-cost-$1-config.log" 2>&1 ||
		fail "the $1 kernel configuration failed; see $logs/fault-cost-$1-config.log"
	grep -qx 'CONFIG_HW_PERF_EVENTS=y' "$build/kernel/.config" ||
		fail "the $1 kernel has no CONFIG_HW_PERF_EVENTS: no PMU counter to read"
	grep -qx 'CONFIG_JUMP_LABEL=y' "$build/kernel/.config" ||
		fail "the $1 kernel has no CONFIG_JUMP_LABEL: its tracepoints would not cost what a distribution kernel's do"
	step "building the $1 kernel in $build/kernel"
	make -C "$2" O="$build/kernel" "${cross[@]}" -j"$jobs" Image \
		>"$logs/fault-cost-$1-build.log" 2>&1 ||
		fail "the $1 kernel does not build; see $logs/fault-cost-$1-build.log"
	kbuild=$build/kernel
}
kernel patched "$work"
bw=$kbuild
kernel pristine "$pristine"
bp=$kbuild

step "building fault_cost against the patched uapi and the KVM selftest library"
make -C "$work" O="$bw" "${cross[@]}" headers_install INSTALL_HDR_PATH="$bw/usr" \
	>"$logs/fault-cost-headers.log" 2>&1 ||
	fail "make headers_install failed; see $logs/fault-cost-headers.log"
kvm=$work/tools/testing/selftests/kvm
ksargs=("${cross[@]}" USERLDFLAGS=-static OUTPUT="$out/kselftest" abs_objdir="$out/obj"
	TMPOUT="$out/tmp" KHDR_INCLUDES="-isystem $bw/usr/include")
mkdir -p "$out/obj/tools" "$out/kselftest"
# The library (and the generated sysreg headers) as a by-product of one
# small upstream test; then fault_cost linked with it, as dev/peer.sh links
# page_fault_one.
make -C "$kvm" "${ksargs[@]}" -j"$jobs" "$out/kselftest/aarch64/vcpu_width_config" \
	>"$logs/fault-cost-selftest.log" 2>&1 ||
	fail "the KVM selftest library does not build; see $logs/fault-cost-selftest.log"
make -C "$kvm" "${ksargs[@]}" --eval "$out/kselftest/fault_cost: $fc/fault_cost.c \
	\$(wildcard $out/kselftest/lib/*.o $out/kselftest/lib/*/*.o) ; \
	\$(CC) \$(CFLAGS) -Wextra -Wno-unused-parameter -Werror -I\$(CURDIR) -I\$(top_srcdir) \$(CPPFLAGS) \
	\$(LDFLAGS) \$(TARGET_ARCH) \$< \$(LIBKVM_OBJS) \$(LDLIBS) -o \$@" \
	"$out/kselftest/fault_cost" >>"$logs/fault-cost-selftest.log" 2>&1 ||
	fail "fault_cost does not build; see $logs/fault-cost-selftest.log"
aarch64-linux-gnu-gcc -static -O2 -Wall -Wextra -Werror -o "$out/init" \
	"$repo/tools/kvm/s2attr/e2e/init.c" || fail "init.c does not build"
rm -rf "$out/initramfs"
mkdir -p "$out/initramfs"
cp "$out/init" "$out/initramfs/init"
cp "$out/kselftest/fault_cost" "$out/initramfs/fault_cost"
(cd "$out/initramfs" && find . | cpio -o -H newc --quiet) >"$out/initramfs.cpio"
newer=$(find "$pristine" -newer "$marker" -print -quit)
[ -z "$newer" ] || fail "the build wrote into the pristine tree: $newer"

# boot NAME BUILD: the same command line for both kernels.
boot() {
	local rc=0
	step "$1: booting with -icount shift=0 (console: $logs/fault-cost-$1.log)"
	timeout 1800 qemu-system-aarch64 \
		-machine virt,virtualization=on,gic-version=3,dtb-randomness=off -cpu "${cpu_qemu[max]}" \
		-smp 1 -m 1024 -icount shift=0 -nographic -no-reboot -nic none \
		-kernel "$2/arch/arm64/boot/Image" -initrd "$out/initramfs.cpio" \
		-append "console=ttyAMA0 rdinit=/init mem=768M S2ATTR_TEST=/fault_cost test_s2attr_pfnmap.hidden=64M@0x78000000 kunit.enable=0 norandmaps panic=-1" \
		</dev/null >"$logs/fault-cost-$1.log" 2>&1 || rc=$?
	[ "$rc" -eq 0 ] || echo "fault-cost.sh: $1: QEMU exited with $rc (124: timed out)"
	tr -d '\r' <"$logs/fault-cost-$1.log" >"$out/$1.console"
}
boot patched "$bw"
boot pristine "$bp"

step "results"
rc=0
python3 - "$out/pristine.console" "$out/patched.console" "$max_ratio" <<'EOF' || rc=$?
import re, sys

LINE = re.compile(r"^fault-cost: policy=(\S+) kind=(\S+) pages=(\d+) fault=(\d+) base=(\d+) "
                  r"cost=(-?\d+) p10=(-?\d+) p90=(-?\d+)$")
REFUSED = re.compile(r"^fault-cost: policy=(\S+) kind=(\S+) refused$")
GUARDED = ("anon-read", "anon-write")

def load(path):
    res, done, device = {}, False, False
    for line in open(path, encoding="utf-8", errors="replace"):
        line = line.rstrip("\n")
        m = LINE.match(line)
        if m:
            res[(m[1], m[2])] = tuple(int(x) for x in m.groups()[2:])
        elif REFUSED.match(line):
            m = REFUSED.match(line)
            res[(m[1], m[2])] = None
        elif line == "fault-cost: done":
            done = True
        elif line == "fault-cost: /dev/test_s2attr_pfnmap present":
            device = True
    return res, done, device

pristine, pdone, _ = load(sys.argv[1])
patched, wdone, wdevice = load(sys.argv[2])
max_ratio = float(sys.argv[3])
passed = failed = 0
for name, done, res in (("pristine", pdone, pristine), ("patched", wdone, patched)):
    if done and res:
        passed += 1
    else:
        print("FAIL: the %s kernel did not report (see its console)" % name)
        failed += 1
if not wdevice:
    print("FAIL: the patched kernel has no /dev/test_s2attr_pfnmap: no pfnmap rows")
    failed += 1
kinds = []
for _, k in list(pristine) + list(patched):
    if k not in kinds:
        kinds.append(k)
policies = [p for p in ("default", "cacheable-pfnmap", "strict", "fwb-only")
            if any(q == p for q, _ in patched)]
print("host instructions per stage-2 fault (median of %s pages; p10..p90 of the per-page"
      " differences)" % next(iter(v[0] for v in patched.values() if v), "?"))
head = "%-12s %22s" % ("kind", "pristine 6.12")
for p in policies:
    head += " %28s" % ("patched " + p)
print(head)
for k in kinds:
    base = pristine.get(("default", k))
    row = "%-12s %22s" % (k, "%d (%d..%d)" % (base[3], base[4], base[5]) if base else "-")
    for p in policies:
        if (p, k) in patched and patched[(p, k)] is None:
            row += " %28s" % "refused"
            continue
        v = patched.get((p, k))
        if not v:
            row += " %28s" % "-"
            continue
        ratio = "x%.4f" % (v[3] / base[3]) if base and base[3] > 0 else "(no 6.12)"
        row += " %28s" % ("%d (%d..%d) %s" % (v[3], v[4], v[5], ratio))
    print(row)
for k in GUARDED:
    base, v = pristine.get(("default", k)), patched.get(("default", k))
    if not base or not v or base[3] <= 0:
        print("FAIL: %s: no figure for pristine or for the patched default" % k)
        failed += 1
        continue
    ratio = v[3] / base[3]
    verdict = "ok" if ratio <= max_ratio else "FAIL"
    print("%s: %s under the default policy costs %d instructions per fault, pristine %d:"
          " x%.4f (at most x%.2f)" % (verdict, k, v[3], base[3], ratio, max_ratio))
    if verdict == "ok":
        passed += 1
    else:
        failed += 1
print("fault-cost: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
EOF

[ -n "$trace" ] || exit "$rc"

# trace NAME BUILD: the same boot with -singlestep and QEMU's execution log,
# filtered to the functions of the fault path (user_mem_abort() is inlined
# into kvm_handle_guest_abort()) and kvm_arch_init_vm(), which starts a VM.
# -singlestep makes every instruction a translation block of its own, and
# nochain sends each through the logging, so the log has one line per
# instruction executed: what -icount counts (the counts printed are the
# same as without -singlestep).
trace() {
	local dir=$out/trace-$1 f a b ranges=
	rm -rf "$dir"
	mkdir -p "$dir"
	ln -s "$2/vmlinux" "$dir/vmlinux"
	for f in kvm_handle_guest_abort s2attr_decide pfn_is_map_memory __gfn_to_pfn_memslot \
		__gfn_to_pfn_memslot_pgprot hva_to_pfn hva_to_pfn_pgprot kvm_pgtable_stage2_map \
		kvm_arch_init_vm; do
		read -r a b < <(sort "$2/System.map" | awk -v f="$f" \
			'found { print a, $1; exit } $3 == f { a = $1; found = 1 }') || continue
		echo "$f $a $b" >>"$dir/ranges.txt"
		ranges+=${ranges:+,}0x$a..0x$b
	done
	step "$1: booting again with -singlestep -d exec,nochain (log: $dir/exec.log)"
	timeout 1800 qemu-system-aarch64 \
		-machine virt,virtualization=on,gic-version=3,dtb-randomness=off -cpu "${cpu_qemu[max]}" \
		-smp 1 -m 1024 -icount shift=0 -singlestep -d exec,nochain -dfilter "$ranges" \
		-D "$dir/exec.log" -nographic -no-reboot -nic none \
		-kernel "$2/arch/arm64/boot/Image" -initrd "$out/initramfs.cpio" \
		-append "console=ttyAMA0 rdinit=/init mem=768M S2ATTR_TEST=/fault_cost test_s2attr_pfnmap.hidden=64M@0x78000000 kunit.enable=0 norandmaps panic=-1" \
		</dev/null 2>&1 | tr -d '\r' >"$dir/console.txt" ||
		fail "$1: the traced boot failed; see $dir/console.txt"
}
grep -q '^CONFIG_DEBUG_INFO=y' "$bw/.config" ||
	fail "the patched kernel has no CONFIG_DEBUG_INFO: --trace cannot name inline functions"
trace patched "$bw"
trace pristine "$bp"
for k in anon-read dirty-write; do
	python3 dev/fault-cost-trace.py "$k" "$out/trace-pristine" "$out/trace-patched" ||
		fail "dev/fault-cost-trace.py $k failed"
done
exit "$rc"
