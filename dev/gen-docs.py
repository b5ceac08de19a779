#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
#
# gen-docs.py TOOL RST [--check]
#
# Regenerates the generated regions of RST: every region starts with a line
#   .. s2attr-generated: ARGS
# and ends with the line
#   .. s2attr-generated-end
# and holds what `TOOL ARGS` prints. ARGS may start with options of this
# script, which are not passed to TOOL:
#   --underline=C   section titles in the output (a line followed by a line
#                   of '-' as long as it) are underlined with C instead, so
#                   that a region can sit one level deeper in RST
# Without --check, RST is rewritten in
# place. With --check, nothing is written: the differences are printed as a
# unified diff and the exit status is 1 when there is one. A region that is
# not closed, or a command that fails, is an error (exit status 2).

import difflib
import shlex
import subprocess
import sys

BEGIN = ".. s2attr-generated:"
END = ".. s2attr-generated-end"


def die(msg):
    print(f"gen-docs.py: {msg}", file=sys.stderr)
    sys.exit(2)


def reunderline(body, char):
    """Underline the '-' section titles of BODY with CHAR instead."""
    out = list(body)
    for n in range(1, len(out)):
        title, rule = out[n - 1], out[n]
        if title.strip() and rule and set(rule) == {"-"} and len(rule) == len(title):
            out[n] = char * len(rule)
    return out


def regenerate(tool, lines, path):
    out, i, regions = [], 0, 0
    while i < len(lines):
        line = lines[i]
        out.append(line)
        i += 1
        if not line.startswith(BEGIN):
            continue
        args = shlex.split(line[len(BEGIN):])
        underline = None
        while args and args[0].startswith("--underline="):
            underline = args.pop(0)[len("--underline="):]
            if len(underline) != 1 or underline.isalnum() or underline.isspace():
                die(f"{path}:{i}: --underline= takes one punctuation character")
        if not args:
            die(f"{path}:{i}: no tool command in {line.strip()!r}")
        start = i
        while i < len(lines) and lines[i].rstrip("\n") != END:
            if lines[i].startswith(BEGIN):
                die(f"{path}:{i + 1}: region of line {start} is not closed")
            i += 1
        if i == len(lines):
            die(f"{path}:{start}: '{END}' is missing")
        res = subprocess.run([tool] + args, capture_output=True, text=True)
        if res.returncode != 0:
            die(f"{path}:{start}: '{tool} {' '.join(args)}' failed: "
                f"{res.stderr.strip()}")
        body = res.stdout.rstrip("\n")
        if not body:
            die(f"{path}:{start}: '{tool} {' '.join(args)}' printed nothing")
        body = body.split("\n")
        if underline:
            body = reunderline(body, underline)
        out.append("\n")
        out.extend(l + "\n" for l in body)
        out.append("\n")
        out.append(lines[i])
        i += 1
        regions += 1
    if regions == 0:
        die(f"{path}: no '{BEGIN}' region")
    return out, regions


def main():
    if len(sys.argv) not in (3, 4) or (len(sys.argv) == 4 and sys.argv[3] != "--check"):
        die("usage: gen-docs.py TOOL RST [--check]")
    tool, path = sys.argv[1], sys.argv[2]
    with open(path, encoding="utf-8") as f:
        lines = f.readlines()
    new, regions = regenerate(tool, lines, path)
    if len(sys.argv) == 3:
        if new != lines:
            with open(path, "w", encoding="utf-8") as f:
                f.writelines(new)
            print(f"gen-docs.py: {path}: {regions} regions regenerated")
        return 0
    diff = list(difflib.unified_diff(lines, new, path + " (checked in)",
                                     path + " (generated now)"))
    if diff:
        sys.stdout.writelines(diff)
        print(f"gen-docs.py: {path}: the generated tables are out of date; "
              "run `make docs-update`")
        return 1
    print(f"gen-docs.py: {path}: {regions} generated regions up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
