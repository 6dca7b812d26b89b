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

# The first line of every other generated file: they are copies too, and edits belong in include/.
GENERATED = "// DO NOT EDIT: generated from include/%s by tools/amalgamate.py.\n"

BANNER = """// leakguard - in-process memory-leak tracker for C++ (header-only) - SINGLE HEADER
// SPDX-License-Identifier: MIT
// DO NOT EDIT: generated from include/leakguard/ by tools/amalgamate.py.
"""


def inline(path, seen, out, keep=(), held=()):
    """Appends `path` to `out` with its project includes inlined, except those of files in `keep`
    made by a file next to them, which stay #include lines, and those of files in `held` (the
    single header, which `path` has included already), which are left out."""
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
                target = os.path.normpath(target)
                if target in keep and os.path.dirname(target) == os.path.dirname(path):
                    out.append(line)
                    continue
                rel = os.path.relpath(target, os.path.join(ROOT, "include"))
                if target in held:
                    out.append('// #include "%s" (in leakguard.hpp)\n' % rel)
                    continue
                out.append('// #include "%s" (inlined)\n' % rel)
                inline(target, seen, out, keep, held)
            else:
                out.append(line)


def generate():
    """Returns {target path: text}: the single header, and each other top-level header of
    include/leakguard/ (the test-framework adapters, map_pause/map_resume). Those keep their
    includes of top-level headers ("leakguard.hpp" is the single header next to them in
    single_include/) and get their detail/ includes inlined (detail/ is not shipped there), except
    the files the single header holds: an adapter includes leakguard.hpp before its detail/ part."""
    out = [BANNER]
    single = set()
    inline(SOURCE, single, out)
    files = {TARGET: "".join(out)}
    top = os.path.dirname(SOURCE)
    tops = [os.path.join(top, n) for n in sorted(os.listdir(top)) if n.endswith(".hpp")]
    tops = [os.path.normpath(p) for p in tops if os.path.isfile(p)]
    for path in tops:
        if path == os.path.normpath(SOURCE):
            continue
        text = [GENERATED % os.path.relpath(path, os.path.join(ROOT, "include"))]
        inline(path, set(), text, keep=set(tops), held=single)
        files[os.path.join(os.path.dirname(TARGET), os.path.basename(path))] = "".join(text)
    return files


def main():
    files = generate()
    if "--check" in sys.argv[1:]:
        stale = []
        for target, text in files.items():
            try:
                with open(target, encoding="utf-8") as f:
                    current = f.read()
            except OSError:
                current = None
            if current != text:
                stale.append(os.path.relpath(target, ROOT))
        expected = set(files)
        for name in os.listdir(os.path.dirname(TARGET)):
            path = os.path.join(os.path.dirname(TARGET), name)
            if path not in expected:
                stale.append(os.path.relpath(path, ROOT) + " (not generated from include/)")
        if stale:
            print("stale: %s - run python3 tools/amalgamate.py" % ", ".join(stale))
            return 1
        print("single_include/ is up to date")
        return 0
    os.makedirs(os.path.dirname(TARGET), exist_ok=True)
    for target, text in files.items():
        with open(target, "w", encoding="utf-8") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
