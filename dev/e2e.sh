#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# e2e.sh [--debug] [SCENARIO] - a real KVM guest faults through s2attr, in
# QEMU, under every stage-2 memory attribute policy, on one kernel booted on
# both halves of the hardware space.
#
# Builds the patched Linux 6.12 arm64 kernel once (one build directory,
# incremental rebuilds) with the KUnit configuration plus
# tools/kvm/s2attr/e2e/e2e.config (KVM, the stage-2 ptdump, the tracepoint,
# MTE, THP, the test device); installs its uapi headers and builds the
# tree's own KVM selftest tools/testing/selftests/kvm/aarch64/s2attr_e2e
# static against them; packs it with tools/kvm/s2attr/e2e/init.c as /init;
# and boots it once per CPU model of E2E_CPUS, one after the other, in
#   qemu-system-aarch64 -machine virt,virtualization=on,gic-version=3,mte=M -cpu CPU
#     -object memory-backend-file,id=ivshm,share=on,mem-path=BUILD/ivshmem.bin,size=4M
#     -device ivshmem-plain,memdev=ivshm
#   max          -cpu max,pauth-impdef=on, mte=on: KVM in VHE mode; FEAT_S2FWB,
#                MTE, no CTR_EL0.DIC
#   cortex-a72   -cpu cortex-a72, mte=off: KVM in nVHE mode; no FWB, no DIC,
#                no MTE
# with mem=768M of 1 GiB, so that 0x70000000-0x7fffffff is RAM the kernel
# does not map, which test_s2attr_pfnmap serves. The console must say KVM
# initialised in the CPU's mode. The selftest runs every scenario (or only
# SCENARIO) under every policy the kernel offers and under the default,
# decides each result itself and prints TAP; then check.py compares every
# access it reports with `build/s2attr explain`.
#
# The ivshmem-plain device is a PCI function (on the virt machine's PCIe
# root bus) whose BAR 2 is the host file BUILD/ivshmem.bin, zeroed before
# each boot; vfio.enable_unsafe_noiommu_mode=1 lets the selftest map the BAR
# through vfio-pci, as a VMM maps a device's. For each line
#   # s2attr-e2e-ivshmem: offset=0xHEX value=0x<16 hex digits>
# of the console, the file must hold that little-endian u64 at that offset
# after QEMU exits: what the guest wrote through its stage-2 mapping of the
# BAR reached the device's memory. No such line is a failure only when the
# selftest ran vfio scenarios and did not skip them. (pauth-impdef=on: QEMU's
# own pointer authentication algorithm instead of QARMA5, which TCG computes
# five times slower, as kunit.py's arm64 configuration has it; the kernel
# signs every return address.)
#
# --debug: the same on another build of the kernel (its own build directory)
# with tools/kvm/s2attr/e2e/debug.config on top (KASAN, lockdep, DEBUG_VM,
# might_sleep() checks, kmemleak) and tools/kvm/s2attr/e2e/debug-init.c as
# /init, which runs init.c and then has kmemleak scan. Each boot's console
# must also hold no KASAN, lockdep, might_sleep(), WARN or BUG report and no
# call trace, and kmemleak an empty report. Its boots allow RCU stalls of up
# to 300 s (rcupdate.rcu_cpu_stall_timeout): a KASAN kernel in TCG on a busy
# host is slow, not stuck.
#
# Each boot's counts: the selftest's TAP (ok, not ok; a "# SKIP" counts
# neither way and is listed with its reason), the KVM mode, check.py's
# comparisons, the ivshmem values and, with --debug, the console checks.
# Ends with "e2e: N passed, N failed" (--debug: "check-debug: ...") over
# every boot.
#
# Consoles: $S2ATTR_CACHE/logs/e2e-CPU.log (--debug: e2e-debug-CPU.log);
# e2e.log is all the e2e-CPU.log of the last run, one after the other.
# Env: KDIR, S2ATTR_CACHE (see dev/kernel-tree.sh); E2E_CPUS (the CPU models
# to boot, "max cortex-a72"); E2E_TIMEOUT (s per boot, 900; --debug: 1800).
set -euo pipefail
shopt -s inherit_errexit

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$repo"
export S2ATTR_CACHE=${S2ATTR_CACHE:-${XDG_CACHE_HOME:-${HOME:?set S2ATTR_CACHE or HOME}/.cache}/s2attr}
tool=$repo/build/s2attr
e2e=$repo/tools/kvm/s2attr/e2e
cross=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-)
jobs=$(nproc)

debug=0
if [ "${1:-}" = --debug ]; then
	debug=1
	shift
fi
if [ "$debug" -eq 1 ]; then
	suite=check-debug variant=e2e-debug
	timeout_s=${E2E_TIMEOUT:-1800}
	extra=" rcupdate.rcu_cpu_stall_timeout=300"
else
	suite=e2e variant=e2e
	timeout_s=${E2E_TIMEOUT:-900}
	extra=
fi
cpus=${E2E_CPUS:-max cortex-a72}
scenario=${1:-}

fail() {
	echo "e2e.sh: $*" >&2
	echo "$suite: 0 passed, 1 failed"
	exit 1
}

# The shared kernel and the CPU models (cpu_qemu, cpu_mte, cpu_mode).
# shellcheck source=dev/e2e-kernel.sh
. "$repo/dev/e2e-kernel.sh"

# What the debug kernel must never print (fixed strings, matched anywhere
# in a line of the console).
debug_reports=("BUG:" "WARNING:" "KASAN" "possible circular locking"
	"inconsistent lock state" "sleeping function called from invalid context"
	"Call trace:" "kernel BUG at" "Internal error:"
	"turning off the locking correctness validator")

[ -x "$tool" ] || fail "$tool is missing: run make tool"
[ $# -le 1 ] || fail "usage: e2e.sh [--debug] [SCENARIO]"
read -r -a cpus <<<"$cpus"
[ "${#cpus[@]}" -gt 0 ] || fail "E2E_CPUS names no CPU model"
for cpu in "${cpus[@]}"; do
	[ -n "${cpu_mte[$cpu]:-}" ] ||
		fail "E2E_CPUS: unknown CPU model '$cpu' (known: ${!cpu_mte[*]})"
done

bash dev/deps.sh kernel || fail "could not install the kernel build dependencies"
bash dev/kernel-tree.sh apply >&2 || fail "could not prepare the kernel work tree"
work=$(bash dev/kernel-tree.sh work)
if [ "$debug" -eq 1 ]; then
	build=$(e2e_build_dir "$work" --debug)
	mapfile -t fragments < <(e2e_fragments --debug)
else
	build=$(e2e_build_dir "$work")
	mapfile -t fragments < <(e2e_fragments)
fi
logs=$S2ATTR_CACHE/logs
mkdir -p "$build" "$logs"
start=$SECONDS

echo "e2e.sh: building the kernel in $build/kernel"
cat "${fragments[@]}" >"$build/kunitconfig"
(cd "$work" && python3 tools/testing/kunit/kunit.py config --arch=arm64 \
	--cross_compile=aarch64-linux-gnu- --kunitconfig="$build/kunitconfig" \
	--build_dir="$build/kernel") >"$logs/$variant-config.log" 2>&1 ||
	fail "the kernel configuration failed; see $logs/$variant-config.log"
make -C "$work" O="$build/kernel" "${cross[@]}" -j"$jobs" Image >"$logs/$variant-build.log" 2>&1 ||
	fail "the kernel does not build; see $logs/$variant-build.log"
echo "e2e.sh: kernel built ($((SECONDS - start)) s)"

echo "e2e.sh: building the s2attr_e2e KVM selftest and the initramfs"
make -C "$work" O="$build/kernel" "${cross[@]}" headers_install \
	INSTALL_HDR_PATH="$build/kernel/usr" >"$logs/$variant-headers.log" 2>&1 ||
	fail "make headers_install failed; see $logs/$variant-headers.log"
make -C "$work/tools/testing/selftests/kvm" "${cross[@]}" LDFLAGS=-static \
	OUTPUT="$build/kselftest" KHDR_INCLUDES="-isystem $build/kernel/usr/include" \
	-j"$jobs" "$build/kselftest/aarch64/s2attr_e2e" >"$logs/$variant-selftest.log" 2>&1 ||
	fail "the KVM selftest does not build; see $logs/$variant-selftest.log"
aarch64-linux-gnu-gcc -static -O2 -Wall -Wextra -Werror -o "$build/init" "$e2e/init.c" ||
	fail "init.c does not build"
root=$build/initramfs
rm -rf "$root"
mkdir -p "$root"
if [ "$debug" -eq 1 ]; then
	aarch64-linux-gnu-gcc -static -O2 -Wall -Wextra -Werror -o "$build/debug-init" \
		"$e2e/debug-init.c" || fail "debug-init.c does not build"
	cp "$build/debug-init" "$root/init"
	cp "$build/init" "$root/e2e-init"
else
	cp "$build/init" "$root/init"
fi
cp "$build/kselftest/aarch64/s2attr_e2e" "$root/s2attr_e2e"
(cd "$root" && find . | cpio -o -H newc --quiet) >"$build/initramfs.cpio"

passed=0
failed=0

# check_ivshmem CONSOLE FILE: each "# s2attr-e2e-ivshmem:" line of CONSOLE
# against FILE; one line per check, then "N passed, N failed".
check_ivshmem() {
	python3 - "$1" "$2" <<-'EOF'
	import re, struct, sys
	TAG = "# s2attr-e2e-ivshmem: "
	LINE = re.compile(r"offset=0x([0-9a-f]+) value=0x([0-9a-f]{16})")
	mem = open(sys.argv[2], "rb").read()
	passed = failed = 0
	for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
	    if not line.startswith(TAG):
	        continue
	    text = line[len(TAG):].rstrip("\n")
	    m = LINE.fullmatch(text)
	    if not m:
	        why = "FAIL: malformed"
	    else:
	        off, want = int(m[1], 16), int(m[2], 16)
	        if off + 8 > len(mem):
	            why = f"FAIL: outside the {len(mem)}-byte file"
	        else:
	            got = struct.unpack_from("<Q", mem, off)[0]
	            why = "ok" if got == want else f"FAIL: the file holds 0x{got:016x}"
	    print(f"ivshmem {text}: {why}")
	    if why == "ok":
	        passed += 1
	    else:
	        failed += 1
	print(f"{passed} passed, {failed} failed")
	EOF
}

# boot CPU: boot the kernel on CPU, check what it printed, add to the sums.
boot() {
	local cpu=$1 log=$logs/$variant-$1.log out=$build/$1 rc t p f line
	local tap_pass tap_fail tap_skip status mode ivs vfio_ran vfio_skipped pat n
	local bp=0 bf=0
	mkdir -p "$out"
	rm -f "$build/ivshmem.bin"
	truncate -s 4M "$build/ivshmem.bin"
	echo "e2e.sh: $cpu: booting QEMU -cpu ${cpu_qemu[$cpu]} (console: $log)"
	t=$SECONDS
	set +e
	timeout "$timeout_s" qemu-system-aarch64 \
		-machine "virt,virtualization=on,gic-version=3,mte=${cpu_mte[$cpu]}" \
		-cpu "${cpu_qemu[$cpu]}" \
		-smp 1 -m 1024 -nographic -no-reboot -nic none \
		-kernel "$build/kernel/arch/arm64/boot/Image" -initrd "$build/initramfs.cpio" \
		-object "memory-backend-file,id=ivshm,share=on,mem-path=$build/ivshmem.bin,size=4M" \
		-device ivshmem-plain,memdev=ivshm \
		-append "console=ttyAMA0 rdinit=/init mem=768M test_s2attr_pfnmap.hidden=256M@0x70000000 vfio.enable_unsafe_noiommu_mode=1$extra kunit.enable=0 panic=-1${scenario:+ -- $scenario}" \
		</dev/null >"$log" 2>&1
	rc=$?
	set -e
	echo "e2e.sh: $cpu: QEMU ran $((SECONDS - t)) s"
	[ "$rc" -eq 0 ] || echo "e2e.sh: $cpu: QEMU exited with $rc (124: timed out after ${timeout_s}s)"

	# The selftest's TAP, without the console's carriage returns.
	tr -d '\r' <"$log" >"$out/console.log"
	grep -E '^(TAP version|1\.\.|ok |not ok |# )' "$out/console.log" |
		grep -vE '# s2attr-e2e(-trace|-ivshmem)?: ' >"$out/tap" || true
	sed "s/^/$cpu: /" "$out/tap"
	tap_skip=$(grep -cE '^ok [0-9]+ .*# SKIP' "$out/tap" || true)
	tap_pass=$(($(grep -cE '^ok [0-9]+ ' "$out/tap" || true) - tap_skip))
	tap_fail=$(grep -cE '^not ok [0-9]+ ' "$out/tap" || true)
	status=$(sed -nE 's/^s2attr-e2e-init: (exit [0-9]+|killed by signal [0-9]+)$/\1/p' \
		"$out/console.log" | tail -n 1)
	echo "e2e.sh: $cpu: selftest $tap_pass ok, $tap_fail not ok, $tap_skip skipped," \
		"${status:-no exit status}"
	sed -nE "s/^ok [0-9]+ .*# SKIP ?/e2e.sh: $cpu: skipped: /p" "$out/tap"
	grep -E '^not ok ' "$out/tap" | sed "s/^/e2e.sh: $cpu: /" || true
	# A selftest that stops early or exits non-zero without a "not ok" is a failure too.
	if [ "$status" != "exit 0" ] && [ "$tap_fail" -eq 0 ]; then
		tap_fail=1
	fi
	bp=$((bp + tap_pass)) bf=$((bf + tap_fail))

	if grep -qE "^kvm \[[0-9]+\]: (Hyp )?${cpu_mode[$cpu]} mode initialized successfully" \
		"$out/console.log"; then
		mode=ok bp=$((bp + 1))
	else
		mode="FAIL: the console has no \"${cpu_mode[$cpu]} mode initialized successfully\""
		mode+=" but: $(grep -oE 'kvm \[[0-9]+\]: .*mode initialized successfully' \
			"$out/console.log" | head -n 1 || true)"
		bf=$((bf + 1))
	fi
	echo "e2e.sh: $cpu: KVM in ${cpu_mode[$cpu]} mode: $mode"

	set +e
	python3 "$e2e/check.py" "$tool" "$out/console.log" >"$out/check"
	set -e
	grep -E 'FAIL' "$out/check" | sed "s/^/$cpu: /" || true
	line=$(tail -n 1 "$out/check")
	p=$(sed -nE 's/^check.py: ([0-9]+) passed, ([0-9]+) failed$/\1/p' <<<"$line")
	f=$(sed -nE 's/^check.py: ([0-9]+) passed, ([0-9]+) failed$/\2/p' <<<"$line")
	echo "e2e.sh: $cpu: check.py: ${p:-0} passed, ${f:-1} failed (every access against" \
		"build/s2attr explain: $out/check)"
	bp=$((bp + ${p:-0})) bf=$((bf + ${f:-1}))

	check_ivshmem "$out/console.log" "$build/ivshmem.bin" >"$out/ivshmem"
	read -r p _ f _ < <(tail -n 1 "$out/ivshmem")
	vfio_ran=$(grep -E '^(ok|not ok) [0-9]+ ' "$out/tap" | grep -v '# SKIP' | grep -ci vfio || true)
	vfio_skipped=$(grep -E '^ok [0-9]+ .*# SKIP' "$out/tap" | grep -ci vfio || true)
	if [ $((p + f)) -gt 0 ]; then
		grep -E '^ivshmem .*FAIL' "$out/ivshmem" | sed "s/^/e2e.sh: $cpu: /" || true
		ivs="$p passed, $f failed"
	elif [ "$vfio_ran" -gt 0 ]; then
		ivs="FAIL: $vfio_ran vfio results, no s2attr-e2e-ivshmem line" f=1
	elif [ "$vfio_skipped" -gt 0 ]; then
		ivs="not checked: the selftest skipped its $vfio_skipped vfio scenarios"
	else
		ivs="did not run: the selftest has no vfio scenario"
	fi
	echo "e2e.sh: $cpu: ivshmem: the backing file holds what the guest wrote: $ivs"
	bp=$((bp + p)) bf=$((bf + f))

	if [ "$debug" -eq 1 ]; then
		n=0
		for pat in "${debug_reports[@]}"; do
			if grep -qF -- "$pat" "$out/console.log"; then
				echo "e2e.sh: $cpu: FAIL: $(grep -cF -- "$pat" "$out/console.log")" \
					"console lines with \"$pat\", the first:"
				grep -nF -- "$pat" "$out/console.log" | head -n 5 | sed 's/^/    /'
				n=$((n + 1))
			fi
		done
		echo "e2e.sh: $cpu: console: $((${#debug_reports[@]} - n)) of ${#debug_reports[@]}" \
			"kinds of report absent ($(printf '"%s" ' "${debug_reports[@]}"))"
		bp=$((bp + ${#debug_reports[@]} - n)) bf=$((bf + n))
		grep -E '^s2attr-e2e-(kmemleak|debug): ' "$out/console.log" | sed "s/^/$cpu: /" || true
		n=$(grep -c 'unreferenced object' "$out/console.log" || true)
		if ! grep -qx 's2attr-e2e-kmemleak: end' "$out/console.log"; then
			echo "e2e.sh: $cpu: FAIL: kmemleak did not report (no 's2attr-e2e-kmemleak: end')"
			bf=$((bf + 1))
		elif [ "$n" -gt 0 ]; then
			echo "e2e.sh: $cpu: FAIL: kmemleak: $n unreferenced objects"
			bf=$((bf + 1))
		else
			echo "e2e.sh: $cpu: kmemleak: no unreferenced object after the selftest"
			bp=$((bp + 1))
		fi
	fi

	echo "e2e.sh: $cpu: $bp passed, $bf failed"
	passed=$((passed + bp)) failed=$((failed + bf))
}

for cpu in "${cpus[@]}"; do
	boot "$cpu"
done
if [ "$debug" -eq 0 ]; then
	for cpu in "${cpus[@]}"; do cat "$logs/e2e-$cpu.log"; done >"$logs/e2e.log"
fi
echo "e2e.sh: ${cpus[*]}: $((SECONDS - start)) s in all"
echo "$suite: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
