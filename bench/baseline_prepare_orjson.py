#!/usr/bin/env python3
"""The seeds' prepare loop with orjson, the JSON library a Python user reaches for when speed matters.

    python3 bench/baseline_prepare_orjson.py INPUT.jsonl OUTDIR

The loop of baseline_prepare.py (its template, request and roll-over rules, imported from it so
the two differ only in the JSON library): orjson.loads, fill the {{field}} placeholders,
orjson.dumps the request line, start a new output file every 50,000 lines or before a file
would pass 200 MB. Single process, binary files, as a user who tuned it would write it.
Needs orjson (bench/run installs it).
"""

import os
import sys

import orjson

from baseline_prepare import MAX_BYTES_PER_FILE, MAX_LINES_PER_FILE, MODEL, SYSTEM_PROMPT, USER_PARTS, render


def request_line(record):
    return orjson.dumps({
        "custom_id": record["id"],
        "method": "POST",
        "url": "/v1/chat/completions",
        "body": {
            "model": MODEL,
            "messages": [
                {"role": "system", "content": SYSTEM_PROMPT},
                {"role": "user", "content": render(USER_PARTS, record)},
            ],
            "max_completion_tokens": 16,
            "temperature": 0,
        },
    }, option=orjson.OPT_APPEND_NEWLINE)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: baseline_prepare_orjson.py INPUT.jsonl OUTDIR")
    src, outdir = sys.argv[1], sys.argv[2]
    os.makedirs(outdir, exist_ok=True)
    files = 0
    lines_in_file = bytes_in_file = 0
    total = 0
    out = None
    with open(src, "rb") as f:
        for line in f:
            if not line.strip():
                continue
            data = request_line(orjson.loads(line))
            if out is None or lines_in_file == MAX_LINES_PER_FILE or bytes_in_file + len(data) > MAX_BYTES_PER_FILE:
                if out is not None:
                    out.close()
                out = open(os.path.join(outdir, f"batch-{files:05d}.jsonl"), "wb")
                files += 1
                lines_in_file = bytes_in_file = 0
            out.write(data)
            lines_in_file += 1
            bytes_in_file += len(data)
            total += 1
    if out is not None:
        out.close()
    print(f"prepared {total} requests in {files} files", file=sys.stderr)


if __name__ == "__main__":
    main()
