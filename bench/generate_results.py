#!/usr/bin/env python3
"""Write OpenAI batch output-file lines (emulator-shaped) for every input record.

    python3 bench/generate_results.py INPUT.jsonl OUT.jsonl [--seed S]
                                      [--errors ERR.jsonl] [--error-rate 0.01]

One line per input record, keyed by the record's "id" as custom_id, in shuffled order
(the provider does not keep input order). Shapes follow BATCH-PROTOCOLS.md section A.7.
With --errors, about --error-rate of the records get an error-file line instead,
written to ERR.jsonl: half HTTP-level failures (response.status_code 4xx/5xx, error
null), half never-executed ones (response null, error {code, message}).
The assistant text is labelled "[emulated]": it is not a model's answer.
"""

import argparse
import json
import random

SYSTEM_PROMPT_CHARS = 104  # the benchmark's system prompt, for the token estimate
TEMPLATE_CHARS = 20
CREATED = 1767226000
MOODS = ("negative", "negative", "neutral", "positive", "positive")  # by rating 1..5

HTTP_FAILURES = (
    (400, '{"error":{"message":"max_tokens is too large for this model.",'
          '"type":"invalid_request_error","param":"max_tokens","code":null}}'),
    (500, '{"error":{"message":"The server had an error while processing your request.",'
          '"type":"server_error","param":null,"code":null}}'),
)
UNRUN_FAILURES = (
    ("batch_expired", "The batch expired before this request could be executed."),
    ("request_timeout", "The request timed out."),
)


def prompt_tokens(record):
    chars = SYSTEM_PROMPT_CHARS + TEMPLATE_CHARS
    for key in ("product", "title", "text"):
        value = record.get(key)
        if value is not None:
            chars += len(str(value))
    return chars // 4 + 12  # roughly 4 characters a token, plus the chat framing


def success_line(rng, n, custom_id, tokens, mood):
    completion = 1 + (n % 2)
    return (
        f'{{"id":"batch_req_{rng.getrandbits(96):024x}","custom_id":{custom_id},'
        f'"response":{{"status_code":200,"request_id":"req_{rng.getrandbits(128):032x}",'
        f'"body":{{"id":"chatcmpl-{rng.getrandbits(96):024x}","object":"chat.completion",'
        f'"created":{CREATED + n // 1000},"model":"gpt-4o-mini","choices":[{{"index":0,'
        f'"message":{{"role":"assistant","content":"[emulated] {mood}"}},'
        f'"finish_reason":"stop"}}],"usage":{{"prompt_tokens":{tokens},'
        f'"completion_tokens":{completion},"total_tokens":{tokens + completion}}}}}}},'
        f'"error":null}}'
    )


def failure_line(rng, custom_id):
    head = f'{{"id":"batch_req_{rng.getrandbits(96):024x}","custom_id":{custom_id},'
    if rng.random() < 0.5:
        status, body = rng.choice(HTTP_FAILURES)
        return (head + f'"response":{{"status_code":{status},'
                f'"request_id":"req_{rng.getrandbits(128):032x}","body":{body}}},"error":null}}')
    code, message = rng.choice(UNRUN_FAILURES)
    return head + f'"response":null,"error":{{"code":"{code}","message":"{message}"}}}}'


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("input", help="records JSONL (each with an \"id\")")
    ap.add_argument("out", help="output-file JSONL to write")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--errors", help="also write error-file lines to this file")
    ap.add_argument("--error-rate", type=float, default=0.01)
    args = ap.parse_args(argv)

    entries = []
    with open(args.input, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            record = json.loads(line)
            rating = record.get("rating")
            mood = MOODS[rating - 1] if isinstance(rating, int) and 1 <= rating <= 5 else "neutral"
            # custom_id is kept already JSON-encoded: it goes into the line as is
            entries.append((json.dumps(record["id"]), prompt_tokens(record), mood))

    rng = random.Random(args.seed)
    rng.shuffle(entries)
    error_rate = args.error_rate if args.errors else 0.0
    errors = open(args.errors, "w", encoding="utf-8") if args.errors else None
    try:
        with open(args.out, "w", encoding="utf-8") as out:
            chunk = []
            for n, (custom_id, tokens, mood) in enumerate(entries):
                if error_rate and rng.random() < error_rate:
                    errors.write(failure_line(rng, custom_id) + "\n")
                    continue
                chunk.append(success_line(rng, n, custom_id, tokens, mood))
                if len(chunk) == 10_000:
                    out.write("\n".join(chunk) + "\n")
                    chunk.clear()
            if chunk:
                out.write("\n".join(chunk) + "\n")
    finally:
        if errors is not None:
            errors.close()

if __name__ == "__main__":
    main()
