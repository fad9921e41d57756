#!/usr/bin/env python3
"""Check that two merged outputs agree on their first lines (a sample).

    python3 bench/compare_merged.py PYTHON_OUT.jsonl JAVA_OUT.jsonl [--sample 2000] [--name java]

Both are in input order, so line i of one must be line i of the other. Every key the
Python baseline writes must be in the Java line with an equal value (parsed JSON, so
spacing and escaping do not matter); the Java side may add keys. --name says what the
second file's side is called in the output. Prints one line; exit status 0 when they
agree, 1 when not.
"""

import argparse
import itertools
import json
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("python_out")
    ap.add_argument("java_out")
    ap.add_argument("--sample", type=int, default=2000)
    ap.add_argument("--name", default="java")
    args = ap.parse_args()
    with open(args.python_out, encoding="utf-8") as p, open(args.java_out, encoding="utf-8") as j:
        pairs = itertools.islice(zip(p, j), args.sample)
        n = 0
        for n, (want_line, got_line) in enumerate(pairs, 1):
            want, got = json.loads(want_line), json.loads(got_line)
            diff = [k for k in want if k not in got or got[k] != want[k]]
            if diff:
                print(f"check: MISMATCH on line {n} in {diff}\n  python: {want_line.strip()}\n"
                      f"  {args.name}: {got_line.strip()}")
                return 1
    print(f"check: {args.name} merged lines agree with python ({n} sampled)")
    return 0 if n else 1


if __name__ == "__main__":
    sys.exit(main())
