#!/usr/bin/env bash
# build/soak.sh — kill -9 soaks: the store's kill loop for many rounds on one
# growing store, then the all-or-nothing import and the re-key (更换密钥)
# kill loops for longer than go test runs them, then a real import of the
# largest register Baomi accepts held to a 450 MB memory cgroup (needs root
# on Linux), with the full flip sweep between, and prints a summary.
# 存储的断电/强杀耐久测试：反复强杀写入进程，检查已确认的写入无一丢失。
#
# Usage: build/soak.sh [ROUNDS]
#   ROUNDS   kill rounds (default: $BAOMI_CRASH_ROUNDS, else 300)
# Environment:
#   BAOMI_IMPORT_KILL_ROUNDS=n  all-or-nothing import rounds (default 60)
#   BAOMI_REKEY_ROUNDS=n        re-key rounds killed at random (default 60)
#   BAOMI_CRASH_SEED=n   replay the random delays and choices of an earlier run
#                        (the test prints the seed it used)
#
# Each round starts a writer, kills it with SIGKILL 50–400 ms after its first
# acknowledged write, reopens the store with the guard and checks it. The
# store grows every round, so later rounds take longer (roughly 5–10 min for
# 300 rounds on a 2-core machine).
set -euo pipefail

BAOMI_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
# shellcheck source=build/lib.sh
. "$BAOMI_ROOT/build/lib.sh"
cd "$BAOMI_ROOT"
baomi_find_go

rounds=${1:-${BAOMI_CRASH_ROUNDS:-300}}
case $rounds in
'' | *[!0-9]* | 0) die "用法 Usage: build/soak.sh [ROUNDS]  (ROUNDS: a positive number, got '$rounds')" ;;
esac

log=$(mktemp "${TMPDIR:-/tmp}/baomi-soak.XXXXXX")
trap 'rm -f "$log"' EXIT
say "soak: $rounds kill rounds on one store (go test ./data/store -run '^TestKillLoop')"
start=$SECONDS
set +e
BAOMI_CRASH_ROUNDS=$rounds go test ./data/store -run '^TestKillLoop' -count=1 -v -timeout 0 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e

if [ "$rc" -eq 0 ]; then
	say "soak: ${BAOMI_IMPORT_KILL_ROUNDS:=60} all-or-nothing import rounds, ${BAOMI_REKEY_ROUNDS:=60} re-key rounds"
	set +e
	BAOMI_IMPORT_KILL_ROUNDS=$BAOMI_IMPORT_KILL_ROUNDS go test ./data/store -run '^TestKilledAllOrNothingImport' -count=1 -v -timeout 0 2>&1 | tee -a "$log"
	rc=${PIPESTATUS[0]}
	if [ "$rc" -eq 0 ]; then
		BAOMI_REKEY_ROUNDS=$BAOMI_REKEY_ROUNDS go test ./data/workspace -run '^TestKillDuringRekey' -count=1 -v -timeout 0 2>&1 | tee -a "$log"
		rc=${PIPESTATUS[0]}
	fi
	if [ "$rc" -eq 0 ]; then
		say "soak: the full flip sweep (every byte of every small file, three masks; BAOMI_FLIP_FULL=1)"
		BAOMI_FLIP_FULL=1 go test ./data/store -run '^TestSingleByteFlipIsUnchangedOrDetected$' -count=1 -v -timeout 0 2>&1 | tee -a "$log"
		rc=${PIPESTATUS[0]}
	fi
	if [ "$rc" -eq 0 ]; then
		say "soak: a real import of the largest register (199,990 rows) in a 450 MB memory cgroup"
		BAOMI_IMPORT_MEMORY=1 go test ./app/cli -run '^TestRealImportOfTheLargestRegister' -count=1 -v -timeout 0 2>&1 | tee -a "$log"
		rc=${PIPESTATUS[0]}
	fi
	set -e
fi

say "" "==> soak summary"
grep -E 'BAOMI_CRASH_SEED=|rounds in|time in writer|rounds, seed|rolled back|cgroup:|flips in|random part|^--- (PASS|FAIL)|^ok|^FAIL' "$log" | sed 's/^ *[a-z_]*_test.go:[0-9]*: /    /' || true
if [ "$rc" -eq 0 ]; then
	say "soak: PASS — $rounds store rounds, $BAOMI_IMPORT_KILL_ROUNDS import rounds, $BAOMI_REKEY_ROUNDS re-key rounds, the full flip sweep, the largest import in 450 MB, in $((SECONDS - start)) s; nothing acknowledged was lost"
else
	grep -E 'round [0-9]+|FAIL|panic' "$log" | head -n 20 | sed 's/^/    /' || true
	say "soak: FAIL (exit $rc) after $((SECONDS - start)) s; rerun with the BAOMI_CRASH_SEED above to replay"
fi
exit "$rc"
