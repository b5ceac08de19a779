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
# The only thing read from policies.c is the notation of policy.h: a row is
# ROW(name, NEED, FORBID, OUTCOME), a grant GRANT(name, NEED, FORBID, SETS),
# NEED and FORBID are P(pred) | P(pred) ... or NONE; rows belong to the
# array whose initializer they are in. An array belongs to the policy in
# whose s2attr_policies[] entry (.name = "...") its identifier appears,
# directly or as the prefixes given to S2ATTR_TABLES(ms, flt, ...) (the arrays
# ms_memslot and flt_fault); the tails and the grants belong to
# every policy and are counted as "(shared)". The stage of an array is
# told by its name (memslot or fault; GRANT rows are grants). Column
# spacing, comments and line breaks inside a row are fine.
#
# The mutations, for every ROW of every table (the shared tails included):
#   outcome  the outcome replaced by each other value the stage has: a
#            memslot row REFUSE(EINVAL|EFAULT|ENOEXEC) or ACCEPT, a fault row
#            REFUSE(EINVAL|EFAULT|ENOEXEC) or MAP(NORMAL|NC|DEVICE);
#   drop     each predicate removed from NEED, each removed from FORBID;
#   add      each predicate the stage can see (below) that the row does not
#            name added to NEED, and added to FORBID;
#   flip     each predicate moved from NEED to FORBID or back;
#   delete   the row removed;
#   swap     the row swapped with the next row of its table.
# For every GRANT: sets (each other value of X, WP_READ, SANITISE_MTE),
# drop, add and flip as for a row (the grants are not ordered: all that
# hold apply, so swapping two is not a mutation; deleting one fails the
# build, by the static_assert of policies.c).
# The predicates a stage can see: a memslot row every input flag but
# MAP_MEMORY and PERM, and SPECIAL, S1_CACHEABLE, S1_UNDEF, FWB_DIC; a
# fault row all of enum s2attr_pred but S2_NORMAL, which only a grant sees;
# a grant all of them. (The others never hold there: adding one would only
# make equivalent or dead-row mutants.) Mutants whose source is the same as
# an earlier one (or as the original) are written once.

import hashlib
import os
import re
import sys
from collections import OrderedDict, defaultdict

ERRNOS = ["EINVAL", "EFAULT", "ENOEXEC"]
MEMATTRS = ["NORMAL", "NC", "DEVICE"]
SETS = ["X", "WP_READ", "SANITISE_MTE"]
FLAG_PREDS = ["PFNMAP", "MIXEDMAP", "COW", "ANY_UC", "MTE_ALLOWED", "KVM_MTE", "FEAT_S2FWB",
              "CTR_EL0_DIC", "LOG_DIRTY", "MAP_MEMORY", "PERM"]
DERIVED_PREDS = ["WRITE", "EXEC", "SPECIAL", "SPECIAL_PFN", "S1_CACHEABLE", "S1_UNDEF",
                 "FWB_DIC", "S2_NORMAL"]
STAGE_PREDS = {
    "memslot": [p for p in FLAG_PREDS if p not in ("MAP_MEMORY", "PERM")] +
               ["SPECIAL", "S1_CACHEABLE", "S1_UNDEF", "FWB_DIC"],
    "fault": FLAG_PREDS + [p for p in DERIVED_PREDS if p != "S2_NORMAL"],
    "grant": FLAG_PREDS + DERIVED_PREDS,
}
KINDS = ["outcome", "sets", "drop", "add", "flip", "delete", "swap"]
SHARED = "(shared)"


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


def parse_mask(s):
    """'P(A) | P(B)' -> ['A', 'B']; 'NONE' or '0' -> []; None if not understood."""
    s = norm(s)
    if s in ("NONE", "0"):
        return []
    preds = []
    for t in s.split("|"):
        m = re.fullmatch(r"\s*P\s*\(\s*(\w+)\s*\)\s*", t)
        if not m:
            return None
        preds.append(m.group(1))
    return preds


def fmt_mask(preds):
    return " | ".join("P(%s)" % p for p in preds) if preds else "NONE"


def parse_outcome(s):
    """('refuse', errno) / ('accept',) / ('map', attr) / None."""
    s = norm(s)
    m = re.fullmatch(r"REFUSE\s*\(\s*(\w+)\s*\)", s)
    if m:
        return ("refuse", m.group(1))
    if s == "ACCEPT":
        return ("accept",)
    m = re.fullmatch(r"MAP\s*\(\s*(\w+)\s*\)", s)
    if m:
        return ("map", m.group(1))
    return None


def fmt_outcome(o):
    if o[0] == "refuse":
        return "REFUSE(%s)" % o[1]
    if o[0] == "accept":
        return "ACCEPT"
    return "MAP(%s)" % o[1]


class Row:
    def __init__(self, macro, start, end, name, need, forbid, last, table):
        self.macro = macro                      # ROW or GRANT
        self.start, self.end = start, end      # span of ROW(...) in the text
        self.name, self.need, self.forbid, self.last = name, need, forbid, last
        self.table = table
        self.index = 0                          # 1-based position in its table

    def text(self, need=None, forbid=None, last=None):
        need = self.need if need is None else need
        forbid = self.forbid if forbid is None else forbid
        last = self.last if last is None else last
        return "%s(%s, %s, %s, %s)" % (self.macro, self.name, fmt_mask(need), fmt_mask(forbid),
                                       last)


def parse(text):
    masked = mask_comments(text)
    decls = [(m.start(), m.group(1)) for m in
             re.finditer(r"(\w+)\s*\[[^\]]*\]\s*=\s*\{", masked)]
    tables = OrderedDict()
    for m in re.finditer(r"\b(ROW|GRANT)\s*\(", masked):
        line = text.count("\n", 0, m.start()) + 1
        # Skip the #define of the notation itself (policy.h is not read, but be safe).
        if re.search(r"#\s*define\s*$", masked[text.rfind("\n", 0, m.start()) + 1:m.start()]):
            continue
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
            die("unbalanced %s( at line %d" % (m.group(1), line))
        args = split_args(text[open_paren + 1:j])
        if len(args) != 4:
            die("%s( at line %d has %d arguments, not 4" % (m.group(1), line, len(args)))
        need, forbid = parse_mask(args[1]), parse_mask(args[2])
        if need is None or forbid is None:
            die("%s( at line %d: a mask that is not P(x) | ... or NONE" % (m.group(1), line))
        table = None
        for pos, name in decls:
            if pos < m.start():
                table = name
        if table is None:
            die("%s( at line %d is outside any array" % (m.group(1), line))
        row = Row(m.group(1), m.start(), j + 1, args[0], need, forbid, norm(args[3]), table)
        tables.setdefault(table, []).append(row)
    for rows in tables.values():
        for i, r in enumerate(rows):
            r.index = i + 1

    # Which policy each table belongs to: the .name = "..." entry of the
    # initializer in which the table's identifier, or its S2ATTR_TABLES()
    # prefix, appears.
    policy_of = {}
    names = [(m.start(), m.group(1)) for m in re.finditer(r'\.name\s*=\s*"([^"]*)"', text)]
    for k, (pos, pname) in enumerate(names):
        end = names[k + 1][0] if k + 1 < len(names) else len(text)
        seg = masked[pos:end]
        seg = seg[:seg.find("}")] if "}" in seg else seg
        prefixes = re.findall(r"S2ATTR_TABLES\s*\(\s*(\w+)\s*,\s*(\w+)\s*[,)]", seg)
        for t in tables:
            if t in policy_of:
                continue
            if re.search(r"\b%s\b" % re.escape(t), seg) or \
               any(t in (ms + "_memslot", flt + "_fault") for ms, flt in prefixes):
                policy_of[t] = pname
    for t in tables:
        policy_of.setdefault(t, SHARED)
    return tables, policy_of


def stage_of(table, rows):
    if rows and rows[0].macro == "GRANT":
        return "grant"
    if "memslot" in table:
        return "memslot"
    if "fault" in table:
        return "fault"
    die("cannot tell the stage of table %s from its name" % table)


def outcome_mutants(row, stage):
    if stage == "grant":
        m = re.fullmatch(r"\w+", row.last)
        if not m or row.last not in SETS:
            print("mutate.py: grant %s: sets '%s' not understood; not mutated" %
                  (row.name, row.last), file=sys.stderr)
            return []
        return [("sets", v) for v in SETS if v != row.last]
    o = parse_outcome(row.last)
    if o is None:
        print("mutate.py: %s row %d: outcome '%s' not understood; not mutated" %
              (row.table, row.index, row.last), file=sys.stderr)
        return []
    new = [("refuse", e) for e in ERRNOS]
    if stage == "memslot":
        new.append(("accept",))
    else:
        new += [("map", a) for a in MEMATTRS]
    return [("outcome", fmt_outcome(n)) for n in new if fmt_outcome(n) != fmt_outcome(o)]


def generate(src, outdir):
    text = open(src).read()
    tables, policy_of = parse(text)
    if not tables:
        die("no ROW( rows in %s" % src)
    mutants = []    # (policy, table, kind, description, new text)

    def edit(edits):
        """Apply [(start, end, replacement)] to text, right to left."""
        t = text
        for s, e, r in sorted(edits, reverse=True):
            t = t[:s] + r + t[e:]
        return t

    def where(row):
        return "%s %s %d (%s)" % (row.table, "grant" if row.macro == "GRANT" else "row",
                                  row.index, row.name)

    for table, rows in tables.items():
        pol = policy_of[table]
        stage = stage_of(table, rows)
        for row in rows:
            def add(kind, desc, new_text):
                mutants.append((pol, table, kind, "%s: %s" % (where(row), desc),
                                edit([(row.start, row.end, new_text)])))

            for kind, o in outcome_mutants(row, stage):
                add(kind, "%s %s -> %s" % (kind, row.last, o), row.text(last=o))
            for p in row.need:
                add("drop", "drop need %s" % p, row.text(need=[x for x in row.need if x != p]))
            for p in row.forbid:
                add("drop", "drop forbid %s" % p,
                    row.text(forbid=[x for x in row.forbid if x != p]))
            for p in STAGE_PREDS[stage]:
                if p in row.need or p in row.forbid:
                    continue
                add("add", "add need %s" % p, row.text(need=row.need + [p]))
                add("add", "add forbid %s" % p, row.text(forbid=row.forbid + [p]))
            for p in row.need:
                add("flip", "flip %s need -> forbid" % p,
                    row.text(need=[x for x in row.need if x != p], forbid=row.forbid + [p]))
            for p in row.forbid:
                add("flip", "flip %s forbid -> need" % p,
                    row.text(need=row.need + [p], forbid=[x for x in row.forbid if x != p]))
            # A grant cannot be deleted: policies.c counts them at build
            # time (static_assert against S2ATTR_NR_GRANTS).
            if stage != "grant":
                mutants.append((pol, table, "delete", "%s: delete" % where(row),
                                delete_row(text, row)))
        if stage == "grant":
            continue
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
    print("mutate.py: %d mutants of %d rows and grants in %d tables (%d duplicates dropped)"
          % (n, nrows, len(tables), dups))


def delete_row(text, row):
    """Remove the row and, if it is alone on its line(s), the lines and its comma."""
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
    print("\n== equivalent mutants (not killed; identical matrix for every policy; not counted) ==")
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
