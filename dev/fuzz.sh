#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# fuzz.sh - libFuzzer with ASan and UBSan on the s2attr engine and tool.
#
# Builds the harnesses of tools/kvm/s2attr/fuzz/ with clang
# (-fsanitize=fuzzer,address,undefined) and runs each for FUZZ_SECONDS
# (default 60), side by side when there are CPUs for it:
#   decide   s2attr_decide() over raw input bytes, out-of-domain values
#            included (fuzz_decide.c says what makes it abort), with the
#            rule texts of the tool (tools/kvm/s2attr/rules.c);
#   explain  the key=value parser of `s2attr explain` (input.c), with its
#            presets and hosts;
#   trace    the trace line parser of `s2attr explain --trace` (trace.c,
#            which hands the input words to input.c).
# Each starts from its checked-in seeds (tools/kvm/s2attr/fuzz/corpus/NAME/)
# and the working corpus it grew before (build/fuzz/corpus/NAME/, never
# checked in). Any crash, sanitizer report, leak, timeout or failed check
# fails the harness; the input that did it is left in
# build/fuzz/artifacts/NAME/. Prints the executions per second and the
# corpus size of each, and ends with "fuzz: N passed, N failed".
#
# To reproduce a failure: build/fuzz/fuzz_NAME build/fuzz/artifacts/NAME/crash-...
set -euo pipefail
shopt -s inherit_errexit

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$repo"

seconds=${FUZZ_SECONDS:-60}
[[ $seconds =~ ^[1-9][0-9]*$ ]] || {
	echo "fuzz.sh: FUZZ_SECONDS must be a positive number of seconds, not '$seconds'" >&2
	echo "fuzz: 0 passed, 1 failed"
	exit 1
}

harnesses=(decide explain trace)
fuzz_dir=tools/kvm/s2attr/fuzz
out=build/fuzz

fail() {
	echo "fuzz.sh: $*" >&2
	echo "fuzz: 0 passed, ${#harnesses[@]} failed"
	exit 1
}

bash dev/deps.sh fuzz || fail "could not install clang and libFuzzer (dev/deps.sh fuzz)"

cc=${FUZZ_CC:-clang}
cflags=(-std=gnu11 -g -O1 '-fsanitize=fuzzer,address,undefined' -fno-sanitize-recover=all
	-fno-omit-frame-pointer -Wall -Wextra -Wno-unused-parameter -Werror
	-Itools/kvm/s2attr/include -Iinclude -Iarch/arm64/kvm/s2attr)
# The engine sources that build in user space: the Makefile's ENGINE_SRCS.
engine_srcs() {
	make -s --no-print-directory print-engine-srcs | tr ' ' '\n' | sed '/^$/d'
}
mapfile -t engine < <(engine_srcs)
extra_decide=(tools/kvm/s2attr/rules.c)
extra_explain=(tools/kvm/s2attr/input.c)
extra_trace=(tools/kvm/s2attr/trace.c tools/kvm/s2attr/input.c)

mkdir -p "$out"
for h in "${harnesses[@]}"; do
	case $h in
	decide) extra=("${extra_decide[@]}") ;;
	explain) extra=("${extra_explain[@]}") ;;
	trace) extra=("${extra_trace[@]}") ;;
	esac
	echo "fuzz.sh: building $out/fuzz_$h"
	"$cc" "${cflags[@]}" -o "$out/fuzz_$h" "$fuzz_dir/fuzz_$h.c" "${extra[@]}" "${engine[@]}" ||
		fail "fuzz_$h does not build with $cc"
done

# Side by side when there are two CPUs or more, else one after the other.
parallel=0
if [ "$(nproc)" -ge 2 ]; then parallel=1; fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

run() {
	local h=$1 dict=()
	local corpus=$out/corpus/$h art=$out/artifacts/$h
	mkdir -p "$corpus" "$art"
	rm -f "$art"/*
	if [ -f "$fuzz_dir/$h.dict" ]; then dict=(-dict="$fuzz_dir/$h.dict"); fi
	# The first corpus directory is where libFuzzer writes new inputs.
	"$out/fuzz_$h" -max_total_time="$seconds" -print_final_stats=1 -timeout=10 \
		-rss_limit_mb=2048 -artifact_prefix="$art/" "${dict[@]}" \
		"$corpus" "$fuzz_dir/corpus/$h" >"$out/$h.log" 2>&1
}

echo "fuzz.sh: running ${harnesses[*]} for $seconds s each$([ "$parallel" = 1 ] && echo ", side by side")"
declare -A rcs=() pids=()
for h in "${harnesses[@]}"; do
	if [ "$parallel" = 1 ]; then
		run "$h" &
		pids[$h]=$!
	else
		rc=0
		run "$h" || rc=$?
		rcs[$h]=$rc
	fi
done
for h in "${!pids[@]}"; do
	rc=0
	wait "${pids[$h]}" || rc=$?
	rcs[$h]=$rc
done

passed=0
failed=0
for h in "${harnesses[@]}"; do
	log=$out/$h.log
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	# The last status line: "#N DONE cov: C ft: F corp: U/SIZE ...".
	corp=$(grep -oE 'corp: [0-9]+/[0-9]+[a-zA-Z]*' "$log" | tail -n 1 | cut -d' ' -f2)
	files=$(find "$out/corpus/$h" -type f | wc -l)
	bytes=$(find "$out/corpus/$h" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
	bad=
	if [ "${rcs[$h]}" -ne 0 ]; then bad="exit status ${rcs[$h]}"; fi
	if grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|deadly signal|fuzz_(decide|explain|trace): line' "$log"; then
		bad="${bad:+$bad, }a crash or sanitizer report"
	fi
	if [ -n "$(ls -A "$out/artifacts/$h")" ]; then
		bad="${bad:+$bad, }artifacts in $out/artifacts/$h/"
	fi
	if [ -z "$execs" ]; then bad="${bad:+$bad, }no final statistics"; fi
	printf 'fuzz %-8s %s executions in %s s, %s exec/s; corpus: %s units (%s) in use,' \
		"$h" "${execs:-?}" "$seconds" "${rate:-?}" "${corp%%/*}" "${corp#*/}"
	printf ' %s files (%s bytes) in %s\n' "$files" "$bytes" "$out/corpus/$h"
	if [ -n "$bad" ]; then
		failed=$((failed + 1))
		echo "fuzz $h: FAILED ($bad); the end of $log:"
		grep -vE '^(#[0-9]+|INFO:|\s*$)' "$log" | tail -n 40 | sed 's/^/    /'
		for a in "$out/artifacts/$h"/*; do
			if [ -f "$a" ]; then echo "    reproduce: $out/fuzz_$h $a"; fi
		done
	else
		passed=$((passed + 1))
	fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
