#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
#
# check.py TOOL POLICY CONSOLE_LOG - compare what KVM did with what the policy says.
#
# CONSOLE_LOG is the serial console of one QEMU boot of a kernel built with
# POLICY, running tools/testing/selftests/kvm/aarch64/s2attr_e2e as /init's
# child. Each "s2attr-e2e: scenario=..." line carries the s2attr input the
# scenario presented and what KVM did. The host's FWB and DIC come from the
# boot log ("CPU features: detected: ..."). For each scenario, the expected
# outcome is asked of the policy with `TOOL explain` (memslot stage, then
# fault stage), never written here, and compared with:
#   - the KVM_SET_USER_MEMORY_REGION result (memslot=);
#   - the fault's outcome (run=): KVM_RUN's errno, "ENOEXEC" when the guest
#     took an instruction abort, "map" when the access completed;
#   - for a mapped page, the stage-2 descriptor in the ptdump: memory type
#     (NORMAL, NORMAL_NC, DEVICE_nGnRE) and XN (executable after an exec
#     fault, otherwise only with eager X);
#   - for a read or write that completed, the data: the guest read what the
#     host wrote, or the host reads back what the guest wrote (data=ok);
#   - the kvm_s2attr_decide trace events: the rule of each stage;
# and, once, KVM_CAP_ARM_CACHEABLE_PFNMAP_SUPPORTED as every VM reported it
# against what the policy decides for cacheable VM_PFNMAP memory outside
# the linear map on this host.
# Prints one row per scenario and "e2e POLICY: N passed, N failed".

import re
import shlex
import subprocess
import sys

TEST_GPA = "0xc0000000"		# TEST_GPA of s2attr_e2e.c
MEMATTR = {"NORMAL": "normal", "NORMAL_NC": "nc", "DEVICE_nGnRE": "device"}
MEMSLOT_KEYS = ["pfnmap", "mixedmap", "cow", "allow_any_uc", "mte_allowed", "memtype",
                "kvm_mte", "log_dirty"]
FAULT_KEYS = ["pfnmap", "mixedmap", "cow", "allow_any_uc", "mte_allowed", "memtype",
              "kvm_mte", "map_memory", "access", "perm"]


def explain(tool, policy, stage, facts, keys, fwb, dic):
    args = [tool, "explain", "--policy", policy, f"stage={stage}", f"fwb={fwb}", f"dic={dic}"]
    args += [f"{k}={facts[k]}" for k in keys]
    res = subprocess.run(args, capture_output=True, text=True)
    if res.returncode != 0:
        raise SystemExit(f"check.py: {' '.join(args)}: {res.stderr.strip()}")
    return dict(line.split("=", 1) for line in res.stdout.splitlines() if "=" in line)


def descriptor(ptdump):
    """(memattr, executable) of a ptdump line, or (None, None)."""
    # 0x00000000c0000000-0x00000000c0001000     4K 3   R W   AF   DEVICE_nGnRE
    m = re.match(r"0x[0-9a-f]+-0x[0-9a-f]+\s+\S+\s+\S+\s*(.*)$", ptdump)
    if not m:
        return None, None
    cols = m.group(1).split()
    attr = next((MEMATTR[c] for c in cols if c in MEMATTR), None)
    if attr is None:
        attr = next((c for c in cols if c.startswith("MT=")), "none")
    # 6.12's stage-2 ptdump prints "X" when XN is set: the entry is NOT executable.
    return attr, "X" not in cols


def main():
    if len(sys.argv) != 4:
        raise SystemExit("usage: check.py TOOL POLICY CONSOLE_LOG")
    tool, policy, log = sys.argv[1:]
    text = open(log, encoding="utf-8", errors="replace").read()
    fwb = int("Stage-2 Force Write-Back" in text)
    dic = int("Instruction cache invalidation not required" in text)
    print(f"e2e {policy}: host fwb={fwb} dic={dic} (from the boot log)")

    passed = failed = 0
    rows = []
    for line in text.splitlines():
        i = line.find("s2attr-e2e: scenario=")
        if i < 0:
            continue
        facts = dict(kv.split("=", 1) for kv in shlex.split(line[i + len("s2attr-e2e: "):]))
        name = facts["scenario"]
        if "setup" in facts:
            rows.append((name, "setup failed: " + facts["setup"], "", "", "FAIL", None))
            failed += 1
            continue
        problems = []
        ms = explain(tool, policy, "memslot", facts, MEMSLOT_KEYS, fwb, dic)
        want_ms = "0" if ms["verdict"] == "map" else ms["verdict"]
        if facts["memslot"] != want_ms:
            problems.append(f"memslot {facts['memslot']}, policy says {want_ms}")
        want = f"memslot {ms['verdict']} ({ms['rule']})"
        got = f"memslot {facts['memslot']}"
        rules = [ms["rule"]]
        desc = "-"
        if ms["verdict"] == "map":
            ft = explain(tool, policy, "fault", facts, FAULT_KEYS, fwb, dic)
            rules.append(ft["rule"])
            want += f"; fault {ft['verdict']}"
            got += f"; fault {facts['run']}"
            if facts["run"] != ft["verdict"]:
                problems.append(f"fault {facts['run']}, policy says {ft['verdict']}")
            if ft["verdict"] == "map":
                want_x = facts["access"] == "exec" or ft["exec"] == "1"
                want += f" {ft['memattr']}{' X' if want_x else ' XN'} ({ft['rule']})"
                attr, x = descriptor(facts["ptdump"])
                desc = f"{attr}{' X' if x else ' XN'}" if attr else "no descriptor"
                if attr != ft["memattr"] or x != want_x:
                    problems.append(f"descriptor {desc}, policy says {ft['memattr']}"
                                    f"{' X' if want_x else ' XN'}")
                # A read or write that completed must have reached the page,
                # except a private device mapping's, which the host leaves alone.
                private_dev = facts["cow"] == "1" and "1" in (facts["pfnmap"], facts["mixedmap"])
                if facts["access"] != "exec" and not private_dev:
                    desc += f", data {facts.get('data', '?')}"
                    if facts.get("data") != "ok":
                        problems.append(f"data {facts.get('data', '?')}: the guest did not "
                                        "reach the memory the host mapped")
            else:
                want += f" ({ft['rule']})"
        # Only the events about the test page: the guest's own code, stack
        # and page tables fault too.
        events = [e for e in facts["trace"].split("|") if f" {TEST_GPA}-" in e]
        if events:
            traced = re.findall(r"rule (\w+)\)", "|".join(events))
            if traced != rules:
                problems.append(f"trace rules {traced}, policy says {rules}")
        else:
            problems.append("no kvm_s2attr_decide event")
        ok = not problems
        passed += ok
        failed += not ok
        rows.append((name, want, got, desc, "ok" if ok else "FAIL: " + "; ".join(problems),
                     facts.get("cap")))

    # KVM_CAP_ARM_CACHEABLE_PFNMAP_SUPPORTED: does the policy accept a
    # cacheable VM_PFNMAP slot outside the linear map and map a read fault
    # on it Normal, on this host? Every scenario's VM asked.
    caps = sorted({r[5] for r in rows if r[5] is not None})
    base = dict(pfnmap=1, mixedmap=0, cow=0, allow_any_uc=0, mte_allowed=0, memtype="normal",
                kvm_mte=0, log_dirty=0, map_memory=0, access="read", perm=0)
    ms = explain(tool, policy, "memslot", base, MEMSLOT_KEYS, fwb, dic)
    ft = explain(tool, policy, "fault", base, FAULT_KEYS, fwb, dic)
    want_cap = str(int(ms["verdict"] == "map" and ft["verdict"] == "map" and
                       ft["memattr"] == "normal"))
    ok = caps == [want_cap]
    passed += ok
    failed += not ok
    rows.append(("capability", f"KVM_CAP_ARM_CACHEABLE_PFNMAP_SUPPORTED {want_cap}",
                 f"KVM_CAP_ARM_CACHEABLE_PFNMAP_SUPPORTED {','.join(caps) or 'never asked'}",
                 "-", "ok" if ok else "FAIL", None))

    if len(rows) == 1:
        print(f"e2e {policy}: no scenario ran; the console log says:")
        print("\n".join(text.splitlines()[-30:]))
        failed += 1
    width = max((len(r[0]) for r in rows), default=10)
    for name, want, got, desc, verdict, _ in rows:
        print(f"  {name:<{width}}  policy: {want}")
        print(f"  {'':<{width}}  KVM:    {got}; stage-2 descriptor: {desc}  -> {verdict}")
    if "s2attr-e2e: done" not in text:
        print(f"e2e {policy}: the test program did not finish")
        failed += 1
    print(f"e2e {policy}: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
