#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Checks of the s2attr command-line tool: matrix shape and words (SPEC
# section 6), the linux-6.12 and cacheable-pfnmap matrices against models
# written here in awk from SPEC sections 4.1 and 4.2, explain (outputs,
# grants, reasons), diff (its count against the matrices), check, table,
# rules, and the one-line errors with exit status 2. Every check is counted.
# Usage: cli_test.sh PATH/TO/s2attr
set -u

tool=${1:?usage: cli_test.sh PATH/TO/s2attr}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
api=$here/../../../../include/kvm/s2attr.h
pass=0
fail=0

ok()  { pass=$((pass + 1)); printf 'ok %d - %s\n' $((pass + fail)) "$1"; }
bad() { fail=$((fail + 1)); printf 'not ok %d - %s\n' $((pass + fail)) "$1"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }
# none WHAT TEXT: passes when TEXT is empty, else shows its first lines.
none() {
	if [ -z "$2" ]; then ok "$1"; else bad "$1"; head -n 3 <<<"$2" | sed 's/^/    # /'; fi
}

header='stage,pfnmap,mixedmap,cow,allow_any_uc,mte_allowed,memtype,kvm_mte,fwb,dic,log_dirty,map_memory,access,perm,verdict,memattr,exec,wp_read,sanitise_mte,rule'
# The rule names of the API (enum s2attr_rule_id), for the words of the rule column.
mapfile -t rule_names < <(sed -n 's/^[[:space:]]*S2ATTR_RULE_\([a-z_0-9]*\),.*/\1/p' "$api")
check "the API lists the 22 rules and grants" test "${#rule_names[@]}" = 22
rules_re="^($(IFS='|'; echo "${rule_names[*]}"))\$"

declare -A csv
for policy in $("$tool" policies); do
	csv[$policy]=$("$tool" matrix --policy "$policy")
	m=${csv[$policy]}
	check "$policy: matrix header" test "$(head -n1 <<<"$m")" = "$header"
	check "$policy: 4096 memslot rows" test "$(grep -c '^memslot,' <<<"$m")" = 4096
	check "$policy: 49152 fault rows" test "$(grep -c '^fault,' <<<"$m")" = 49152
	check "$policy: nothing but the header and the rows" test "$(wc -l <<<"$m")" = 53249
	none "$policy: 20 columns on every row" "$(awk -F, 'NF != 20' <<<"$m")"
	none "$policy: memslot rows say - for map_memory, access, perm and the outputs" \
		"$(grep '^memslot,' <<<"$m" | awk -F, '$12 != "-" || $13 != "-" || $14 != "-" || $16 != "-" || $17 != "-" || $18 != "-" || $19 != "-"')"
	none "$policy: bools are 0 or 1, log_dirty at both stages" \
		"$(awk -F, 'NR > 1 { for (i = 2; i <= 11; i++) if (i != 7 && $i != "0" && $i != "1") { print; next } }
			    NR > 1 && $1 == "fault" && (($12 != "0" && $12 != "1") || ($14 != "0" && $14 != "1"))' <<<"$m")"
	none "$policy: memtype and access words" \
		"$(awk -F, 'NR > 1 && $7 !~ /^(normal|tagged|nc|nGnRnE|nGnRE|attr5|attr6|attr7)$/ ||
			    NR > 1 && $1 == "fault" && $13 !~ /^(read|write|exec)$/' <<<"$m")"
	none "$policy: verdicts are map|EINVAL|EFAULT|ENOEXEC, memslot only map|EINVAL" \
		"$(awk -F, 'NR > 1 && $15 !~ /^(map|EINVAL|EFAULT|ENOEXEC)$/ ||
			    $1 == "memslot" && $15 !~ /^(map|EINVAL)$/' <<<"$m")"
	none "$policy: mapped faults have memattr normal|nc|device and 0/1 outputs" \
		"$(awk -F, '$1 == "fault" && $15 == "map" && ($16 !~ /^(normal|nc|device)$/ ||
			    $17 !~ /^[01]$/ || $18 !~ /^[01]$/ || $19 !~ /^[01]$/)' <<<"$m")"
	none "$policy: refused rows have no outputs" \
		"$(awk -F, 'NR > 1 && $15 != "map" && ($16 != "-" || $17 != "-" || $18 != "-" || $19 != "-")' <<<"$m")"
	none "$policy: every rule is a rule of the API, none is bad_input or no_rule" \
		"$(cut -d, -f20 <<<"$m" | sed 1d | sort -u | grep -Ev "$rules_re|^(bad_input|no_rule)$" ;
		   cut -d, -f20 <<<"$m" | grep -Ex 'bad_input|no_rule' | head -n 1)"
	none "$policy: no duplicate input" "$(cut -d, -f1-14 <<<"$m" | sort | uniq -d)"
	check "$policy: check passes" "$tool" check --policy "$policy" >/dev/null
done

# The CSV of SPEC section 4.1 (linux-6.12) and 4.2 (cacheable-pfnmap), in awk.
model='
BEGIN { FS = OFS = "," }
NR == 1 { next }
{
	pfnmap = $2; mixedmap = $3; any_uc = $5; mte_ok = $6; mt = $7; kvm_mte = $8
	fwb = $9; dic = $10; log_dirty = $11; mapmem = $12; exec = ($13 == "exec"); perm = $14
	cacheable = mt != "nc" && mt != "nGnRnE" && mt != "nGnRE"
	hw_ok = fwb && dic
	if ($1 == "memslot") {
		v = "map"
		if (kvm_mte && !mte_ok) v = "EINVAL"
		else if (pfnmap && log_dirty) v = "EINVAL"
		else if (policy == "cacheable-pfnmap" && pfnmap && cacheable && !hw_ok) v = "EINVAL"
		want = v ",-,-,-,-"
	} else {
		special_pfn = (pfnmap || mixedmap) && !mapmem
		if (policy == "linux-6.12") {
			nc = !mapmem; wp_ok = !mapmem
		} else {
			nc = special_pfn && !cacheable; wp_ok = special_pfn
		}
		want = ""
		if (policy == "cacheable-pfnmap" && special_pfn && cacheable && !hw_ok)
			want = "EFAULT,-,-,-,-"
		else if (exec && nc)
			want = "ENOEXEC,-,-,-,-"
		else if (!perm && !nc && kvm_mte && !mte_ok)
			want = "EFAULT,-,-,-,-"
		if (want == "") {
			san = !perm && !nc && kvm_mte
			attr = nc ? (any_uc ? "nc" : "device") : "normal"
			want = "map," attr "," (exec || (!nc && dic) ? 1 : 0) "," \
			       (log_dirty && !wp_ok && $13 != "write" ? 1 : 0) "," (san ? 1 : 0)
		}
	}
	got = $15 "," $16 "," $17 "," $18 "," $19
	if (got != want) { print $0 "  (model: " want ")"; if (++bad == 3) exit }
}'
declare -A section=([linux-6.12]=4.1 [cacheable-pfnmap]=4.2)
for policy in linux-6.12 cacheable-pfnmap; do
	none "$policy: every row is what SPEC section ${section[$policy]} says" \
		"$(awk -v policy="$policy" "$model" <<<"${csv[$policy]}")"
done

# ---- explain ----------------------------------------------------------------

# explain POLICY WORDS...: the key=value output of the tool.
explain() { local p=$1; shift; "$tool" explain --policy "$p" "$@" 2>&1; }
has() { grep -qx -- "$1" <<<"$2"; }
fault_keys() {
	# Defaults of a fault input, overridden by the arguments (key=value).
	declare -A k=([pfnmap]=0 [mixedmap]=0 [cow]=0 [allow_any_uc]=0 [mte_allowed]=0
		[memtype]=normal [kvm_mte]=0 [fwb]=1 [dic]=1 [log_dirty]=0 [map_memory]=1
		[access]=read [perm]=0)
	local a
	for a in "$@"; do k[${a%%=*}]=${a#*=}; done
	echo stage=fault
	for a in "${!k[@]}"; do echo "$a=${k[$a]}"; done
}

mapfile -t words < <(fault_keys pfnmap=1 cow=1 map_memory=0)
out=$(explain strict "${words[@]}")
check "explain: strict refuses a COW PFNMAP fault with pfnmap_cow" has rule=pfnmap_cow "$out"
check "explain: ... with EFAULT, like every fault-stage refusal" has verdict=EFAULT "$out"
check "explain: a refused fault has no outputs and no grants" \
	test "$(grep -E '^(memattr|exec|wp_read|sanitise_mte|grants)=' <<<"$out" | tr '\n' ' ')" \
	= "memattr=- exec=- wp_read=- sanitise_mte=- grants=- "
check "explain: the row that decided" has "row=1 of the strict fault table" "$out"
check "explain: every line is key=value" test "$(grep -vc '=' <<<"$out")" = 0

mapfile -t words < <(fault_keys pfnmap=1 map_memory=0)
out=$(explain cacheable-pfnmap "${words[@]}")
check "explain: Grace GPU memory is mapped normal" has memattr=normal "$out"
check "explain: ... executable up front with DIC" has exec=1 "$out"
check "explain: ... by the eager_x grant" has grants=eager_x "$out"
check "explain gives the upstream reference" grep -q '^upstream=216887f79d98' <<<"$out"
check "explain gives the reason" grep -q '^reason=Normal write-back' <<<"$out"
check "explain: no no_block output any more" test "$(grep -c no_block <<<"$out")" = 0

# The VFIO BAR of issue 13: Normal-NC, never executable, mapped at any size.
mapfile -t words < <(fault_keys pfnmap=1 allow_any_uc=1 memtype=nGnRnE map_memory=0)
out=$(explain cacheable-pfnmap "${words[@]}")
check "explain: a VFIO BAR is mapped nc" has memattr=nc "$out"
check "explain: ... not executable, no grant" \
	test "$(grep -E '^(exec|grants)=' <<<"$out" | tr '\n' ' ')" = "exec=0 grants=- "

mapfile -t words < <(fault_keys kvm_mte=1 mte_allowed=1 log_dirty=1 access=exec)
out=$(explain linux-6.12 "${words[@]}")
check "explain: an MTE guest's exec fault under dirty logging gets every grant" \
	has grants=exec_fault,eager_x,dirty_log_wp,mte_sanitise "$out"
check "explain: ... and is mapped read-only, tags sanitised" \
	test "$(grep -E '^(exec|wp_read|sanitise_mte)=' <<<"$out" | tr '\n' ' ')" \
	= "exec=1 wp_read=1 sanitise_mte=1 "
mapfile -t words < <(fault_keys log_dirty=1 access=write dic=0)
out=$(explain linux-6.12 "${words[@]}")
check "explain: a write fault under dirty logging is mapped writable, no grant" \
	test "$(grep -E '^(exec|wp_read|grants)=' <<<"$out" | tr '\n' ' ')" = "exec=0 wp_read=0 grants=- "
mapfile -t words < <(fault_keys pfnmap=1 map_memory=0 log_dirty=1)
out=$(explain strict "${words[@]}")
check "explain: strict S5 refuses special memory under a logging memslot at the fault" \
	test "$(grep -E '^(verdict|rule)=' <<<"$out" | tr '\n' ' ')" = "verdict=EFAULT rule=dirty_log "
mapfile -t words < <(fault_keys pfnmap=1 map_memory=0 dic=0 access=exec)
out=$(explain fwb-only "${words[@]}")
check "explain: fwb-only refuses exec from cacheable PFNMAP memory without DIC" \
	test "$(grep -E '^(verdict|rule)=' <<<"$out" | tr '\n' ' ')" = "verdict=ENOEXEC rule=wb_exec_no_dic "
mapfile -t words < <(fault_keys pfnmap=1 map_memory=0 dic=0)
out=$(explain fwb-only "${words[@]}")
check "explain: ... and maps a read of it normal, never executable" \
	test "$(grep -E '^(memattr|exec|grants)=' <<<"$out" | tr '\n' ' ')" = "memattr=normal exec=0 grants=- "

out=$(explain cacheable-pfnmap stage=memslot pfnmap=1 mixedmap=0 cow=0 allow_any_uc=0 \
      mte_allowed=0 memtype=attr5 kvm_mte=1 fwb=1 dic=0 log_dirty=0)
check "explain: a memslot refused for MTE" \
	test "$(grep -E '^(verdict|rule|memattr|grants)=' <<<"$out" | tr '\n' ' ')" \
	= "verdict=EINVAL memattr=- rule=mte_not_allowed grants=- "

# ---- usage errors -----------------------------------------------------------

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
mapfile -t words < <(fault_keys | grep -v '^log_dirty=')
expect_usage_error "a fault without log_dirty is refused" "missing key 'log_dirty'" \
	explain --policy strict "${words[@]}"
expect_usage_error "bool out of domain is refused" "pfnmap=2" \
	explain --policy strict stage=memslot pfnmap=2
expect_usage_error "key of the other stage is refused" "map_memory' does not apply" \
	explain --policy strict stage=memslot pfnmap=1 memtype=normal log_dirty=1 mixedmap=0 \
	cow=0 allow_any_uc=0 mte_allowed=0 kvm_mte=0 fwb=1 dic=1 map_memory=0
expect_usage_error "unknown access is refused" "access=jump" \
	explain --policy strict stage=fault access=jump
expect_usage_error "unknown stage is refused" "stage=boot" explain --policy strict stage=boot
expect_usage_error "unknown command is refused" "unknown command" frobnicate --policy strict
expect_usage_error "diff needs two policies" "two policy names" diff strict
expect_usage_error "table takes --policy or --grants, not both" "takes no argument" \
	table --grants --policy strict

# ---- diff, against the matrices -------------------------------------------

# differ A B: the number of inputs whose verdict or outputs differ.
differ() {
	paste -d'|' <(cut -d, -f15-19 <<<"${csv[$1]}") <(cut -d, -f15-19 <<<"${csv[$2]}") |
		awk -F'|' 'NR > 1 && $1 != $2' | wc -l
}
for pair in "linux-6.12 cacheable-pfnmap" "cacheable-pfnmap strict" "cacheable-pfnmap fwb-only"; do
	read -r a b <<<"$pair"
	n=$(differ "$a" "$b")
	out=$("$tool" diff "$a" "$b")
	check "diff $a $b counts the $n inputs whose matrix rows differ" \
		grep -qx "# $n inputs differ" <<<"$out"
	groups=$(grep -E '^(memslot|fault): [0-9]+ inputs:' <<<"$out" |
		awk '{ n += $2 } END { print n + 0 }')
	check "diff $a $b: its groups add up to $n" test "${groups:-0}" = "$n"
	out=$("$tool" diff --format=rst "$a" "$b")
	check "diff --format=rst $a $b counts $n inputs" grep -qx "$n inputs differ in all." <<<"$out"
	none "diff --format=rst $a $b: no line over 100 columns" "$(awk 'length > 100' <<<"$out")"
done
check "diff --format=rst: nested lists of literal conditions" \
	grep -q '^  - ``pfnmap=' <<<"$out"
out=$("$tool" diff strict strict)
check "a policy does not differ from itself" grep -qx '# 0 inputs differ' <<<"$out"

# ---- table and rules ----------------------------------------------------------

out=$("$tool" table --format=rst --policy strict)
check "table --format=rst: a simple table per stage" \
	test "$(grep -c '^=\+  =' <<<"$out")" = 6
check "table --format=rst: strict's fault rows, the tail included" \
	test "$(grep -cE '^[0-9]+ +``' <<<"$out")" = 17
check "table --format=rst: row 1 of strict's fault table needs PFNMAP and COW" \
	grep -q '^1   ``pfnmap_cow``  *``PFNMAP COW``  *none  *EFAULT$' <<<"$out"
check "table --format=rst: the shared tail is named" \
	grep -qx 'Rows 9-10 are shared by every policy.' <<<"$out"
check "table --format=rst: the shared non-cacheable rows name their policies" \
	grep -qx 'Rows 6-8 are shared by cacheable-pfnmap, strict and fwb-only.' <<<"$out"
check "table --format=rst: the reasons, with their upstream reference" \
	grep -q -- '- ``pfnmap_cow``: .* Upstream: seed:' <<<"$(tr '\n' ' ' <<<"$out")"
check "table --format=rst: title underlined to its length" \
	test "$(sed -n 2p <<<"$out")" = "$(sed -n 1p <<<"$out" | tr -c '\n' -)"
out=$("$tool" table --format=rst)
none "table --format=rst: no line over 100 columns" "$(awk 'length > 100' <<<"$out")"
none "table --format=rst: no trailing blanks" "$(grep -n ' $' <<<"$out")"
check "table --format=rst: the four policies and the grants" \
	test "$(grep -cE '^(.*, (memslot|fault) stage|Grants of a mapped fault)$' <<<"$out")" = 9
out=$("$tool" table --format=rst --grants)
check "table --grants: every grant, what it sets" \
	test "$(grep -cE '^[0-9]  ``(exec_fault|eager_x|dirty_log_wp|mte_sanitise)``.*(exec|wp_read|sanitise_mte)$' <<<"$out")" = 4
out=$("$tool" table)
check "table: the text tables need and forbid predicates" \
	grep -q 'SPECIAL_PFN && S1_CACHEABLE && !FWB_DIC' <<<"$out"
out=$("$tool" rules)
check "rules: a reason and an upstream reference for each of the 22 rules and grants" \
	test "$(grep -c '^  reason: [^?]' <<<"$out"):$(grep -c '^  upstream: [^?]' <<<"$out")" = 22:22
none "rules: the names are those of the API, in order" \
	"$(diff <(grep -v '^ ' <<<"$out") <(printf '%s\n' "${rule_names[@]}"))"
out=$("$tool" rules --format=rst)
none "rules --format=rst: no line over 100 columns" "$(awk 'length > 100' <<<"$out")"
expect_usage_error "an unknown --format is refused" "unknown format" table --format=html
expect_usage_error "--format is for table, diff and rules only" "takes no argument" \
	check --format=rst

printf 'cli: %d passed, %d failed\n' "$pass" "$fail"
[ "$fail" -eq 0 ]
