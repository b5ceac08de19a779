#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# mutation-glue.sh [--kunit-only] [--e2e-max N] [--e2e-minutes M] - do the
# kernel tests bite? Mutation testing of the glue and of the series' changes
# to KVM, where dev/mutation.sh mutates the policy tables.
#
# dev/mutate-glue.py writes mutants of the glue, arch/arm64/kvm/s2attr/glue.c
# and the inline helpers of arch/arm64/include/asm/kvm_s2attr.h, and of
# the lines the series adds to arch/arm64/kvm/mmu.c, arch/arm64/kvm/arm.c
# and virt/kvm/kvm_main.c (found by diffing the applied work tree against
# the pristine one): a statement dropped, a condition or one operand
# inverted, a token swapped for its sibling (NC <-> DEVICE, FWB <-> DIC, the
# PTE's protection for vm_page_prot...), two arguments exchanged, the pfn
# not released on a refusal. Each mutant is applied to a private snapshot
# of this repository in $S2ATTR_CACHE/mutation-glue/repo, never to the
# repository itself: a mutant of a glue file replaces the snapshot's, a
# mutant of a patched file is one more quilt patch at the end of the
# snapshot's series. Then the snapshot's own dev/kunit.sh runs (both KUnit
# suites, kunit.py under QEMU; a failure kills the mutant) and, for a
# mutant KUnit did not kill, its dev/e2e.sh (one QEMU boot, the s2attr_e2e
# selftest under every policy). The unmutated snapshot runs first and must
# pass both. A mutant that does not build is not a kill: it is reported
# apart. A mutant that hangs the guest is stopped by E2E_TIMEOUT (default
# three times the unmutated boot, at least 240 s) and counts as killed.
#
# E2E_BASELINE_FAILS=1 accepts an unmutated e2e run that fails: a
# mutant is then killed by fewer passes or by a failure that run lacks.
# E2E_CPUS (dev/e2e.sh) picks the boots, e.g. "max" for one.
#
# Builds are incremental, in $S2ATTR_CACHE's work tree and build
# directories; each mutant costs one kernel relink (KUnit and e2e share the
# build) and its boots (~1 min for KUnit, ~1 min for e2e on one CPU model
# with E2E_CPUS=max, ~2 on both). KUnit verdicts are kept in
# $S2ATTR_CACHE/mutation-glue/results under a hash of the mutant, the file
# it mutates, the KUnit suites and the glue's headers, so a rerun after
# unrelated edits only boots what changed; e2e verdicts under a hash of the
# mutant and the whole snapshot.
#
#   --kunit-only     stop after KUnit (no baseline e2e either)
#   --e2e-max N      run e2e on at most N KUnit survivors, spread over the
#                    files and kinds of mutation (default: all)
#   --e2e-minutes M  start no e2e run after M minutes of e2e (default: none)
#   --only ID,...    only these mutants (g001,...: the ids of the table)
#
# Prints a table (id, file:line, kind, verdict, change) and ends with
# "mutation-glue: K passed, S failed": K killed, S survived. Exits non-zero
# when a mutant survived or did not build. The table is also in
# build/mutation-glue/report.txt, each mutant's logs in
# $S2ATTR_CACHE/mutation-glue/mutants/<id>/.
set -euo pipefail
shopt -s inherit_errexit

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$repo"
export S2ATTR_CACHE=${S2ATTR_CACHE:-${XDG_CACHE_HOME:-${HOME:?set S2ATTR_CACHE or HOME}/.cache}/s2attr}
usage="usage: mutation-glue.sh [--kunit-only] [--e2e-max N] [--e2e-minutes M] [--only ID,...]"

die() {
	echo "mutation-glue.sh: $*" >&2
	echo "mutation-glue: 0 passed, 1 failed"
	exit 1
}

kunit_only=0
e2e_max=
e2e_minutes=
only=
while [ $# -gt 0 ]; do
	case $1 in
	--kunit-only) kunit_only=1; shift ;;
	--e2e-max) e2e_max=${2:?--e2e-max needs a number}; shift 2 ;;
	--e2e-minutes) e2e_minutes=${2:?--e2e-minutes needs a number}; shift 2 ;;
	--only) only=${2:?--only needs mutant ids}; shift 2 ;;
	-h | --help) echo "$usage"; exit 0 ;;
	*) echo "$usage" >&2; exit 2 ;;
	esac
done

state=$S2ATTR_CACHE/mutation-glue
copy=$state/repo
mutants=$state/mutants
results=$state/results
out=$repo/build/mutation-glue
start=$SECONDS
mkdir -p "$state" "$results" "$out"

bash dev/deps.sh host kernel || die "could not install the build dependencies"

# ---- the private snapshot: what kernel-tree.sh would apply, nothing else ----

echo "mutation-glue.sh: snapshot of $repo in $copy"
rm -rf "$copy"
mkdir -p "$copy"
git -C "$repo" ls-files --cached --others --exclude-standard |
	while IFS= read -r f; do
		if [ -f "$f" ]; then echo "$f"; fi
	done | tar -cf - -T - | tar -xf - -C "$copy"
make -s -C "$copy" tool >/dev/null || die "the s2attr tool does not build in $copy"

# Whatever happens, the snapshot gets its files back (the work tree follows
# at the next apply).
restore=()
cleanup() {
	local i
	for ((i = 0; i < ${#restore[@]}; i += 2)); do
		cp -p "${restore[i]}" "${restore[i + 1]}"
	done
	restore=()
}
trap cleanup EXIT
trap 'echo "mutation-glue.sh: a command failed at line $LINENO" >&2' ERR
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# put_mutant DIR: put mutant DIR into the snapshot.
put_mutant() {
	local dir=$1 rel
	read -r rel <"$dir/file"
	if [ -f "$copy/$rel" ]; then
		cp -p "$copy/$rel" "$state/orig.file"
		restore=("$state/orig.file" "$copy/$rel")
		cp "$dir/$(basename "$rel")" "$copy/$rel"
	else
		cp -p "$copy/patches/series" "$state/orig.series"
		restore=("$state/orig.series" "$copy/patches/series")
		cp "$dir/mutant.diff" "$copy/patches/zz-mutant.patch"
		echo zz-mutant.patch >>"$copy/patches/series"
	fi
}

take_mutant() {
	cleanup
	rm -f "$copy/patches/zz-mutant.patch"
}

# last_counts LOG PREFIX: "passed failed" of the last "PREFIX: N passed, N failed".
last_counts() {
	sed -nE "s/^$2: ([0-9]+) passed, ([0-9]+) failed.*/\1 \2/p" "$1" | tail -n 1
}

# run_kunit LOG: killed | survived | build-failure | baseline-fail
run_kunit() {
	local log=$1 p f
	bash "$copy/dev/kunit.sh" >"$log" 2>&1 || true
	cp "$S2ATTR_CACHE/logs/kunit.log" "$log.kunit-py" 2>/dev/null || true
	read -r p f < <(last_counts "$log" kunit; echo "0 1") || true
	if ! grep -q 'Testing complete' "$log" &&
	   grep -qE '^[^ ]*: (fatal )?error:|Error [0-9]+|Could not build|Build failed' "$log"; then
		echo build-failure
	elif [ "$f" -gt 0 ] || [ "$p" -eq 0 ]; then
		echo killed
	else
		echo survived
	fi
}

# e2e_fails LOG: the failures e2e.sh listed, one a line, numbers blanked
# ("max: not ok 57 default/devmem-kernel" -> "max: default/devmem-kernel").
e2e_fails() {
	sed -nE 's/^(e2e\.sh: )?([a-z0-9-]+: )?not ok [0-9]+ /\2/p; /FAIL/p' "$1" |
		sed -E 's/0x[0-9a-f]+|[0-9]+/N/g' | LC_ALL=C sort -u
}

# run_e2e LOG TIMEOUT: killed | survived | build-failure. Killed: fewer
# passes than the unmutated run, or a failure it does not have.
run_e2e() {
	local log=$1 p f
	E2E_TIMEOUT=$2 bash "$copy/dev/e2e.sh" >"$log" 2>&1 || true
	cp "$S2ATTR_CACHE/logs/e2e.log" "$log.console" 2>/dev/null || true
	read -r p f < <(last_counts "$log" e2e; echo "0 1") || true
	e2e_fails "$log" >"$log.fails"
	if grep -qE 'does not build|configuration failed|headers_install failed' "$log"; then
		echo build-failure
	elif [ -z "${base_pass:-}" ]; then
		if [ "$f" -gt 0 ] || [ "$p" -eq 0 ]; then echo killed; else echo survived; fi
	elif [ "$p" -lt "$base_pass" ] || [ -n "$(LC_ALL=C comm -23 "$log.fails" "$base_fails")" ]; then
		echo killed
	else
		echo survived
	fi
}

# Hashes for the verdict cache: KUnit sees the kernel sources it tests and
# its own files; e2e sees everything.
tree_hash() {
	local p
	for p in "$@"; do
		if [ -e "$copy/$p" ]; then find "$copy/$p" -type f; fi
	done | LC_ALL=C sort | xargs cat | sha256sum | cut -c1-16
}

# ---- the unmutated snapshot must pass --------------------------------------

echo "mutation-glue.sh: unmutated: KUnit"
mkdir -p "$out/baseline"
t=$SECONDS
v=$(run_kunit "$out/baseline/kunit.log")
tail -n 1 "$out/baseline/kunit.log"
[ "$v" = survived ] || die "KUnit does not pass on the unmutated tree ($v); see $out/baseline/kunit.log"
echo "mutation-glue.sh: unmutated KUnit passed ($((SECONDS - t)) s)"

work=$(bash "$copy/dev/kernel-tree.sh" work)
pristine=$(bash "$copy/dev/kernel-tree.sh" pristine)
rm -rf "$mutants"
python3 dev/mutate-glue.py generate "$work" "$pristine" "$mutants"
mapfile -t ids < <(cut -f1 "$mutants/manifest.tsv")
if [ -n "$only" ]; then
	mapfile -t ids < <(printf '%s\n' "${ids[@]}" | grep -Fx -f <(tr ',' '\n' <<<"$only") || true)
	[ "${#ids[@]}" -gt 0 ] || die "--only $only names no mutant of $mutants/manifest.tsv"
fi

# A KUnit verdict holds while the mutated file, the KUnit suites and the
# glue's headers stay (the tables are not: no mutant here reaches them, and
# the unmutated run above must pass).
ktests=$(tree_hash lib/tests include/kvm arch/arm64/include/asm/kvm_s2attr.h \
	arch/arm64/kvm/s2attr/.kunitconfig)
declare -A kbase=()
for id in "${ids[@]}"; do
	read -r rel <"$mutants/$id/file"
	[ -n "${kbase[$rel]:-}" ] ||
		kbase[$rel]=$( (echo "$ktests"; cat "$work/$rel") | sha256sum | cut -c1-16)
done
ebase=$(tree_hash arch include lib tools scripts patches dev/e2e.sh dev/kernel-tree.sh)

e2e_timeout=${E2E_TIMEOUT:-}
if [ "$kunit_only" -eq 0 ]; then
	echo "mutation-glue.sh: unmutated: e2e"
	t=$SECONDS
	v=$(run_e2e "$out/baseline/e2e.log" "${E2E_TIMEOUT:-900}")
	tail -n 1 "$out/baseline/e2e.log"
	read -r base_pass f < <(last_counts "$out/baseline/e2e.log" e2e; echo "0 1") || true
	base_fails=$out/baseline/e2e.log.fails
	if [ "$v" = build-failure ] || [ "$base_pass" -eq 0 ]; then
		die "e2e does not run on the unmutated tree; see $out/baseline/e2e.log"
	elif [ "$v" != survived ] && [ "${E2E_BASELINE_FAILS:-0}" != 1 ]; then
		sed 's/^/  /' "$base_fails" >&2
		die "e2e fails on the unmutated tree (above); a kill means nothing until it" \
			"passes (E2E_BASELINE_FAILS=1: kill on a failure the unmutated run lacks)"
	elif [ "$v" != survived ]; then
		echo "mutation-glue.sh: e2e fails $f times on the unmutated tree; E2E_BASELINE_FAILS=1:" \
			"a mutant is killed by fewer than $base_pass passes or a failure not in" \
			"$base_fails"
	fi
	boot=$(stat -c %Y "$S2ATTR_CACHE/logs/e2e.log")
	boot=$((boot - $(stat -c %Y "$S2ATTR_CACHE/logs/e2e-selftest.log")))
	[ -n "$e2e_timeout" ] || e2e_timeout=$((3 * boot > 240 ? 3 * boot : 240))
	echo "mutation-glue.sh: unmutated e2e passed ($((SECONDS - t)) s, QEMU ~${boot} s;" \
		"E2E_TIMEOUT=$e2e_timeout for the mutants)"
fi

# ---- KUnit on every mutant ------------------------------------------------------

n=${#ids[@]}
i=0
for id in "${ids[@]}"; do
	i=$((i + 1))
	dir=$mutants/$id
	desc=$(awk -F'\t' -v id="$id" '$1 == id { print $2 ":" $3 " " $4 ": " $5 }' "$mutants/manifest.tsv")
	read -r rel <"$dir/file"
	key=$results/$( (echo "${kbase[$rel]}"; cat "$dir/mutant.diff") | sha256sum | cut -c1-16).kunit
	if [ -f "$key" ]; then
		v=$(cat "$key")
		echo "kunit $i/$n $id $v (cached): $desc"
	else
		t=$SECONDS
		put_mutant "$dir"
		v=$(run_kunit "$dir/kunit.log")
		take_mutant
		echo "$v" >"$key"
		echo "kunit $i/$n $id $v ($((SECONDS - t)) s): $desc"
	fi
	echo "kunit=$v" >"$dir/result"
done

# ---- e2e on what KUnit did not kill ------------------------------------------

if [ "$kunit_only" -eq 0 ]; then
	mapfile -t todo < <(python3 dev/mutate-glue.py order "$mutants")
	[ -z "$e2e_max" ] || todo=("${todo[@]:0:$e2e_max}")
	e2e_start=$SECONDS
	i=0
	for id in "${todo[@]}"; do
		i=$((i + 1))
		dir=$mutants/$id
		desc=$(awk -F'\t' -v id="$id" '$1 == id { print $2 ":" $3 " " $4 ": " $5 }' "$mutants/manifest.tsv")
		key=$results/$( (echo "$ebase"; cat "$dir/mutant.diff") | sha256sum | cut -c1-16).e2e
		if [ -f "$key" ]; then
			v=$(cat "$key")
			echo "e2e $i/${#todo[@]} $id $v (cached): $desc"
		elif [ -n "$e2e_minutes" ] && [ $((SECONDS - e2e_start)) -ge $((e2e_minutes * 60)) ]; then
			echo "e2e $i/${#todo[@]} $id not run: the $e2e_minutes minutes are up"
			continue
		else
			t=$SECONDS
			put_mutant "$dir"
			v=$(run_e2e "$dir/e2e.log" "$e2e_timeout")
			take_mutant
			echo "$v" >"$key"
			echo "e2e $i/${#todo[@]} $id $v ($((SECONDS - t)) s): $desc"
		fi
		echo "kunit=survived e2e=$v" >"$dir/result"
	done
fi

# Leave the work tree as the repository has it.
bash "$copy/dev/kernel-tree.sh" apply >/dev/null || true

echo
echo "mutation-glue.sh: $n mutants in $(((SECONDS - start) / 60)) min; logs in $mutants/<id>/"
rc=0
python3 dev/mutate-glue.py report "$mutants" | tee "$out/report.txt" || rc=$?
exit "$rc"
