# SPDX-License-Identifier: GPL-2.0-only
#
# e2e-kernel.sh - sourced by dev/kunit.sh, dev/e2e.sh and dev/peer.sh: the
# one patched kernel they share and the CPU models it boots on, defined once
# so that the three cannot drift apart (a different configuration would make
# each reconfigure, and rebuild, the others' kernel).

# e2e_fragments [--debug]: the configuration fragments, in order.
e2e_fragments() {
	local top
	top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
	echo "$top/arch/arm64/kvm/s2attr/.kunitconfig"
	echo "$top/tools/kvm/s2attr/e2e/e2e.config"
	if [ "${1:-}" = --debug ]; then echo "$top/tools/kvm/s2attr/e2e/debug.config"; fi
}

# e2e_build_dir WORK [--debug]: the build directory's parent for work tree
# WORK (kbuild's O= is its kernel/ subdirectory).
e2e_build_dir() {
	if [ "${2:-}" = --debug ]; then
		echo "$S2ATTR_CACHE/build/e2e-debug-$(basename "$1")"
	else
		echo "$S2ATTR_CACHE/build/e2e-arm64-$(basename "$1")"
	fi
}

# The CPU models: QEMU's -cpu, the machine's mte=, and the mode KVM must
# say it initialised in ("kvm [1]: <mode> mode initialized successfully").
# shellcheck disable=SC2034
declare -A cpu_qemu=([max]="max,pauth-impdef=on" [cortex-a72]=cortex-a72)
# shellcheck disable=SC2034
declare -A cpu_mte=([max]=on [cortex-a72]=off)
# shellcheck disable=SC2034
declare -A cpu_mode=([max]=VHE [cortex-a72]=nVHE)
