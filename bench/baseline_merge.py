#!/usr/bin/env python3
"""The plain Python dict-join of batch results back onto the input, as a baseline.

    python3 bench/baseline_merge.py INPUT.jsonl RESULTS.jsonl [MORE_RESULTS.jsonl ...] OUT.jsonl

Loads every result line into a dict keyed by custom_id, then walks the input in order
and writes one merged JSON object per record:
{"id", "status", "content", "error", "usage", "attempts": 1, ...the record's own fields}.
Result files may be output files and error files alike (BATCH-PROTOCOLS.md section A.7).
"""

import json
import sys


def outcome(result):
    """(status, content, error, usage) for one result line, or for None (no line)."""
    if result is None:
        return "failed", None, {"code": "missing_result",
                                "message": "no result line for this custom_id"}, None
    response = result.get("response")
    if response is None:
        error = result.get("error") or {"code": "unknown", "message": "no response and no error"}
        return "failed", None, {"code": error.get("code"), "message": error.get("message")}, None
    status_code = response.get("status_code")
    body = response.get("body") or {}
    if isinstance(status_code, int) and 200 <= status_code < 300:
        choices = body.get("choices") or [{}]
        content = (choices[0].get("message") or {}).get("content")
        return "succeeded", content, None, body.get("usage")
    err = body.get("error") or {}
    code = err.get("code") or err.get("type") or f"http_{status_code}"
    return "failed", None, {"code": code, "message": err.get("message")}, body.get("usage")


def main():
    if len(sys.argv) < 4:
        sys.exit("usage: baseline_merge.py INPUT.jsonl RESULTS.jsonl [MORE_RESULTS.jsonl ...] OUT.jsonl")
    src, result_files, dst = sys.argv[1], sys.argv[2:-1], sys.argv[-1]

    results = {}
    for path in result_files:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    result = json.loads(line)
                    results[result["custom_id"]] = result

    succeeded = failed = 0
    with open(src, encoding="utf-8") as f, open(dst, "w", encoding="utf-8") as out:
        for line in f:
            if not line.strip():
                continue
            record = json.loads(line)
            status, content, error, usage = outcome(results.get(record["id"]))
            merged = {"id": record["id"], "status": status, "content": content,
                      "error": error, "usage": usage, "attempts": 1}
            for key, value in record.items():
                merged.setdefault(key, value)
            out.write(json.dumps(merged) + "\n")
            if status == "succeeded":
                succeeded += 1
            else:
                failed += 1
    print(f"merged {succeeded + failed} records: {succeeded} succeeded, {failed} failed",
          file=sys.stderr)


if __name__ == "__main__":
    main()
