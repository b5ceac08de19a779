#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
#
# mutate.py - mutants of the s2attr policy tables, for dev/mutation.sh.
#
#   mutate.py generate POLICIES_C OUTDIR
#       Write OUTDIR/mNNNN/policies.c, one mutant each, with the name of the
#       mutated table's policy in OUTDIR/mNNNN/policy, and OUTDIR/manifest.tsv
#       (id, policy, table, kind, description). Prints a one-line summary.
#   mutate.py report OUTDIR
#       Read OUTDIR/manifest.tsv and OUTDIR/mNNNN/result; print killed/total
#       per policy, the equivalent mutants, the compile errors and every
#       survivor; end with "mutation: K passed, S failed". Exit status 1 when
#       a non-equivalent mutant survived or a mutant did not compile.
#   mutate.py sample OUTDIR N
#       Print N non-equivalent, compiling mutant ids (one a line), spread over
#       the kinds of mutation and the policies.
#
# The only thing read from policies.c is the row notation of policy.h: a row
# is RULE(name, OUTCOME, TERM, ...), rows belong to the array whose
# initializer they are in, and an array belongs to the policy in whose
# s2attr_policies[] entry (.name = "...") its identifier appears. Column
# spacing, comments, line breaks inside a row and any number of tables or
# policies are fine.
#
# The mutations, for every row of every table:
#   outcome  the outcome replaced by each other value of the finite set below;
#   drop     each condition term removed (the last one: the row becomes ALWAYS);
#   negate   each term flipped, IS(x) <-> NOT(x);
#   delete   the row removed;
#   swap     the row swapped with the next row of its table.
#
# The outcome set. A table whose rows use ACCEPT is a memslot table: its
# outcomes are REFUSE(EINVAL), REFUSE(EFAULT), REFUSE(ENOEXEC) and ACCEPT
# (MAP(...) means the same as ACCEPT there, so it is not tried). A table
# whose rows use MAP(...) is a fault table:
#   REFUSE(e)    -> the two other errnos, and MAP(NORMAL, X_IF_DIC),
#                   MAP(NC, NO_BLOCK), MAP(DEVICE, NO_BLOCK): each memory type
#                   with the flags the shipped tables give it;
#   MAP(a, fl)   -> REFUSE(EINVAL), REFUSE(EFAULT), REFUSE(ENOEXEC); MAP(a', fl)
#                   for the two other memory types; MAP(a, fl ^ F) for each F of
#                   X_IF_DIC, NO_BLOCK, SANITISE (one flag toggled at a time).
# A table that uses neither gets both sets. Mutants whose source is the same
# as an earlier one (or as the original) are written once.

import hashlib
import os
import re
import sys
from collections import OrderedDict, defaultdict

ERRNOS = ["EINVAL", "EFAULT", "ENOEXEC"]
MEMATTRS = ["NORMAL", "NC", "DEVICE"]
FLAGS = ["X_IF_DIC", "NO_BLOCK", "SANITISE"]
CANONICAL_MAPS = [("NORMAL", ["X_IF_DIC"]), ("NC", ["NO_BLOCK"]), ("DEVICE", ["NO_BLOCK"])]
KINDS = ["outcome", "drop", "negate", "delete", "swap"]


def die(msg):
    print("mutate.py: " + msg, file=sys.stderr)
    sys.exit(2)


def mask_comments(text):
    """text with comments and string/char literals blanked, offsets kept."""
    out = list(text)
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            for k in range(i, j):
                if out[k] != "\n":
                    out[k] = " "
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            for k in range(i, j):
                out[k] = " "
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            # Keep the quotes, blank the contents: names stay findable below.
            for k in range(i + 1, min(j, n)):
                if out[k] != "\n":
                    out[k] = " "
            i = j + 1
        else:
            i += 1
    return "".join(out)


def split_args(s):
    """Top-level comma-separated arguments of s (no enclosing parentheses)."""
    args, depth, cur = [], 0, ""
    for c in s:
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        if c == "," and depth == 0:
            args.append(cur.strip())
            cur = ""
        else:
            cur += c
    if cur.strip() or args:
        args.append(cur.strip())
    return args


def norm(s):
    return re.sub(r"\s+", " ", s).strip()


def parse_outcome(s):
    """('refuse', errno) / ('accept',) / ('map', attr, [flags]) / None."""
    s = norm(s)
    m = re.fullmatch(r"REFUSE\s*\(\s*(\w+)\s*\)", s)
    if m:
        return ("refuse", m.group(1))
    if s == "ACCEPT":
        return ("accept",)
    m = re.fullmatch(r"MAP\s*\(\s*(\w+)\s*,\s*(.+?)\s*\)", s)
    if m:
        fl = [f.strip() for f in m.group(2).split("|")]
        if fl == ["0"]:
            fl = []
        if all(re.fullmatch(r"\w+", f) for f in fl):
            return ("map", m.group(1), fl)
    return None


def fmt_outcome(o):
    if o[0] == "refuse":
        return "REFUSE(%s)" % o[1]
    if o[0] == "accept":
        return "ACCEPT"
    return "MAP(%s, %s)" % (o[1], " | ".join(o[2]) if o[2] else "0")


def parse_term(s):
    """('IS'|'NOT', pred), ('ALWAYS',) or None (opaque)."""
    s = norm(s)
    m = re.fullmatch(r"(IS|NOT)\s*\(\s*(\w+)\s*\)", s)
    if m:
        return (m.group(1), m.group(2))
    if s == "ALWAYS":
        return ("ALWAYS",)
    return None


class Row:
    def __init__(self, start, end, name, outcome, terms, table):
        self.start, self.end = start, end      # span of RULE(...) in the text
        self.name, self.outcome, self.terms = name, outcome, terms
        self.table = table
        self.index = 0                          # 1-based position in its table

    def text(self, outcome=None, terms=None):
        outcome = self.outcome if outcome is None else outcome
        terms = self.terms if terms is None else terms
        real = [t for t in terms if norm(t) != "ALWAYS"]
        return "RULE(%s, %s, %s)" % (self.name, outcome, ", ".join(real) if real else "ALWAYS")


def parse(text):
    masked = mask_comments(text)
    decls = [(m.start(), m.group(1)) for m in
             re.finditer(r"(\w+)\s*\[[^\]]*\]\s*=\s*\{", masked)]
    tables = OrderedDict()
    for m in re.finditer(r"\bRULE\s*\(", masked):
        open_paren = m.end() - 1
        depth, j = 0, open_paren
        while j < len(masked):
            if masked[j] == "(":
                depth += 1
            elif masked[j] == ")":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        if depth:
            die("unbalanced RULE( at offset %d" % m.start())
        args = split_args(text[open_paren + 1:j])
        if len(args) < 3:
            die("RULE( at line %d has fewer than three arguments" %
                (text.count("\n", 0, m.start()) + 1))
        table = None
        for pos, name in decls:
            if pos < m.start():
                table = name
        if table is None:
            die("RULE( at line %d is outside any array" % (text.count("\n", 0, m.start()) + 1))
        row = Row(m.start(), j + 1, args[0], args[1], args[2:], table)
        tables.setdefault(table, []).append(row)
    for rows in tables.values():
        for i, r in enumerate(rows):
            r.index = i + 1

    # Which policy each table belongs to: the .name = "..." entry of the
    # initializer in which the table's identifier appears.
    policy_of = {}
    names = [(m.start(), m.group(1)) for m in re.finditer(r'\.name\s*=\s*"([^"]*)"', text)]
    for k, (pos, pname) in enumerate(names):
        end = names[k + 1][0] if k + 1 < len(names) else len(text)
        seg = masked[pos:end]
        for t in tables:
            if t not in policy_of and re.search(r"\b%s\b" % re.escape(t), seg):
                policy_of[t] = pname
    for t in tables:
        if t not in policy_of:
            print("mutate.py: table %s is in no policy's entry; counted under its own name" % t,
                  file=sys.stderr)
            policy_of[t] = t
    return tables, policy_of


def outcome_mutants(row, kinds_in_table):
    o = parse_outcome(row.outcome)
    if o is None:
        print("mutate.py: %s row %d: outcome '%s' not understood; not mutated" %
              (row.table, row.index, norm(row.outcome)), file=sys.stderr)
        return []
    memslot = "accept" in kinds_in_table
    fault = "map" in kinds_in_table
    if not memslot and not fault:
        memslot = fault = True
    new = []
    if o[0] in ("refuse", "accept"):
        new += [("refuse", e) for e in ERRNOS]
        if memslot:
            new.append(("accept",))
        if fault:
            new += [("map", a, fl) for a, fl in CANONICAL_MAPS]
    else:
        new += [("refuse", e) for e in ERRNOS]
        if memslot:
            new.append(("accept",))
        new += [("map", a, o[2]) for a in MEMATTRS if a != o[1]]
        for f in FLAGS:
            fl = [x for x in o[2] if x != f] if f in o[2] else o[2] + [f]
            new.append(("map", o[1], fl))
    out, seen = [], {fmt_outcome(o)}
    for n in new:
        s = fmt_outcome(n)
        if s not in seen:
            seen.add(s)
            out.append(s)
    return out


def generate(src, outdir):
    text = open(src).read()
    tables, policy_of = parse(text)
    if not tables:
        die("no RULE( rows in %s" % src)
    mutants = []    # (policy, table, kind, description, new text)

    def edit(edits):
        """Apply [(start, end, replacement)] to text, right to left."""
        t = text
        for s, e, r in sorted(edits, reverse=True):
            t = t[:s] + r + t[e:]
        return t

    def where(row):
        return "%s row %d (%s)" % (row.table, row.index, row.name)

    for table, rows in tables.items():
        pol = policy_of[table]
        kinds_in_table = {parse_outcome(r.outcome)[0] for r in rows if parse_outcome(r.outcome)}
        for row in rows:
            for o in outcome_mutants(row, kinds_in_table):
                mutants.append((pol, table, "outcome", "%s: outcome %s -> %s" %
                                (where(row), norm(row.outcome), o),
                                edit([(row.start, row.end, row.text(outcome=o))])))
            terms = [t for t in row.terms if norm(t) != "ALWAYS"]
            for i, t in enumerate(terms):
                rest = terms[:i] + terms[i + 1:]
                mutants.append((pol, table, "drop", "%s: drop term %s" % (where(row), norm(t)),
                                edit([(row.start, row.end, row.text(terms=rest))])))
            for i, t in enumerate(terms):
                p = parse_term(t)
                if not p or p[0] == "ALWAYS":
                    continue
                flipped = "%s(%s)" % ("NOT" if p[0] == "IS" else "IS", p[1])
                new = terms[:i] + [flipped] + terms[i + 1:]
                mutants.append((pol, table, "negate", "%s: negate %s -> %s" %
                                (where(row), norm(t), flipped),
                                edit([(row.start, row.end, row.text(terms=new))])))
            mutants.append((pol, table, "delete", "%s: delete row" % where(row),
                            delete_row(text, row)))
        for a, b in zip(rows, rows[1:]):
            mutants.append((pol, table, "swap", "%s: swap rows %d (%s) and %d (%s)" %
                            (table, a.index, a.name, b.index, b.name),
                            edit([(a.start, a.end, text[b.start:b.end]),
                                  (b.start, b.end, text[a.start:a.end])])))

    os.makedirs(outdir, exist_ok=True)
    seen = {hashlib.sha256(text.encode()).hexdigest(): "the original"}
    dups = 0
    with open(os.path.join(outdir, "manifest.tsv"), "w") as man:
        n = 0
        for pol, table, kind, desc, new in mutants:
            h = hashlib.sha256(new.encode()).hexdigest()
            if h in seen:
                dups += 1
                print("mutate.py: %s is the same source as %s; not written twice" %
                      (desc, seen[h]), file=sys.stderr)
                continue
            n += 1
            mid = "m%04d" % n
            seen[h] = mid
            d = os.path.join(outdir, mid)
            os.makedirs(d, exist_ok=True)
            with open(os.path.join(d, "policies.c"), "w") as f:
                f.write(new)
            with open(os.path.join(d, "policy"), "w") as f:
                f.write(pol + "\n")
            man.write("\t".join([mid, pol, table, kind, desc]) + "\n")
    nrows = sum(len(r) for r in tables.values())
    print("mutate.py: %d mutants of %d rows in %d tables of %d policies (%d duplicates dropped)"
          % (n, nrows, len(tables), len(set(policy_of.values())), dups))


def delete_row(text, row):
    """Remove the row and, if it is alone on its line, the line and its comma."""
    ls = text.rfind("\n", 0, row.start) + 1
    le = text.find("\n", row.end)
    le = len(text) if le < 0 else le
    before, after = text[ls:row.start], text[row.end:le]
    if not before.strip() and re.fullmatch(r"\s*,?\s*(/\*.*\*/\s*|//.*)?", after):
        return text[:ls] + text[le + 1:]
    # Not alone on its line: remove the row and the comma after it.
    m = re.match(r"\s*,", text[row.end:])
    return text[:row.start] + text[row.end + (m.end() if m else 0):]


def read_results(outdir):
    rows = []
    with open(os.path.join(outdir, "manifest.tsv")) as man:
        for line in man:
            mid, pol, table, kind, desc = line.rstrip("\n").split("\t")
            res = {}
            try:
                with open(os.path.join(outdir, mid, "result")) as f:
                    for w in f.read().split():
                        k, _, v = w.partition("=")
                        res[k] = v
            except FileNotFoundError:
                res = {"build": "missing"}
            try:
                with open(os.path.join(outdir, mid, "why")) as f:
                    res["why"] = f.read().strip()
            except FileNotFoundError:
                pass
            rows.append((mid, pol, table, kind, desc, res))
    return rows


def report(outdir):
    rows = read_results(outdir)
    per = OrderedDict()
    equiv, survivors, errors = [], [], []
    for mid, pol, table, kind, desc, res in rows:
        st = per.setdefault(pol, {"killed": 0, "total": 0, "equiv": 0, "errors": 0})
        if res.get("build") != "ok":
            st["errors"] += 1
            errors.append((mid, pol, desc, "%s: %s" % (res.get("build", "?"),
                                                       res.get("why", "no log"))))
            continue
        if res.get("equivalent") == "yes":
            st["equiv"] += 1
            equiv.append((mid, pol, desc, res.get("test")))
            continue
        st["total"] += 1
        if res.get("test") == "killed":
            st["killed"] += 1
        else:
            survivors.append((mid, pol, desc))

    print("== mutation: killed/total per policy (non-equivalent mutants) ==")
    for pol, st in per.items():
        pct = 100.0 * st["killed"] / st["total"] if st["total"] else 100.0
        print("%-18s %4d/%-4d killed (%.1f%%); %d equivalent, %d compile errors" %
              (pol, st["killed"], st["total"], pct, st["equiv"], st["errors"]))
    print("\n== equivalent mutants (identical matrix for every policy; not counted) ==")
    for mid, pol, desc, test in equiv:
        print("  %s %s: %s%s" % (mid, pol, desc,
                                 " (the tests kill it anyway)" if test == "killed" else ""))
    if not equiv:
        print("  none")
    print("\n== compile errors (not counted as kills) ==")
    for mid, pol, desc, why in errors:
        print("  %s %s: %s [%s]" % (mid, pol, desc, why))
    if not errors:
        print("  none")
    print("\n== surviving non-equivalent mutants ==")
    for mid, pol, desc in survivors:
        print("  SURVIVED %s %s: %s" % (mid, pol, desc))
    if not survivors:
        print("  none")
    killed = sum(st["killed"] for st in per.values())
    total = sum(st["total"] for st in per.values())
    print("\nmutants: %d generated, %d equivalent, %d compile errors, %d/%d killed" %
          (len(rows), len(equiv), len(errors), killed, total))
    if errors:
        print("mutation.sh: %d mutants did not compile: a generator bug, see above" % len(errors),
              file=sys.stderr)
    print("mutation: %d passed, %d failed" % (killed, len(survivors)))
    return 1 if survivors or errors else 0


def spread(n):
    """The indices 0..n-1 in an order that spreads them out: the middle, then
    the quarters, then the eighths... (the van der Corput sequence)."""
    order, seen, k = [], set(), 1
    while len(order) < n and k < 8 * n + 8:
        x, d, i = 0.0, 1.0, k
        while i:
            d *= 2
            x += (i & 1) / d
            i >>= 1
        p = int(x * n)
        if p not in seen:
            seen.add(p)
            order.append(p)
        k += 1
    return order + [p for p in range(n) if p not in seen]


def sample(outdir, n):
    rows = [r for r in read_results(outdir)
            if r[5].get("build") == "ok" and r[5].get("equivalent") == "no"]
    # Round-robin over the kinds of mutation. Within a kind, round-robin over
    # the policies, starting with a different policy for each kind, and
    # within a policy, spread over its tables and rows.
    def interleave(lists):
        out = []
        while any(lists):
            for lst in lists:
                if lst:
                    out.append(lst.pop(0))
        return out

    by_kind = defaultdict(lambda: OrderedDict())
    policies = []
    for r in rows:
        if r[1] not in policies:
            policies.append(r[1])
        by_kind[r[3]].setdefault(r[1], OrderedDict()).setdefault(r[2], []).append(r[0])
    queues = []
    for ki, kind in enumerate(k for k in KINDS if k in by_kind):
        pols = [policies[(ki + j) % len(policies)] for j in range(len(policies))]
        lists = []
        for pi, p in enumerate(pols):
            if p not in by_kind[kind]:
                continue
            tables = list(by_kind[kind][p].values())
            tables = tables[(ki + pi) % len(tables):] + tables[:(ki + pi) % len(tables)]
            lists.append(interleave([[t[i] for i in spread(len(t))] for t in tables]))
        queues.append(interleave(lists))
    picked = []
    while len(picked) < n and any(queues):
        for q in queues:
            if q and len(picked) < n:
                picked.append(q.pop(0))
    for mid in picked:
        print(mid)
    return 0 if len(picked) == n else 1


def main(argv):
    if len(argv) == 4 and argv[1] == "generate":
        generate(argv[2], argv[3])
        return 0
    if len(argv) == 3 and argv[1] == "report":
        return report(argv[2])
    if len(argv) == 4 and argv[1] == "sample":
        return sample(argv[2], int(argv[3]))
    print("usage: mutate.py generate POLICIES_C OUTDIR | report OUTDIR | sample OUTDIR N",
          file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
