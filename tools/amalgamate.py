#!/usr/bin/env python3
"""Generates single_include/leakguard/leakguard.hpp from include/leakguard/.

Starts at include/leakguard/leakguard.hpp and inlines every quoted #include of a project file,
recursively, each file once (later includes of an already inlined file are dropped), leaving a
marker comment `// #include "..." (inlined)` where each one stood. System includes stay as they are.

    python3 tools/amalgamate.py          # rewrite the single header
    python3 tools/amalgamate.py --check  # exit 1 if the committed single header is stale
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCE = os.path.join(ROOT, "include", "leakguard", "leakguard.hpp")
TARGET = os.path.join(ROOT, "single_include", "leakguard", "leakguard.hpp")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')

BANNER = """// leakguard - in-process memory-leak tracker for C++ (header-only) - SINGLE HEADER
// SPDX-License-Identifier: MIT
// DO NOT EDIT: generated from include/leakguard/ by tools/amalgamate.py.
"""


def inline(path, seen, out):
    path = os.path.normpath(path)
    if path in seen:
        return
    seen.add(path)
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = INCLUDE.match(line)
            if m:
                target = os.path.join(os.path.dirname(path), m.group(1))
                if not os.path.isfile(target):
                    sys.exit("amalgamate: %s includes missing file %s" % (path, m.group(1)))
                rel = os.path.relpath(os.path.normpath(target), os.path.join(ROOT, "include"))
                out.append('// #include "%s" (inlined)\n' % rel)
                inline(target, seen, out)
            else:
                out.append(line)


def generate():
    out = [BANNER]
    inline(SOURCE, set(), out)
    return "".join(out)


def main():
    text = generate()
    if "--check" in sys.argv[1:]:
        try:
            with open(TARGET, encoding="utf-8") as f:
                current = f.read()
        except OSError:
            current = None
        if current != text:
            print("single_include/leakguard/leakguard.hpp is stale: run python3 tools/amalgamate.py")
            return 1
        print("single_include/leakguard/leakguard.hpp is up to date")
        return 0
    os.makedirs(os.path.dirname(TARGET), exist_ok=True)
    with open(TARGET, "w", encoding="utf-8") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
