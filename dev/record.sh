#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# record.sh RESULT CMD... - run one test suite and record its counts.
#
# Runs CMD with its output on the terminal and in RESULT.log, then writes
# "N passed, N failed" to RESULT, taken from the last such line CMD printed
# (a "word:" prefix is allowed). A suite that fails without saying so, or
# says nothing, is recorded as one failure so it cannot be lost in a sum.
# The seconds it took go to RESULT.seconds.
set -uo pipefail

result=${1:?usage: record.sh RESULT CMD...}
shift
mkdir -p "$(dirname "$result")"

start=$SECONDS
"$@" 2>&1 | tee "$result.log"
rc=${PIPESTATUS[0]}
echo $((SECONDS - start)) >"$result.seconds"

line=$(grep -E '^([A-Za-z0-9_-]+: )?[0-9]+ passed, [0-9]+ failed' "$result.log" | tail -n 1)
if [ -z "$line" ]; then
	echo "record.sh: '$*' printed no 'N passed, N failed' line (exit $rc)" >&2
	passed=0 failed=1
else
	passed=$(sed -E 's/^([A-Za-z0-9_-]+: )?([0-9]+) passed, ([0-9]+) failed.*/\2/' <<<"$line")
	failed=$(sed -E 's/^([A-Za-z0-9_-]+: )?([0-9]+) passed, ([0-9]+) failed.*/\3/' <<<"$line")
	if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
		echo "record.sh: '$*' exited $rc but reported no failure; counting one" >&2
		failed=1
	fi
fi
echo "$passed passed, $failed failed" > "$result"
exit "$rc"
