#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
#
# check.py TOOL CONSOLE_LOG - a second opinion on what s2attr_e2e saw.
#
# The KVM selftest tools/testing/selftests/kvm/aarch64/s2attr_e2e decides
# pass or fail by itself, from its own model of the policies. This script
# asks the policy tables instead: CONSOLE_LOG is the serial console of one
# QEMU boot running the selftest, in which every guest access of every
# scenario under every policy left one line
#   # s2attr-e2e: policy=P scenario=S step=N <input> s1size= memslot= run=
#     memattr= x= w= size= data= trace="..." ptdump="..."
# with the s2attr input in the keys of `s2attr explain` and what KVM did.
# For each line, `TOOL explain --policy P` (policy "default", a VM that
# picked none, is cacheable-pfnmap) gives the expected outcome of the
# memslot and of the fault, compared with:
#   - the KVM_SET_USER_MEMORY_REGION errno (memslot=);
#   - the fault's verdict (run=: map, EFAULT, or ENOEXEC for the
#     instruction abort KVM injects);
#   - for a mapped fault, the stage-2 descriptor: memattr, executable (x=,
#     the tool's exec), not writable after a read when wp_read=1, and a leaf
#     of the stage-1 leaf size (size= = s1size=: no policy restricts it);
#   - for a mapped read or write, data=ok;
#   - the kvm_s2attr_decide events of the access (trace=): the rule and the
#     policy of each decision, when the kernel has tracefs.
# Step 2 of a read-then-exec scenario is the exec after a read: a
# permission fault when the read mapped the page XN (perm=1), no stage-2
# fault at all when the tool says the read is mapped executable.
# Also, for each policy, KVM_CAP_ARM_CACHEABLE_PFNMAP_SUPPORTED against
# what the tool decides for cacheable VM_PFNMAP memory outside the linear
# map: 0 refused, 1 mapped Normal and executable, 2 mapped Normal, never
# executable.
# Prints one row per comparison and "check.py: N passed, N failed".

import re
import shlex
import subprocess
import sys

MEMSLOT_KEYS = ["pfnmap", "mixedmap", "cow", "allow_any_uc", "mte_allowed", "memtype",
                "kvm_mte", "fwb", "dic", "log_dirty"]
FAULT_KEYS = MEMSLOT_KEYS + ["map_memory", "access", "perm"]
TAG = "s2attr-e2e: "


def tool_policy(policy):
    return "cacheable-pfnmap" if policy == "default" else policy


class Tool:
    def __init__(self, path):
        self.path = path
        self.cache = {}

    def explain(self, policy, stage, facts, keys, **override):
        f = dict(facts, **override)
        args = [self.path, "explain", "--policy", tool_policy(policy), f"stage={stage}"]
        args += [f"{k}={f[k]}" for k in keys]
        key = tuple(args)
        if key not in self.cache:
            res = subprocess.run(args, capture_output=True, text=True)
            if res.returncode != 0:
                raise SystemExit(f"check.py: {' '.join(args)}: {res.stderr.strip()}")
            self.cache[key] = dict(line.split("=", 1) for line in res.stdout.splitlines()
                                   if "=" in line)
        return self.cache[key]


def errname(verdict):
    return "0" if verdict == "map" else verdict


def traced(trace):
    """[(stage, verdict, rule, policy)] of a trace= value, or None without tracefs."""
    if trace == "-":
        return None
    return [tuple(e.split(":")) for e in trace.split(",") if e]


def check_access(tool, f):
    """(expected, observed, problems) of one access line."""
    policy = f["policy"]
    problems = []
    ms = tool.explain(policy, "memslot", f, MEMSLOT_KEYS)
    want = [f"memslot {ms['verdict']} ({ms['rule']})"]
    got = [f"memslot {f['memslot']}"]
    rules = []
    if f["step"] == "1":
        rules.append(("memslot", ms["verdict"], ms["rule"]))
    if f["memslot"] != errname(ms["verdict"]):
        problems.append(f"memslot {f['memslot']}, the policy says {errname(ms['verdict'])}")
    if ms["verdict"] != "map" or f["memslot"] != "0":
        return want, got, problems, rules

    ft = None
    if f["step"] == "2":
        # The exec after a read: no stage-2 fault if the read mapped it X.
        first = tool.explain(policy, "fault", f, FAULT_KEYS, access="read", perm=0)
        if first["verdict"] == "map" and first["exec"] == "1":
            ft = dict(first, exec="1")
            want.append("no fault: the read mapped it executable")
    if ft is None:
        ft = tool.explain(policy, "fault", f, FAULT_KEYS)
        rules.append(("fault", ft["verdict"], ft["rule"]))
    want.append(f"fault {ft['verdict']} ({ft['rule']})")
    got.append(f"fault {f['run']}")
    if f["run"] != ft["verdict"]:
        problems.append(f"fault {f['run']}, the policy says {ft['verdict']}")
        return want, got, problems, rules
    if ft["verdict"] != "map":
        return want, got, problems, rules

    want_x = ft["exec"] == "1" or f["access"] == "exec"
    want.append(f"{ft['memattr']} {'X' if want_x else 'XN'}"
                f"{' read-only' if ft['wp_read'] == '1' else ''} {f['s1size']}")
    got.append(f"{f['memattr']} {'X' if f['x'] == '1' else 'XN'}"
               f"{' W' if f['w'] == '1' else ''} {f['size']}")
    if f["memattr"] != ft["memattr"]:
        problems.append(f"stage-2 memory type {f['memattr']}, the policy says {ft['memattr']}")
    if f["x"] != ("1" if want_x else "0"):
        problems.append(f"x={f['x']}, the policy says exec={int(want_x)}")
    if ft["wp_read"] == "1" and f["access"] != "write" and f["w"] != "0":
        problems.append("writable after a read, the policy says wp_read=1")
    if f["access"] == "write" and f["w"] != "1":
        problems.append("not writable after a write")
    if f["size"] != f["s1size"]:
        problems.append(f"stage-2 leaf {f['size']}, the stage-1 leaf is {f['s1size']}")
    if f["access"] != "exec" and f["data"] != "ok":
        problems.append(f"data {f['data']}: the guest did not reach the memory")
    return want, got, problems, rules


def check_trace(f, rules, problems):
    events = traced(f["trace"])
    if events is None:
        return "no tracefs"
    want = [(s, v, r, tool_policy(f["policy"])) for s, v, r in rules]
    # A refused memslot is traced with its rule; the guest never ran.
    if events != want:
        problems.append(f"trace {f['trace'] or 'empty'}, the policy says "
                        + ",".join(":".join(e) for e in want))
    return "trace ok" if events == want else "trace differs"


def check_cap(tool, policy, cap, host):
    base = dict(pfnmap=1, mixedmap=0, cow=0, allow_any_uc=0, mte_allowed=0, memtype="normal",
                kvm_mte=0, fwb=host["fwb"], dic=host["dic"], log_dirty=0, map_memory=0,
                access="read", perm=0)
    ms = tool.explain(policy, "memslot", base, MEMSLOT_KEYS)
    rd = tool.explain(policy, "fault", base, FAULT_KEYS)
    ex = tool.explain(policy, "fault", base, FAULT_KEYS, access="exec")
    if ms["verdict"] != "map" or rd["verdict"] != "map" or rd["memattr"] != "normal":
        want = 0
    else:
        want = 1 if ex["verdict"] == "map" else 2
    return str(want)


def main():
    if len(sys.argv) != 3:
        raise SystemExit("usage: check.py TOOL CONSOLE_LOG")
    tool = Tool(sys.argv[1])
    text = open(sys.argv[2], encoding="utf-8", errors="replace").read()

    host = None
    rows = []
    for line in text.splitlines():
        i = line.find(TAG)
        if i < 0:
            continue
        try:
            f = dict(kv.split("=", 1) for kv in shlex.split(line[i + len(TAG):])
                     if "=" in kv)
        except ValueError:
            rows.append(("?", "-", line.strip(), ["unparsable line"]))
            continue
        if line[i + len(TAG):].startswith("host "):
            host = f
        elif "cap" in f:
            if host is None:
                rows.append((f"{f['policy']}/cap", "-", "-", ["no host line before it"]))
                continue
            want = check_cap(tool, f["policy"], f["cap"], host)
            rows.append((f"{f['policy']}/KVM_CAP_ARM_CACHEABLE_PFNMAP_SUPPORTED",
                         want, f["cap"], [] if want == f["cap"] else
                         [f"{f['cap']}, the policy says {want}"]))
        elif "scenario" in f:
            want, got, problems, rules = check_access(tool, f)
            note = check_trace(f, rules, problems)
            rows.append((f"{f['policy']}/{f['scenario']}#{f['step']}", "; ".join(want),
                         "; ".join(got) + f" ({note})", problems))

    passed = sum(1 for r in rows if not r[3])
    failed = len(rows) - passed
    if not rows:
        print("check.py: no s2attr-e2e line in the console log; its end:")
        print("\n".join(text.splitlines()[-30:]))
        failed += 1
    if TAG + "done" not in text:
        print("check.py: the selftest did not finish")
        failed += 1
    width = max((len(r[0]) for r in rows), default=10)
    for name, want, got, problems in rows:
        print(f"  {name:<{width}}  policy: {want}")
        print(f"  {'':<{width}}  KVM:    {got}  -> "
              f"{'ok' if not problems else 'FAIL: ' + '; '.join(problems)}")
    print(f"check.py: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
