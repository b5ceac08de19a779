#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# bench.sh - what a stage-2 decision costs, with the thresholds of issue 7.
#
#   1. Instructions per decision, counted by valgrind --tool=callgrind (see
#      tools/kvm/s2attr/bench/bench.c for the method): s2attr_decide() under
#      each policy, the Linux 6.12 and 6.17 if-chains it replaces and a dense
#      array, over a uniform and a realistic mix of faults. Each baseline is
#      first proven equal to s2attr_decide() on all 28,672 inputs.
#      Thresholds: s2attr_decide() <= 1.0x the 6.17 if-chain on the uniform
#      mix and <= 1.2x on the realistic one, <= 3x the dense array on both.
#   2. Size on arm64. The engine is decide.o + policies.o: every byte of
#      code (.text*, .init.text) and read-only data (.rodata*) they have,
#      <= 2 KiB. rules.o, the names (rule reasons and references, policy
#      lookup by name) that no decision reads, is reported apart. The
#      objects are this repository's sources built with the flags of the
#      KUnit kernel build (its .<obj>.o.cmd files; dev/kunit.sh runs first
#      when there is none), plus
#      -fstack-usage for the stack frame of s2attr_decide().
#   3. No heap, no locks: no allocator or lock symbol among the undefined
#      symbols of the engine objects, on arm64 and on the host.
#   4. The time the KUnit run takes in QEMU, from the last dev/kunit.sh log:
#      reported, never a failure.
#
# Writes $BUILD/bench/ (default build/bench/), including RESULTS.md with the
# tables. The last line is "bench: N passed, N failed", N counting checks.
# Env: BUILD, HOSTCC, and KDIR and S2ATTR_CACHE as for dev/kunit.sh.
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
size_limit=2048

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

bash "$repo/dev/deps.sh" host kernel || {
	echo "bench.sh: could not install what the benchmark needs" >&2
	echo "bench: 0 passed, 1 failed"
	exit 1
}

rm -rf "$out"
mkdir -p "$out/host" "$out/arm64"

# ---- 1. Instructions per decision -----------------------------------------

echo "== instructions per decision (valgrind --tool=callgrind)"
# -O2 and the code-generation flags the kernel uses; no sanitizers. The
# engine and the baselines are separate objects and there is no LTO, so
# nothing measured is inlined into the drivers.
cflags=(-std=gnu11 -O2 -g -fno-strict-aliasing -fno-common -fno-PIE
	-fno-delete-null-pointer-checks -Wall -Wextra -Wno-unused-parameter -Werror
	-I"$repo/tools/kvm/s2attr/include" -I"$repo/include" -I"$engine")
build_ok=1
for f in decide policies rules; do
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

# ---- 2. Size and stack on arm64 -------------------------------------------

echo
echo "== size on arm64"
if ! work=$(bash "$repo/dev/kernel-tree.sh" work); then
	check 0 "a Linux 6.12 work tree for the arm64 build" | tee "$out/tree.checks"
	count "$out/tree.checks"
	finish
fi
kbuild=$S2ATTR_CACHE/build/kunit-arm64-$(basename "$work")
if [ ! -f "$kbuild/arch/arm64/kvm/s2attr/.decide.o.cmd" ]; then
	echo "bench.sh: no KUnit kernel build in $kbuild yet: running dev/kunit.sh (minutes)"
	bash "$repo/dev/kunit.sh" > "$out/kunit.log" 2>&1 || true
	tail -n 3 "$out/kunit.log"
fi

# cmd_of OBJ: the command that built OBJ.o in the KUnit build, made to
# build this repository's OBJ.c into $out/arm64 instead: no dependency file,
# this repository's include/ first (for <kvm/s2attr.h>), -fstack-usage.
cmd_of() {
	local cmdfile=$kbuild/arch/arm64/kvm/s2attr/.$1.o.cmd cmd
	[ -f "$cmdfile" ] || return 1
	cmd=$(sed -n 's/^savedcmd_[^ ]* := //p' "$cmdfile")
	[ -n "$cmd" ] || return 1
	sed -E -e 's/ -Wp,-MMD,[^ ]+//' \
		-e "s# -nostdinc # -nostdinc -I$repo/include #" \
		-e "s# -c -o [^ ]+ [^ ]+/$1\\.c *\$# -fstack-usage -c -o $out/arm64/$1.o $engine/$1.c#" \
		<<<"$cmd"
}

arm_ok=1
for o in decide policies rules; do
	if ! cmd=$(cmd_of "$o"); then
		echo "bench.sh: no build command for $o.o in $kbuild" >&2
		arm_ok=0
		continue
	fi
	(cd "$kbuild" && eval "$cmd") || arm_ok=0
done
check "$arm_ok" "the engine builds for arm64 with the flags of $kbuild" | tee "$out/arm.checks"
count "$out/arm.checks"

# section_sum OBJ REGEX: the bytes of OBJ's sections whose name matches REGEX.
section_sum() {
	aarch64-linux-gnu-size -A "$1" | awk -v re="$2" '$1 ~ re { n += $2 } END { print n + 0 }'
}

# engine_bytes DIR: code + read-only data of DIR/decide.o and DIR/policies.o.
engine_bytes() {
	local o n=0
	for o in decide policies; do
		n=$((n + $(section_sum "$1/$o.o" "$code_re") + $(section_sum "$1/$o.o" "$rodata_re")))
	done
	echo "$n"
}

code_re='^\.(text|init\.text|exit\.text)'
rodata_re='^\.(rodata|init\.rodata)'
if [ "$arm_ok" = 1 ]; then
	{
		echo "| arm64 object | .text | .init.text | .rodata* | code + .rodata | .data..ro_after_init | .bss |"
		echo "|---|---:|---:|---:|---:|---:|---:|"
		for o in decide policies rules; do
			obj=$out/arm64/$o.o
			t=$(section_sum "$obj" '^\.text')
			i=$(section_sum "$obj" '^\.(init|exit)\.text')
			r=$(section_sum "$obj" "$rodata_re")
			d=$(section_sum "$obj" '^\.data\.\.ro_after_init')
			b=$(section_sum "$obj" '^\.bss')
			echo "| $o.o | $t | $i | $r | $((t + i + r)) | $d | $b |"
		done
		echo "| **engine = decide.o + policies.o** | | | | **$(engine_bytes "$out/arm64")** | | |"
		echo
		echo "The engine's code counts .init.text too (s2attr_index_init(), freed after"
		echo "boot). .data..ro_after_init is the index that s2attr_index_init() derives"
		echo "from the fault tables at boot, read-only after init. rules.o, the reasons"
		echo "and references that the tool, the trace and the docs print and the lookup"
		echo "of a policy by name for the tool and the tests, is on no decision path and"
		echo "is not counted."
		if cmp -s "$engine/decide.c" "$work/arch/arm64/kvm/s2attr/decide.c" &&
		   cmp -s "$engine/policies.c" "$work/arch/arm64/kvm/s2attr/policies.c" &&
		   cmp -s "$engine/policy.h" "$work/arch/arm64/kvm/s2attr/policy.h" &&
		   cmp -s "$repo/include/kvm/s2attr.h" "$work/include/kvm/s2attr.h" &&
		   [ -f "$kbuild/arch/arm64/kvm/s2attr/decide.o" ] &&
		   [ -f "$kbuild/arch/arm64/kvm/s2attr/policies.o" ]; then
			echo "Cross-check: the KUnit kernel build's own decide.o + policies.o, of the"
			echo "same sources: $(engine_bytes "$kbuild/arch/arm64/kvm/s2attr") bytes."
		else
			echo "(The KUnit kernel build is of other sources than these; no cross-check.)"
		fi
		echo
		su=$(awk -F'\t' '$1 ~ /:s2attr_decide$/ { print $2 " bytes, " $3 }' "$out/arm64/decide.su")
		echo "Stack frame of s2attr_decide() (-fstack-usage): ${su:-not found}."
		echo "Largest frame in the engine: $(cat "$out/arm64/decide.su" "$out/arm64/policies.su" |
			sort -t$'\t' -k2 -n | tail -n 1 | awk -F'\t' '{ sub(/.*:/, "", $1); print $1 ", " $2 " bytes, " $3 }')."
		echo
		echo "Undefined symbols, arm64: decide.o: $(aarch64-linux-gnu-nm -u "$out/arm64/decide.o" |
			awk '{ print $2 }' | tr '\n' ' ')policies.o: $(aarch64-linux-gnu-nm -u "$out/arm64/policies.o" |
			awk '{ print $2 }' | tr '\n' ' ')"
	} > "$out/size.md"
	cat "$out/size.md"
	results+=("" "### Size on arm64 (KUnit kernel build flags)" "" "$(cat "$out/size.md")")
	n=$(engine_bytes "$out/arm64")
	ok=0
	if [ "$n" -le "$size_limit" ]; then ok=1; fi
	check "$ok" "engine (decide.o + policies.o) code + .rodata on arm64: $n bytes (limit $size_limit)" \
		| tee "$out/size.checks"
	count "$out/size.checks"
fi

# ---- 3. No heap, no locks -------------------------------------------------

echo
echo "== no heap, no locks"
heap_re='^(__)?(kmalloc|kzalloc|kcalloc|krealloc|kfree|kvmalloc|kvzalloc|kvcalloc|kvfree|kvrealloc|vmalloc|vzalloc|vfree|kmem_cache_|kmemdup|kstrdup|alloc_pages|__alloc_pages|get_free_pages|__get_free_pages|free_pages|devm_|mempool_|pcpu_alloc|__alloc_percpu|free_percpu)'
lock_re='(mutex|spin_lock|spin_unlock|spin_trylock|_raw_spin|_raw_read|_raw_write|rwlock|rwsem|down_read|down_write|up_read|up_write|^down$|^up$|down_trylock|down_interruptible|seqlock|queued_spin|queued_read|queued_write|rcu_read_lock|rcu_read_unlock|synchronize_rcu|local_lock|lock_acquire|lock_release)'
host_heap_re='^(malloc|calloc|realloc|reallocarray|free|aligned_alloc|posix_memalign|memalign|valloc|pvalloc|strdup|strndup|mmap|sbrk|brk)(@.*)?$'
host_lock_re='^(pthread_|sem_|mtx_|cnd_|__pthread)'
{
	if [ "$arm_ok" = 1 ]; then
		syms=$(aarch64-linux-gnu-nm -u "$out/arm64/decide.o" "$out/arm64/policies.o" \
			"$out/arm64/rules.o" | awk 'NF == 2 { print $2 }' | sort -u)
		bad=$(grep -E "$heap_re" <<<"$syms" | tr '\n' ' ' || true)
		check "$(none_of "$bad")" "no heap on arm64: decide.o policies.o rules.o reference no allocator${bad:+: $bad}"
		bad=$(grep -E "$lock_re" <<<"$syms" | tr '\n' ' ' || true)
		check "$(none_of "$bad")" "no locks on arm64: decide.o policies.o rules.o reference no lock${bad:+: $bad}"
	else
		check 0 "no heap on arm64: no arm64 objects to look at"
		check 0 "no locks on arm64: no arm64 objects to look at"
	fi
	syms=$(nm -u "$out/host/decide.o" "$out/host/policies.o" "$out/host/rules.o" |
		awk 'NF == 2 { print $2 }' | sort -u)
	bad=$(grep -E "$host_heap_re" <<<"$syms" | tr '\n' ' ' || true)
	check "$(none_of "$bad")" "no heap on the host: the engine objects reference no malloc/free${bad:+: $bad}"
	bad=$(grep -E "$host_lock_re" <<<"$syms" | tr '\n' ' ' || true)
	check "$(none_of "$bad")" "no locks on the host: the engine objects reference no pthread/semaphore${bad:+: $bad}"
	echo "undefined symbols, host engine objects: $(tr '\n' ' ' <<<"$syms")"
} | tee "$out/heap.checks"
count "$out/heap.checks"

# ---- 4. KUnit cost --------------------------------------------------------

echo
echo "== KUnit run time in QEMU (reported, no threshold)"
log=$S2ATTR_CACHE/logs/kunit.log
ktap=$kbuild/test.log
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
