#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# mutation.sh [--jobs N] [--kunit-sample N] - do the tests bite? Mutation
# testing of the s2attr policy tables.
#
# dev/mutate.py writes mutants of arch/arm64/kvm/s2attr/policies.c into a
# temporary directory: for every row of every table (the shared tails
# included), each outcome changed to each other value (verdict, memory
# type), each need or forbid predicate dropped, each predicate the stage can
# see added to need or to forbid, each predicate flipped between need and
# forbid, the row deleted, the row swapped with the next one; for every
# grant, what it sets changed, and drop, add, flip and delete as for a row
# (the set is documented at the top of dev/mutate.py). Each mutant is
# compiled (gcc -O1, no sanitizers; the mutant's directory first on the
# include path) with the other engine sources and
#   - the host KUnit suite, lib/tests/s2attr_kunit.c + kunit_host.c: the
#     mutant is killed when it exits non-zero;
#   - the s2attr tool's own checks of the tables (`s2attr check`, exit 4:
#     e.g. a row that no longer needs what its table's guard needs), which
#     every run of the tool makes, so the cli tests fail on such a mutant;
#   - the s2attr tool, for a mutant the tests did not kill: when `s2attr
#     matrix --policy P` is identical to the unmutated one for every policy
#     P, the mutant is equivalent, listed as such and left out of the counts
#     (a killed mutant is counted killed, whatever its matrices).
# A mutant that makes a process spin is stopped after 120 s of CPU time
# (and counts as killed). The objects that do not depend on policies.c are
# built once and cached in build/mutation/obj-<hash of sources and flags>/.
#
# Prints killed/total per policy (a row belongs to the policy whose table it
# is in; the tails and the grants to "(shared)"), the equivalent mutants,
# the compile errors (not counted as kills; the generator is meant to make
# none), every surviving non-equivalent mutant, and ends with "mutation: K
# passed, S failed": K killed and S surviving non-equivalent mutants. Exits
# non-zero when a mutant survived or did not compile. The report is also in
# build/mutation/report.txt.
#
# --kunit-sample N (N >= 10, not part of the default run) then takes N
# non-equivalent mutants, spread over the kinds of mutation and the
# policies, and runs the arm64 KUnit suite (kunit.py, in QEMU) of the
# kernel work tree (dev/kernel-tree.sh) on each, with policies.c of the
# work tree swapped for the mutant and restored afterwards, whatever
# happens. The unmutated tree runs first and must pass. Ends with
# "kunit-sample: K passed, S failed": K mutants that KUnit killed, S that it
# did not (or that did not build or boot). Takes ~1-2 min per mutant after
# the first kernel build; its own build directory is
# $S2ATTR_CACHE/build/mutation-kunit-<work tree>.
set -euo pipefail
shopt -s inherit_errexit

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$repo"

usage="usage: mutation.sh [--jobs N] [--kunit-sample N]"

cc=${HOSTCC:-gcc}
cflags=(-std=gnu11 -O1 -g0 -pipe -Wall -Wextra -Wno-unused-parameter -Werror)
incs=(-Itools/kvm/s2attr/include -Iinclude -Iarch/arm64/kvm/s2attr)
engine_dir=arch/arm64/kvm/s2attr
policies=$engine_dir/policies.c
test_srcs=(lib/tests/s2attr_kunit.c tools/kvm/s2attr/kunit_host.c)
mapfile -t tool_srcs < <(ls tools/kvm/s2attr/*.c | grep -v "/kunit_host\.c$")
test_timeout=120

die() {
	echo "mutation.sh: $*" >&2
	exit 1
}

# The engine sources that build in user space: the Makefile's ENGINE_SRCS.
engine_srcs() {
	make -s --no-print-directory print-engine-srcs | tr ' ' '\n' | sed '/^$/d'
}

# ---- one mutant (run in parallel by xargs) --------------------------------
#
# mutation.sh --one DIR...: each DIR holds policies.c; writes DIR/result, a line of
# key=value words: build=ok|compile-error|link-error test=killed|survived
# test_rc=N equivalent=yes|no.
one() {
	local dir=$1 obj=${MUT_OBJ:?} base=${MUT_BASE:?} rc=0 equiv=yes test p first
	local -a policy_names order=()
	read -r -a policy_names <<<"${MUT_POLICIES:?}"

	# A build error is recorded with the compiler's first complaint (why).
	if ! "$cc" "${cflags[@]}" -I"$dir" "${incs[@]}" -c "$dir/policies.c" \
		-o "$dir/policies.o" >"$dir/cc.log" 2>&1; then
		echo "build=compile-error" >"$dir/result"
		grep -m1 -E 'error|fatal|Killed' "$dir/cc.log" >"$dir/why" || head -n1 "$dir/cc.log" >"$dir/why"
		return 0
	fi
	if ! "$cc" -o "$dir/kunit-host" "$obj"/test/*.o "$obj"/engine/*.o "$dir/policies.o" \
		>>"$dir/cc.log" 2>&1 ||
	   ! "$cc" -o "$dir/s2attr" "$obj"/tool/*.o "$obj"/engine/*.o "$dir/policies.o" \
		>>"$dir/cc.log" 2>&1; then
		echo "build=link-error" >"$dir/result"
		grep -m1 -E 'error|fatal|Killed' "$dir/cc.log" >"$dir/why" || head -n1 "$dir/cc.log" >"$dir/why"
		return 0
	fi

	"$dir/kunit-host" >"$dir/test.log" 2>&1 || rc=$?
	if [ "$rc" -ne 0 ]; then test=killed; else test=survived; fi
	# The tool checks the tables themselves each time it runs (a table's
	# guard is needed and forbidden by each of its rows, among others):
	# a mutant it refuses (exit 4) fails make check-fast's cli tests too.
	if [ "$test" = survived ]; then
		"$dir/s2attr" check >>"$dir/test.log" 2>&1 || rc=$?
		if [ "$rc" -eq 4 ]; then test=killed; else rc=0; fi
	fi

	# A killed mutant is not checked for equivalence (it costs four
	# matrices): the tests told it apart. A survivor is equivalent when
	# every policy's matrix is the unmutated one; the mutated table's
	# policy first, its matrix is the one likely to differ.
	if [ "$test" = killed ]; then
		equiv=no
	else
		read -r first <"$dir/policy" || first=
		for p in "${policy_names[@]}"; do
			if [ "$p" = "$first" ]; then order=("$p" "${order[@]}"); else order+=("$p"); fi
		done
		for p in "${order[@]}"; do
			if ! "$dir/s2attr" matrix --policy "$p" 2>/dev/null | cmp -s - "$base/$p.csv"; then
				equiv=no
				break
			fi
		done
	fi
	echo "build=ok test=$test test_rc=$rc equivalent=$equiv" >"$dir/result"
}

if [ "${1:-}" = --one ]; then
	shift
	[ $# -gt 0 ] || die "--one takes mutant directories"
	# A mutant must not loop: each process gets $test_timeout s of CPU.
	ulimit -t "$test_timeout"
	for d in "$@"; do
		one "$d"
	done
	# One rm for the batch; the killed mutants' test logs are not needed.
	rm_list=()
	for d in "$@"; do
		rm_list+=("$d/kunit-host" "$d/s2attr" "$d/policies.o")
		read -r result <"$d/result"
		if [[ $result == *test=killed* ]]; then rm_list+=("$d/test.log"); fi
	done
	rm -f "${rm_list[@]}"
	exit 0
fi

# ---- arguments ---------------------------------------------------------------

jobs=$(nproc)
sample=0
while [ $# -gt 0 ]; do
	case $1 in
	--jobs)
		[ $# -ge 2 ] || die "--jobs needs a number"
		jobs=$2
		shift 2
		;;
	--kunit-sample)
		[ $# -ge 2 ] || die "--kunit-sample needs a number"
		sample=$2
		shift 2
		;;
	-h | --help)
		echo "$usage"
		exit 0
		;;
	*)
		echo "$usage" >&2
		exit 2
		;;
	esac
done
[[ $jobs =~ ^[1-9][0-9]*$ ]] || die "--jobs wants a positive number, not '$jobs'"
[[ $sample =~ ^[0-9]+$ ]] || die "--kunit-sample wants a number, not '$sample'"
if [ "$sample" -ne 0 ] && [ "$sample" -lt 10 ]; then
	die "--kunit-sample wants at least 10 mutants"
fi

bash dev/deps.sh host || die "could not install the host build dependencies (dev/deps.sh host)"

start=$SECONDS
out=build/mutation
mkdir -p "$out"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/s2attr-mutation.XXXXXX")

# Whatever happens: put the kernel work tree's policies.c back (--kunit-sample)
# and remove the mutants.
restore_target=
restore_from=
cleanup() {
	if [ -n "$restore_target" ] && ! cmp -s "$restore_from" "$restore_target"; then
		cp -p "$restore_from" "$restore_target" &&
			echo "mutation.sh: restored $restore_target" >&2
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# ---- the objects that do not depend on policies.c, cached -------------------

mapfile -t engine < <(engine_srcs | grep -vx "$policies")
[ ${#engine[@]} -gt 0 ] || die "no engine sources besides policies.c in $engine_dir"
hash=$(
	{
		printf '%s\n' "$cc" "${cflags[@]}" "${incs[@]}"
		"$cc" --version | head -n 1
		cat "${engine[@]}" "${test_srcs[@]}" "${tool_srcs[@]}" \
			tools/kvm/s2attr/*.h include/kvm/*.h "$engine_dir"/*.h \
			tools/kvm/s2attr/include/*/*.h
	} | sha256sum | cut -c1-16
)
obj=$out/obj-$hash
if [ ! -f "$obj/.done" ]; then
	echo "mutation.sh: building the engine, test and tool objects once ($obj)"
	rm -rf "$out"/obj-*
	mkdir -p "$obj/engine" "$obj/test" "$obj/tool"
	build_obj() {
		local sub=$1 src
		shift
		for src in "$@"; do
			"$cc" "${cflags[@]}" "${incs[@]}" -c "$src" -o "$obj/$sub/$(basename "$src" .c).o" ||
				die "$src does not build"
		done
	}
	build_obj engine "${engine[@]}"
	build_obj test "${test_srcs[@]}"
	build_obj tool "${tool_srcs[@]}"
	touch "$obj/.done"
fi
obj=$(cd "$obj" && pwd -P)

# ---- the unmutated tables: the tests must pass, the matrices are the baseline

base=$tmp/base
mkdir -p "$base"
cp "$policies" "$base/policies.c"
"$cc" "${cflags[@]}" -I"$base" "${incs[@]}" -c "$base/policies.c" -o "$base/policies.o" ||
	die "the unmutated $policies does not build"
"$cc" -o "$base/kunit-host" "$obj"/test/*.o "$obj"/engine/*.o "$base/policies.o"
"$cc" -o "$base/s2attr" "$obj"/tool/*.o "$obj"/engine/*.o "$base/policies.o"
if ! "$base/kunit-host" >"$base/test.log" 2>&1; then
	tail -n 20 "$base/test.log" >&2
	die "the host tests fail on the unmutated tables; mutation testing means nothing until they pass"
fi
mapfile -t policy_names < <("$base/s2attr" policies)
[ ${#policy_names[@]} -gt 0 ] || die "s2attr policies printed no policy"
for p in "${policy_names[@]}"; do
	"$base/s2attr" matrix --policy "$p" >"$base/$p.csv"
done

# ---- generate, build and run every mutant -----------------------------------

mutants=$tmp/mutants
python3 dev/mutate.py generate "$policies" "$mutants"
count=$(wc -l <"$mutants/manifest.tsv")
echo "mutation.sh: building and testing $count mutants, $jobs at a time" \
	"(policies: ${policy_names[*]})"

export MUT_OBJ=$obj MUT_BASE=$base MUT_POLICIES="${policy_names[*]}"
cut -f1 "$mutants/manifest.tsv" | sed "s|^|$mutants/|" |
	xargs -P "$jobs" -n 4 bash "$repo/dev/mutation.sh" --one

# Keep what is needed to look at the outcome: the manifest with the
# results, and the files of every survivor and of every mutant that did not
# build.
rm -rf "$out/survivors" "$out/errors"
while IFS=$'\t' read -r mid _; do
	keep=
	if grep -q 'test=survived' "$mutants/$mid/result" 2>/dev/null; then
		keep=$out/survivors/$mid
	elif ! grep -q 'build=ok' "$mutants/$mid/result" 2>/dev/null; then
		keep=$out/errors/$mid
	fi
	if [ -n "$keep" ]; then
		mkdir -p "$keep"
		cp "$mutants/$mid"/* "$keep/"
	fi
done <"$mutants/manifest.tsv"
paste "$mutants/manifest.tsv" <(cut -f1 "$mutants/manifest.tsv" |
	while read -r mid; do cat "$mutants/$mid/result" 2>/dev/null || echo build=missing; done) \
	>"$out/results.tsv"
echo "mutation.sh: $count mutants in $((SECONDS - start)) s; results in $out/results.tsv," \
	"survivors in $out/survivors/"
echo
rc=0
python3 dev/mutate.py report "$mutants" | tee "$out/report.txt" || rc=$?

[ "$sample" -eq 0 ] && exit "$rc"

# ---- --kunit-sample: the same mutants through the arm64 KUnit suite ---------

echo
echo "== kunit-sample: $sample mutants through kunit.py (arm64, QEMU) =="
mapfile -t picked < <(python3 dev/mutate.py sample "$mutants" "$sample" || true)
[ ${#picked[@]} -eq "$sample" ] ||
	die "only ${#picked[@]} non-equivalent mutants to sample, $sample wanted"

bash dev/deps.sh kernel || die "could not install the kernel build dependencies (dev/deps.sh kernel)"
bash dev/kernel-tree.sh apply || die "could not apply the project to the kernel work tree"
work=$(bash dev/kernel-tree.sh work) || die "could not find the kernel work tree"
cache=${S2ATTR_CACHE:-${XDG_CACHE_HOME:-${HOME:?set S2ATTR_CACHE or HOME}/.cache}/s2attr}
kbuild=$cache/build/mutation-kunit-$(basename "$work")
target=$work/$policies
[ -f "$target" ] || die "$target is missing: was the project applied to $work?"
mkdir -p "$kbuild" "$out/kunit-sample"

# Hold the work tree's lock (the one dev/kernel-tree.sh takes) so that no
# apply or KUnit run sees a mutant; then swap policies.c, restoring it on exit.
exec 9>"$work.lock"
flock 9
cmp -s "$policies" "$target" || die "$target differs from $policies: run dev/kernel-tree.sh apply"
cp -p "$target" "$tmp/policies.c.orig"
restore_from=$tmp/policies.c.orig
restore_target=$target

# kunit_run LOG: run the suite; prints "passed failed" from kunit.py's
# closing "Testing complete" line, or nothing when there is none (the
# kernel did not build or boot). The awk is the one of dev/kunit.sh.
kunit_run() {
	local log=$1
	(
		cd "$work" &&
		PYTHONUNBUFFERED=1 python3 tools/testing/kunit/kunit.py run \
			--arch=arm64 --cross_compile=aarch64-linux-gnu- \
			--kunitconfig="$engine_dir" --build_dir="$kbuild" \
			--jobs="${KUNIT_JOBS:-2}" --timeout=900
	) >"$log" 2>&1 || true
	sed 's/\x1b\[[0-9;]*m//g' "$log" | awk '
	function n(key) {
		if (!match($0, key ": [0-9]+"))
			return 0
		return substr($0, RSTART + length(key) + 2) + 0
	}
	/Testing complete\. Ran [0-9]+ tests/ {
		lines++
		sub(/.*Testing complete\. Ran /, "")
		passed += n("passed")
		failed += $1 - n("passed") - n("skipped") + n("errors")
	}
	END { if (lines) print passed + 0, failed + 0 }'
}

# The unmutated tables first; a stale policies.o of an earlier mutant must go.
rm -f "$kbuild/$engine_dir/policies.o"
t=$SECONDS
echo "kunit-sample: unmutated tables (the first build takes several minutes)"
read -r passed failed < <(kunit_run "$out/kunit-sample/unmutated.log"; echo "- -") || true
if [ "$passed" = - ] || [ "$failed" != 0 ]; then
	echo "kunit-sample: the unmutated suite did not pass (passed=$passed failed=$failed);" \
		"see $out/kunit-sample/unmutated.log" >&2
	echo "kunit-sample: 0 passed, $sample failed"
	exit 1
fi
echo "kunit-sample: unmutated: $passed passed, 0 failed ($((SECONDS - t)) s)"

killed=0
missed=0
for mid in "${picked[@]}"; do
	desc=$(awk -F'\t' -v id="$mid" '$1 == id { print $2 ": " $5 }' "$mutants/manifest.tsv")
	cp "$mutants/$mid/policies.c" "$target"	# a new mtime: kbuild rebuilds it
	t=$SECONDS
	read -r passed failed < <(kunit_run "$out/kunit-sample/$mid.log"; echo "- -") || true
	if [ "$passed" = - ]; then
		missed=$((missed + 1))
		echo "kunit-sample: $mid ERROR (no KUnit summary; see $out/kunit-sample/$mid.log): $desc"
	elif [ "$failed" -gt 0 ]; then
		killed=$((killed + 1))
		echo "kunit-sample: $mid killed ($failed failed, $passed passed, $((SECONDS - t)) s): $desc"
	else
		missed=$((missed + 1))
		echo "kunit-sample: $mid SURVIVED ($passed passed, $((SECONDS - t)) s): $desc"
	fi
done
cp -p "$restore_from" "$target"
restore_target=
echo "kunit-sample: restored $target; logs in $out/kunit-sample/"
echo "kunit-sample: $killed passed, $missed failed"
[ "$rc" -eq 0 ] && [ "$missed" -eq 0 ]
