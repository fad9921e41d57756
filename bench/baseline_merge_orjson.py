#!/usr/bin/env python3
"""The plain Python dict-join of batch results with orjson, as the second merge baseline.

    python3 bench/baseline_merge_orjson.py INPUT.jsonl RESULTS.jsonl [MORE_RESULTS.jsonl ...] OUT.jsonl

baseline_merge.py with orjson instead of json (the outcome rules are imported from it, so the
two differ only in the JSON library): results into a dict by custom_id, then one merged object
per input record, in input order. Needs orjson (bench/run installs it).
"""

import sys

import orjson

from baseline_merge import outcome


def main():
    if len(sys.argv) < 4:
        sys.exit("usage: baseline_merge_orjson.py INPUT.jsonl RESULTS.jsonl [MORE_RESULTS.jsonl ...] OUT.jsonl")
    src, result_files, dst = sys.argv[1], sys.argv[2:-1], sys.argv[-1]

    results = {}
    for path in result_files:
        with open(path, "rb") as f:
            for line in f:
                if line.strip():
                    result = orjson.loads(line)
                    results[result["custom_id"]] = result

    succeeded = failed = 0
    with open(src, "rb") as f, open(dst, "wb") as out:
        for line in f:
            if not line.strip():
                continue
            record = orjson.loads(line)
            status, content, error, usage = outcome(results.get(record["id"]))
            merged = {"id": record["id"], "status": status, "content": content,
                      "error": error, "usage": usage, "attempts": 1}
            for key, value in record.items():
                merged.setdefault(key, value)
            out.write(orjson.dumps(merged, option=orjson.OPT_APPEND_NEWLINE))
            if status == "succeeded":
                succeeded += 1
            else:
                failed += 1
    print(f"merged {succeeded + failed} records: {succeeded} succeeded, {failed} failed",
          file=sys.stderr)


if __name__ == "__main__":
    main()
