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
#   # s2attr-e2e: policy=P scenario=S step=N <input> s1size= [slot_<key>=...]
#     memslot= run= memattr= x= w= size= data= trace="..." ptdump="..."
# with the fault's s2attr input in the keys of `s2attr explain` and what KVM
# did. The memslot's input is the same but for the slot_* keys: those of
# the VMA the memslot was made over where the access is on other memory
# (the map-fixed scenarios mmap() the test device over an anonymous
# memslot), and vm_page_prot's memtype where the fault's is the host PTE's
# (TTM: a cacheable VMA, write-combined or uncached PTEs).
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
#   - the kvm_s2attr_decide events of the access (trace=, each
#     stage:verdict:rule:policy:memtype:flags), when the kernel has tracefs:
#     the rule and the policy of each decision, and the input KVM decided
#     on, its memtype and S2ATTR_IN_* flags, which must be the one the line
#     gives for that stage. The memslot's decision is in the trace of the
#     first access of a scenario. With tracefs every access has a trace.
# Step 2 of a read-then-exec scenario is the exec after a read: a
# permission fault when the read mapped the page XN (perm=1), no stage-2
# fault at all when the tool says the read is mapped executable. Step
# "anon" of a map-fixed scenario is on the part of the memslot that stayed
# anonymous, before step 1 on the device's.
# Also, for each policy, KVM_CAP_ARM_CACHEABLE_PFNMAP_SUPPORTED against
# what the tool decides for cacheable VM_PFNMAP memory outside the linear
# map: 0 refused, 1 mapped Normal and executable, 2 mapped Normal, never
# executable.
# The memory of the real drivers is input like any other: a vfio-pci BAR is
# pfnmap=1 allow_any_uc=1 memtype=nGnRnE map_memory=0, /dev/mem of RAM
# outside the linear map pfnmap=1 memtype=nGnRnE map_memory=0, of kernel
# RAM pfnmap=1 memtype=normal map_memory=1, a private mapping of /dev/zero
# anonymous memory with mte_allowed=0. A scenario the selftest skipped (no
# ivshmem device, no MTE: "ok N # SKIP" in its TAP) has no line, and is no
# failure here. The "s2attr-e2e-ivshmem:" lines, the values the guest wrote
# to the BAR, are for dev/e2e.sh, which finds them in the memory backend's
# file; here only their form is checked, in one row: offset=0x<hex>
# value=0x<16 hex digits>, no offset or value twice.
# Prints one row per comparison and "check.py: N passed, N failed".

import re
import shlex
import subprocess
import sys

MEMSLOT_KEYS = ["pfnmap", "mixedmap", "cow", "allow_any_uc", "mte_allowed", "memtype",
                "kvm_mte", "fwb", "dic", "log_dirty"]
FAULT_KEYS = MEMSLOT_KEYS + ["map_memory", "access", "perm"]
# S2ATTR_IN_* of include/kvm/s2attr.h, bit by bit; the memslot stage has
# neither map_memory nor perm.
FLAG_KEYS = ["pfnmap", "mixedmap", "cow", "allow_any_uc", "mte_allowed", "kvm_mte", "fwb",
             "dic", "log_dirty", "map_memory", "perm"]
STAGE_FLAGS = {"memslot": FLAG_KEYS[:9], "fault": FLAG_KEYS}
TAG = "s2attr-e2e: "
IVSHMEM_TAG = "s2attr-e2e-ivshmem: "
IVSHMEM_LINE = re.compile(r"offset=0x([0-9a-f]+) value=0x([0-9a-f]{16})")


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
    """[(stage, verdict, rule, policy, memtype, flags)] of a trace= value, or None
    without tracefs."""
    if trace == "-":
        return None
    return [tuple(e.split(":")) for e in trace.split(",") if e]


def memslot_input(f):
    """The memslot's input of an access line: its own but for the slot_* keys."""
    return dict(f, **{k: f.get("slot_" + k, f[k]) for k in MEMSLOT_KEYS})


def input_flags(stage, f):
    """The S2ATTR_IN_* flags KVM must have sampled at @stage for input @f."""
    return sum(1 << i for i, k in enumerate(FLAG_KEYS)
               if k in STAGE_FLAGS[stage] and f[k] == "1")


def check_access(tool, f, first):
    """(expected, observed, problems, decisions) of one access line; @first: the
    first of its scenario, whose trace has the memslot's decision."""
    policy = f["policy"]
    problems = []
    slot = memslot_input(f)
    ms = tool.explain(policy, "memslot", slot, MEMSLOT_KEYS)
    want = [f"memslot {ms['verdict']} ({ms['rule']})"]
    got = [f"memslot {f['memslot']}"]
    rules = []
    if first:
        rules.append(("memslot", ms["verdict"], ms["rule"], slot))
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
        rules.append(("fault", ft["verdict"], ft["rule"], f))
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
    # A refused memslot is traced with its rule; the guest never ran.
    want = [(s, v, r, tool_policy(f["policy"]), i["memtype"], input_flags(s, i))
            for s, v, r, i in rules]
    n = len(problems)
    # The input of each decision, whatever its outcome: what KVM sampled.
    for e, w in zip(events, want) if len(events) == len(want) else []:
        if len(e) != 6 or e[0] != w[0]:
            continue
        if e[4] != w[4]:
            problems.append(f"KVM decided the {e[0]} on memtype={e[4]}, "
                            f"the access is on memtype={w[4]}")
        if int(e[5], 16) != w[5]:
            problems.append(f"KVM decided the {e[0]} on flags {e[5]}, the input is "
                            f"{w[5]:#x}")
    if [e[:4] for e in events] != [w[:4] for w in want]:
        problems.append(f"trace {f['trace'] or 'empty'}, the policy says "
                        + ",".join(":".join(w[:4]) for w in want))
        return "trace differs"
    return "trace ok" if len(problems) == n else "trace input differs"


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


def check_ivshmem(lines):
    """One row for the s2attr-e2e-ivshmem lines, or None without any."""
    if not lines:
        return None
    problems, offsets, values = [], set(), set()
    for line in lines:
        m = IVSHMEM_LINE.fullmatch(line)
        if not m:
            problems.append(f"malformed: {line!r}")
            continue
        if m[1] in offsets or m[2] in values:
            problems.append(f"offset or value twice: {line!r}")
        offsets.add(m[1])
        values.add(m[2])
    return ("ivshmem", "offset=0x<hex> value=0x<16 hex digits>, each once",
            f"{len(lines)} lines", problems)


def main():
    if len(sys.argv) != 3:
        raise SystemExit("usage: check.py TOOL CONSOLE_LOG")
    tool = Tool(sys.argv[1])
    text = open(sys.argv[2], encoding="utf-8", errors="replace").read()

    host = None
    rows = []
    seen = set()
    untraced, traced = [], 0
    ivshmem = []
    for line in text.splitlines():
        i = line.find(IVSHMEM_TAG)
        if i >= 0:
            ivshmem.append(line[i + len(IVSHMEM_TAG):].strip())
            continue
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
            first = (f["policy"], f["scenario"]) not in seen
            seen.add((f["policy"], f["scenario"]))
            want, got, problems, rules = check_access(tool, f, first)
            note = check_trace(f, rules, problems)
            rows.append((f"{f['policy']}/{f['scenario']}#{f['step']}", "; ".join(want),
                         "; ".join(got) + f" ({note})", problems))
            if f["trace"] == "-":
                untraced.append(problems)
            else:
                traced += 1

    # tracefs is there for every access or for none: a missing trace is lost.
    if traced:
        for problems in untraced:
            problems.append("no trace, while other accesses have one")
    row = check_ivshmem(ivshmem)
    if row:
        rows.append(row)

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
