#!/usr/bin/env bash
# Determinism: the same sweep with --jobs 1 and --jobs 2 writes byte-identical
# results (CSV and JSON) and point files.
#
# Usage: sweep_jobs_test.sh GILSIM SCENARIO WORKDIR
set -euo pipefail
trap 'echo "FAIL: line $LINENO: $BASH_COMMAND" >&2' ERR
gilsim=$1 scenario=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"
"$gilsim" sweep "$scenario" --out one --jobs 1 2>/dev/null
"$gilsim" sweep "$scenario" --out two --jobs 2 2>/dev/null
cmp one/results.csv two/results.csv
cmp one/results.json two/results.json
diff -r one/points two/points
echo "--jobs 1 == --jobs 2: $(ls one/points | wc -l) points"
