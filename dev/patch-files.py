#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""patch-files.py: split a quilt patch (unified diff, -p1) by the file it touches.

  patch-files.py only FILE PATCH      the diff of FILE alone (no mail header)
  patch-files.py drop LIST PATCH      PATCH without the diffs of the files
                                      named in the file LIST (one a line)

A patch of patches/series may change files of the overlay that an earlier
patch adds whole; the overlay holds their final state. dev/kernel-tree.sh
drops those diffs when it applies the series over the overlay, and
dev/series.sh reverse-applies them to get each such file as it is before
the patch. Hunks are walked by their line counts, so that a removed line
that starts with "-- " cannot be taken for the next file's header.
"""
import re
import sys

HUNK = re.compile(r'^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@')


def split(text):
    """(header, [(path, lines)]) of a unified diff."""
    lines = text.splitlines(keepends=True)
    header, files, i = [], [], 0
    while i < len(lines):
        line = lines[i]
        if line.startswith('--- ') and i + 1 < len(lines) and lines[i + 1].startswith('+++ '):
            new = lines[i + 1][4:].split('\t')[0].strip()
            old = line[4:].split('\t')[0].strip()
            path = new if new != '/dev/null' else old
            path = path.split('/', 1)[1] if '/' in path else path
            body = [line, lines[i + 1]]
            i += 2
            while i < len(lines):
                m = HUNK.match(lines[i])
                if not m:
                    break
                body.append(lines[i])
                old_n = int(m.group(1) or 1)
                new_n = int(m.group(2) or 1)
                i += 1
                while (old_n > 0 or new_n > 0) and i < len(lines):
                    c = lines[i][:1]
                    if c == '\\':
                        pass
                    elif c == '-':
                        old_n -= 1
                    elif c == '+':
                        new_n -= 1
                    else:
                        old_n -= 1
                        new_n -= 1
                    body.append(lines[i])
                    i += 1
                while i < len(lines) and lines[i].startswith('\\'):
                    body.append(lines[i])
                    i += 1
            files.append((path, body))
        elif files:
            # Trailing text after the last diff (a signature): keep it.
            files[-1][1].append(line)
            i += 1
        else:
            header.append(line)
            i += 1
    return header, files


def main(argv):
    if len(argv) == 4 and argv[1] == 'only':
        out = [''.join(body) for path, body in split(open(argv[3]).read())[1]
               if path == argv[2]]
        sys.stdout.write(''.join(out))
    elif len(argv) == 4 and argv[1] == 'drop':
        drop = {l.strip() for l in open(argv[2]) if l.strip()}
        header, files = split(open(argv[3]).read())
        sys.stdout.write(''.join(header))
        sys.stdout.write(''.join(''.join(b) for p, b in files if p not in drop))
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
