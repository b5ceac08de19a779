#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""table.py - the verdict of dev/peer.sh: upstream's KVM selftests, pristine x patched.

  table.py differ TESTS.LIST PRISTINE.LOG PATCHED.LOG
      the IDs whose results differ (dev/peer.sh runs them again, on both)
  table.py table [--mode=MODE] TESTS.LIST PRISTINE.LOG PATCHED.LOG [PRISTINE.RERUN PATCHED.RERUN]
      the table test x kernel -> result, and "peer: N passed, N failed, N known";
      both kernels must say KVM initialised in MODE ("VHE", the default, or
      "nVHE": "kvm [1]: Hyp nVHE mode initialized successfully")

The logs are the guests' consoles: tools/kvm/s2attr/peer/init.c prints
"peer-begin: ID", the test's output, "peer-result: ID RESULT SECONDS STATUS"
and "peer-done: N tests"; the kernel prints into the same console.

A row passes when both kernels agree and the result is a pass, or a skip
for the same reason. When they disagree the test runs again on both, and
the second runs decide: a difference that does not come back is a flake,
shown as such. A row fails when the difference comes back, when a test
times out, when the kernel warns while it runs (or outside any test), or
when both kernels fail it and tests.list has no "# known:" reason for it.
A failure both kernels share, with the same assertion, that tests.list
explains is a known failure on pristine: neither passed nor failed, shown
with its reason.
"""
import re
import sys

# What the kernel prints when something is wrong: WARN(), BUG(), oopses,
# lockdep, KASAN/UBSAN/KFENCE, RCU stalls, soft and hard lockups, hung tasks.
# Lockdep's reports are "WARNING: ..." or "INFO: ..." headlines; a debug
# kernel's boot line "RCU lockdep checking is enabled." is none.
WARNING = re.compile(
    r"WARNING: |BUG: |kernel BUG at|Call trace:|cut here|Oops|Internal error:|"
    r"Unable to handle kernel|Kernel panic|KASAN|UBSAN|KFENCE|"
    r"possible recursive locking|possible circular locking|inconsistent lock state|"
    r"INFO: trying to register non-static key|turning off the locking correctness validator|"
    r"INFO: rcu|rcu: INFO:|rcu_.*detected stall|soft lockup|hard LOCKUP|"
    r"blocked for more than")
BEGIN = re.compile(r"peer-begin: (\S+)")
RESULT = re.compile(r"peer-result: (\S+) (pass|fail|skip|timeout) ([0-9.]+) (.*)$")
DONE = re.compile(r"peer-done: ([0-9]+) tests")
KNOWN = re.compile(r"^#\s*known:\s*(\S+):\s*(.*\S)\s*$")
# "     1\t0x0000000000402b2b: check_event_counts at page_fault_test.c:633"
BACKTRACE = re.compile(r"^[0-9]+\s+0x[0-9a-f]+: ")
# "[   12.345678] " and the console's carriage returns.
STAMP = re.compile(r"^\[\s*[0-9]+\.[0-9]+\] ")


class Run:
    """One console log: result, time, reason and kernel warnings per ID."""

    def __init__(self, path):
        self.path = path
        self.order = []
        self.result = {}
        self.seconds = {}
        self.reason = {}
        self.warnings = {}
        self.done = False
        self.mode = None
        self.banner = ""
        current, lines = None, []
        with open(path, errors="replace") as f:
            for raw in f:
                line = raw.replace("\r", "").rstrip("\n")
                text = STAMP.sub("", line)
                if "kvm [" in text and "mode initialized successfully" in text:
                    self.banner = text.split(": ", 1)[-1]
                    m = re.search(r"\b(\w*VHE) mode initialized", text)
                    self.mode = m.group(1) if m else None
                m = BEGIN.search(text)
                if m:
                    current, lines = m.group(1), []
                    continue
                m = RESULT.search(text)
                if m:
                    tid = m.group(1)
                    if tid not in self.result:
                        self.order.append(tid)
                    self.result[tid] = m.group(2)
                    self.seconds[tid] = float(m.group(3))
                    self.reason[tid] = why(m.group(2), m.group(4), lines)
                    current, lines = None, []
                    continue
                if DONE.search(text):
                    self.done = True
                    continue
                if WARNING.search(text) and not text.startswith("peer-"):
                    self.warnings.setdefault(current or "(outside any test)",
                                             []).append(text)
                if current:
                    lines.append(text)
        # A test that began and never ended: the guest died under it.
        if current and current not in self.result:
            self.order.append(current)
            self.result[current] = "crash"
            self.seconds[current] = 0.0
            self.reason[current] = lines[-1] if lines else "no output"

    def cell(self, tid):
        if tid not in self.result:
            return "-"
        return "%s %.0fs" % (self.result[tid], self.seconds[tid])


def why(result, status, lines):
    """The reason of a skip or a failure, as the test printed it."""
    if result == "skip":
        for line in lines:
            if "SKIP" in line or "skipped" in line:
                return re.sub(r"^.*?SKIP\s*", "", line).strip(" -") or line
        return status
    if result == "pass":
        return ""
    if result == "timeout":
        return "killed after its timeout"
    # kvm_util's TEST_ASSERT(): "==== Test Assertion Failure ====", then
    # "  FILE:LINE: EXPRESSION", "  pid=... errno=...", maybe a backtrace,
    # then the message with the values.
    for i, line in enumerate(lines):
        if "Test Assertion Failure" in line and i + 1 < len(lines):
            where = re.sub(r"^.*selftests/kvm/", "", lines[i + 1].strip())
            # The message is indented; other threads' output is not.
            rest = [x.strip() for x in lines[i + 2:]
                    if x.startswith("  ") and x.strip()
                    and not x.strip().startswith("pid=")
                    and not BACKTRACE.match(x.strip())]
            return where + (": " + rest[0] if rest else "")
    tail = [x.strip() for x in lines if x.strip() and not x.startswith("Random seed:")]
    return (tail[-1] if tail else "no output") + " (" + status + ")"


def same(a, b, tid):
    """Whether two runs give test TID the same result, for the same reason."""
    ra, rb = a.result.get(tid), b.result.get(tid)
    if ra != rb:
        return False
    if ra in ("skip", "fail"):
        return a.reason[tid] == b.reason[tid]
    return True


def tests_order(path, runs):
    """Every ID in the order the guests ran them (tests.list order)."""
    order = []
    for run in runs:
        for tid in run.order:
            if tid not in order:
                order.append(tid)
    return order


def known_failures(path):
    known = {}
    with open(path) as f:
        for line in f:
            m = KNOWN.match(line)
            if m:
                known[m.group(1)] = m.group(2)
    return known


def differ(argv):
    pristine, patched = Run(argv[1]), Run(argv[2])
    for tid in tests_order(argv[0], [pristine, patched]):
        if not same(pristine, patched, tid):
            print(tid)
    return 0


def table(argv, mode="VHE"):
    known = known_failures(argv[0])
    first = (Run(argv[1]), Run(argv[2]))
    rerun = (Run(argv[3]), Run(argv[4])) if len(argv) == 5 else None
    passed = failed = nknown = nskip = 0
    notes, explained = [], []

    for name, run in zip(("pristine", "patched"), first + (rerun or ())):
        print("%-8s %s: %s, %d tests, %s" % (
            name, "run" if run in first else "re-run",
            run.banner or "no KVM banner", len(run.result),
            "finished" if run.done else "DID NOT FINISH"))
    print()
    width = max([len(t) for t in tests_order(argv[0], first)] + [20])
    fmt = "%-*s  %-13s %-13s %s"
    print(fmt % (width, "test", "pristine", "patched", "verdict"))
    print(fmt % (width, "-" * width, "-" * 13, "-" * 13, "-" * 7))
    for tid in tests_order(argv[0], first):
        p, w = first
        cells = [p.cell(tid), w.cell(tid)]
        flaky = False
        if not same(p, w, tid) and rerun and tid in rerun[0].result \
           and tid in rerun[1].result:
            cells = ["%s/%s" % (c, r.cell(tid).split()[0]) for c, r in zip(cells, rerun)]
            p, w = rerun
            flaky = same(p, w, tid)
        res = p.result.get(tid)
        warned = [x for run in first + (rerun or ()) for x in run.warnings.get(tid, [])]
        if warned:
            verdict, ok = "FAIL: the kernel warned: " + warned[0], False
        elif not same(p, w, tid):
            verdict, ok = "FAIL: the kernels differ (pristine: %s; patched: %s)" % (
                p.reason.get(tid, "did not run") or "pass",
                w.reason.get(tid, "did not run") or "pass"), False
        elif res == "pass":
            verdict, ok = "pass", True
        elif res == "skip":
            verdict, ok = "pass (both skip: %s)" % p.reason[tid], True
            nskip += 1
        elif res in ("fail", "crash") and tid in known:
            verdict, ok = "known failure on pristine (below): " + p.reason[tid], None
            explained.append((tid, known[tid]))
        elif res == "timeout":
            verdict, ok = "FAIL: timed out on both kernels", False
        else:
            verdict, ok = "FAIL on both kernels, not a known failure: " + p.reason[tid], False
        if flaky:
            verdict += " (first run differed, the re-run agrees: flaky under TCG)"
        if tid in known and res == "pass":
            notes.append("%s is listed as a known failure but passes on both" % tid)
        if ok is True:
            passed += 1
        elif ok is False:
            failed += 1
        else:
            nknown += 1
        print(fmt % (width, tid, cells[0], cells[1], verdict))

    for name, run in zip(("pristine", "patched"), first):
        for line in run.warnings.get("(outside any test)", []):
            print("FAIL: %s kernel warned outside any test: %s" % (name, line))
            failed += 1
        if not run.done:
            print("FAIL: the %s guest did not finish the list (%s)" % (name, run.path))
            failed += 1
        if run.mode != mode:
            print("FAIL: the %s kernel did not report KVM in %s mode (%s)" % (
                name, mode, run.mode or "no KVM banner"))
            failed += 1
    if explained:
        print()
        print("Known failures on pristine 6.12, shared by the patched kernel (tests.list):")
        for tid, reason in explained:
            print("  %s: %s" % (tid, reason))
    for note in notes:
        print("note: " + note)
    print()
    print("peer: %d passed, %d failed, %d known failures on pristine; %d of the passes skip on both"
          % (passed, failed, nknown, nskip))
    return 1 if failed else 0


def main():
    if len(sys.argv) >= 5 and sys.argv[1] == "differ":
        return differ(sys.argv[2:])
    args, mode = sys.argv[2:], "VHE"
    if args and args[0].startswith("--mode="):
        mode, args = args[0][len("--mode="):], args[1:]
    if len(args) in (3, 5) and sys.argv[1] == "table" and mode in ("VHE", "nVHE"):
        return table(args, mode)
    print(__doc__.strip().split("\n\n")[0], file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
