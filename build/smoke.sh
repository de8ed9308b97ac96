#!/usr/bin/env bash
# build/smoke.sh BINARY — window smoke test of the real Baomi binary under Xvfb.
#
#  1. starts Xvfb on a free display (:99 upward), screen 1280x800x24;
#  2. starts `BINARY --data FRESH_TEMP_DIR` there with LANG=C.UTF-8, the
#     locale of containers and minimal installs, whose tag "C" Fyne cannot
#     parse (HOME and the XDG folders point into the temp dir too, so
#     nothing of the user's is read or written);
#  3. waits (up to BAOMI_SMOKE_WAIT s, default 60) for a mapped window whose
#     name contains 保密工作台;
#  4. screenshots the screen and the window, and checks the window shows
#     content (more than 30 colours and a standard deviation above 0.02,
#     i.e. not a blank or black frame);
#  5. sends SIGTERM and expects a clean exit with status 0 within 15 s, and
#     no "panic" / "fatal error" / "Fyne error" in the program's output;
#  6. unlock phase: `BINARY init` sets up a second folder (password on stdin),
#     the window is started on it with no locale variable set at all (LANG,
#     LC_*, LANGUAGE unset), the password is typed with xdotool and
#     Enter pressed; the main window (carrier register) must appear, differ
#     from the unlock screen and show content; after SIGTERM, `BINARY verify`
#     must pass on the folder (store closed cleanly, audit chain intact).
#
#  7. only with BAOMI_SMOKE_BENCH_DATA (a data folder) and
#     BAOMI_SMOKE_BENCH_PASSWORD (build/bench.sh sets both): the window is
#     started on that folder, the password typed, and the program's own
#     timing lines ("unlock: …": key derivation, first rows shown, store
#     opened and checked) are printed; screenshots build/out/bench-rows.png
#     (right after the first rows) and build/out/bench-checked.png.
#
# Kept for humans: build/out/smoke.png (whole screen), build/out/smoke-window.png
# (the window alone), build/out/smoke-unlock.png and build/out/smoke-main.png
# (unlock phase), build/out/smoke.log (the program's output).
set -euo pipefail

TITLE=${BAOMI_SMOKE_TITLE:-保密工作台}
WAIT_WINDOW=${BAOMI_SMOKE_WAIT:-60}
WAIT_EXIT=15
MIN_COLOURS=30
MIN_STDDEV=0.02

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
OUT=$ROOT/build/out

WORK=""
XVFB_PID=""
APP_PID=""
LOG=""

info() { printf 'smoke: %s\n' "$*"; }
pass() { printf 'smoke: PASS %s\n' "$*"; }
fail() {
	printf 'smoke: FAIL %s\n' "$*"
	if [ -n "$LOG" ] && [ -s "$LOG" ]; then
		printf 'smoke: last lines of the program output (%s):\n' "$OUT/smoke.log"
		tail -n 40 "$LOG" | sed 's/^/    | /'
	fi
	exit 1
}
# keep_log: on failure, append the running program's output to smoke.log
# (stop_app appends it after a clean stop)
keep_log() {
	if [ -n "$LOG" ] && [ -f "$LOG" ]; then cat "$LOG" >>"$OUT/smoke.log"; fi
}
cleanup() {
	local rc=$?
	if [ "$rc" -ne 0 ]; then keep_log || true; fi
	if [ -n "$APP_PID" ] && kill -0 "$APP_PID" 2>/dev/null; then
		kill -KILL "$APP_PID" 2>/dev/null || true
		wait "$APP_PID" 2>/dev/null || true
	fi
	if [ -n "$XVFB_PID" ] && kill -0 "$XVFB_PID" 2>/dev/null; then
		kill -TERM "$XVFB_PID" 2>/dev/null || true
		wait "$XVFB_PID" 2>/dev/null || true
	fi
	if [ -n "$WORK" ]; then rm -rf "$WORK"; fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- arguments, tools
if [ $# -ne 1 ]; then
	printf 'usage: %s BINARY\n' "$0" >&2
	exit 2
fi
BIN=$1
if [ ! -f "$BIN" ] || [ ! -x "$BIN" ]; then
	fail "binary not found or not executable: $BIN"
fi
BIN=$(cd "$(dirname "$BIN")" && pwd -P)/$(basename "$BIN")

for tool in Xvfb xdotool xdpyinfo import convert timeout; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		fail "missing tool: $tool (build/test.sh installs xvfb xdotool x11-utils imagemagick)"
	fi
done

mkdir -p "$OUT"
rm -f "$OUT/smoke.png" "$OUT/smoke-window.png" "$OUT/smoke.log"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/baomi-smoke.XXXXXX")
DATA=$(mktemp -d "$WORK/data.XXXXXX")
mkdir -p "$WORK/home" "$WORK/config" "$WORK/share" "$WORK/cache"
LOG=$WORK/baomi.log

# ---------------------------------------------------------------- Xvfb
DISPLAY_NUM=""
for n in $(seq 99 199); do
	if [ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ]; then continue; fi
	Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp -noreset \
		>"$WORK/xvfb-$n.log" 2>&1 </dev/null &
	XVFB_PID=$!
	for _ in $(seq 1 100); do # up to 10 s
		kill -0 "$XVFB_PID" 2>/dev/null || break
		if xdpyinfo -display ":$n" >/dev/null 2>&1 && kill -0 "$XVFB_PID" 2>/dev/null; then
			DISPLAY_NUM=$n
			break 2
		fi
		sleep 0.1
	done
	# this display did not work out (taken in the meantime?): try the next one
	kill -TERM "$XVFB_PID" 2>/dev/null || true
	wait "$XVFB_PID" 2>/dev/null || true
	XVFB_PID=""
done
if [ -z "$DISPLAY_NUM" ]; then
	fail "could not start Xvfb on any display :99..:199 (last log: $(cat "$WORK"/xvfb-*.log 2>/dev/null | tail -n 3))"
fi
DISP=":$DISPLAY_NUM"
pass "Xvfb running on display $DISP (1280x800x24)"

# ---------------------------------------------------------------- helpers
# start_app DATA LOGFILE [LOCALE]: start the program on DATA (sets APP_PID,
# STARTED, LOG) with the locale variable LOCALE (default LANG=zh_CN.UTF-8;
# "none": no locale variable at all) and BAOMI_DEBUG=1, so what package
# inits log before main (Fyne's lang init) is not silenced (app/cli/quiet)
start_app() {
	LOG=$2
	local locale=(); [ "${3:-}" = none ] || locale=("${3:-LANG=zh_CN.UTF-8}")
	info "starting $BIN --data $1 (locale: ${3:-LANG=zh_CN.UTF-8})"
	STARTED=$SECONDS
	env -u LC_ALL -u LC_MESSAGES -u LANGUAGE -u LANG -u BAOMI_DATA -u WAYLAND_DISPLAY \
		DISPLAY="$DISP" "${locale[@]}" BAOMI_DEBUG=1 HOME="$WORK/home" \
		XDG_CONFIG_HOME="$WORK/config" XDG_DATA_HOME="$WORK/share" XDG_CACHE_HOME="$WORK/cache" \
		"$BIN" --data "$1" >"$LOG" 2>&1 </dev/null &
	APP_PID=$!
}

# app_gone WHAT: fail if the program is no longer running
app_gone() {
	if ! kill -0 "$APP_PID" 2>/dev/null; then
		local rc=0
		wait "$APP_PID" || rc=$?
		APP_PID=""
		fail "the program exited (status $rc) $1"
	fi
}

# wait_window: wait for the mapped window (sets WID), then let it render
wait_window() {
	WID=""
	while :; do
		app_gone "before a window named *$TITLE* appeared"
		WID=$(DISPLAY="$DISP" xdotool search --onlyvisible --name "$TITLE" 2>/dev/null | head -n 1 || true)
		if [ -n "$WID" ]; then break; fi
		if [ $((SECONDS - STARTED)) -ge "$WAIT_WINDOW" ]; then
			fail "no visible window whose name contains '$TITLE' after ${WAIT_WINDOW} s"
		fi
		sleep 0.5
	done
	local name geom
	name=$(DISPLAY="$DISP" xdotool getwindowname "$WID" 2>/dev/null || true)
	geom=$(DISPLAY="$DISP" xdotool getwindowgeometry "$WID" 2>/dev/null | sed -n 's/.*Geometry: *//p' || true)
	pass "window '$name' (id $WID, ${geom:-size unknown}) mapped after $((SECONDS - STARTED)) s"
	sleep 2 # let it render
	app_gone "right after its window appeared"
}

# image_stats FILE -> "COLOURS MEAN STDDEV" (mean and stddev in 0..1)
image_stats() {
	convert "$1" -format '%k %[fx:mean] %[fx:standard_deviation]\n' info: | head -n 1
}
# check_image LABEL FILE: content, not a blank or black frame
check_image() {
	local label=$1 file=$2 stats colours mean stddev
	stats=$(image_stats "$file") || fail "ImageMagick could not read the $label screenshot"
	read -r colours mean stddev <<<"$stats"
	if ! awk -v c="$colours" -v s="$stddev" -v mc="$MIN_COLOURS" -v ms="$MIN_STDDEV" \
		'BEGIN { exit !((c + 0 > mc + 0) && (s + 0 > ms + 0)) }'; then
		fail "the $label looks blank: $colours colours (need > $MIN_COLOURS), mean $mean, standard deviation $stddev (need > $MIN_STDDEV); see $OUT/smoke*.png"
	fi
	pass "$label shows content: $colours colours, mean $mean, standard deviation $stddev"
}

# stop_app: SIGTERM, expect exit 0 within WAIT_EXIT s and no panic in LOG
stop_app() {
	kill -TERM "$APP_PID" 2>/dev/null || true
	local stopping=$SECONDS rc=0
	while kill -0 "$APP_PID" 2>/dev/null; do
		if [ $((SECONDS - stopping)) -ge "$WAIT_EXIT" ]; then
			fail "the program did not exit within $WAIT_EXIT s after SIGTERM (it must quit cleanly on SIGTERM/SIGINT)"
		fi
		sleep 0.2
	done
	wait "$APP_PID" || rc=$?
	APP_PID=""
	if [ "$rc" -ne 0 ]; then
		if [ "$rc" -gt 128 ]; then
			fail "the program exited with status $rc (killed by signal $((rc - 128))) after SIGTERM; it must catch SIGTERM, quit the app and exit 0"
		fi
		fail "the program exited with status $rc after SIGTERM (expected 0)"
	fi
	pass "exited with status 0 within $((SECONDS - stopping)) s of SIGTERM"
	cat "$LOG" >>"$OUT/smoke.log"
	if grep -nE 'panic|fatal error' "$LOG" >"$WORK/bad.txt"; then
		sed 's/^/    | /' "$WORK/bad.txt"
		fail "the program output contains 'panic' or 'fatal error' (full output: $OUT/smoke.log)"
	fi
	# Fyne reloads its preferences file when it changes on disk and can read
	# it while Fyne itself is rewriting it ("Preferences load error: EOF",
	# seen once in a run where the window unlocked): Baomi keeps nothing in
	# Fyne's preferences, so that one is reported, not failed.
	if grep -n 'Fyne error' "$LOG" | grep -v 'Preferences load error' >"$WORK/fyne-errors.txt"; then
		head -n 10 "$WORK/fyne-errors.txt" | sed 's/^/    | /'
		fail "the program output has $(grep -c . "$WORK/fyne-errors.txt") 'Fyne error' line(s) (full output: $OUT/smoke.log)"
	fi
	if grep -q 'Preferences load error' "$LOG"; then
		info "Fyne read its own preferences file while rewriting it (harmless: Baomi keeps nothing there)"
	fi
	pass "program output has no panic, fatal error or Fyne error ($(grep -c '' "$LOG") lines, kept in $OUT/smoke.log)"
}

# cli ARGS...: run a command-line command with the password on stdin
PW='Smoke-Test-Password-1'
cli() {
	printf '%s\n' "$PW" | env HOME="$WORK/home" LANG=zh_CN.UTF-8 "$BIN" "$@"
}

# ---------------------------------------------------------------- phase 1: a fresh folder shows the setup wizard
start_app "$DATA" "$WORK/baomi.log" LANG=C.UTF-8
wait_window
import -display "$DISP" -window root "$WORK/shot.png" ||
	fail "could not take a screenshot of the screen (import -window root)"
import -display "$DISP" -window "$WID" "$WORK/window.png" ||
	fail "could not take a screenshot of window $WID (import -window $WID)"
cp "$WORK/shot.png" "$OUT/smoke.png"
cp "$WORK/window.png" "$OUT/smoke-window.png"
info "screenshots kept: $OUT/smoke.png (screen), $OUT/smoke-window.png (window)"
check_image window "$WORK/window.png"
check_image screen "$WORK/shot.png"
stop_app

# ---------------------------------------------------------------- phase 2: unlock a set-up folder in the real window
DATA2=$(mktemp -d "$WORK/data2.XXXXXX")
cli init --data "$DATA2" --unit 冒烟测试单位 --code SMOKE --officer 测试员 >"$WORK/init.log" 2>&1 ||
	{ cat "$WORK/init.log"; fail "baomi init failed"; }
pass "baomi init set up $DATA2"
start_app "$DATA2" "$WORK/baomi2.log" none
wait_window
import -display "$DISP" -window "$WID" "$OUT/smoke-unlock.png" || fail "could not screenshot the unlock window"
DISPLAY="$DISP" xdotool mousemove --window "$WID" 400 300
DISPLAY="$DISP" xdotool type --delay 30 "$PW"
DISPLAY="$DISP" xdotool key Return
# key derivation, guarded open and verification take a few seconds
changed=""
for _ in $(seq 1 40); do
	sleep 0.5
	app_gone "while unlocking"
	import -display "$DISP" -window "$WID" "$WORK/main.png" 2>/dev/null || continue
	diff=$(compare -metric AE -fuzz 5% "$OUT/smoke-unlock.png" "$WORK/main.png" null: 2>&1 || true)
	if awk -v d="${diff%% *}" 'BEGIN { exit !(d + 0 > 20000) }'; then
		changed=$diff
		break
	fi
done
[ -n "$changed" ] || fail "the window did not change after typing the password (still the unlock screen?); see $OUT/smoke-unlock.png"
sleep 1
import -display "$DISP" -window "$WID" "$WORK/main.png"
cp "$WORK/main.png" "$OUT/smoke-main.png"
pass "unlocked: the window changed in ${changed%% *} pixels"
check_image "main window" "$WORK/main.png"
stop_app
cli verify --data "$DATA2" >"$WORK/verify.log" 2>&1 ||
	{ cat "$WORK/verify.log"; fail "baomi verify failed after the unlocked session"; }
pass "baomi verify after the session: $(grep -m1 '校验通过' "$WORK/verify.log")"

if [ -n "${BAOMI_SMOKE_BENCH_DATA:-}" ]; then
	WAIT_WINDOW=120
	start_app "$BAOMI_SMOKE_BENCH_DATA" "$WORK/baomi-bench.log"
	wait_window
	DISPLAY="$DISP" xdotool mousemove --window "$WID" 400 300
	DISPLAY="$DISP" xdotool type --delay 30 "$BAOMI_SMOKE_BENCH_PASSWORD"
	DISPLAY="$DISP" xdotool key Return
	typed=$SECONDS
	shot=""
	until grep -q 'unlock: store opened' "$WORK/baomi-bench.log"; do
		app_gone "while unlocking the benchmark folder"
		if [ -z "$shot" ] && grep -q 'unlock: first rows' "$WORK/baomi-bench.log"; then
			sleep 0.3
			import -display "$DISP" -window "$WID" "$OUT/bench-rows.png" 2>/dev/null || true
			shot=1
		fi
		[ $((SECONDS - typed)) -lt 600 ] || fail "the benchmark folder was not checked within 600 s"
		sleep 0.1
	done
	sleep 1
	import -display "$DISP" -window "$WID" "$OUT/bench-checked.png" 2>/dev/null || true
	grep -o 'unlock: .*' "$WORK/baomi-bench.log" | sed 's/^/smoke: /'
	awk '/^VmHWM|^VmRSS|^RssAnon|^RssFile/ { printf "smoke: memory: %s %.0f MB\n", $1, $2 / 1024 }' "/proc/$APP_PID/status" 2>/dev/null || true
	stop_app
fi

printf 'smoke: PASS — window mapped, showed content, unlocked to the main window, exited 0 on SIGTERM\n'
