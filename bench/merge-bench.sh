#!/usr/bin/env bash
# merge-bench.sh RECORDS.jsonl RESULTS.jsonl OUT.jsonl
# Runs llm-batch's real merge step (same artifacts as job llm-batch, through JBeret) on the given
# results. Setup -- a dry run that prepares the shards, and stage_results.py -- is not timed;
# the line `java_merge_s= java_merge_cpu_s=` is the whole merge process (wall, CPU), JVM start included.
set -euo pipefail
records=$1 results=$2 out=$3
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cli=${LLM_BATCH_CLI:-$root/target/llm-batch/bin/llm-batch}
scratch=$(mktemp -d "${TMPDIR:-/tmp}/llm-batch-merge.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
repo() { echo "jdbc:h2:file:$scratch/$1;AUTO_SERVER=TRUE;DB_CLOSE_DELAY=-1;WRITE_DELAY=0"; }

# setup: shards and ledger of a fresh repository's first instance, then the results staged into it
LLM_BATCH_REPORT_HEAP= LLM_BATCH_REPOSITORY=$(repo prepare) "$cli" run "$root/bench/bench.properties" \
  -p "input=$records" -p "workDir=$scratch/work" -p "output=$out" -p dryRun=true >"$scratch/prepare.log" 2>&1 \
  || { cat "$scratch/prepare.log" >&2; exit 1; }
python3 "$root/bench/stage_results.py" "$scratch/work/instance-1" "$results"

# timed: the merge step alone, as the first instance of another fresh repository (instance-1 again);
# bash's time gives wall and CPU (user + sys) seconds, the process's own stderr stays on stderr
TIMEFORMAT='%3R %3U %3S'
{ time LLM_BATCH_REPOSITORY=$(repo merge) LLM_BATCH_CLASSPATH="$root/bench/jobs" "$cli" run "$root/bench/bench.properties" \
  --job llm-batch-merge -p "input=$records" -p "workDir=$scratch/work" -p "output=$out" 2>&3; } 3>&2 2>"$scratch/merge.time"
read -r real user sys < <(tr , . <"$scratch/merge.time")
awk -v r="$real" -v u="$user" -v s="$sys" 'BEGIN { printf "java_merge_s=%.2f java_merge_cpu_s=%.2f\n", r, u + s }'
