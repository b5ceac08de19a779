#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# e2e.sh [SCENARIO] - a real KVM guest faults through s2attr, in QEMU, under
# every stage-2 memory attribute policy, on one kernel.
#
# Builds the patched Linux 6.12 arm64 kernel once (one build directory,
# incremental rebuilds) with the KUnit configuration plus
# tools/kvm/s2attr/e2e/e2e.config (KVM, the stage-2 ptdump, the tracepoint,
# MTE, THP, the test device); installs its uapi headers and builds the
# tree's own KVM selftest tools/testing/selftests/kvm/aarch64/s2attr_e2e
# static against them; packs it with tools/kvm/s2attr/e2e/init.c as /init;
# and boots it once in
#   qemu-system-aarch64 -machine virt,virtualization=on,gic-version=3,mte=on -cpu max
# with mem=768M of 1 GiB, so that 0x70000000-0x7fffffff is RAM the kernel
# does not map, which test_s2attr_pfnmap serves. The selftest runs every
# scenario (or only SCENARIO) under every policy the kernel offers and under
# the default, decides each result itself and prints TAP; then check.py
# compares every access it reports with `build/s2attr explain`.
#
# Console log: $S2ATTR_CACHE/logs/e2e.log. Ends with
# "e2e: N passed, N failed": the selftest's TAP results plus check.py's
# comparisons.
# Env: KDIR, S2ATTR_CACHE (see dev/kernel-tree.sh), E2E_TIMEOUT (s, 900).
set -euo pipefail
shopt -s inherit_errexit

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$repo"
export S2ATTR_CACHE=${S2ATTR_CACHE:-${XDG_CACHE_HOME:-${HOME:?set S2ATTR_CACHE or HOME}/.cache}/s2attr}
tool=$repo/build/s2attr
e2e=$repo/tools/kvm/s2attr/e2e
cross=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-)
jobs=$(nproc)
timeout_s=${E2E_TIMEOUT:-900}
scenario=${1:-}

fail() {
	echo "e2e.sh: $*" >&2
	echo "e2e: 0 passed, 1 failed"
	exit 1
}

[ -x "$tool" ] || fail "$tool is missing: run make tool"
[ $# -le 1 ] || fail "usage: e2e.sh [SCENARIO]"

bash dev/deps.sh kernel || fail "could not install the kernel build dependencies"
bash dev/kernel-tree.sh apply >&2 || fail "could not prepare the kernel work tree"
work=$(bash dev/kernel-tree.sh work)
build=$S2ATTR_CACHE/build/e2e-arm64-$(basename "$work")
logs=$S2ATTR_CACHE/logs
log=$logs/e2e.log
mkdir -p "$build" "$logs"

echo "e2e.sh: building the kernel in $build/kernel"
cat "$repo/arch/arm64/kvm/s2attr/.kunitconfig" "$e2e/e2e.config" >"$build/kunitconfig"
(cd "$work" && python3 tools/testing/kunit/kunit.py config --arch=arm64 \
	--cross_compile=aarch64-linux-gnu- --kunitconfig="$build/kunitconfig" \
	--build_dir="$build/kernel") >"$logs/e2e-config.log" 2>&1 ||
	fail "the kernel configuration failed; see $logs/e2e-config.log"
make -C "$work" O="$build/kernel" "${cross[@]}" -j"$jobs" Image >"$logs/e2e-build.log" 2>&1 ||
	fail "the kernel does not build; see $logs/e2e-build.log"

echo "e2e.sh: building the s2attr_e2e KVM selftest and the initramfs"
make -C "$work" O="$build/kernel" "${cross[@]}" headers_install \
	INSTALL_HDR_PATH="$build/kernel/usr" >"$logs/e2e-headers.log" 2>&1 ||
	fail "make headers_install failed; see $logs/e2e-headers.log"
make -C "$work/tools/testing/selftests/kvm" "${cross[@]}" LDFLAGS=-static \
	OUTPUT="$build/kselftest" KHDR_INCLUDES="-isystem $build/kernel/usr/include" \
	-j"$jobs" "$build/kselftest/aarch64/s2attr_e2e" >"$logs/e2e-selftest.log" 2>&1 ||
	fail "the KVM selftest does not build; see $logs/e2e-selftest.log"
aarch64-linux-gnu-gcc -static -O2 -Wall -Wextra -Werror -o "$build/init" "$e2e/init.c" ||
	fail "init.c does not build"
root=$build/initramfs
rm -rf "$root"
mkdir -p "$root"
cp "$build/init" "$root/init"
cp "$build/kselftest/aarch64/s2attr_e2e" "$root/s2attr_e2e"
(cd "$root" && find . | cpio -o -H newc --quiet) >"$build/initramfs.cpio"

echo "e2e.sh: booting QEMU (console: $log)"
set +e
timeout "$timeout_s" qemu-system-aarch64 \
	-machine virt,virtualization=on,gic-version=3,mte=on -cpu max -smp 1 -m 1024 \
	-nographic -no-reboot -nic none -kernel "$build/kernel/arch/arm64/boot/Image" \
	-initrd "$build/initramfs.cpio" \
	-append "console=ttyAMA0 rdinit=/init mem=768M test_s2attr_pfnmap.hidden=256M@0x70000000 kunit.enable=0 panic=-1${scenario:+ -- $scenario}" \
	</dev/null >"$log" 2>&1
rc=$?
set -e
[ "$rc" -eq 0 ] || echo "e2e.sh: QEMU exited with $rc (124: timed out after ${timeout_s}s)"

# The selftest's TAP, without the console's carriage returns.
tr -d '\r' <"$log" >"$build/console.log"
grep -E '^(TAP version|1\.\.|ok |not ok |# )' "$build/console.log" | grep -v '# s2attr-e2e: ' |
	tee "$build/tap" || true
tap_pass=$(grep -cE '^ok [0-9]+ ' "$build/tap" || true)
tap_fail=$(grep -cE '^not ok [0-9]+ ' "$build/tap" || true)
status=$(sed -nE 's/^s2attr-e2e-init: (exit [0-9]+|killed by signal [0-9]+)$/\1/p' \
	"$build/console.log" | tail -n 1)
echo "e2e.sh: selftest: $tap_pass ok, $tap_fail not ok, ${status:-no exit status}"
# A selftest that stops early or exits non-zero without a "not ok" is a failure too.
if [ "$status" != "exit 0" ] && [ "$tap_fail" -eq 0 ]; then
	tap_fail=1
fi

echo "e2e.sh: check.py: every access against build/s2attr explain"
set +e
python3 "$e2e/check.py" "$tool" "$build/console.log" >"$build/check"
set -e
tail -n 1 "$build/check"
grep -E 'FAIL' "$build/check" || true
line=$(tail -n 1 "$build/check")
p=$(sed -nE 's/^check.py: ([0-9]+) passed, ([0-9]+) failed$/\1/p' <<<"$line")
f=$(sed -nE 's/^check.py: ([0-9]+) passed, ([0-9]+) failed$/\2/p' <<<"$line")
echo "e2e.sh: check.py's rows: $build/check"

passed=$((tap_pass + ${p:-0}))
failed=$((tap_fail + ${f:-1}))
echo "e2e: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
