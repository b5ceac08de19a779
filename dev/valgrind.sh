#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# valgrind.sh - the s2attr tool and the host KUnit cases under valgrind.
#
# Builds build/valgrind/s2attr and build/valgrind/s2attr-kunit-host without
# sanitizers (gcc -O1 -g; valgrind and ASan do not mix) and runs under
# `valgrind --error-exitcode=1 --leak-check=full`: the host tests, `matrix`
# for every policy, `explain` (accepted and refused input, presets, every
# policy side by side, JSON, --trace lines and files, a MISMATCH, a missing
# policy), `diff`, `ptediff`, `check`, `table` (text, reST, JSON, the
# grants), `rules`, `policies`, the help and the version, and a write to
# /dev/full. A run passes when valgrind reports no error and the exit
# status is the expected one.
# Ends with "valgrind: N passed, N failed"; each run's valgrind log is in
# build/valgrind/logs/.
set -euo pipefail
shopt -s inherit_errexit

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$repo"

fail() {
	echo "valgrind.sh: $*" >&2
	echo "valgrind: 0 passed, 1 failed"
	exit 1
}

bash dev/deps.sh host || fail "could not install gcc and valgrind (dev/deps.sh host)"

cc=${HOSTCC:-gcc}
cflags=(-std=gnu11 -O1 -g -Wall -Wextra -Wno-unused-parameter -Werror
	-Itools/kvm/s2attr/include -Iinclude -Iarch/arm64/kvm/s2attr)
# The engine sources that build in user space: the Makefile's ENGINE_SRCS.
engine_srcs() {
	make -s --no-print-directory print-engine-srcs | tr ' ' '\n' | sed '/^$/d'
}
mapfile -t engine < <(engine_srcs)
# The tool's sources: the Makefile's TOOL_SRCS.
mapfile -t tool_srcs < <(ls tools/kvm/s2attr/*.c | grep -v '/kunit_host\.c$')
out=build/valgrind
tool=$out/s2attr
mkdir -p "$out/logs"
rm -f "$out"/logs/*

echo "valgrind.sh: building $tool and $out/s2attr-kunit-host (-O1 -g, no sanitizers)"
"$cc" "${cflags[@]}" -o "$tool" "${engine[@]}" "${tool_srcs[@]}" ||
	fail "the tool does not build"
"$cc" "${cflags[@]}" -o "$out/s2attr-kunit-host" "${engine[@]}" lib/tests/s2attr_kunit.c \
	tools/kvm/s2attr/kunit_host.c || fail "the host tests do not build"

passed=0
failed=0
n=0

# vg WANT_STATUS NAME CMD...: run CMD under valgrind; stdout goes to the log
# directory (or to $VG_OUT), valgrind's report to N.vg. The error status of
# valgrind itself is 99, so that it tells apart from the tool's 1.
vg() {
	local want=$1 name=$2 rc=0 errors
	shift 2
	n=$((n + 1))
	valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,possible \
		--track-origins=yes --log-file="$out/logs/$n.vg" "$@" \
		>"${VG_OUT:-$out/logs/$n.out}" 2>"$out/logs/$n.err" || rc=$?
	errors=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$out/logs/$n.vg" | tail -n 1)
	if [ "$rc" -eq "$want" ] && [ "${errors:-x}" = 0 ]; then
		passed=$((passed + 1))
		echo "ok $n - $name"
	else
		failed=$((failed + 1))
		echo "not ok $n - $name (exit $rc, wanted $want; valgrind errors: ${errors:-none reported})"
		sed 's/^/    /' "$out/logs/$n.vg" | grep -vE '^    ==[0-9]+== ?$' | tail -n 30
	fi
}

vg 0 "host KUnit cases" "$out/s2attr-kunit-host"
mapfile -t policies < <("$tool" policies)
[ ${#policies[@]} -gt 0 ] || fail "s2attr policies printed no policy"
for p in "${policies[@]}"; do
	vg 0 "matrix --policy $p" "$tool" matrix --policy "$p"
done
vg 0 "explain: a fault" "$tool" explain --policy strict stage=fault pfnmap=1 mixedmap=0 \
	cow=1 allow_any_uc=0 mte_allowed=0 memtype=normal kvm_mte=0 fwb=1 dic=1 log_dirty=0 \
	map_memory=1 access=read perm=0
vg 0 "explain: a mapped fault with every grant" "$tool" explain --policy linux-6.12 \
	stage=fault pfnmap=0 mixedmap=0 cow=0 allow_any_uc=0 mte_allowed=1 memtype=tagged \
	kvm_mte=1 fwb=1 dic=1 log_dirty=1 map_memory=1 access=exec perm=0
vg 0 "explain: a memslot" "$tool" explain --policy cacheable-pfnmap stage=memslot pfnmap=1 \
	mixedmap=0 cow=0 allow_any_uc=0 mte_allowed=0 memtype=attr5 kvm_mte=1 fwb=1 dic=0 \
	log_dirty=0
vg 2 "explain: refused input" "$tool" explain --policy strict stage=fault memtype=purple
vg 2 "explain: missing key" "$tool" explain --policy strict stage=memslot pfnmap=1
vg 2 "explain: a misspelt word" "$tool" explain --policy strict --preset vfio-bar memtype=Normal-NC
vg 0 "explain: a preset, a host, every policy" "$tool" explain --preset grace-gpu --host grace \
	--policy all
vg 0 "explain: a preset and overrides, JSON" "$tool" explain --format=json --policy strict \
	stage=memslot --preset ttm-vram --host qemu-max log_dirty=1
vg 2 "explain: kvm_mte=1 on a host without MTE" "$tool" explain --policy all \
	--preset anon-ram --host cortex-a72 kvm_mte=1
policy_line='  s2attr_e2e-1 [000] ..... 1.000001: kvm_s2attr_policy: vm 00000000deadbeef policy=strict'
decide_line='  s2attr_e2e-1 [000] ..... 1.000002: kvm_s2attr_decide: vm 00000000deadbeef gfn 0xc0000-0xc0000 stage=fault pfnmap=1 mixedmap=0 cow=0 allow_any_uc=0 mte_allowed=0 memtype=nc kvm_mte=0 fwb=1 dic=0 log_dirty=0 map_memory=0 access=read perm=0: map memattr=device exec=0 wp_read=0 sanitise_mte=0 rule=nc_device'
printf '# tracer: nop\n%s\n%s\n' "$policy_line" "$decide_line" >"$out/trace"
vg 0 "explain --trace: two lines" "$tool" explain --trace "$policy_line" --trace "$decide_line"
vg 0 "explain --trace-file, JSON" "$tool" explain --format=json --trace-file "$out/trace"
vg 1 "explain --trace: a MISMATCH" "$tool" explain --trace "$policy_line" \
	--trace "${decide_line/memattr=device/memattr=nc}"
vg 2 "explain --trace: a vm without a policy line" "$tool" explain --trace "$decide_line"
vg 2 "explain --trace: a malformed line" "$tool" explain --policy strict \
	--trace "${decide_line/perm=0:/perm=0}"
vg 0 "diff linux-6.12 cacheable-pfnmap" "$tool" diff linux-6.12 cacheable-pfnmap
vg 0 "diff --format=rst cacheable-pfnmap strict" "$tool" diff --format=rst cacheable-pfnmap strict
vg 0 "diff --format=json cacheable-pfnmap fwb-only" "$tool" diff --format=json \
	cacheable-pfnmap fwb-only
vg 0 "ptediff" "$tool" ptediff --policy cacheable-pfnmap --vma normal --pte nc
vg 0 "ptediff --format=json" "$tool" ptediff --format=json --policy fwb-only --vma normal \
	--pte nc
vg 0 "matrix --format=json" "$tool" matrix --format=json --policy strict
vg 0 "check" "$tool" check
vg 0 "check --format=json" "$tool" check --format=json --policy fwb-only
vg 0 "table" "$tool" table
vg 0 "table --format=rst" "$tool" table --format=rst
vg 0 "table --format=json" "$tool" table --format=json
vg 0 "table --grants" "$tool" table --grants
vg 0 "rules --format=rst" "$tool" rules --format=rst
vg 0 "rules --format=json" "$tool" rules --format=json
vg 0 "policies" "$tool" policies
vg 0 "--help" "$tool" --help
vg 0 "explain --help" "$tool" explain --help
vg 0 "--version" "$tool" --version
vg 2 "unknown policy" "$tool" matrix --policy nope
vg 2 "unknown option" "$tool" table --colour
VG_OUT=/dev/full vg 3 "a write error: table > /dev/full" "$tool" table

echo "valgrind: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
