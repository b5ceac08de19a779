#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# summary.sh RESULTS SUITE... - print each suite's counts and their sum.
#
# The last line is "N passed, N failed" over every suite named; a suite
# with no result (it did not run) counts as one failure. Each suite's line
# has the minutes it took (dev/record.sh). Exits 1 when anything failed.
set -u

dir=${1:?usage: summary.sh RESULTS SUITE...}
shift
total_pass=0
total_fail=0

for suite in "$@"; do
	if [ -f "$dir/$suite" ]; then
		read -r p _ f _ < "$dir/$suite"
	else
		echo "$suite: did not run" >&2
		p=0 f=1
	fi
	t=
	if [ -f "$dir/$suite.seconds" ]; then
		read -r t < "$dir/$suite.seconds"
		t=$(printf ' (%d min %02d s)' $((t / 60)) $((t % 60)))
	fi
	printf '%-13s %s passed, %s failed%s\n' "$suite:" "$p" "$f" "$t"
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
done
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
