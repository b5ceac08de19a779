#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# e2e.sh [POLICY...] - a real KVM guest faults through s2attr, in QEMU.
#
# For each policy (default: every policy `build/s2attr policies` lists, the
# Kconfig default last so that the build directory ends where KUnit expects
# it): build the patched Linux 6.12 arm64 kernel with that policy (one build
# directory, incremental rebuilds), with the KUnit configuration plus
# tools/kvm/s2attr/e2e/e2e.config; build the KVM selftest
# tools/testing/selftests/kvm/aarch64/s2attr_e2e static, and an initramfs
# with it and tools/kvm/s2attr/e2e/init.c as /init; boot it in
#   qemu-system-aarch64 -machine virt,virtualization=on,gic-version=3,mte=on -cpu max
# with mem=768M of 1 GiB, so that 0x70000000-0x7fffffff is RAM the kernel
# does not map, which test_s2attr_pfnmap serves; and compare what KVM did in
# every scenario with what `build/s2attr explain` says the policy decides
# (tools/kvm/s2attr/e2e/check.py).
#
# Console logs: $S2ATTR_CACHE/logs/e2e-POLICY.log. Ends with
# "e2e: N passed, N failed" (one per scenario and policy).
# Env: KDIR, S2ATTR_CACHE (see dev/kernel-tree.sh), E2E_TIMEOUT (s, 600).
set -euo pipefail
shopt -s inherit_errexit

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$repo"
export S2ATTR_CACHE=${S2ATTR_CACHE:-${XDG_CACHE_HOME:-${HOME:?set S2ATTR_CACHE or HOME}/.cache}/s2attr}
tool=$repo/build/s2attr
e2e=$repo/tools/kvm/s2attr/e2e
cross=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-)
jobs=$(nproc)
timeout_s=${E2E_TIMEOUT:-600}
passed=0
failed=0

fail() {
	echo "e2e.sh: $*" >&2
	echo "e2e: $passed passed, $((failed + 1)) failed"
	exit 1
}

# Kconfig symbol of a policy name: cacheable-pfnmap -> KVM_S2ATTR_POLICY_CACHEABLE_PFNMAP.
policy_symbol() {
	echo "KVM_S2ATTR_POLICY_$(echo "$1" | tr 'a-z.-' 'A-Z__')"
}

[ -x "$tool" ] || fail "$tool is missing: run make tool"
if [ $# -gt 0 ]; then
	policies=("$@")
	for p in "${policies[@]}"; do
		"$tool" policies | grep -qx -- "$p" || fail "unknown policy '$p' (known: $("$tool" policies | tr '\n' ' '))"
	done
else
	# The Kconfig default (cacheable-pfnmap) last.
	mapfile -t policies < <("$tool" policies | grep -vx cacheable-pfnmap; echo cacheable-pfnmap)
fi

bash dev/deps.sh kernel || fail "could not install the kernel build dependencies"
bash dev/kernel-tree.sh apply >&2 || fail "could not prepare the kernel work tree"
work=$(bash dev/kernel-tree.sh work)
build=$S2ATTR_CACHE/build/e2e-arm64-$(basename "$work")
logs=$S2ATTR_CACHE/logs
mkdir -p "$build" "$logs"

# The guest-side programs do not depend on the policy: build them once.
build_programs() {
	local root=$build/initramfs
	echo "e2e.sh: building the s2attr_e2e KVM selftest and the initramfs"
	make -C "$work" O="$build/kernel" "${cross[@]}" headers >"$logs/e2e-headers.log" 2>&1 ||
		fail "make headers failed; see $logs/e2e-headers.log"
	make -C "$work/tools/testing/selftests/kvm" "${cross[@]}" LDFLAGS=-static \
		OUTPUT="$build/kselftest" KHDR_INCLUDES="-isystem $build/kernel/usr/include" \
		-j"$jobs" "$build/kselftest/aarch64/s2attr_e2e" >"$logs/e2e-selftest.log" 2>&1 ||
		fail "the KVM selftest does not build; see $logs/e2e-selftest.log"
	aarch64-linux-gnu-gcc -static -O2 -Wall -Wextra -Werror -o "$build/init" "$e2e/init.c" ||
		fail "init.c does not build"
	rm -rf "$root"
	mkdir -p "$root"
	cp "$build/init" "$root/init"
	cp "$build/kselftest/aarch64/s2attr_e2e" "$root/s2attr_e2e"
	(cd "$root" && find . | cpio -o -H newc --quiet) >"$build/initramfs.cpio"
}

programs_built=0
for policy in "${policies[@]}"; do
	sym=$(policy_symbol "$policy")
	cfg=$build/kunitconfig-$policy
	cat "$repo/arch/arm64/kvm/s2attr/.kunitconfig" "$e2e/e2e.config" >"$cfg"
	echo "CONFIG_$sym=y" >>"$cfg"

	echo "e2e.sh: $policy: building the kernel (CONFIG_$sym) in $build/kernel"
	(cd "$work" && python3 tools/testing/kunit/kunit.py config --arch=arm64 \
		--cross_compile=aarch64-linux-gnu- --kunitconfig="$cfg" \
		--build_dir="$build/kernel") >"$logs/e2e-config-$policy.log" 2>&1 ||
		fail "$policy: the kernel configuration failed; see $logs/e2e-config-$policy.log"
	make -C "$work" O="$build/kernel" "${cross[@]}" -j"$jobs" Image \
		>"$logs/e2e-build-$policy.log" 2>&1 ||
		fail "$policy: the kernel does not build; see $logs/e2e-build-$policy.log"
	cp "$build/kernel/arch/arm64/boot/Image" "$build/Image-$policy"

	if [ "$programs_built" = 0 ]; then
		build_programs
		programs_built=1
	fi

	echo "e2e.sh: $policy: booting QEMU (console: $logs/e2e-$policy.log)"
	set +e
	timeout "$timeout_s" qemu-system-aarch64 \
		-machine virt,virtualization=on,gic-version=3,mte=on -cpu max -smp 1 -m 1024 \
		-nographic -no-reboot -nic none -kernel "$build/Image-$policy" -initrd "$build/initramfs.cpio" \
		-append "console=ttyAMA0 rdinit=/init mem=768M test_s2attr_pfnmap.hidden=256M@0x70000000 kunit.enable=0 panic=-1" \
		</dev/null >"$logs/e2e-$policy.log" 2>&1
	rc=$?
	set -e
	[ "$rc" -eq 0 ] || echo "e2e.sh: $policy: QEMU exited with $rc (124: timed out after ${timeout_s}s)"

	set +e
	python3 "$e2e/check.py" "$tool" "$policy" "$logs/e2e-$policy.log" | tee "$build/result-$policy"
	set -e
	line=$(tail -n 1 "$build/result-$policy")
	p=$(sed -nE 's/.*: ([0-9]+) passed, ([0-9]+) failed$/\1/p' <<<"$line")
	f=$(sed -nE 's/.*: ([0-9]+) passed, ([0-9]+) failed$/\2/p' <<<"$line")
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-1}))
done

echo "e2e: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
