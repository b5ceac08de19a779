#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# run.sh - the main job for a newcomer: build the patched Linux 6.12 arm64
# kernel, run the s2attr KUnit suite in QEMU, and print the decision tables
# the kernel now uses and what the series changes.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
tool=$repo/build/s2attr

echo "== 1. KUnit: every input of every policy, inside an arm64 kernel in QEMU =="
bash "$repo/dev/kunit.sh"

echo
echo "== 2. The policy tables (arch/arm64/kvm/s2attr/policies.c) =="
"$tool" table

echo "== 3. Every table is total and every row decides some input =="
"$tool" check

echo
echo "== 4. What the series changes: cacheable-pfnmap vs linux-6.12 =="
"$tool" diff linux-6.12 cacheable-pfnmap | grep -E '^(#|memslot|fault)'
