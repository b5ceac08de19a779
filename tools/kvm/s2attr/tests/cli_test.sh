#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Checks of the s2attr command-line tool: matrix shape and words (SPEC
# section 6), the linux-6.12 and cacheable-pfnmap matrices against models
# written here in awk from SPEC sections 4.1 and 4.2 (the memslot stage as
# the tables now have it: the VMA's flags only, never its stage-1 type),
# explain (outputs, grants, reasons), diff and ptediff (their counts against
# the matrices), check, table, rules, and the one-line errors with exit
# status 2. Every check is counted.
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
# At the memslot stage both are 6.12's two checks: SPEC 4.2's third memslot
# check, a cacheable VM_PFNMAP VMA without FWB && DIC, is gone from every
# policy (vm_page_prot is only the default of the VMA's PTEs; the fault
# stage judges the PTE's type).
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
	none "$policy: every row is what SPEC section ${section[$policy]} says (memslot: VMA flags)" \
		"$(awk -v policy="$policy" "$model" <<<"${csv[$policy]}")"
done

# No policy judges the stage-1 type at the memslot stage: the memtype of a
# memslot input never changes its verdict or rule.
for policy in $("$tool" policies); do
	none "$policy: no memslot verdict depends on the stage-1 type" \
		"$(awk -F, '$1 == "memslot" { k = $2 FS $3 FS $4 FS $5 FS $6 FS $8 FS $9 FS $10 FS $11
			   if (k in seen && seen[k] != $15 FS $20) { print; exit }
			   seen[k] = $15 FS $20 }' <<<"${csv[$policy]}")"
done
memslot_outcomes() { grep '^memslot,' <<<"${csv[$1]}" | cut -d, -f15,20; }
for policy in cacheable-pfnmap fwb-only; do
	none "$policy: the memslot rows of linux-6.12 (vma_flags_memslot)" \
		"$(diff <(memslot_outcomes linux-6.12) <(memslot_outcomes "$policy"))"
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

# A cacheable VM_PFNMAP memslot on a host without FWB && DIC (a TTM BO whose
# VMA keeps the default, cacheable vm_page_prot): accepted; its faults decide.
for policy in cacheable-pfnmap strict fwb-only; do
	out=$(explain "$policy" stage=memslot pfnmap=1 mixedmap=0 cow=0 allow_any_uc=0 \
	      mte_allowed=0 memtype=normal kvm_mte=0 fwb=0 dic=0 log_dirty=0)
	check "explain: $policy accepts a cacheable VM_PFNMAP memslot without FWB and DIC" \
		test "$(grep -E '^(verdict|rule)=' <<<"$out" | tr '\n' ' ')" = "verdict=map rule=accept "
done
out=$(explain strict stage=memslot pfnmap=1 mixedmap=0 cow=0 allow_any_uc=0 \
      mte_allowed=0 memtype=attr7 kvm_mte=0 fwb=1 dic=1 log_dirty=0)
check "explain: strict accepts a memslot whatever its AttrIndx (S4 is the fault's)" \
	test "$(grep -E '^(verdict|rule)=' <<<"$out" | tr '\n' ' ')" = "verdict=map rule=accept "

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
expect_usage_error "a fault without log_dirty is refused" \
	"missing keys for the fault stage: log_dirty=0|1 (or" explain --policy strict "${words[@]}"
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
expect_usage_error "table takes --policy or --grants, not both" \
	"table takes --policy NAME or --grants, not both" table --grants --policy strict
expect_usage_error "ptediff needs --pte" "needs --policy NAME --vma MEMTYPE --pte MEMTYPE" \
	ptediff --policy strict --vma normal
expect_usage_error "ptediff: an unknown memory type is refused" "--pte purple: expected one of" \
	ptediff --policy strict --vma normal --pte purple
expect_usage_error "ptediff: --vma given twice is refused" "--vma given twice" \
	ptediff --policy strict --vma normal --vma nc --pte nc
expect_usage_error "ptediff: a stray argument is refused" "unknown argument 'nc'" \
	ptediff --policy strict --vma normal nc

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

# ---- ptediff, against the matrices ------------------------------------------

# ptediffer POLICY VMA PTE: the fault inputs of special VMAs with memtype PTE
# whose outcome differs from that of the same input with memtype VMA.
ptediffer() {
	awk -F, -v vma="$2" -v pte="$3" '
		$1 == "fault" && ($2 == 1 || $3 == 1) {
			k = $2 FS $3 FS $4 FS $5 FS $6 FS $8 FS $9 FS $10 FS $11 FS $12 FS $13 FS $14
			o = $15 FS $16 FS $17 FS $18 FS $19
			if ($7 == vma) a[k] = o
			if ($7 == pte) b[k] = o
		}
		END { for (k in b) n += a[k] != b[k]; print n + 0 }' <<<"${csv[$1]}"
}
# in_group HEAD CUBE OUT: CUBE is a set of inputs listed under the group "fault: N inputs: HEAD".
in_group() {
	awk -v head="$1" -v cube="    $2" '
		/^fault: [0-9]+ inputs: / { sub(/^fault: [0-9]+ inputs: /, ""); g = $0; next }
		g == head && $0 == cube { found = 1 }
		END { exit !found }' <<<"$3"
}
for args in "cacheable-pfnmap normal nc" "cacheable-pfnmap normal nGnRnE" \
	    "cacheable-pfnmap nc normal" "fwb-only normal nc" "strict normal attr5" \
	    "linux-6.12 normal nGnRE"; do
	read -r p v t <<<"$args"
	n=$(ptediffer "$p" "$v" "$t")
	out=$("$tool" ptediff --policy "$p" --vma "$v" --pte "$t")
	check "ptediff $p $v->$t counts the $n inputs whose matrix rows differ" \
		grep -qx "# $n inputs differ" <<<"$out"
	groups=$(grep -E '^fault: [0-9]+ inputs:' <<<"$out" | awk '{ n += $2 } END { print n + 0 }')
	check "ptediff $p $v->$t: its groups add up to $n" test "$groups" = "$n"
	none "ptediff $p $v->$t: only fault inputs, only special pfns, no memtype column" \
		"$(grep '^    ' <<<"$out" | grep -Ev '(^    |[^_])(pfnmap|mixedmap)=1 .*map_memory=0' ;
		   grep -E '^memslot|^    .*memtype=' <<<"$out")"
	out=$("$tool" ptediff --format=rst --policy="$p" --pte="$t" --vma="$v")
	check "ptediff --format=rst $p $v->$t counts $n inputs" \
		grep -qx "$n inputs differ in all." <<<"$out"
	none "ptediff --format=rst $p $v->$t: no line over 100 columns" \
		"$(awk 'length > 100' <<<"$out")"
done
check "ptediff: linux-6.12 never reads the stage-1 type" test "$n" = 0

# TTM: a cacheable VM_PFNMAP VMA whose PTEs map VRAM write-combined (nc).
out=$("$tool" ptediff --policy cacheable-pfnmap --vma normal --pte nc)
check "ptediff: the text says which side is which" \
	grep -qx '# the VMA.s (normal); upstream: from vm_page_prot -> this series: from the PTE' <<<"$out"
check "ptediff: with FWB and DIC the VMA's type maps Normal, the PTE's Device" \
	in_group 'normal +X (normal) -> device (nc_device)' \
	'pfnmap=1 allow_any_uc=0 kvm_mte=0 fwb=1 dic=1 map_memory=0 access={read,write}' "$out"
check "ptediff: ... or Normal-NC with VM_ALLOW_ANY_UNCACHED" \
	in_group 'normal +X (normal) -> nc (nc_any_uc)' \
	'pfnmap=1 allow_any_uc=1 kvm_mte=0 fwb=1 dic=1 map_memory=0 access={read,write}' "$out"
check "ptediff: ... and an exec fault is an instruction abort, not an executable Normal entry" \
	in_group 'normal +X (normal) -> ENOEXEC (nc_exec)' \
	'pfnmap=1 kvm_mte=0 fwb=1 dic=1 map_memory=0 access={exec}' "$out"
check "ptediff: without FWB the VMA's type is EFAULT, the PTE's maps Device" \
	in_group 'EFAULT (wb_no_fwb_dic) -> device (nc_device)' \
	'pfnmap=1 allow_any_uc=0 fwb=0 map_memory=0 access={read,write}' "$out"
check "ptediff: ... and without DIC" \
	in_group 'EFAULT (wb_no_fwb_dic) -> device (nc_device)' \
	'pfnmap=1 allow_any_uc=0 dic=0 map_memory=0 access={read,write}' "$out"
check "ptediff: an uncached PTE (nGnRnE) changes the same inputs as a write-combined one" \
	test "$(grep -v '^#' <<<"$out")" = \
	"$("$tool" ptediff --policy cacheable-pfnmap --vma normal --pte nGnRnE | grep -v '^#')"
out=$("$tool" ptediff --policy fwb-only --vma normal --pte nc)
check "ptediff: fwb-only, FWB without DIC: Normal non-executable becomes Device" \
	in_group 'normal (normal) -> device (nc_device)' \
	'pfnmap=1 allow_any_uc=0 kvm_mte=0 fwb=1 dic=0 map_memory=0 access={read,write}' "$out"
out=$("$tool" ptediff --policy cacheable-pfnmap --vma nc --pte normal)
check "ptediff: a cacheable PTE in a write-combined VMA is refused without FWB, not Device" \
	in_group 'device (nc_device) -> EFAULT (wb_no_fwb_dic)' \
	'pfnmap=1 allow_any_uc=0 fwb=0 map_memory=0 access={read,write}' "$out"
out=$("$tool" ptediff --policy strict --vma nc --pte nc)
check "ptediff: the same type on both sides changes nothing" grep -qx '# 0 inputs differ' <<<"$out"

# The same two decisions, asked of explain: ptediff's FROM is the input with the VMA's type.
mapfile -t words < <(fault_keys pfnmap=1 map_memory=0 memtype=normal)
out=$(explain cacheable-pfnmap "${words[@]}")
check "explain: a TTM fault, by vm_page_prot's type (upstream), is mapped Normal" \
	has memattr=normal "$out"
mapfile -t words < <(fault_keys pfnmap=1 map_memory=0 memtype=nc)
out=$(explain cacheable-pfnmap "${words[@]}")
check "explain: ... by the PTE's write-combined type (this series), Device" \
	test "$(grep -E '^(memattr|exec|rule)=' <<<"$out" | tr '\n' ' ')" = \
	"memattr=device exec=0 rule=nc_device "

# ---- table and rules ----------------------------------------------------------

out=$("$tool" table --format=rst --policy strict)
check "table --format=rst: a simple table per stage" \
	test "$(grep -c '^=\+  =' <<<"$out")" = 6
check "table --format=rst: strict's memslot (5) and fault (10) rows, the tails included" \
	test "$(grep -cE '^[0-9]+ +``' <<<"$out")" = 15
check "table --format=rst: row 1 of strict's fault table needs PFNMAP and COW" \
	grep -q '^1   ``pfnmap_cow``  *``PFNMAP COW``  *none  *EFAULT$' <<<"$out"
check "table --format=rst: the shared tail is named" \
	grep -qx 'Rows 9-10 are shared by every policy.' <<<"$out"
check "table --format=rst: the shared non-cacheable rows name their policies" \
	grep -qx 'Rows 6-8 are shared by cacheable-pfnmap, strict and fwb-only.' <<<"$out"
check "table --format=rst: strict's memslot rows are its own" \
	test "$(grep -c '^Rows\? 1\(-[0-9]*\)\? ' <<<"$out")" = 0
check "table --format=rst: the reasons, with their upstream reference" \
	grep -q -- '- ``pfnmap_cow``: .* Upstream: seed:' <<<"$(tr '\n' ' ' <<<"$out")"
check "table --format=rst: title underlined to its length" \
	test "$(sed -n 2p <<<"$out")" = "$(sed -n 1p <<<"$out" | tr -c '\n' -)"
out=$("$tool" table --format=rst --policy cacheable-pfnmap)
check "table --format=rst: the memslot rows of three policies say so" \
	grep -qx 'Rows 1-2 are shared by linux-6.12, cacheable-pfnmap and fwb-only.' <<<"$out"
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
expect_usage_error "--format=rst is for diff, ptediff, table and rules only" \
	"--format=rst: check prints text or json" check --format=rst

# ---- help, version, exit statuses ---------------------------------------------

# status WANT WHAT CMD...: CMD (the tool's arguments) exits with WANT.
status() {
	local want=$1 what=$2 rc=0; shift 2
	"$tool" "$@" >/dev/null 2>&1 || rc=$?
	if [ "$rc" -eq "$want" ]; then ok "$what"; else bad "$what (exit $rc, wanted $want)"; fi
}

out=$("$tool" --help)
check "--help prints the usage" grep -q '^usage: s2attr COMMAND \[OPTION\.\.\.\] \[ARGUMENT\.\.\.\]$' <<<"$out"
check "-h is --help" test "$("$tool" -h)" = "$out"
check "help is --help" test "$("$tool" help)" = "$out"
status 0 "--help exits 0" --help
none "--help names every command" \
	"$(for c in matrix explain diff ptediff check table rules policies help; do
		grep -q "^  s2attr $c\b" <<<"$out" || echo "$c"; done)"
# Every key of explain with its domain, from the matrix header and the API's words.
domain() {
	case $1 in
	stage) echo 'memslot|fault' ;;
	memtype) echo 'normal|tagged|nc|nGnRnE|nGnRE|attr5|attr6|attr7' ;;
	access) echo 'read|write|exec' ;;
	*) echo '0|1' ;;
	esac
}
IFS=, read -r -a keys <<<"$(cut -d, -f1-14 <<<"$header")"
none "--help lists the 14 keys of explain, each with its domain" \
	"$(for k in "${keys[@]}"; do grep -qF "  $k=$(domain "$k")" <<<"$out" || echo "$k"; done)"
none "--help lists the presets and the hosts" \
	"$(for w in vfio-bar grace-gpu anon-ram shmem dev-mem ttm-vram ttm-system devdax \
		    grace qemu-max cortex-a72; do grep -q "^  $w  " <<<"$out" || echo "$w"; done)"
check "--help says what a preset defaults" \
	grep -q 'With --preset, unless given: stage=fault kvm_mte=0 log_dirty=0 access=read' <<<"$out"
check "--help lists the exit statuses 0 to 4" \
	test "$(grep -cE '^  [0-4]  ' <<<"$out")" = 5
none "README.md documents the same exit statuses" \
	"$(for n in 0 1 2 3 4; do grep -qE "^\| $n \| " "$here/../../../../README.md" || echo "$n"; done)"
for c in matrix explain diff ptediff check table rules policies help; do
	out=$("$tool" "$c" --help 2>&1)
	check "$c --help: its usage" grep -q "^usage: s2attr $c\b" <<<"$out"
done
out=$("$tool" explain --help)
check "help explain is explain --help" test "$("$tool" help explain)" = "$out"
check "--help explain is explain --help" test "$("$tool" --help explain)" = "$out"
check "explain --help: the trace lines" grep -q 'kvm_s2attr_policy and kvm_s2attr_decide' <<<"$(tr '\n' ' ' <<<"$out")"
check "explain --help: the keys and presets too" grep -q '^  grace-gpu  ' <<<"$out"
series_version=$(sed -n 's/.*SERIES_VERSION:-\([0-9][0-9]*\)}.*/\1/p' "$here/../../../../dev/series.sh" | head -n 1)
check "--version: the series version of dev/series.sh (${series_version:-none})" \
	test "$("$tool" --version)" = "s2attr ${series_version:-none}"
status 2 "no command: exit 2" 
status 2 "help for an unknown command: exit 2" help frobnicate
status 0 "check exits 0 when every table is total and no row is dead" check

# ---- options anywhere ---------------------------------------------------------

mapfile -t words < <(fault_keys pfnmap=1 map_memory=0)
want=$(explain cacheable-pfnmap "${words[@]}")
check "options after the command and between keys" \
	test "$("$tool" explain "${words[@]:0:3}" --policy=cacheable-pfnmap "${words[@]:3}")" = "$want"
check "options before the command" \
	test "$("$tool" --policy cacheable-pfnmap explain "${words[@]}")" = "$want"
check "-- ends the options" \
	test "$("$tool" explain --policy cacheable-pfnmap -- "${words[@]}")" = "$want"
check "--format before the command, between the arguments" \
	test "$("$tool" --format=json diff strict fwb-only | md5sum)" = \
	     "$("$tool" diff strict --format json fwb-only | md5sum)"
expect_usage_error "an unknown option is refused" "unknown option '--colour'" table --colour
expect_usage_error "an option of another command is refused" "matrix does not take --vma" \
	matrix --policy strict --vma normal
expect_usage_error "an option without its value is refused" "--policy needs a value" \
	explain --policy
expect_usage_error "--policy given twice is refused" "--policy given twice" \
	check --policy strict --policy fwb-only
expect_usage_error "explain needs a policy" "explain needs --policy NAME or --policy all" \
	explain --preset grace-gpu --host grace
expect_usage_error "an unknown command is named" "unknown command 'explian'" explian

# ---- write errors: every command -------------------------------------------------

policy_line='  s2attr_e2e-123 [000] ..... 12.345678: kvm_s2attr_policy: vm 00000000deadbeef policy=strict'
decide_line='  s2attr_e2e-123 [000] ..... 12.345679: kvm_s2attr_decide: vm 00000000deadbeef gfn 0xc0000-0xc0000 stage=fault pfnmap=1 mixedmap=0 cow=0 allow_any_uc=0 mte_allowed=0 memtype=nc kvm_mte=0 fwb=1 dic=0 log_dirty=0 map_memory=0 access=read perm=0: map memattr=device exec=0 wp_read=0 sanitise_mte=0 rule=nc_device'
write_error() {
	local what=$1 err rc=0; shift
	err=$("$tool" "$@" 2>&1 >/dev/full) || rc=$?
	if [ "$rc" -eq 3 ] && [ "$(wc -l <<<"$err")" -eq 1 ] &&
	   grep -q 'cannot write the output: No space left on device' <<<"$err"; then
		ok "$what > /dev/full: exit 3 and a message"
	else
		bad "$what > /dev/full: exit 3 and a message (exit $rc: $err)"
	fi
}
write_error "matrix" matrix --policy strict
write_error "matrix --format=json" matrix --policy strict --format=json
write_error "explain" explain --policy strict --preset grace-gpu --host grace
write_error "explain --policy all --format=json" explain --policy all --preset grace-gpu \
	--host grace --format=json
write_error "explain --trace" explain --trace "$policy_line" --trace "$decide_line"
write_error "diff" diff linux-6.12 cacheable-pfnmap
write_error "ptediff" ptediff --policy strict --vma normal --pte nc
write_error "check" check --policy strict
write_error "table" table
write_error "rules" rules
write_error "policies" policies
write_error "--help" --help
write_error "explain --help" explain --help
write_error "--version" --version

# ---- JSON ---------------------------------------------------------------------

# jpy EXPR: the value of the Python expression EXPR of the JSON document j (stdin).
jpy() { python3 -c 'import json, sys; j = json.load(sys.stdin); print(eval(sys.argv[1]))' "$1" 2>&1; }

out=$("$tool" explain --format=json --preset grace-gpu --host grace --policy all)
check "explain --format=json is JSON (python3 -m json.tool)" python3 -m json.tool <<<"$out" >/dev/null
check "explain --format=json: one decision per policy, cacheable-pfnmap maps Grace GPU memory normal" \
	test "$(jpy '[(d["policy"], d["memattr"]) for d in j["decisions"]][:2]' <<<"$out")" = \
	"[('linux-6.12', 'device'), ('cacheable-pfnmap', 'normal')]"
check "explain --format=json: the input, and where each key came from" \
	test "$(jpy '(j["input"]["fwb"], j["input"]["memtype"], j["from"]["pfnmap"], j["from"]["dic"], j["from"]["access"])' <<<"$out")" = \
	"(1, 'normal', 'preset', 'host', 'default')"
check "explain --format=json: the grants, whether they applied" \
	test "$(jpy '[(g["grant"], g["applies"]) for g in j["decisions"][1]["grants"]]' <<<"$out")" = \
	"[('exec_fault', False), ('eager_x', True), ('dirty_log_wp', False), ('mte_sanitise', False)]"
# (53,248 rows: parsed once, straight from the tool, with json.load.)
json_csv=$("$tool" matrix --format=json --policy strict |
	jpy '"\n".join(",".join("-" if v is None else str(v) for v in list(r["input"].values()) + [r[k] for k in ("verdict", "memattr", "exec", "wp_read", "sanitise_mte", "rule")]) for r in j["rows"])')
check "matrix --format=json is JSON, a row per input" test "$(wc -l <<<"$json_csv")" = 53248
none "matrix --format=json: the CSV, row by row" "$(diff <(echo "$json_csv") <(sed 1d <<<"${csv[strict]}"))"
n=$(differ linux-6.12 cacheable-pfnmap)
out=$("$tool" diff --format=json linux-6.12 cacheable-pfnmap)
check "diff --format=json is JSON" python3 -m json.tool <<<"$out" >/dev/null
check "diff --format=json: $n inputs, and its groups add up to them" \
	test "$(jpy '(j["inputs"], sum(g["inputs"] for g in j["groups"]))' <<<"$out")" = "($n, $n)"
check "diff --format=json: a group's outcomes and sets" \
	test "$(jpy 'next((g["from"]["memattr"], g["to"]["memattr"], g["to"]["exec"], g["sets"][0]["pfnmap"]) for g in j["groups"] if g["stage"] == "fault")' <<<"$out")" = \
	"('device', 'normal', 0, [0])"
n=$(ptediffer cacheable-pfnmap normal nc)
out=$("$tool" ptediff --format=json --policy cacheable-pfnmap --vma normal --pte nc)
check "ptediff --format=json is JSON" python3 -m json.tool <<<"$out" >/dev/null
check "ptediff --format=json: $n inputs, no memtype in its sets" \
	test "$(jpy '(j["inputs"], j["vma"], j["pte"], any("memtype" in s for g in j["groups"] for s in g["sets"]))' <<<"$out")" = \
	"($n, 'normal', 'nc', False)"
out=$("$tool" check --format=json)
check "check --format=json is JSON" python3 -m json.tool <<<"$out" >/dev/null
check "check --format=json: every policy ok, no dead row, every input decided" \
	test "$(jpy '(j["ok"], [p["policy"] for p in j["policies"]], any(r["dead"] for p in j["policies"] for s in p["stages"] for r in s["rows"]), sum(r["inputs"] for s in j["policies"][0]["stages"] for r in s["rows"]))' <<<"$out")" = \
	"(True, ['linux-6.12', 'cacheable-pfnmap', 'strict', 'fwb-only'], False, 53248)"
out=$("$tool" table --format=json --policy strict)
check "table --format=json is JSON" python3 -m json.tool <<<"$out" >/dev/null
check "table --format=json: strict's memslot (5) and fault (10) rows, row 1 needs PFNMAP and COW" \
	test "$(jpy '([len(s["rows"]) for s in j["policies"][0]["stages"]], j["policies"][0]["stages"][1]["rows"][0]["need"], "grants" in j)' <<<"$out")" = \
	"([5, 10], ['PFNMAP', 'COW'], False)"
out=$("$tool" table --format=json --grants)
check "table --format=json --grants: the four grants, no policy" \
	test "$(jpy '([g["rule"] for g in j["grants"]], j["policies"])' <<<"$out")" = \
	"(['exec_fault', 'eager_x', 'dirty_log_wp', 'mte_sanitise'], [])"
out=$("$tool" rules --format=json)
check "rules --format=json: the 22 rules, each with a reason" \
	test "$(jpy '(len(j["rules"]), all(r["reason"] and r["upstream"] for r in j["rules"]))' <<<"$out")" = "(22, True)"
check "policies --format=json: the policies" \
	test "$("$tool" policies --format=json | jpy '"\n".join(j["policies"])')" = "$("$tool" policies)"
expect_usage_error "matrix prints csv or json" "--format=text: matrix prints json or csv" \
	matrix --policy strict --format=text

# ---- one vocabulary ------------------------------------------------------------

for spelling in normal-nc NORMAL_NC Normal-NC wc; do
	expect_usage_error "memtype=$spelling: did you mean nc?" "memtype=$spelling: did you mean nc?" \
		explain --policy strict --preset vfio-bar --host grace memtype="$spelling"
done
expect_usage_error "memtype=device-ngnre: did you mean nGnRE?" "did you mean nGnRE?" \
	explain --policy strict --preset vfio-bar --host grace memtype=device-ngnre
expect_usage_error "--pte Normal-NC: did you mean nc?" "--pte Normal-NC: did you mean nc?" \
	ptediff --policy strict --vma normal --pte Normal-NC
expect_usage_error "access=x: did you mean exec?" "did you mean exec?" \
	explain --policy strict --preset anon-ram --host grace access=x
expect_usage_error "pfnmap=true: did you mean 1?" "pfnmap=true: did you mean 1?" \
	explain --policy strict --preset anon-ram --host grace pfnmap=true
expect_usage_error "allow_any_uncached=1: did you mean allow_any_uc?" \
	"unknown key 'allow_any_uncached': did you mean allow_any_uc?" \
	explain --policy strict --preset anon-ram --host grace allow_any_uncached=1
expect_usage_error "an unknown key lists the keys" "expected one of stage, pfnmap, mixedmap" \
	explain --policy strict colour=1
expect_usage_error "--policy default: did you mean cacheable-pfnmap?" \
	"unknown policy 'default': did you mean cacheable-pfnmap?" matrix --policy default
expect_usage_error "--preset vfio: did you mean vfio-bar?" "did you mean vfio-bar?" \
	explain --policy all --preset vfio --host grace
expect_usage_error "--host a72: did you mean cortex-a72?" "did you mean cortex-a72?" \
	explain --policy all --preset vfio-bar --host a72
expect_usage_error "a trace's verdict accept: did you mean map?" "verdict 'accept': did you mean map?" \
	explain --trace "$policy_line" --trace "${decide_line/: map /: accept }"
expect_usage_error "a trace's memattr=Normal-NC: did you mean nc?" "memattr=Normal-NC: did you mean nc?" \
	explain --trace "$policy_line" --trace "${decide_line/memattr=device/memattr=Normal-NC}"
# The words the tool prints: outcomes of diff and table, JSON values.
words_re='^(map|EINVAL|EFAULT|ENOEXEC|normal|nc|device)$'
out=$(for p in "linux-6.12 cacheable-pfnmap" "cacheable-pfnmap strict" "strict fwb-only"; do
	"$tool" diff $p; "$tool" diff --format=rst $p; done)
none "diff (text, rst): outcomes are map|EINVAL|EFAULT|ENOEXEC or a memattr, then +X etc. and (rule)" \
	"$(grep -E '^(memslot|fault): [0-9]+ inputs: |^- (memslot|fault) stage, ' <<<"$out" |
	   grep -oE '(inputs: |``)[^`]* -> [^`]*' | sed -E 's/^(inputs: |``)//; s/ -> /\n/' |
	   sed -E 's/ \([a-z_0-9]+\)$//; s/ \+(X|wp_read|sanitise_mte)//g' | sort -u | grep -Ev "$words_re")"
none "table: outcomes are map, an errno or map MEMATTR" \
	"$(for p in $("$tool" policies); do "$tool" table --policy "$p"; done |
	   awk '$1 ~ /^[0-9]+\*?$/ { print $3; if ($3 == "map" && $4 ~ /^(normal|nc|device)$/) print $4 }' |
	   sort -u | grep -Ev "$words_re")"
none "JSON: verdicts and memattrs are words of the vocabulary" \
	"$(cut -d, -f15,16 <<<"$json_csv" | tr , '\n' | sort -u | grep -v '^-$' | grep -Ev "$words_re")"
check "no output says accept but as the rule's name" \
	test "$( { "$tool" diff linux-6.12 strict; "$tool" table; "$tool" table --format=rst; } |
		 grep -o '[^`( ]*accept[^`) ]*' | sort -u | tr '\n' ' ')" = "accept "

# ---- explain: presets, hosts, every policy ------------------------------------

# input_of ARGS...: the input= line of explain ARGS.
input_of() { "$tool" explain "$@" 2>&1 | sed -n 's/^input=//p'; }
declare -A preset_input=(
	[vfio-bar]='stage=fault pfnmap=1 mixedmap=0 cow=0 allow_any_uc=1 mte_allowed=0 memtype=nGnRnE kvm_mte=0 fwb=1 dic=1 log_dirty=0 map_memory=0 access=read perm=0'
	[grace-gpu]='stage=fault pfnmap=1 mixedmap=0 cow=0 allow_any_uc=0 mte_allowed=0 memtype=normal kvm_mte=0 fwb=1 dic=1 log_dirty=0 map_memory=0 access=read perm=0'
	[anon-ram]='stage=fault pfnmap=0 mixedmap=0 cow=1 allow_any_uc=0 mte_allowed=1 memtype=normal kvm_mte=0 fwb=1 dic=1 log_dirty=0 map_memory=1 access=read perm=0'
	[shmem]='stage=fault pfnmap=0 mixedmap=0 cow=0 allow_any_uc=0 mte_allowed=1 memtype=normal kvm_mte=0 fwb=1 dic=1 log_dirty=0 map_memory=1 access=read perm=0'
	[dev-mem]='stage=fault pfnmap=1 mixedmap=0 cow=0 allow_any_uc=0 mte_allowed=0 memtype=nGnRnE kvm_mte=0 fwb=1 dic=1 log_dirty=0 map_memory=0 access=read perm=0'
	[ttm-vram]='stage=fault pfnmap=1 mixedmap=0 cow=0 allow_any_uc=0 mte_allowed=0 memtype=nc kvm_mte=0 fwb=1 dic=1 log_dirty=0 map_memory=0 access=read perm=0'
	[ttm-system]='stage=fault pfnmap=1 mixedmap=0 cow=0 allow_any_uc=0 mte_allowed=0 memtype=normal kvm_mte=0 fwb=1 dic=1 log_dirty=0 map_memory=1 access=read perm=0'
	[devdax]='stage=fault pfnmap=0 mixedmap=0 cow=0 allow_any_uc=0 mte_allowed=0 memtype=normal kvm_mte=0 fwb=1 dic=1 log_dirty=0 map_memory=0 access=read perm=0'
)
for p in "${!preset_input[@]}"; do
	check "--preset $p --host grace: its input" \
		test "$(input_of --policy strict --preset "$p" --host grace)" = "${preset_input[$p]}"
done
check "--host qemu-max: FWB without DIC, and VM_MTE_ALLOWED on anonymous memory" \
	test "$(input_of --policy strict --preset anon-ram --host qemu-max | grep -oE 'mte_allowed=. .* fwb=. dic=.')" = \
	"mte_allowed=1 memtype=normal kvm_mte=0 fwb=1 dic=0"
check "--host cortex-a72: neither FWB nor DIC" \
	grep -q ' fwb=0 dic=0 ' <<<"$(input_of --policy strict --preset grace-gpu --host cortex-a72)"
check "ttm-vram at the memslot stage: vm_page_prot's type (normal), no fault keys" \
	test "$(input_of --policy strict --preset ttm-vram --host grace stage=memslot)" = \
	'stage=memslot pfnmap=1 mixedmap=0 cow=0 allow_any_uc=0 mte_allowed=0 memtype=normal kvm_mte=0 fwb=1 dic=1 log_dirty=0'
check "keys override the preset and the host" \
	test "$(input_of --policy strict cow=1 --preset grace-gpu access=write --host grace dic=0 perm=1)" = \
	'stage=fault pfnmap=1 mixedmap=0 cow=1 allow_any_uc=0 mte_allowed=0 memtype=normal kvm_mte=0 fwb=1 dic=0 log_dirty=0 map_memory=0 access=write perm=1'
out=$("$tool" explain --policy strict --preset grace-gpu --host grace access=exec)
check "explain says what the preset, the host and the defaults gave" \
	test "$(grep -E '^(preset|host|defaults)=' <<<"$out" | cut -d: -f1 | tr '\n' '|')" = \
	"preset=grace-gpu|host=grace|defaults=stage=fault kvm_mte=0 log_dirty=0 perm=0|"
check "... defaults= lists only the defaults used" \
	has 'defaults=stage=fault kvm_mte=0 log_dirty=0 perm=0' "$out"
expect_usage_error "kvm_mte=1 on a host without MTE is refused" "kvm_mte=1: host cortex-a72 has no MTE" \
	explain --policy strict --preset anon-ram --host cortex-a72 kvm_mte=1
expect_usage_error "a preset without a host: fwb and dic are missing" \
	"missing keys for the fault stage: fwb=0|1 dic=0|1" explain --policy strict --preset devdax
expect_usage_error "every missing key at once" \
	"missing keys for the fault stage: mixedmap=0|1 cow=0|1 allow_any_uc=0|1 mte_allowed=0|1 memtype=normal|tagged|nc|nGnRnE|nGnRE|attr5|attr6|attr7 kvm_mte=0|1 fwb=0|1 dic=0|1 log_dirty=0|1 map_memory=0|1 access=read|write|exec perm=0|1" \
	explain --policy strict stage=fault pfnmap=1
expect_usage_error "... the stage too" "missing keys: stage=memslot|fault" explain --policy strict pfnmap=1

out=$("$tool" explain --preset grace-gpu --host grace --policy all)
status 0 "explain --preset grace-gpu --host grace --policy all needs no other key" \
	explain --preset grace-gpu --host grace --policy all
check "--policy all: a column per policy" \
	test "$(grep -E '^ +linux-6.12 ' <<<"$out" | tr -s ' ')" = " linux-6.12 cacheable-pfnmap strict fwb-only"
check "--policy all: verdicts and memattrs side by side" \
	test "$(grep -E '^(verdict|memattr|exec|rule) ' <<<"$out" | tr -s ' ' | tr '\n' '|')" = \
	"verdict map map map map|memattr device normal normal normal|exec 0 1 1 1|rule device normal normal normal|"
check "--policy all: why each policy decided so" test "$(grep -c '^because\.' <<<"$out")" = 4

# ---- explain: why, from the rows ------------------------------------------------

because=$(sed -n 's/^because\.cacheable-pfnmap=//p' <<<"$out")
check "because: Grace GPU memory, FWB and DIC: the conditions and the row they keep off" \
	test "$because" = "map normal (normal) because: the pfn is special (VM_PFNMAP, outside the linear map), the stage-1 type is cacheable (normal) (else nc_device would map it device), FEAT_S2FWB and CTR_EL0.DIC are present (else wb_no_fwb_dic would refuse it with EFAULT) and the VM has no MTE (else mte_not_allowed would refuse it with EFAULT)"
# Each "else ROW would ..." holds: the input with that condition flipped is decided by ROW.
# (Grace has no MTE: kvm_mte=1 is asked of qemu-max with DIC, the same keys.)
for flip in "wb_no_fwb_dic --host grace dic=0" "wb_no_fwb_dic --host grace fwb=0" \
	    "nc_device --host grace memtype=nc" "mte_not_allowed --host qemu-max dic=1 kvm_mte=1"; do
	read -r rule args <<<"$flip"
	# shellcheck disable=SC2086
	check "because: with ${args##* }, $rule decides, as it says" \
		has "rule=$rule" "$("$tool" explain --preset grace-gpu $args --policy cacheable-pfnmap 2>&1)"
done
check "because: linux-6.12 names the rows the same memory escapes" \
	grep -q '^because\.linux-6\.12=map device (device) because: the pfn is outside the linear map, the VMA does not have VM_ALLOW_ANY_UNCACHED (else device_any_uc would map it nc) and the access is not exec (read) (else device_exec would refuse it with ENOEXEC)$' <<<"$out"
out=$("$tool" explain --preset grace-gpu --host cortex-a72 --policy cacheable-pfnmap)
check "because: a refusal names the conditions of its row" \
	has "because=EFAULT (wb_no_fwb_dic) because: the pfn is special (VM_PFNMAP, outside the linear map), the stage-1 type is cacheable (normal) and FEAT_S2FWB and CTR_EL0.DIC are not both present (neither)" "$out"
check "... and a refusal has no grant lines" test "$(grep -c '^grant\.' <<<"$out")" = 0
out=$("$tool" explain --preset vfio-bar --host qemu-max --policy cacheable-pfnmap)
check "because: a VFIO BAR is nc for VM_ALLOW_ANY_UNCACHED, not executable for nc_exec" \
	grep -q '^because=map nc (nc_any_uc) because: .*the VMA has VM_ALLOW_ANY_UNCACHED and the access is not exec (read) (else nc_exec would refuse it with ENOEXEC)$' <<<"$out"
check "tried: a line per row up to the one that decided" \
	test "$(grep -c '^tried\.' <<<"$out"):$(sed -n 's/^row=\([0-9]*\) .*/\1/p' <<<"$out")" = "3:3"
check "tried: the rows before fail, with what failed; the last holds" \
	test "$(grep '^tried\.' <<<"$out" | sed -E 's/^tried\.([0-9]+)=([a-z_0-9]+) \(([^)]*)\): (fails|holds).*/\1 \2 \3 \4/' | tr '\n' '|')" = \
	"1 wb_no_fwb_dic EFAULT fails|2 nc_exec ENOEXEC fails|3 nc_any_uc map nc holds|"
check "tried: what failed in wb_no_fwb_dic" \
	has 'tried.1=wb_no_fwb_dic (EFAULT): fails: the stage-1 type is not cacheable (nGnRnE)' "$out"
check "tried: every condition that failed, with FWB and DIC" \
	has 'tried.1=wb_no_fwb_dic (EFAULT): fails: the stage-1 type is not cacheable (nGnRnE) and FEAT_S2FWB and CTR_EL0.DIC are present' \
	"$("$tool" explain --preset vfio-bar --host grace --policy cacheable-pfnmap)"
out=$("$tool" explain --preset grace-gpu --host grace --policy cacheable-pfnmap)
check "grants: each of a mapped fault, applied or not and why" \
	test "$(grep '^grant\.' <<<"$out" | cut -d: -f1 | tr '\n' '|')" = \
	"grant.exec_fault=no|grant.eager_x=yes, sets exec|grant.dirty_log_wp=no|grant.mte_sanitise=no|"
check "grants: eager_x applies for normal memory with DIC, and says why it exists" \
	has 'grant.eager_x=yes, sets exec: the mapping is normal and CTR_EL0.DIC is present; Normal memory is executable up front when CTR_EL0.DIC makes I-cache invalidation unnecessary' "$out"
check "grants: exec_fault does not, for a read" has 'grant.exec_fault=no: the access is not exec (read)' "$out"
check "explain with a preset: still every line is key=value" test "$(grep -vc '=' <<<"$out")" = 0

# ---- explain --trace -------------------------------------------------------------

# trace WANT_STATUS ARGS...: stdout of explain ARGS, checking its exit status.
trace_out() {
	local want=$1 rc=0 o; shift
	o=$("$tool" explain "$@" 2>/dev/null) || rc=$?
	[ "$rc" -eq "$want" ] || echo "exit $rc, wanted $want"
	printf '%s\n' "$o"
}
out=$(trace_out 0 --trace "$policy_line" --trace "$decide_line")
check "--trace: a policy line and a decide line: they match" has 'trace=match' "$out"
check "--trace: the decision explained in full" \
	test "$(grep -E '^(policy|verdict|memattr|rule|row)=' <<<"$out" | tr '\n' '|')" = \
	"policy=strict|verdict=map|memattr=device|rule=nc_device|row=8 of the strict fault table|"
check "--trace: because= and tried= too" test "$(grep -cE '^(because|tried\.[0-9]+)=' <<<"$out")" = 9
check "--trace: the line it explains and where the policy came from" \
	has '# --trace 2: kvm_s2attr_decide of vm 00000000deadbeef, gfn 0xc0000-0xc0000, under strict (policy from --trace 1)' "$out"
check "--trace: the count" has '# trace: 1 decisions, 1 match, 0 MISMATCH' "$out"
out=$(trace_out 1 --trace "$policy_line" --trace "${decide_line/memattr=device/memattr=nc}")
check "--trace: a MISMATCH, and exit 1" \
	has 'trace=MISMATCH: memattr: the trace says nc, the tool decides device' "$out"
err=$("$tool" explain --trace "$policy_line" --trace "${decide_line/rule=nc_device/rule=nc_any_uc}" 2>&1 >/dev/null)
check "--trace: a MISMATCH on stderr too, naming the line" \
	test "$err" = 's2attr: --trace 2: MISMATCH: rule: the trace says nc_any_uc, the tool decides nc_device'
expect_usage_error "--trace: a vm without a policy line needs --policy" \
	"--trace 1: vm 00000000deadbeef has no kvm_s2attr_policy line before this kvm_s2attr_decide: give the trace from that line, or --policy NAME" \
	explain --trace "$decide_line"
out=$(trace_out 0 --trace "$decide_line" --policy strict)
check "--trace with --policy for a vm without a policy line" has 'trace=match' "$out"
check "... and it says so" grep -q 'under strict (policy from --policy)$' <<<"$out"
expect_usage_error "--trace: a line without its verdict is malformed" \
	"--trace 2: kvm_s2attr_decide: no ': VERDICT' after the input" \
	explain --trace "$policy_line" --trace "${decide_line/perm=0:/perm=0}"
expect_usage_error "--trace: a line without a key is malformed" \
	"kvm_s2attr_decide: input: missing keys for the fault stage: memtype=" \
	explain --trace "$policy_line" --trace "${decide_line/ memtype=nc/}"
expect_usage_error "--trace: a line without rule= is malformed" "kvm_s2attr_decide: no rule= output" \
	explain --trace "$policy_line" --trace "${decide_line/ rule=nc_device/}"
expect_usage_error "--trace: a policy line with an unknown policy" "unknown policy 'loose'" \
	explain --trace "${policy_line/strict/loose}" --trace "$decide_line"
expect_usage_error "--trace: a line of another event" "--trace 1: not a kvm_s2attr_policy or kvm_s2attr_decide line" \
	explain --trace '  bash-1 [000] ..... 1.0: sched_switch: prev_comm=bash'
expect_usage_error "--trace takes no keys" "no key=value, --preset or --host" \
	explain --trace "$decide_line" --policy strict stage=fault
memslot_line='  qemu-1 [001] ..... 3.000001: kvm_s2attr_decide: vm 00000000cafef00d gfn 0x80000-0x8ffff stage=memslot pfnmap=1 mixedmap=0 cow=1 allow_any_uc=0 mte_allowed=0 memtype=normal kvm_mte=0 fwb=1 dic=1 log_dirty=0 map_memory=0 access=read perm=0: EINVAL memattr=none exec=0 wp_read=0 sanitise_mte=0 rule=pfnmap_cow'
tracefile=$(mktemp)
trap 'rm -f "$tracefile"' EXIT
{
	echo '# tracer: nop'
	echo "${policy_line/deadbeef/cafef00d}"
	echo "$policy_line" | sed 's/deadbeef/00c0ffee/; s/strict/linux-6.12/'
	echo '  bash-1 [000] ..... 1.0: sched_switch: prev_comm=bash'
	echo "$memslot_line"
	echo "${memslot_line/cafef00d/00c0ffee}" | sed 's/EINVAL/map/; s/pfnmap_cow/accept/'
	echo "${decide_line/deadbeef/00c0ffee}" | sed 's/rule=nc_device/rule=device/'
} >"$tracefile"
out=$(trace_out 0 --trace-file "$tracefile")
check "--trace-file: the decide lines of two vms, other lines skipped" \
	has '# trace: 3 decisions, 3 match, 0 MISMATCH' "$out"
check "--trace-file: each vm under its own policy" \
	test "$(grep '^policy=' <<<"$out" | tr '\n' ' ')" = "policy=strict policy=linux-6.12 policy=linux-6.12 "
check "--trace-file: a memslot line ignores map_memory, access and perm" \
	test "$(grep -c '^input=stage=memslot .*log_dirty=0$' <<<"$out")" = 2
check "--trace-file: FILE:LINE" grep -q "^# $tracefile:5: kvm_s2attr_decide of vm 00000000cafef00d" <<<"$out"
out=$("$tool" explain --trace - <"$tracefile")
check "--trace -: the trace on standard input" has '# trace: 3 decisions, 3 match, 0 MISMATCH' "$out"
check "--trace -: stdin:LINE" grep -q '^# stdin:5: ' <<<"$out"
out=$(trace_out 0 --format=json --trace-file "$tracefile")
check "--trace --format=json is JSON" python3 -m json.tool <<<"$out" >/dev/null
check "--trace --format=json: each decision, its traced outcome and whether they match" \
	test "$(jpy '(j["decisions"], j["mismatches"], [(t["where"].split(":")[-1], t["decision"]["rule"], t["traced"]["rule"], t["match"]) for t in j["trace"]])' <<<"$out")" = \
	"(3, 0, [('5', 'pfnmap_cow', 'pfnmap_cow', True), ('6', 'accept', 'accept', True), ('7', 'device', 'device', True)])"
echo "${decide_line/memattr=device/memattr=normal}" | sed 's/deadbeef/cafef00d/' >>"$tracefile"
status 1 "--trace-file: one MISMATCH among the lines: exit 1" explain --trace-file "$tracefile"
expect_status_io() {
	local err rc=0
	err=$("$tool" explain --trace-file /nonexistent/trace 2>&1 >/dev/null) || rc=$?
	if [ "$rc" -eq 3 ] && grep -q '/nonexistent/trace: No such file or directory' <<<"$err"; then
		ok "--trace-file: a file that cannot be read: exit 3"
	else
		bad "--trace-file: a file that cannot be read: exit 3 (exit $rc: $err)"
	fi
}
expect_status_io

# ---- diff and ptediff: the legend ----------------------------------------------

out=$("$tool" diff linux-6.12 cacheable-pfnmap)
legend=$(sed -n '2,/^$/p' <<<"$out")
check "diff: the legend is at the top" test "$(sed -n 2p <<<"$out" | cut -c1-10)" = "# Legend: "
none "diff: the legend explains FROM -> TO, +X, +wp_read, +sanitise_mte, (rule), key={a,b}" \
	"$(for w in 'FROM -> TO' '+X' '+wp_read' '+sanitise_mte' '(rule)' 'key={a,b}' 'under linux-6.12' 'under cacheable-pfnmap'; do
		grep -qF -- "$w" <<<"$(tr '\n' ' ' <<<"$legend" | tr -s ' #' ' ')" || echo "$w"; done)"
check "diff: every group says how many inputs it has" \
	test "$(grep -cE '^(memslot|fault): [0-9]+ inputs: ' <<<"$out")" -gt 0
out=$("$tool" ptediff --policy cacheable-pfnmap --vma normal --pte nc)
check "ptediff: the legend after the three lines saying what is compared" \
	test "$(sed -n 4p <<<"$out" | cut -c1-10)" = "# Legend: "
check "ptediff: the legend names the two sides" \
	grep -q "with the VMA's memtype=normal and TO with the PTE's memtype=nc" <<<"$(tr '\n' ' ' <<<"$out" | tr -s ' #' ' ')"
check "diff --format=rst has no legend (the documentation explains it)" \
	test "$("$tool" diff --format=rst linux-6.12 strict | grep -c Legend)" = 0


# ---- explain --trace on lines make e2e captured ---------------------------------

# tests/e2e-trace.txt: trace-buffer lines the s2attr_e2e selftest printed in a
# make e2e run on -cpu max and -cpu cortex-a72. The verdict and rule of each
# decide line are read here with sed, not by the tool, and must be the
# explanation's, in the same order.
e2etrace=$(dirname "${BASH_SOURCE[0]}")/e2e-trace.txt
out=$("$tool" explain --trace-file "$e2etrace" 2>&1)
traced=$(sed -n 's/.*kvm_s2attr_decide: .*: \([^ ]*\) .* rule=\([^ ]*\)$/\1 \2/p' "$e2etrace")
explained=$(awk -F= '/^verdict=/ { v = $2 } /^rule=/ { print v, $2 }' <<<"$out")
check "explain --trace on e2e's lines: $(wc -l <<<"$traced") decisions, each the verdict and rule traced" \
	test -n "$traced" -a "$traced" = "$explained"
check "explain --trace on e2e's lines: no MISMATCH, exit 0" \
	has "# trace: $(wc -l <<<"$traced") decisions, $(wc -l <<<"$traced") match, 0 MISMATCH" "$out"
check "explain --trace on e2e's lines: the three policies a VMM picks, both stages" \
	test "$(grep -c '^policy=' <<<"$out")" = "$(wc -l <<<"$traced")" -a \
	"$(grep '^policy=' <<<"$out" | sort -u | wc -l)" = 3 -a \
	"$(grep -c '^input=stage=memslot' <<<"$out")" -gt 0


check "matrix --format=json without --policy: every policy, each whole" \
	test "$("$tool" matrix --format=json | python3 -c 'import json, sys; j = json.load(sys.stdin); print([(m["policy"], len(m["rows"])) for m in j])')" = \
	"[('linux-6.12', 53248), ('cacheable-pfnmap', 53248), ('strict', 53248), ('fwb-only', 53248)]"
printf 'cli: %d passed, %d failed\n' "$pass" "$fail"
[ "$fail" -eq 0 ]
