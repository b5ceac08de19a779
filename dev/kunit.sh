#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# kunit.sh [KUNIT.PY ARGS...] - run the s2attr KUnit suite in an arm64 kernel in QEMU.
#
# Installs what it needs, applies the project to the Linux 6.12 work tree
# (dev/kernel-tree.sh apply), then runs tools/testing/kunit/kunit.py there
# with arch/arm64/kvm/s2attr/.kunitconfig; extra arguments go to kunit.py.
# The kernel is dev/e2e.sh's: the same build directory and configuration
# (.kunitconfig plus tools/kvm/s2attr/e2e/e2e.config, which only adds), so
# one kernel build serves KUnit, e2e and dev/peer.sh; kunit.py boots it with
# its own command line, and e2e's boots leave KUnit off (kunit.enable=0).
# The full output is also in $S2ATTR_CACHE/logs/kunit.log. The last line is
# "kunit: N passed, N failed" from kunit.py's summary; the exit status is
# kunit.py's.
set -euo pipefail
shopt -s inherit_errexit

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export S2ATTR_CACHE=${S2ATTR_CACHE:-${XDG_CACHE_HOME:-${HOME:?set S2ATTR_CACHE or HOME}/.cache}/s2attr}
log=$S2ATTR_CACHE/logs/kunit.log

case ${1:-} in
-h|--help)
	echo "usage: kunit.sh [KUNIT.PY ARGS...]   (env: KDIR, S2ATTR_CACHE)"
	exit 0
	;;
esac

# A failure before KUnit ran still ends with the closing line.
fail() {
	echo "kunit.sh: $*" >&2
	echo "kunit: 0 passed, 1 failed"
	exit 1
}

bash "$repo/dev/deps.sh" kernel || fail "could not install the kernel build dependencies"
bash "$repo/dev/kernel-tree.sh" apply || fail "could not prepare the kernel work tree"
work=$(bash "$repo/dev/kernel-tree.sh" work) || fail "could not find the kernel work tree"
# shellcheck source=dev/e2e-kernel.sh
. "$repo/dev/e2e-kernel.sh"
build=$(e2e_build_dir "$work")
mkdir -p "$(dirname "$log")" "$build"
mapfile -t fragments < <(e2e_fragments)
cat "${fragments[@]}" >"$build/kunitconfig"

set +e
(
	cd "$work" &&
	PYTHONUNBUFFERED=1 python3 tools/testing/kunit/kunit.py run \
		--arch=arm64 --cross_compile=aarch64-linux-gnu- \
		--kunitconfig="$build/kunitconfig" \
		--build_dir="$build/kernel" --jobs="$(nproc)" --timeout=900 "$@"
) 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e

# kunit.py ends each run with (tools/testing/kunit/kunit_parser.py, 6.12):
#   [12:34:56] Testing complete. Ran 40 tests: passed: 37, failed: 1, crashed: 1, skipped: 1, errors: 1
# leaving out the counts that are zero. With --run_isolated there is one such
# line per run, so add them up. Failed is every test that ran and neither
# passed nor was skipped, plus kunit.py's parse errors.
count() {
	sed 's/\x1b\[[0-9;]*m//g' "$log" | awk '
	# n("failed") is the number after "failed: ", or 0 when it is left out.
	function n(key) {
		if (!match($0, key ": [0-9]+"))
			return 0
		return substr($0, RSTART + length(key) + 2) + 0
	}
	/Testing complete\. Ran [0-9]+ tests/ {
		lines++
		sub(/.*Testing complete\. Ran /, "")
		passed += n("passed")
		skipped += n("skipped")
		failed += $1 - n("passed") - n("skipped") + n("errors")
	}
	END { print lines + 0, passed + 0, failed + 0, skipped + 0 }'
}
read -r lines passed failed skipped < <(count)

# kunit.py keeps the suites' own messages in the raw KTAP; show what was
# enumerated (inputs per policy, rows per table, the policy KVM is built with).
if [ -f "$build/kernel/test.log" ]; then
	echo "What the suites checked (from $build/kernel/test.log):"
	grep -hE '# s2attr_(test_reference|test_p7|glue_test_policy|glue_test_vma)' "$build/kernel/test.log" |
		sed 's/^[[:space:]]*# /  /' || true
fi

if [ "$lines" -eq 0 ]; then
	echo "kunit.sh: kunit.py printed no 'Testing complete' summary (exit $rc); see $log" >&2
	echo "kunit: 0 passed, 1 failed"
	[ "$rc" -ne 0 ] || rc=1
	exit "$rc"
fi
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
	echo "kunit.sh: kunit.py ran no test; see $log" >&2
	failed=1
	[ "$rc" -ne 0 ] || rc=1
fi
if [ "$skipped" -gt 0 ]; then
	echo "kunit: $passed passed, $failed failed, $skipped skipped"
else
	echo "kunit: $passed passed, $failed failed"
fi
exit "$rc"
