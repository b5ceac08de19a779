#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
#
# fault-cost-trace.py - where the instructions of a stage-2 fault go, per
# function, inline functions included: for dev/fault-cost.sh --trace.
#
#   fault-cost-trace.py KIND PRISTINE_DIR PATCHED_DIR
#
# Each DIR holds what one traced boot left: exec.log (QEMU -singlestep -d
# exec,nochain -dfilter: one line per instruction executed in the
# functions of ranges.txt), ranges.txt ("NAME START END" per function),
# console.txt (fault_cost's lines) and vmlinux (a link to the kernel, with
# debug information). A new VM starts a segment (kvm_arch_init_vm entered);
# the segments in which faults were taken are those of fault_cost's
# "fault-cost: policy=P kind=K" lines, in order, so the segment of the
# default policy and KIND is found in each kernel. Its instructions are
# attributed by `addr2line -f -i` to the innermost function each comes
# from, and divided by the user_mem_abort() calls of the segment (the
# calls of pfn_is_map_memory(): once per call in both kernels); the VM's
# exits to user space run the same code in both kernels. Prints per
# function the instructions per call of each kernel and the difference,
# the largest differences first (those within half an instruction summed
# on one line), then the totals.
import collections
import os
import re
import subprocess
import sys

TRACE = re.compile(r"Trace \d+: \S+ \[[0-9a-f]+/([0-9a-f]+)/")
LINE = re.compile(r"^fault-cost: policy=(\S+) kind=(\S+) ")
ADDR2LINE = os.environ.get("ADDR2LINE", "aarch64-linux-gnu-addr2line")


def die(msg):
    print("fault-cost-trace.py: " + msg, file=sys.stderr)
    sys.exit(1)


def load(d, kind):
    ranges = {}
    for line in open(os.path.join(d, "ranges.txt")):
        name, a, b = line.split()
        ranges[name] = (int(a, 16), int(b, 16))
    for need in ("kvm_arch_init_vm", "pfn_is_map_memory"):
        if need not in ranges:
            die("%s: no %s in ranges.txt" % (d, need))
    lines = [m.groups() for m in map(LINE.match, open(os.path.join(d, "console.txt"),
                                                       errors="replace")) if m]
    if ("default", kind) not in lines:
        die("%s: fault_cost printed no line for the default policy and %s" % (d, kind))
    want = lines.index(("default", kind))
    init = ranges["kvm_arch_init_vm"][0]
    pfn = ranges["pfn_is_map_memory"][0]
    segs = []
    for line in open(os.path.join(d, "exec.log"), errors="replace"):
        m = TRACE.match(line)
        if not m:
            continue
        pc = int(m.group(1), 16)
        if pc == init:
            segs.append([collections.Counter(), 0])
        elif segs:
            segs[-1][0][pc] += 1
            if pc == pfn:
                segs[-1][1] += 1
    faulting = [s for s in segs if s[1]]
    if len(faulting) != len(lines):
        die("%s: %d VMs took faults, fault_cost printed %d lines" %
            (d, len(faulting), len(lines)))
    counts, calls = faulting[want]
    pcs = sorted(counts)
    out = subprocess.run([ADDR2LINE, "-f", "-i", "-a", "-e", os.path.join(d, "vmlinux")] +
                         ["%x" % pc for pc in pcs], check=True, capture_output=True,
                         text=True).stdout.splitlines()
    # -a: each address, then a function and a file:line per inline level.
    fn, cur, first = {}, None, False
    for line in out:
        if line.startswith("0x"):
            cur, first = int(line, 16), True
        elif first and not re.match(r".*:\d+|\?\?:", line):
            fn[cur], first = line, False
    per = collections.Counter()
    for pc, c in counts.items():
        per[fn.get(pc, "??")] += c
    return per, calls


def main():
    if len(sys.argv) != 4:
        die("usage: fault-cost-trace.py KIND PRISTINE_DIR PATCHED_DIR")
    kind = sys.argv[1]
    (p, pcalls), (w, wcalls) = load(sys.argv[2], kind), load(sys.argv[3], kind)
    names = sorted(set(p) | set(w),
                   key=lambda n: (-abs(w[n] / wcalls - p[n] / pcalls), n))
    print("%s, default policy: instructions per user_mem_abort() call in the traced "
          "functions (%d calls pristine, %d patched), by innermost function" %
          (kind, pcalls, wcalls))
    print("%-36s %10s %10s %10s" % ("function", "pristine", "patched", "difference"))
    same = 0.0
    for n in names:
        a, b = p[n] / pcalls, w[n] / wcalls
        if abs(b - a) < 0.5:
            same += a
            continue
        print("%-36s %10.1f %10.1f %+10.1f" % (n, a, b, b - a))
    print("%-36s %10.1f" % ("(the others, within 0.5)", same))
    a, b = sum(p.values()) / pcalls, sum(w.values()) / wcalls
    print("%-36s %10.1f %10.1f %+10.1f" % ("total", a, b, b - a))


main()
