#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# bench.sh - what a stage-2 decision costs.
#
#   1. Instructions per decision, counted by valgrind --tool=callgrind (see
#      tools/kvm/s2attr/bench/bench.c for the method): s2attr_decide() under
#      each policy, the hand-written Linux 6.12 and 6.17 if-chains with and
#      without input validation, and a dense array (the limit: one load),
#      over a uniform and a realistic mix of faults, printed as a table. Each
#      baseline is first proven equal to s2attr_decide() on all 53,248
#      inputs, but for the 360 memslot inputs where the default departs from
#      6.17 on purpose (patch 6), which the 6.17 chain must refuse. The only thresholds are regression guards: s2attr_decide()
#      <= 200 Ir per decision on the uniform mix, every policy (BENCH_MAX_IR
#      to try another limit). A first-match scan of up to eleven rows and
#      four grants costs 130-160 Ir on x86-64 (measured 2026-12-01); a
#      stage-2 fault costs thousands (mmap lock, VMA lookup, GUP or a
#      page-table walk, mmu_lock, the stage-2 walk), so the guard only
#      catches a regression, such as a table that doubles.
#   2. No heap, no locks: no allocator or lock symbol among the undefined
#      symbols of the engine objects (decide.o, policies.o) on the host.
#   3. The time the KUnit run takes in QEMU, from the last dev/kunit.sh log:
#      reported, never a failure.
#
# Writes $BUILD/bench/ (default build/bench/), including RESULTS.md with the
# tables. The last line is "bench: N passed, N failed", N counting checks.
# Env: BUILD, HOSTCC, BENCH_MAX_IR, and S2ATTR_CACHE as for dev/kunit.sh.
set -euo pipefail
shopt -s inherit_errexit

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export S2ATTR_CACHE=${S2ATTR_CACHE:-${XDG_CACHE_HOME:-${HOME:?set S2ATTR_CACHE or HOME}/.cache}/s2attr}
build=${BUILD:-build}
case $build in
/*) out=$build/bench ;;
*) out=$repo/$build/bench ;;
esac
bench=$repo/tools/kvm/s2attr/bench
engine=$repo/arch/arm64/kvm/s2attr
hostcc=${HOSTCC:-gcc}

passed=0
failed=0
results=()

check() {
	local ok=$1
	shift
	if [ "$ok" = 1 ]; then
		echo "CHECK PASS $*"
	else
		echo "CHECK FAIL $*"
	fi
}

# Count the CHECK lines of $1 (a file) into passed/failed.
count() {
	local p f
	p=$(grep -c '^CHECK PASS' "$1" || true)
	f=$(grep -c '^CHECK FAIL' "$1" || true)
	passed=$((passed + p))
	failed=$((failed + f))
}

finish() {
	echo "bench: $passed passed, $failed failed"
	if [ "$failed" -ne 0 ]; then
		exit 1
	fi
	exit 0
}

# none_of LIST: 1 when LIST is empty, else 0.
none_of() {
	if [ -z "$1" ]; then echo 1; else echo 0; fi
}

bash "$repo/dev/deps.sh" host || {
	echo "bench.sh: could not install what the benchmark needs" >&2
	echo "bench: 0 passed, 1 failed"
	exit 1
}

rm -rf "$out"
mkdir -p "$out/host"

# ---- 1. Instructions per decision -----------------------------------------

echo "== instructions per decision (valgrind --tool=callgrind)"
# -O2 and the code-generation flags the kernel uses; no sanitizers. The
# engine and the baselines are separate objects and there is no LTO, so
# nothing measured is inlined into the drivers.
cflags=(-std=gnu11 -O2 -g -fno-strict-aliasing -fno-common -fno-PIE
	-fno-delete-null-pointer-checks -Wall -Wextra -Wno-unused-parameter -Werror
	-I"$repo/tools/kvm/s2attr/include" -I"$repo/include" -I"$engine")
build_ok=1
for f in decide policies; do
	"$hostcc" "${cflags[@]}" -c -o "$out/host/$f.o" "$engine/$f.c" || build_ok=0
done
for f in bench baselines; do
	"$hostcc" "${cflags[@]}" -fno-ipa-icf -c -o "$out/host/$f.o" "$bench/$f.c" || build_ok=0
done
if [ "$build_ok" = 1 ]; then
	"$hostcc" -no-pie -o "$out/s2attr-bench" "$out/host/"*.o || build_ok=0
fi
check "$build_ok" "the benchmark builds (-O2, no sanitizers)" | tee "$out/build.checks"
count "$out/build.checks"
[ "$build_ok" = 1 ] || finish

# Prove the baselines first, natively; measure only if they hold.
set +e
"$out/s2attr-bench" verify > "$out/verify.log" 2>&1
rc=$?
set -e
cat "$out/verify.log"
count "$out/verify.log"
if [ "$rc" -ne 0 ]; then
	check 0 "the baselines agree with s2attr_decide(): nothing measured" | tee "$out/verify.checks"
	count "$out/verify.checks"
	finish
fi

for mix in uniform realistic; do
	valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.$mix" \
		--compress-strings=no --compress-pos=no \
		"$out/s2attr-bench" run "$mix" > "$out/run.$mix.log" 2> "$out/valgrind.$mix.log" || {
		cat "$out/run.$mix.log" "$out/valgrind.$mix.log"
		check 0 "callgrind runs the $mix mix" | tee "$out/run.checks"
		count "$out/run.checks"
		finish
	}
done
set +e
python3 "$bench/bench-table.py" "$out/callgrind.uniform" "$out/callgrind.realistic" \
	> "$out/ir.md"
set -e
cat "$out/ir.md"
count "$out/ir.md"
results+=("### Instructions per decision (x86-64 host, callgrind)" ""
	  "$(grep -v '^CHECK' "$out/ir.md")")

# ---- 2. No heap, no locks -------------------------------------------------

echo
echo "== no heap, no locks"
host_heap_re='^(malloc|calloc|realloc|reallocarray|free|aligned_alloc|posix_memalign|memalign|valloc|pvalloc|strdup|strndup|mmap|sbrk|brk)(@.*)?$'
host_lock_re='^(pthread_|sem_|mtx_|cnd_|__pthread)'
{
	syms=$(nm -u "$out/host/decide.o" "$out/host/policies.o" |
		awk 'NF == 2 { print $2 }' | sort -u)
	bad=$(grep -E "$host_heap_re" <<<"$syms" | tr '\n' ' ' || true)
	check "$(none_of "$bad")" "no heap on the host: the engine objects reference no malloc/free${bad:+: $bad}"
	bad=$(grep -E "$host_lock_re" <<<"$syms" | tr '\n' ' ' || true)
	check "$(none_of "$bad")" "no locks on the host: the engine objects reference no pthread/semaphore${bad:+: $bad}"
	echo "undefined symbols, host engine objects: $(tr '\n' ' ' <<<"$syms")"
} | tee "$out/heap.checks"
count "$out/heap.checks"

# ---- 3. KUnit cost --------------------------------------------------------

echo
echo "== KUnit run time in QEMU (reported, no threshold)"
log=$S2ATTR_CACHE/logs/kunit.log
# The KTAP of the newest KUnit build, if any (nothing is built or provisioned here).
ktap=$(ls -t "$S2ATTR_CACHE"/build/e2e-arm64-*/kernel/test.log 2>/dev/null | head -n 1 || true)
kunit_line="no dev/kunit.sh log in $log: run make kunit"
if [ -f "$log" ]; then
	clean=$(sed 's/\x1b\[[0-9;]*m//g' "$log")
	elapsed=$(grep -o 'Elapsed time: .*' <<<"$clean" | tail -n 1 || true)
	ran=$(grep -o 'Testing complete\. Ran .*' <<<"$clean" | tail -n 1 || true)
	running=$(sed -n 's/.* \([0-9.]*\)s running.*/\1/p' <<<"$elapsed")
	kunit_line="kunit.py (log of $(date -u -r "$log" '+%Y-%m-%d %H:%M UTC')): ${running:-?} s running (boot of the QEMU guest, every suite, power-off); ${elapsed:-no Elapsed line}; ${ran:-no summary}"
	# With printk times on, the KTAP tells the time of the suite itself.
	if [ -f "$ktap" ] && grep -qE '^\[ *[0-9]+\.[0-9]+\].*# Subtest: kvm_arm64_s2attr$' "$ktap"; then
		t0=$(grep -E '# Subtest: kvm_arm64_s2attr$' "$ktap" | head -n 1 | sed -E 's/^\[ *([0-9.]+)\].*/\1/')
		t1=$(grep -E 'ok [0-9]+ kvm_arm64_s2attr$' "$ktap" | tail -n 1 | sed -E 's/^\[ *([0-9.]+)\].*/\1/')
		kunit_line="$kunit_line; kvm_arm64_s2attr suite: $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s (KTAP printk times)"
	elif [ -f "$ktap" ]; then
		kunit_line="$kunit_line; the KTAP in $ktap has no printk times (CONFIG_PRINTK_TIME is off), so the time is kunit.py's"
	fi
fi
echo "$kunit_line"
results+=("" "### KUnit in QEMU" "" "$kunit_line")

{
	echo "<!-- Written by dev/bench.sh (make bench) on $(date -u '+%Y-%m-%d %H:%M UTC'). -->"
	printf '%s\n' "${results[@]}"
} > "$out/RESULTS.md"
echo
echo "bench.sh: tables in $out/RESULTS.md"
finish
