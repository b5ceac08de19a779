#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# run.sh - the main job: a real KVM guest, on patched Linux 6.12 arm64
# kernels built with each policy, faults through s2attr in QEMU, and what
# KVM did in every scenario is compared with what the policy table says
# (dev/e2e.sh). Then the tables themselves, and what the series changes.
set -uo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
tool=$repo/build/s2attr

echo "== 1. End to end: KVM guests in QEMU, one kernel per policy =="
bash "$repo/dev/e2e.sh"
status=$?

echo
echo "== 2. The policy tables (arch/arm64/kvm/s2attr/policies.c) =="
"$tool" table

echo "== 3. What the series changes: cacheable-pfnmap vs linux-6.12 =="
"$tool" diff linux-6.12 cacheable-pfnmap | grep -E '^(#|memslot|fault)'
exit $status
