#!/usr/bin/env python3
"""Benchmark setup (not timed): turns a prepared llm-batch work directory plus one results file
into what the poll step leaves behind -- each shard's results in its own downloaded file and the
ledger saying every batch completed -- so the merge step can run on exactly these results.

usage: stage_results.py INSTANCE_DIR RESULTS.jsonl
"""
import json
import os
import sys


def main():
    instance, results = sys.argv[1], sys.argv[2]
    ledger_file = os.path.join(instance, "ledger.json")
    with open(ledger_file, encoding="utf-8") as f:
        ledger = json.load(f)
    shard_of = {}
    for shard in ledger["shards"]:
        with open(shard["recordsFile"], encoding="utf-8") as f:
            for line in f:
                shard_of[json.loads(line)["custom_id"]] = shard["index"]
    out_dir = os.path.join(instance, "results")
    os.makedirs(out_dir, exist_ok=True)
    paths = {s["index"]: os.path.join(out_dir, "shard-%05d.attempt-1.output.jsonl" % s["index"])
             for s in ledger["shards"]}
    outs = {i: open(p, "w", encoding="utf-8") for i, p in paths.items()}
    with open(results, encoding="utf-8") as f:
        for line in f:
            key = line[line.index('"custom_id":"') + 13:]
            outs[shard_of[key[:key.index('"')]]].write(line)
    for out in outs.values():
        out.close()
    ledger["attempts"] = [{
        "shard": s["index"], "attempt": 1, "requestsFile": s["requestsFile"], "requests": s["requests"],
        "key": "bench-%d" % s["index"], "fileId": "file-bench", "batchId": "batch_bench",
        "status": "completed", "total": s["requests"], "completed": s["requests"], "failed": 0,
        "outputRef": "file-bench-out", "outputFile": paths[s["index"]], "resolved": True,
    } for s in ledger["shards"]]
    with open(ledger_file, "w", encoding="utf-8") as f:
        json.dump(ledger, f)


if __name__ == "__main__":
    main()
