#!/usr/bin/env python3
"""Checks that the includes of include/leakguard/ run one way, down the layers.

    python3 tools/check_includes.py   # exit 1, naming each offending #include, if one goes up

The layers, top to bottom (a file may include its own folder and any layer below its own):
    detail/adapter_common.hpp (the adapters' shared part, compiled after the implementation) ->
    runtime/ -> report/, libc/ -> reach/ -> heap/ -> capture/, symbolize/ -> core/ -> detail/*.hpp and the
    public headers (api.hpp, scope.hpp, block_info.hpp). Folders that share a layer do not include
    each other. The calls that must still go up are declared in detail/upward_calls.hpp.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOP = os.path.join(ROOT, "include", "leakguard")
DETAIL = os.path.join(TOP, "detail")
RANK = {"core": 1, "capture": 2, "symbolize": 2, "heap": 3, "reach": 4, "report": 5, "libc": 5, "runtime": 6}
TOP_OF_DETAIL = {"adapter_common.hpp": (7, "adapters")}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def layer(path):
    """(rank, folder) of a header under detail/; the public and detail/*.hpp headers are layer 0."""
    rel = os.path.relpath(path, DETAIL)
    if rel in TOP_OF_DETAIL:
        return TOP_OF_DETAIL[rel]
    if rel.startswith("..") or os.sep not in rel:
        return 0, ""
    folder = rel.split(os.sep)[0]
    if folder not in RANK:
        sys.exit("check_includes: %s is in no known layer (add its folder to RANK)" % rel)
    return RANK[folder], folder


def main():
    bad = []
    for base, _, names in os.walk(DETAIL):
        for name in sorted(names):
            if not name.endswith(".hpp"):
                continue
            path = os.path.join(base, name)
            rank, folder = layer(path)
            with open(path, encoding="utf-8") as f:
                for number, line in enumerate(f, 1):
                    m = INCLUDE.match(line)
                    if not m:
                        continue
                    target = os.path.normpath(os.path.join(base, m.group(1)))
                    trank, tfolder = layer(target)
                    if trank > rank or (trank == rank and tfolder != folder and rank > 0):
                        bad.append("%s:%d includes %s (layer %s above or beside %s)" % (
                            os.path.relpath(path, ROOT), number, m.group(1), tfolder, folder or "detail"))
    if bad:
        print("includes that go up the layers (declare the call in detail/upward_calls.hpp instead):")
        print("\n".join(bad))
        return 1
    print("includes run one way")
    return 0


if __name__ == "__main__":
    sys.exit(main())
