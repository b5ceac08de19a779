#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# valgrind.sh - the s2attr tool and the host KUnit cases under valgrind.
#
# Builds build/valgrind/s2attr and build/valgrind/s2attr-kunit-host without
# sanitizers (gcc -O1 -g; valgrind and ASan do not mix) and runs under
# `valgrind --error-exitcode=1 --leak-check=full`: the host tests, `matrix`
# for every policy, `explain` (accepted and refused input), `diff`, `check`,
# `table` (text, reST, the grants), `rules` and `policies`. A run passes
# when valgrind reports no error and the exit status is the expected one.
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
out=build/valgrind
tool=$out/s2attr
mkdir -p "$out/logs"
rm -f "$out"/logs/*

echo "valgrind.sh: building $tool and $out/s2attr-kunit-host (-O1 -g, no sanitizers)"
"$cc" "${cflags[@]}" -o "$tool" "${engine[@]}" tools/kvm/s2attr/s2attr.c \
	tools/kvm/s2attr/input.c tools/kvm/s2attr/rules.c || fail "the tool does not build"
"$cc" "${cflags[@]}" -o "$out/s2attr-kunit-host" "${engine[@]}" lib/tests/s2attr_kunit.c \
	tools/kvm/s2attr/kunit_host.c || fail "the host tests do not build"

passed=0
failed=0
n=0

# vg WANT_STATUS NAME CMD...: run CMD under valgrind; stdout goes to the log
# directory, valgrind's report to NAME.vg.
vg() {
	local want=$1 name=$2 rc=0 errors
	shift 2
	n=$((n + 1))
	valgrind --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,possible \
		--track-origins=yes --log-file="$out/logs/$n.vg" "$@" \
		>"$out/logs/$n.out" 2>"$out/logs/$n.err" || rc=$?
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
vg 0 "diff linux-6.12 cacheable-pfnmap" "$tool" diff linux-6.12 cacheable-pfnmap
vg 0 "diff --format=rst cacheable-pfnmap strict" "$tool" diff --format=rst cacheable-pfnmap strict
vg 0 "check" "$tool" check
vg 0 "table" "$tool" table
vg 0 "table --format=rst" "$tool" table --format=rst
vg 0 "table --grants" "$tool" table --grants
vg 0 "rules --format=rst" "$tool" rules --format=rst
vg 0 "policies" "$tool" policies
vg 2 "unknown policy" "$tool" matrix --policy nope

echo "valgrind: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
