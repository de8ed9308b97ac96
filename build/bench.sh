#!/usr/bin/env bash
# build/bench.sh — runs Baomi's Go benchmarks and prints a table.
# Targets live in the benchmarks, never in timed unit tests.
# BAOMI_BENCH_TIME sets -benchtime (default 1x for the slow ones is not used: 2s).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"
BT=${BAOMI_BENCH_TIME:-2s}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
go test -run '^$' -bench . -benchmem -benchtime "$BT" ./data/... | tee "$out" >&2
printf '\n%-40s %12s %14s %12s %12s\n' "benchmark" "runs" "time/op" "B/op" "allocs/op"
awk '/^Benchmark/ {
	name=$1; sub(/-[0-9]+$/, "", name)
	t=$3; unit=$4
	if (unit == "ns/op") { if (t > 1e6) { t = sprintf("%.1f ms", t/1e6) } else if (t > 1e3) { t = sprintf("%.1f µs", t/1e3) } else { t = t " ns" } }
	printf "%-40s %12s %14s %12s %12s\n", name, $2, t, $5, $7
}' "$out"
