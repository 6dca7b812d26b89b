#!/usr/bin/env python3
"""Runs a whole-suite-mode test program in its own order and shuffled with several seeds, and
checks that exactly one test fails - the one whose source line holds the marker - in every order:
the framework's verdict, leakguard's failure line (name, file:line, "lost"), and the JSON report
(json.load must read it; one scope failure with the right name, file, line and rule). The control:
under test_checks=strict the same suite fails more than one test.

    check_suite.py --framework gtest --program P --source S --failing Pool.Forgets \
                   [--unchecked NAME] [--seeds 7,99,2024]
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

MARKER = "injected-leak"


def shuffle_args(framework, seed):
    if seed is None:
        return []
    return {
        "gtest": ["--gtest_shuffle", "--gtest_random_seed=%d" % seed],
        "doctest": ["--order-by=rand", "--rand-seed=%d" % seed],
        "catch2": ["--order", "rand", "--rng-seed", str(seed)],
    }[framework]


def one_failed_test(framework, out, failing):
    """The framework says that exactly one test failed, and (where it names it) which."""
    if framework == "gtest":
        listed = re.findall(r"^\[  FAILED  \] (\S+)", out, re.M)
        # The list after "listed below" repeats the failed tests; count the distinct names.
        names = sorted(set(n for n in listed if not n[0].isdigit()))
        return names == [failing], "failed tests %s" % names
    m = re.search(r"test cases:\s*(\d+) \|\s*(\d+) passed \|\s*(\d+) failed", out)
    if not m:
        return False, "no test-case summary"
    return m.group(3) == "1", "summary '%s'" % m.group(0)


def check_run(args, seed, source_line):
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        json_path = os.path.join(tmp, "report.json")
        env = dict(os.environ)
        env["LEAKGUARD_OPTIONS"] = "json_path=" + json_path
        run = subprocess.run([args.program] + shuffle_args(args.framework, seed), env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300)
        out = run.stdout.decode("utf-8", "replace")
        if run.returncode == 0:
            problems.append("exit status 0, expected non-zero (one test fails)")
        ok, why = one_failed_test(args.framework, out, args.failing)
        if not ok:
            problems.append("the framework's verdict is not one failed test %s: %s" % (args.failing, why))
        # Catch2 wraps a failure's message at 80 columns: compare with every blank taken out.
        squash = (lambda t: re.sub(r"\s+", "", t)) if args.framework == "catch2" else (lambda t: t)
        lines = re.findall(squash(r'leakguard: scope "([^"]*)" \(([^)]*)\) ended with ') +
                           r'.*?' + squash(r'allocated inside it ') + r'(lost|still)', squash(out), re.S)
        want_place = "%s:%d" % (args.source, source_line)
        if (len(lines) != 1 or lines[0][0] != squash(args.failing) or lines[0][1] != squash(want_place) or
                lines[0][2] != "lost"):
            problems.append("leakguard's failures %s, expected one for %s at %s, lost" %
                            (lines, args.failing, want_place))
        if args.unchecked and not re.search(r"not checked as a whole[^\n]*\n(leakguard:   [^\n]*\n)*"
                                            r"leakguard:   " + re.escape(args.unchecked) + " ", out):
            problems.append("the test %s is not named as unchecked" % args.unchecked)
        try:
            with open(json_path) as f:
                report = json.load(f)
            failures = report["scope_failures"]
            if len(failures) != 1:
                problems.append("JSON scope_failures has %d entries" % len(failures))
            else:
                f = failures[0]
                if (f["name"], f["file"], f["line"], f["rule"]) != (args.failing, args.source, source_line, "lost"):
                    problems.append("JSON failure %s" % f)
        except (OSError, ValueError, KeyError) as e:
            problems.append("JSON report: %s" % e)
    if problems:
        print("--- output (%s) ---\n%s" % ("default order" if seed is None else "seed %d" % seed, out))
    return problems


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--framework", choices=["gtest", "doctest", "catch2"], required=True)
    p.add_argument("--program", required=True)
    p.add_argument("--source", required=True)
    p.add_argument("--failing", required=True, help="the failing test's name as leakguard's failure names it")
    p.add_argument("--unchecked", help="a test the adapter must name as not checked as a whole")
    p.add_argument("--seeds", default="7,99,2024")
    args = p.parse_args()
    with open(args.source) as f:
        source_line = next(i for i, l in enumerate(f, 1) if MARKER in l)
    failed = False
    for seed in [None] + [int(s) for s in args.seeds.split(",")]:
        for problem in check_run(args, seed, source_line):
            failed = True
            print("%s: %s" % ("default order" if seed is None else "seed %d" % seed, problem))
    # The control: the same suite under test_checks=strict fails more tests than the one (the
    # statics and caches above are alive after their tests), or it proves nothing about the rule.
    env = dict(os.environ)
    env["LEAKGUARD_OPTIONS"] = "test_checks=strict"
    strict = subprocess.run([args.program], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300)
    strict_out = strict.stdout.decode("utf-8", "replace")
    failures = len(re.findall(r"leakguard: scope ", strict_out))
    if failures < 2:
        failed = True
        print("test_checks=strict: %d failed tests, expected more than one\n%s" % (failures, strict_out))
    if failed:
        return 1
    print("one failed test (%s) in every order" % args.failing)
    return 0


if __name__ == "__main__":
    sys.exit(main())
