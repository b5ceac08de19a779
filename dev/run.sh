#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# run.sh - the main job: real KVM guests, on one patched Linux 6.12 arm64
# kernel, fault through s2attr in QEMU under every policy; the KVM selftest
# s2attr_e2e decides each scenario from its own model, and what KVM did is
# also compared with what the policy tables say (dev/e2e.sh). Then the
# tables themselves, and what the series changes.
set -uo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
tool=$repo/build/s2attr

echo "== 1. End to end: KVM guests in QEMU, one kernel, every policy per VM =="
bash "$repo/dev/e2e.sh"
status=$?

echo
echo "== 2. The policy tables (arch/arm64/kvm/s2attr/policies.c) =="
"$tool" table

echo "== 3. What the series changes: cacheable-pfnmap vs linux-6.12 =="
"$tool" diff linux-6.12 cacheable-pfnmap | grep -E '^(#|memslot|fault)'
exit $status
