#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
#
# mutate-glue.py - mutants of the s2attr glue and of the series' changes to
# KVM, for dev/mutation-glue.sh.
#
#   mutate-glue.py generate WORK PRISTINE OUTDIR
#       WORK is the applied kernel work tree, PRISTINE the pristine one. For
#       each target file (TARGETS), the lines the project adds are found by
#       diffing WORK's file against PRISTINE's (all of it for a file the
#       pristine tree lacks), so the generator follows later edits of the
#       patches. Writes OUTDIR/mNNN/<basename> (the whole mutated file) and
#       OUTDIR/mNNN/mutant.diff (a -p1 patch from WORK's file to it), and
#       OUTDIR/manifest.tsv: id, file, line, kind, description.
#   mutate-glue.py order OUTDIR
#       Print the ids of the mutants KUnit did not kill, round-robin over the
#       files and the kinds of mutation (the order e2e takes them in).
#   mutate-glue.py report OUTDIR
#       Reads OUTDIR/mNNN/result (written by mutation-glue.sh) and prints
#       the table, the mutants that did not build and every survivor; ends
#       with "mutation-glue: K passed, S failed" (K killed, S survived).
#
# A mutation touches one added line (or one statement that starts on one):
#   drop     a statement of a function body becomes ";": a flag not set
#            ("flags |= S2ATTR_IN_X"), a step skipped (a call, an
#            assignment, a goto, a break or return inside an if). Not
#            declarations, not a break ending a case, not a return that
#            ends its function (that does not build).
#   invert   the condition of an if becomes its negation.
#   operand  one operand of an if's && or || chain negated.
#   ternary  the condition of "c ? a : b" negated.
#   swap     a token replaced by its sibling (SWAPS): NC <-> DEVICE,
#            FWB <-> DIC, an access, a stage, a policy, the PTE's
#            protection for vm_page_prot...
#   args     two arguments of one statement exchanged (PAIRS): write_fault
#            and exec_fault, and so on.
#   leak     the refusal's "goto out_unlock" of user_mem_abort() becomes an
#            unlock and return that skips kvm_release_pfn_clean() (the leak
#            patch 1 fixes).
# Mutants whose text is the same as an earlier one are written once.

import difflib
import hashlib
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mutate import mask_comments  # noqa: E402  (dev/mutate.py)

TARGETS = [
    "arch/arm64/include/asm/kvm_s2attr.h",
    "arch/arm64/kvm/s2attr/glue.c",
    "arch/arm64/kvm/mmu.c",
    "arch/arm64/kvm/arm.c",
    "virt/kvm/kvm_main.c",
]

# (regex on a code line, replacement, description). Whole tokens only.
SWAPS = [
    (r"\bKVM_PGTABLE_PROT_NORMAL_NC\b", "KVM_PGTABLE_PROT_DEVICE", "NC -> DEVICE"),
    (r"\bKVM_PGTABLE_PROT_DEVICE\b", "KVM_PGTABLE_PROT_NORMAL_NC", "DEVICE -> NC"),
    (r"\bS2ATTR_MEMATTR_NORMAL\b", "S2ATTR_MEMATTR_NC", "MEMATTR_NORMAL -> MEMATTR_NC"),
    (r"\bS2ATTR_MEMATTR_NC\b", "S2ATTR_MEMATTR_NORMAL", "MEMATTR_NC -> MEMATTR_NORMAL"),
    (r"\bS2ATTR_ACCESS_EXEC\b", "S2ATTR_ACCESS_WRITE", "ACCESS_EXEC -> ACCESS_WRITE"),
    (r"\bS2ATTR_ACCESS_WRITE\b", "S2ATTR_ACCESS_EXEC", "ACCESS_WRITE -> ACCESS_EXEC"),
    (r"\bS2ATTR_ACCESS_READ\b", "S2ATTR_ACCESS_WRITE", "ACCESS_READ -> ACCESS_WRITE"),
    (r"\bS2ATTR_STAGE_MEMSLOT\b", "S2ATTR_STAGE_FAULT", "STAGE_MEMSLOT -> STAGE_FAULT"),
    (r"\bS2ATTR_STAGE_FAULT\b", "S2ATTR_STAGE_MEMSLOT", "STAGE_FAULT -> STAGE_MEMSLOT"),
    (r"\bS2ATTR_IN_FWB\b", "S2ATTR_IN_DIC", "IN_FWB -> IN_DIC"),
    (r"\bS2ATTR_IN_DIC\b", "S2ATTR_IN_FWB", "IN_DIC -> IN_FWB"),
    (r"\bS2ATTR_IN_PFNMAP\b", "S2ATTR_IN_MIXEDMAP", "IN_PFNMAP -> IN_MIXEDMAP"),
    (r"\bS2ATTR_IN_MIXEDMAP\b", "S2ATTR_IN_PFNMAP", "IN_MIXEDMAP -> IN_PFNMAP"),
    (r"\bARM64_HAS_STAGE2_FWB\b", "ARM64_HAS_CACHE_DIC", "cap STAGE2_FWB -> CACHE_DIC"),
    (r"\bARM64_HAS_CACHE_DIC\b", "ARM64_HAS_STAGE2_FWB", "cap CACHE_DIC -> STAGE2_FWB"),
    (r"\bS2ATTR_MT_NORMAL\b", "S2ATTR_MT_NORMAL_NC", "MT_NORMAL -> MT_NORMAL_NC"),
    (r"\bS2ATTR_POLICY_CACHEABLE_PFNMAP\b", "S2ATTR_POLICY_LINUX_6_12",
     "policy cacheable-pfnmap -> linux-6.12"),
    (r"\bS2ATTR_POLICY_STRICT\b", "S2ATTR_POLICY_CACHEABLE_PFNMAP",
     "policy strict -> cacheable-pfnmap"),
    (r"\bS2ATTR_POLICY_FWB_ONLY\b", "S2ATTR_POLICY_STRICT", "policy fwb-only -> strict"),
    # The memory type's source: the VMA's default instead of the host PTE's.
    (r"&s1prot\b", "NULL", "&s1prot -> NULL: vm_page_prot, not the PTE's protection"),
    (r"\bargs\.pgprot\b", "vma->vm_page_prot", "args.pgprot -> vma->vm_page_prot"),
]

# Two identifiers exchanged wherever both appear in one statement.
PAIRS = [
    ("write_fault", "exec_fault"),
    ("fault_is_perm", "logging_active"),
]

DECL = re.compile(r"(?:(?:static|const|unsigned|signed|volatile|struct|enum|union)\s+)*"
                  r"\w+(?:\s+|\s*\*+\s*)\**\w+\s*(?:=|;|\[|,)")
KEYWORDS = {"if", "while", "for", "switch", "else", "do", "case", "default", "return",
            "goto", "break", "continue", "sizeof"}


def norm(s):
    return re.sub(r"\s+", " ", s).strip()


def die(msg):
    print("mutate-glue.py: " + msg, file=sys.stderr)
    sys.exit(2)


def match_close(text, i):
    """Index of the bracket closing the one at text[i]."""
    pairs = {"(": ")", "[": "]", "{": "}"}
    stack = [pairs[text[i]]]
    j = i + 1
    while j < len(text):
        c = text[j]
        if c in pairs:
            stack.append(pairs[c])
        elif c in ")]}":
            if c != stack.pop():
                die("unbalanced brackets at offset %d" % j)
            if not stack:
                return j
        j += 1
    die("unclosed bracket at offset %d" % i)


def skip_ws(text, p):
    while p < len(text):
        if text[p].isspace():
            p += 1
        elif text[p] == "#" and text.rfind("\n", 0, p) + 1 <= p and \
                not text[text.rfind("\n", 0, p) + 1:p].strip():
            # A preprocessor line, with its continuations.
            while True:
                e = text.find("\n", p)
                if e < 0:
                    return len(text)
                if text[e - 1] != "\\":
                    p = e + 1
                    break
                p = e + 1
        else:
            break
    return p


class Unit:
    """A simple statement or the condition of an if, in one function."""

    def __init__(self, kind, start, end, func, in_if, parent):
        self.kind, self.start, self.end = kind, start, end
        self.func, self.in_if = func, in_if
        self.parent = parent    # the if whose body this is, or None


def parse(masked):
    """Function bodies of masked C text -> [Unit], [(func, body_start, body_end)]."""
    units, funcs = [], []
    n = len(masked)

    def statement(p, func, in_if, parent):
        p = skip_ws(masked, p)
        if p >= n:
            return p
        if masked[p] == "{":
            e = match_close(masked, p)
            block(p + 1, e, func, in_if, parent)
            return e + 1
        m = re.match(r"[A-Za-z_]\w*", masked[p:])
        word = m.group(0) if m else ""
        if word in ("if", "while", "for", "switch"):
            o = masked.index("(", p)
            c = match_close(masked, o)
            cond = parent
            if word == "if":
                cond = Unit("cond", o, c + 1, func, in_if, parent)
                units.append(cond)
            p = statement(c + 1, func, word == "if" or in_if, cond)
            if word == "if":
                q = skip_ws(masked, p)
                if masked.startswith("else", q) and not re.match(r"\w", masked[q + 4:q + 5]):
                    p = statement(q + 4, func, True, cond)
            return p
        if word == "do":
            p = statement(p + 2, func, in_if, parent)
            q = masked.index(";", p)
            return q + 1
        if word in ("case", "default"):
            return masked.index(":", p) + 1
        if m and re.match(r"[A-Za-z_]\w*\s*:(?!:)", masked[p:]) and word not in KEYWORDS:
            return p + masked[p:].index(":") + 1          # a label
        # A simple statement: up to the ; outside brackets.
        q = p
        while q < n and masked[q] != ";":
            if masked[q] in "([{":
                q = match_close(masked, q)
            q += 1
        units.append(Unit("stmt", p, q + 1, func, in_if, parent))
        return q + 1

    def block(p, end, func, in_if, parent):
        while True:
            p = skip_ws(masked, p)
            if p >= end:
                return
            p = statement(p, func, in_if, parent)

    p, header_start = 0, 0
    while p < n:
        p = skip_ws(masked, p)
        if p >= n:
            break
        c = masked[p]
        if c == "{":
            e = match_close(masked, p)
            header = masked[header_start:p].strip()
            m = re.search(r"(\w+)\s*\([^;{}]*\)\s*$", header)
            if m and "=" not in header:
                funcs.append((m.group(1), p, e))
                block(p + 1, e, m.group(1), False, None)
            p = e + 1
            header_start = p
        elif c == ";":
            p += 1
            header_start = p
        elif c in "([":
            p = match_close(masked, p) + 1
        else:
            p += 1
    return units, funcs


def added_lines(pristine, work):
    """1-based numbers of the lines of work that pristine does not have."""
    if pristine is None:
        return set(range(1, work.count("\n") + 2))
    a, b = pristine.splitlines(), work.splitlines()
    added = set()
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, _i1, _i2, j1, j2 in sm.get_opcodes():
        if tag in ("replace", "insert"):
            added.update(range(j1 + 1, j2 + 1))
    return added


def top_level_split(s, ops):
    """Split s at the top-level occurrences of the operators ops."""
    parts, depth, cur, i = [], 0, 0, 0
    while i < len(s):
        c = s[i]
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif depth == 0 and any(s.startswith(o, i) for o in ops):
            parts.append((cur, i))
            i += 2
            cur = i
            continue
        i += 1
    parts.append((cur, len(s)))
    return parts


def negate(expr):
    e = expr.strip()
    if re.fullmatch(r"!\s*[\w\->.]+(\(.*\))?", e, re.S) or re.fullmatch(r"!\s*\(.*\)", e, re.S):
        return e[1:].lstrip()
    if re.fullmatch(r"[\w\->.]+(\(.*\))?", e, re.S):
        return "!" + e
    return "!(" + e + ")"


def generate(work, pristine, outdir):
    mutants = []    # (file, line, kind, description, new text)
    for rel in TARGETS:
        wpath = os.path.join(work, rel)
        if not os.path.isfile(wpath):
            die("%s is missing: was the project applied to %s?" % (rel, work))
        text = open(wpath).read()
        ppath = os.path.join(pristine, rel)
        orig = open(ppath).read() if os.path.isfile(ppath) else None
        added = added_lines(orig, text)
        masked = mask_comments(text)
        units, funcs = parse(masked)
        # The conditions of the pristine tree, by function.
        old_conds = set()
        if orig is not None:
            omasked = mask_comments(orig)
            for ou in parse(omasked)[0]:
                if ou.kind == "cond":
                    old_conds.add((ou.func, norm(omasked[ou.start:ou.end])))

        def line_of(pos):
            return text.count("\n", 0, pos) + 1

        def is_added(pos):
            return line_of(pos) in added

        def add(pos, kind, desc, start, end, new):
            src = text[start:end].strip()
            src = re.sub(r"\s+", " ", src)
            mutants.append((rel, line_of(pos), kind, "%s: %s" % (desc, src[:90]),
                            text[:start] + new + text[end:]))

        def new_if(c):
            """c is an if the project added: on an added line, with a
            condition its function did not have (not just a new brace)."""
            if is_added(c.start) and (c.func, norm(masked[c.start:c.end])) not in old_conds:
                return True
            return c.parent is not None and new_if(c.parent)

        def unit_added(u):
            # An added line, or in the body of an if the project added: a
            # statement that the diff matched with a pristine one (writable
            # = false) is the project's once its condition is.
            return is_added(u.start) or (u.parent is not None and new_if(u.parent))

        func_end = {f: e for f, _s, e in funcs}
        for u in units:
            if not unit_added(u):
                continue
            s = masked[u.start:u.end]
            if u.kind == "cond":
                inner = text[u.start + 1:u.end - 1]
                add(u.start, "invert", "if (c) -> if (!(c))", u.start, u.end,
                    "(!(" + inner + "))")
                parts = top_level_split(masked[u.start + 1:u.end - 1], ("&&", "||"))
                if len(parts) > 1:
                    for a, b in parts:
                        lead = len(inner[a:b]) - len(inner[a:b].lstrip())
                        trail = len(inner[a:b]) - len(inner[a:b].rstrip())
                        a2, b2 = u.start + 1 + a + lead, u.start + 1 + b - trail
                        add(u.start, "operand", "negate operand '%s'" %
                            re.sub(r"\s+", " ", text[a2:b2]), a2, b2, negate(text[a2:b2]))
                continue
            word = re.match(r"\w*", s).group(0)
            # drop
            droppable = True
            if DECL.match(s) and word not in KEYWORDS:
                droppable = False
            elif word in ("break", "continue"):
                droppable = u.in_if
            elif word == "return":
                # Only if code follows in the function: a return that ends
                # it cannot go (-Werror=return-type).
                rest = masked[u.end:func_end[u.func]]
                droppable = bool(re.search(r"\w", rest))
            if droppable:
                add(u.start, "drop", "statement deleted", u.start, u.end, ";")
            # ternary
            m = re.match(r"(return\s+|[^=!<>]*?[^=!<>+\-*/|&^]=\s*)", s)
            if m and "?" in s:
                q = s.index("?", m.end())
                if ":" in s[q:]:
                    cs, ce = u.start + m.end(), u.start + q
                    cond = text[cs:ce].rstrip()
                    add(u.start, "ternary", "c ? a : b -> !(c) ? a : b", cs,
                        cs + len(cond), "!(" + cond + ")")
            # args
            for a, b in PAIRS:
                ra, rb = r"\b%s\b" % a, r"\b%s\b" % b
                if re.search(ra, s) and re.search(rb, s):
                    stmt = text[u.start:u.end]
                    new = re.sub(r"\b(%s|%s)\b" % (a, b),
                                 lambda mm: b if mm.group(1) == a else a, stmt)
                    add(u.start, "args", "%s <-> %s" % (a, b), u.start, u.end, new)
            # leak
            if rel.endswith("mmu.c") and u.func == "user_mem_abort" and \
                    re.fullmatch(r"goto\s+out_unlock\s*;", s.strip()):
                add(u.start, "leak", "goto out_unlock -> unlock and return, no "
                    "kvm_release_pfn_clean()", u.start, u.end,
                    "{ read_unlock(&kvm->mmu_lock); return ret; }")

        # swap: every added code line, in functions or initializers.
        for pat, rep, desc in SWAPS:
            for m in re.finditer(pat, masked):
                if not is_added(m.start()):
                    continue
                ls = masked.rfind("\n", 0, m.start()) + 1
                if masked[ls:m.start()].lstrip().startswith("#"):
                    continue
                le = masked.find("\n", m.start())
                add(m.start(), "swap", desc, m.start(), m.end(), rep)
                # The description shows the line: add() took the token only.
                f, ln, k, d, t = mutants[-1]
                mutants[-1] = (f, ln, k, "%s: %s" % (desc, re.sub(r"\s+", " ",
                               text[ls:le].strip())[:90]), t)

    os.makedirs(outdir, exist_ok=True)
    seen, dups, n = set(), 0, 0
    originals = {}
    with open(os.path.join(outdir, "manifest.tsv"), "w") as man:
        for rel, line, kind, desc, new in mutants:
            if rel not in originals:
                originals[rel] = open(os.path.join(work, rel)).read()
                seen.add(hashlib.sha256((rel + originals[rel]).encode()).hexdigest())
            h = hashlib.sha256((rel + new).encode()).hexdigest()
            if h in seen:
                dups += 1
                continue
            seen.add(h)
            n += 1
            mid = "g%03d" % n
            d = os.path.join(outdir, mid)
            os.makedirs(d, exist_ok=True)
            with open(os.path.join(d, os.path.basename(rel)), "w") as f:
                f.write(new)
            diff = difflib.unified_diff(originals[rel].splitlines(True), new.splitlines(True),
                                        "a/" + rel, "b/" + rel)
            with open(os.path.join(d, "mutant.diff"), "w") as f:
                f.writelines(diff)
            with open(os.path.join(d, "file"), "w") as f:
                f.write(rel + "\n")
            man.write("\t".join([mid, rel, str(line), kind, desc]) + "\n")
    print("mutate-glue.py: %d mutants of %s (%d duplicates dropped)" %
          (n, ", ".join(os.path.basename(t) for t in TARGETS), dups))


def read_rows(outdir):
    rows = []
    with open(os.path.join(outdir, "manifest.tsv")) as man:
        for line in man:
            mid, rel, ln, kind, desc = line.rstrip("\n").split("\t")
            res = {}
            try:
                with open(os.path.join(outdir, mid, "result")) as f:
                    for w in f.read().split():
                        k, _, v = w.partition("=")
                        res[k] = v
            except FileNotFoundError:
                pass
            rows.append((mid, rel, ln, kind, desc, res))
    return rows


def order(outdir):
    """The mutants KUnit did not kill, round-robin over the files and, within
    a file, over the kinds of mutation: a sample of any length is spread."""
    groups = {}
    for mid, rel, _ln, kind, _desc, res in read_rows(outdir):
        if res.get("kunit") == "survived":
            groups.setdefault(rel, {}).setdefault(kind, []).append(mid)

    def interleave(lists):
        out, lists = [], [list(x) for x in lists]
        while any(lists):
            for lst in lists:
                if lst:
                    out.append(lst.pop(0))
        return out

    for mid in interleave(interleave(k.values()) for k in groups.values()):
        print(mid)
    return 0


def report(outdir):
    rows = read_rows(outdir)

    def verdict(res):
        if res.get("kunit") == "killed":
            return "killed: kunit"
        if res.get("kunit") == "build-failure" or res.get("e2e") == "build-failure":
            return "build-failure"
        if res.get("e2e") == "killed":
            return "killed: e2e"
        if res.get("e2e") == "survived":
            return "SURVIVED"
        if res.get("kunit") == "survived":
            return "not run by e2e"
        return "not run"

    print("%-5s %-28s %-7s %-16s %s" % ("id", "file:line", "kind", "verdict", "change"))
    counts = {}
    for mid, rel, ln, kind, desc, res in rows:
        v = verdict(res)
        counts[v] = counts.get(v, 0) + 1
        where = "%s:%s" % (os.path.basename(rel), ln)
        print("%-5s %-28s %-7s %-16s %s" % (mid, where, kind, v, desc))
    killed = counts.get("killed: kunit", 0) + counts.get("killed: e2e", 0)
    survived = counts.get("SURVIVED", 0)
    built = killed + survived
    print()
    print("mutation-glue: %d mutants: %d killed by KUnit, %d by e2e, %d survived, "
          "%d did not build, %d not run by e2e, %d not run" %
          (len(rows), counts.get("killed: kunit", 0), counts.get("killed: e2e", 0), survived,
           counts.get("build-failure", 0), counts.get("not run by e2e", 0),
           counts.get("not run", 0)))
    print("mutation-glue: killed %d/%d of the mutants that built and ran to the end" %
          (killed, built))
    print("mutation-glue: %d passed, %d failed" % (killed, survived))
    return 1 if survived or counts.get("build-failure") else 0


def main(argv):
    if len(argv) == 5 and argv[1] == "generate":
        generate(argv[2], argv[3], argv[4])
        return 0
    if len(argv) == 3 and argv[1] == "report":
        return report(argv[2])
    if len(argv) == 3 and argv[1] == "order":
        return order(argv[2])
    print("usage: mutate-glue.py generate WORK PRISTINE OUTDIR | report OUTDIR | order OUTDIR",
          file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
