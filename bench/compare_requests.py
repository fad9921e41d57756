#!/usr/bin/env python3
"""Check that two sets of batch request files carry the same requests (a sample).

    python3 bench/compare_requests.py PYTHON_DIR JAVA_DIR [--sample 2000] [--name java]

Takes the first SAMPLE lines of the first file in PYTHON_DIR, finds the JSONL file in
JAVA_DIR that holds the same first custom_id, and compares the requests by custom_id
as parsed JSON (so key order, spacing and escaping do not matter). --name says what
JAVA_DIR's side is called in the output (bench/run checks the orjson baseline too). Prints one line;
exit status 0 when they agree, 1 when not.
"""

import argparse
import json
import os
import sys


def jsonl_files(directory):
    found = []
    for root, _, names in os.walk(directory):
        # llm-batch keeps each shard's records beside its requests: compare requests only
        found += [os.path.join(root, n) for n in names
                  if n.endswith(".jsonl") and not n.endswith(".records.jsonl")]
    return sorted(found)


def head(path, n):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                out.append(json.loads(line))
                if len(out) == n:
                    break
    return out


def holding(files, custom_id):
    needle = json.dumps(custom_id, ensure_ascii=False)[1:-1].encode("utf-8")
    for path in files:
        with open(path, "rb") as f:
            for line in f:
                if needle in line and json.loads(line).get("custom_id") == custom_id:
                    return path
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("python_dir")
    ap.add_argument("java_dir")
    ap.add_argument("--sample", type=int, default=2000)
    ap.add_argument("--name", default="java")
    args = ap.parse_args()

    py_files = jsonl_files(args.python_dir)
    java_files = jsonl_files(args.java_dir)
    if not py_files or not java_files:
        print(f"check: no request files (python {len(py_files)}, {args.name} {len(java_files)})")
        return 1
    expected = {r["custom_id"]: r for r in head(py_files[0], args.sample)}
    first_id = next(iter(expected))
    java_file = holding(java_files, first_id)
    if java_file is None:
        print(f"check: MISMATCH custom_id {first_id} is in no {args.name} request file")
        return 1
    # the java file may start elsewhere; read enough lines to cover the sample
    actual = {r.get("custom_id"): r for r in head(java_file, args.sample * 2)}
    for custom_id, want in expected.items():
        got = actual.get(custom_id)
        if got != want:
            print(f"check: MISMATCH for {custom_id}\n  python: {json.dumps(want)}\n  {args.name}: "
                  f"{json.dumps(got) if got is not None else 'missing'}")
            return 1
    print(f"check: {args.name} requests equal python requests ({len(expected)} sampled)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
