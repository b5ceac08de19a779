#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Checks of the s2attr command-line tool: matrix shape (SPEC section 6),
# explain, diff, check, and the one-line errors with exit status 2.
# Usage: cli_test.sh PATH/TO/s2attr
set -u

tool=${1:?usage: cli_test.sh PATH/TO/s2attr}
pass=0
fail=0

ok()  { pass=$((pass + 1)); printf 'ok %d - %s\n' $((pass + fail)) "$1"; }
bad() { fail=$((fail + 1)); printf 'not ok %d - %s\n' $((pass + fail)) "$1"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }

header='stage,pfnmap,mixedmap,cow,allow_any_uc,mte_allowed,memtype,kvm_mte,fwb,dic,log_dirty,map_memory,access,perm,verdict,memattr,exec,no_block,sanitise_mte,rule'
no_cow='mixedmap=0 allow_any_uc=0 mte_allowed=0 kvm_mte=0 fwb=1 dic=1 map_memory=0 access=read perm=0'

for policy in $("$tool" policies); do
	csv=$("$tool" matrix --policy "$policy")
	check "$policy: matrix header" test "$(head -n1 <<<"$csv")" = "$header"
	check "$policy: 4096 memslot rows" test "$(grep -c '^memslot,' <<<"$csv")" = 4096
	check "$policy: 24576 fault rows" test "$(grep -c '^fault,' <<<"$csv")" = 24576
	check "$policy: 20 columns on every row" \
		test "$(awk -F, 'NF != 20' <<<"$csv" | wc -l)" = 0
	check "$policy: memslot rows say - for fault columns and outputs" \
		test "$(grep '^memslot,' <<<"$csv" | awk -F, '$12 != "-" || $13 != "-" || $14 != "-" || $16 != "-"' | wc -l)" = 0
	check "$policy: fault rows say - for log_dirty" \
		test "$(grep '^fault,' <<<"$csv" | awk -F, '$11 != "-"' | wc -l)" = 0
	check "$policy: refused rows have no outputs" \
		test "$(awk -F, 'NR > 1 && $15 != "map" && ($16 != "-" || $17 != "-" || $18 != "-" || $19 != "-")' <<<"$csv" | wc -l)" = 0
	check "$policy: no duplicate input" \
		test "$(cut -d, -f1-14 <<<"$csv" | sort | uniq -d | wc -l)" = 0
	check "$policy: check passes" "$tool" check --policy "$policy" >/dev/null
done

# shellcheck disable=SC2086 # $no_cow is a list of words
out=$("$tool" explain --policy strict stage=fault pfnmap=1 cow=1 memtype=normal $no_cow 2>&1)
check "explain names the COW rule under strict" grep -q '^rule=pfnmap_cow$' <<<"$out"
check "explain gives EINVAL for COW PFNMAP under strict" grep -q '^verdict=EINVAL$' <<<"$out"

out=$("$tool" explain --policy cacheable-pfnmap stage=fault pfnmap=1 memtype=normal \
      mixedmap=0 cow=0 allow_any_uc=0 mte_allowed=0 kvm_mte=0 fwb=1 dic=1 map_memory=0 \
      access=read perm=0)
check "explain: Grace GPU memory is mapped normal" grep -q '^memattr=normal$' <<<"$out"
check "explain gives the upstream reference" grep -q '^upstream=216887f79d98' <<<"$out"

expect_usage_error() {
	local what=$1 pattern=$2; shift 2
	local err rc
	err=$("$tool" "$@" 2>&1 >/dev/null); rc=$?
	if [ "$rc" -eq 2 ] && [ "$(wc -l <<<"$err")" -eq 1 ] && grep -q -- "$pattern" <<<"$err"; then
		ok "$what"
	else
		bad "$what (exit $rc: $err)"
	fi
}

expect_usage_error "memtype=purple is refused" "memtype=purple" \
	explain --policy cacheable-pfnmap stage=fault memtype=purple pfnmap=1
expect_usage_error "unknown policy is refused" "unknown policy 'nope'" matrix --policy nope
expect_usage_error "unknown key is refused" "unknown key 'colour'" \
	explain --policy strict stage=memslot colour=1
expect_usage_error "missing key is refused" "missing key 'perm'" \
	explain --policy strict stage=fault pfnmap=1 memtype=normal mixedmap=0 cow=0 \
	allow_any_uc=0 mte_allowed=0 kvm_mte=0 fwb=1 dic=1 map_memory=0 access=read
expect_usage_error "bool out of domain is refused" "pfnmap=2" \
	explain --policy strict stage=memslot pfnmap=2
expect_usage_error "key of the other stage is refused" "log_dirty' does not apply" \
	explain --policy strict stage=fault pfnmap=1 memtype=normal log_dirty=1 mixedmap=0 cow=0 \
	allow_any_uc=0 mte_allowed=0 kvm_mte=0 fwb=1 dic=1 map_memory=0 access=read perm=0
expect_usage_error "unknown access is refused" "access=jump" \
	explain --policy strict stage=fault access=jump
expect_usage_error "unknown stage is refused" "stage=boot" explain --policy strict stage=boot
expect_usage_error "unknown command is refused" "unknown command" frobnicate --policy strict
expect_usage_error "diff needs two policies" "two policy names" diff strict

out=$("$tool" diff linux-6.12 cacheable-pfnmap)
check "diff linux-6.12 cacheable-pfnmap counts 9192 inputs" grep -q '^# 9192 inputs differ$' <<<"$out"
out=$("$tool" diff strict strict)
check "a policy does not differ from itself" grep -q '^# 0 inputs differ$' <<<"$out"

# The reST that Documentation/virt/kvm/arm/s2attr.rst is generated from.
out=$("$tool" table --format=rst --policy strict)
check "table --format=rst: a simple table per stage" \
	test "$(grep -c '^=\+  =' <<<"$out")" = 6
check "table --format=rst: every fault row of strict, with its upstream reference" \
	grep -q '^1  ``pfnmap_cow``.*seed: \[PATCH v2 1/1\]' <<<"$out"
check "table --format=rst: title underlined to its length" \
	test "$(sed -n 2p <<<"$out")" = "$(sed -n 1p <<<"$out" | tr -c '\n' -)"
out=$("$tool" diff --format=rst linux-6.12 cacheable-pfnmap)
check "diff --format=rst counts 9192 inputs" grep -q '^9192 inputs differ in all.$' <<<"$out"
check "diff --format=rst: nested lists of literal conditions" \
	grep -q '^  - ``pfnmap=' <<<"$out"
expect_usage_error "an unknown --format is refused" "unknown format" table --format=html
expect_usage_error "--format is for table and diff only" "takes no argument" \
	check --format=rst

printf 'cli: %d passed, %d failed\n' "$pass" "$fail"
[ "$fail" -eq 0 ]
