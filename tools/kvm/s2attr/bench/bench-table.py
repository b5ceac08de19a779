#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
#
# bench-table.py UNIFORM_OUT REALISTIC_OUT - instructions per decision from
# the callgrind profiles of `s2attr-bench run uniform` and `... realistic`:
# a markdown table, then the regression guards of `make bench` as
# "CHECK PASS|FAIL ..." lines. Exits 1 when a check fails.
#
# The only thresholds are regression guards: s2attr_decide() under each
# policy at most MAX_DECIDE_IR instructions per decision on the uniform mix
# (issue 13). The ratios to the if-chains and to the dense array are
# reported, never checked: a first-match scan of a handful of rows is not
# meant to beat a hand-written chain, and the fault path around it costs
# thousands of instructions.
#
# In each profile, every driver bench__<impl>() has call edges to the one
# function it measures, each with "calls=N" and the callee's inclusive Ir
# over those N calls (from its first instruction to its ret, everything it
# calls included). Ir per decision = sum of inclusive Ir / sum of calls.
# The profiles must be written with --compress-strings=no --compress-pos=no.

import os
import re
import sys
from collections import defaultdict

# (driver, label, its dense array, is s2attr_decide); the order of the table.
IMPLS = [
    ('decide_linux_6_12', 's2attr_decide(), linux-6.12', 'dense_linux_6_12', True),
    ('decide_cacheable_pfnmap', 's2attr_decide(), cacheable-pfnmap',
     'dense_cacheable_pfnmap', True),
    ('decide_strict', 's2attr_decide(), strict', 'dense_strict', True),
    ('decide_fwb_only', 's2attr_decide(), fwb-only', 'dense_fwb_only', True),
    ('ifchain_6_12', 'if-chain, Linux 6.12', 'dense_linux_6_12', False),
    ('ifchain_6_17', 'if-chain, Linux 6.17', 'dense_cacheable_pfnmap', False),
    ('ifchain_6_12_unchecked', 'if-chain, Linux 6.12, no input check (info)',
     'dense_linux_6_12', False),
    ('ifchain_6_17_unchecked', 'if-chain, Linux 6.17, no input check (info)',
     'dense_cacheable_pfnmap', False),
    ('dense_linux_6_12', 'dense array, linux-6.12', 'dense_linux_6_12', False),
    ('dense_cacheable_pfnmap', 'dense array, cacheable-pfnmap', 'dense_cacheable_pfnmap', False),
    ('dense_strict', 'dense array, strict', 'dense_strict', False),
    ('dense_fwb_only', 'dense array, fwb-only', 'dense_fwb_only', False),
]
MIXES = ['uniform', 'realistic']
BASELINE = 'ifchain_6_17'
UNCHECKED = 'ifchain_6_17_unchecked'
# The regression guard: s2attr_decide() Ir per decision on the uniform mix
# (BENCH_MAX_IR in the environment to try another).
MAX_DECIDE_IR = {'uniform': int(os.environ.get('BENCH_MAX_IR', '200'))}


def parse(path):
    """(caller, callee) -> [calls, inclusive Ir]"""
    edges = defaultdict(lambda: [0, 0])
    fn = cfn = None
    calls = None
    with open(path) as f:
        for line in f:
            line = line.rstrip('\n')
            if line.startswith('fn='):
                fn = line[3:]
            elif line.startswith('cfn='):
                cfn = line[4:]
            elif line.startswith('calls='):
                calls = int(line[6:].split()[0])
            elif calls is not None and re.match(r'^[0-9+-]', line):
                # The cost line after calls=: position, then inclusive Ir.
                e = edges[(fn, cfn)]
                e[0] += calls
                e[1] += int(line.split()[1])
                calls = None
    return edges


def measure(path, checks):
    """impl -> Ir per decision, from one profile."""
    edges = parse(path)
    ir = {}
    for impl, _, _, _ in IMPLS:
        driver = 'bench__' + impl
        out = [(callee, c) for (caller, callee), c in edges.items() if caller == driver]
        if len(out) != 1 or out[0][1][0] == 0:
            checks.append((False, '%s: %s calls exactly one measured function (it calls %s)'
                           % (path, driver, [c for c, _ in out] or 'none: inlined?')))
            continue
        calls, incl = out[0][1]
        ir[impl] = incl / calls
    return ir


def main():
    if len(sys.argv) != 3:
        sys.exit('usage: bench-table.py UNIFORM_OUT REALISTIC_OUT')
    checks = []
    ir = {mix: measure(path, checks) for mix, path in zip(MIXES, sys.argv[1:])}
    if checks:
        for ok, what in checks:
            print('CHECK %s %s' % ('PASS' if ok else 'FAIL', what))
        return 1

    head = '| implementation |'
    rule = '|---|'
    for mix in MIXES:
        head += ' %s: Ir/decision | ÷ if-chain 6.17 | ÷ dense |' % mix
        rule += '---:|---:|---:|'
    print(head)
    print(rule)
    for impl, label, dense, _ in IMPLS:
        row = '| %s |' % label
        for mix in MIXES:
            v = ir[mix][impl]
            row += ' %.2f | %.2fx | %.2fx |' % (v, v / ir[mix][BASELINE], v / ir[mix][dense])
        print(row)
    print()
    for impl, label, _, is_decide in IMPLS:
        if is_decide:
            print('%s ÷ the 6.17 if-chain without its input check (information): %s'
                  % (label, ', '.join('%s %.2fx' % (mix, ir[mix][impl] / ir[mix][UNCHECKED])
                                      for mix in MIXES)))
    print()

    for impl, label, dense, is_decide in IMPLS:
        if not is_decide:
            continue
        for mix, lim in MAX_DECIDE_IR.items():
            v = ir[mix][impl]
            checks.append((v <= lim, '%s, %s mix: %.2f Ir per decision (regression guard: '
                           '<= %d)' % (label, mix, v, lim)))
    for ok, what in checks:
        print('CHECK %s %s' % ('PASS' if ok else 'FAIL', what))
    return 0 if all(ok for ok, _ in checks) else 1


if __name__ == '__main__':
    sys.exit(main())
