#!/usr/bin/env python3
"""The seeds' way of preparing OpenAI batch input files, as the baseline to beat.

    python3 bench/baseline_prepare.py INPUT.jsonl OUTDIR

For every input line: json.loads, fill the {{field}} placeholders of the user template,
build one /v1/chat/completions batch request line with json.dumps, and start a new
output file every 50,000 lines or before a file would pass 200 MB (OpenAI's limits;
OUTDIR/batch-00000.jsonl, batch-00001.jsonl, ...).
Plain single-process Python on purpose: this is what the Java job is measured against.
"""

import json
import os
import re
import sys

SYSTEM_PROMPT = ("Classify the sentiment of the product review as positive, neutral or "
                 "negative. Answer with one word.")
USER_TEMPLATE = "Review of {{product}} ({{rating}}/5): {{title}}\n\n{{text}}"
MODEL = "gpt-4o-mini"
MAX_LINES_PER_FILE = 50_000
MAX_BYTES_PER_FILE = 200_000_000

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}")


def compile_template(template):
    """Split once into literal text (even indexes) and field names (odd indexes)."""
    return PLACEHOLDER.split(template)


def render(parts, record):
    out = []
    for i, part in enumerate(parts):
        if i % 2:
            value = record.get(part)
            out.append("" if value is None else str(value))
        else:
            out.append(part)
    return "".join(out)


USER_PARTS = compile_template(USER_TEMPLATE)


def request_line(record):
    return json.dumps({
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
    })


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: baseline_prepare.py INPUT.jsonl OUTDIR")
    src, outdir = sys.argv[1], sys.argv[2]
    os.makedirs(outdir, exist_ok=True)
    files = 0
    lines_in_file = bytes_in_file = 0
    total = 0
    out = None
    with open(src, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            data = request_line(json.loads(line)) + "\n"  # ASCII (json.dumps escapes the rest): len is bytes
            if out is None or lines_in_file == MAX_LINES_PER_FILE or bytes_in_file + len(data) > MAX_BYTES_PER_FILE:
                if out is not None:
                    out.close()
                out = open(os.path.join(outdir, f"batch-{files:05d}.jsonl"), "w", encoding="utf-8")
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
