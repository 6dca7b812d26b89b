#!/usr/bin/env python3
"""Validates SARIF logs against the SARIF 2.1.0 JSON schema, for tests/cases/driver/test_sarif.cpp.

    python3 tests/cases/validate_sarif.py SCHEMA LOG...

Exit status: 0 when every log is valid; 1 when one is not (each error printed, with the path to
it); 2 for a usage error; 77 when python3's jsonschema module is missing (Debian's
python3-jsonschema, which tools/install-test-deps.sh installs): the test is then skipped.
"""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("validate_sarif: python3's jsonschema module is not installed", file=sys.stderr)
    sys.exit(77)


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    validator_class = jsonschema.validators.validator_for(schema)  # the schema's draft (04)
    validator_class.check_schema(schema)
    validator = validator_class(schema, format_checker=jsonschema.FormatChecker())
    bad = 0
    for path in argv[2:]:
        with open(path, encoding="utf-8") as f:
            log = json.load(f)
        for error in sorted(validator.iter_errors(log), key=lambda e: list(map(str, e.absolute_path))):
            where = "/".join(str(p) for p in error.absolute_path) or "(top)"
            print("%s: %s: %s" % (path, where, error.message))
            bad += 1
    if bad:
        print("validate_sarif: %d schema errors" % bad)
        return 1
    print("validate_sarif: %d logs valid" % (len(argv) - 2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
