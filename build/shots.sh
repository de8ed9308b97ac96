#!/usr/bin/env bash
# build/shots.sh OUTDIR — screenshots of the real Baomi window under Xvfb, as
# an officer sees it, at 1024×768 (the window at its default 1024×700) and
# 1920×1080 (the window resized to the screen), light and dark
# (FYNE_THEME=light|dark). For a person to look at; not run by test.sh.
#
#  1. builds the program, sets up a data folder (`baomi init`, password on
#     stdin) and imports ten realistic carriers from a .csv (`baomi carriers
#     import`): paper documents, a U盘 and a 移动硬盘 with serials, a computer;
#  2. on the first screen (1024×768, light) lends two of them through the
#     window with xdotool (the command line has no event command): BM-2026-004
#     lent on 2026-11-06 and due 2026-11-20 (so 逾期未还), and
#     BM-2026-005 lent today (借出);
#  3. for each size and variant: starts the window, unlocks it, and saves
#       SIZE-VARIANT-register.png  the register
#       SIZE-VARIANT-detail.png    a carrier's detail (double click on BM-2026-005)
#       SIZE-VARIANT-form.png      the 登记 form (Ctrl+N)
#       SIZE-VARIANT-form-esc.png  after Esc with the cursor in the form's first field
#       SIZE-VARIANT-print.png     the print dialog (Ctrl+P, 打印台账)
#       SIZE-VARIANT-settings.png  设置
#       SIZE-VARIANT-locked.png    after Ctrl+L
#     and, once, lend-form.png (the lend form filled in).
#
# Clicks are at window positions measured on these screenshots (the rows and
# buttons of the register at each size): a layout change can move them, and
# the shots then show what was hit instead.
set -euo pipefail

if [ $# -ne 1 ]; then
	printf 'usage: %s OUTDIR\n' "$0" >&2
	exit 2
fi
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
BAOMI_ROOT=$ROOT
# shellcheck source=build/lib.sh
. "$ROOT/build/lib.sh"
baomi_find_go
for tool in Xvfb xdotool xdpyinfo import; do
	command -v "$tool" >/dev/null 2>&1 || die "missing tool: $tool (apt-get install xvfb xdotool x11-utils imagemagick)"
done
mkdir -p "$1"
OUT=$(cd "$1" && pwd -P)

WORK=$(mktemp -d "${TMPDIR:-/tmp}/baomi-shots.XXXXXX")
XVFB_PID=""
APP_PID=""
cleanup() {
	local rc=$?
	if [ -n "$APP_PID" ]; then kill -KILL "$APP_PID" 2>/dev/null || true; fi
	if [ -n "$XVFB_PID" ]; then kill -TERM "$XVFB_PID" 2>/dev/null || true; fi
	wait 2>/dev/null || true
	rm -rf "$WORK"
	exit "$rc"
}
trap cleanup EXIT

say "shots: building the program"
(cd "$ROOT" && go build -o "$WORK/baomi" .)
BIN=$WORK/baomi
DATA=$WORK/data
PW='Shots-Test-Password-1'
mkdir -p "$WORK/home" "$WORK/config" "$WORK/share" "$WORK/cache"
cli() { printf '%s\n' "$PW" | env HOME="$WORK/home" LANG=zh_CN.UTF-8 "$BIN" "$@"; }

cat >"$WORK/carriers.csv" <<'EOF'
编号,名称,载体类型,密级,保密期限,来源,文号,收到日期,份数,份号,页数,知悉范围,责任人,存放位置,设备型号,序列号,备注
BM-2026-001,关于做好2026年度保密自查自评工作的通知,纸质文件,秘密,10年,市国家保密局,市保发〔2026〕12号,2026年3月2日,2,1-2,6,办公室主任、保密员,李娜,保密柜1号,,,
BM-2026-002,全市重点项目建设推进情况汇报（第三季度）,纸质文件,机密,20年,市发展改革委,市发改〔2026〕87号,2026年10月9日,1,3,24,分管领导,王建国,保密柜2号,,,
BM-2026-003,关于加强涉密人员出国（境）管理的若干规定,纸质文件,秘密,10年,省国家保密局,省保〔2026〕5号,2026年5月18日,3,4-6,11,全体涉密人员,李娜,保密柜1号,,,
BM-2026-004,2027年度预算编制说明（征求意见稿）,纸质文件,机密,20年,市财政局,市财预〔2026〕31号,2026年9月22日,1,2,38,局领导班子,张伟,保密柜3号,,,
BM-2026-005,保密工作专用U盘（办公室）,U盘,机密,20年,单位自购,,2026年1月15日,1,,32GB,保密员,李娜,保密柜1号,朗科 U905 32GB,NT2026011500173,仅限涉密计算机使用
BM-2026-006,涉密计算机（档案室）,计算机,机密,20年,单位自购,,2025年12月1日,1,,512GB,档案管理员,赵敏,档案室,联想 启天 M437,PF3KX9Q2,
BM-2026-007,干部任免审批材料光盘,光盘,秘密,10年,市委组织部,,2026年6月30日,1,,1张,组织人事科,王建国,保密柜2号,,,
BM-2026-008,应急预案修订稿（内部讨论）,纸质文件,秘密,5年,本单位,办〔2026〕44号,2026年11月3日,2,1-2,15,办公室全体,陈静,保密柜3号,,,
BM-2026-009,移动硬盘（审计资料备份）,移动硬盘,机密,20年,单位自购,,2026年4月8日,1,,1TB,审计科,刘洋,保密柜4号,西部数据 My Passport 1TB,WXB2A60K7731,每月备份后归还
BM-2026-010,关于某专项巡察情况的报告,纸质文件,绝密,30年,市委巡察办,市巡〔2026〕3号,2026年8月14日,1,1,52,主要领导,张伟,保密柜5号,,,
EOF
cli init --data "$DATA" --unit 某市发展和改革委员会 --code SZFGW --superior 某市国家保密局 --officer 李娜 >"$WORK/init.log" 2>&1 ||
	{ cat "$WORK/init.log"; die "baomi init failed"; }
cli carriers import "$WORK/carriers.csv" --data "$DATA" >"$WORK/import.log" 2>&1 ||
	{ cat "$WORK/import.log"; die "baomi carriers import failed"; }
say "shots: $(tail -n 1 "$WORK/import.log")"

# start_x WxH: a fresh Xvfb of that size on a free display (sets DISP)
start_x() {
	if [ -n "$XVFB_PID" ]; then
		kill -TERM "$XVFB_PID" 2>/dev/null || true
		wait "$XVFB_PID" 2>/dev/null || true
	fi
	local n
	for n in $(seq 120 199); do
		if [ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ]; then continue; fi
		Xvfb ":$n" -screen 0 "${1}x24" -nolisten tcp -noreset >"$WORK/xvfb.log" 2>&1 </dev/null &
		XVFB_PID=$!
		for _ in $(seq 1 50); do
			if xdpyinfo -display ":$n" >/dev/null 2>&1; then
				DISP=":$n"
				return
			fi
			sleep 0.1
		done
		kill -TERM "$XVFB_PID" 2>/dev/null || true
		wait "$XVFB_PID" 2>/dev/null || true
	done
	die "could not start Xvfb"
}

x() { DISPLAY="$DISP" xdotool "$@"; }
# click X Y [N]: N clicks (default 1) at window position X,Y
click() { x mousemove --window "$WID" "$1" "$2" click --repeat "${3:-1}" --delay 120 1; sleep 0.8; }
# key KEY...: keys, with the pointer over the window (which then has the keyboard)
key() { x key "$@"; sleep 1; }
# typezh TEXT: Chinese text, pasted through the clipboard (a hidden Tk
# window owns it) when python3 has tkinter. xdotool types a Chinese
# character by mapping it to a spare key code, the same code for each in
# turn; a program that reads a key after the next remapping gets another
# character ("王建国" came out as "王国国", "2026年11月6日" as "2026116日"
# on a busy machine), and typing the characters one by one lost more.
typezh() {
	if python3 -c 'import tkinter' 2>/dev/null; then
		DISPLAY="$DISP" python3 - "$1" <<'PY' &
import sys, tkinter
r = tkinter.Tk()
r.withdraw()
r.clipboard_clear()
r.clipboard_append(sys.argv[1])
r.update()
r.after(2500, r.destroy)
r.mainloop()
PY
		local tk=$!
		sleep 1
		x key ctrl+v
		wait "$tk" || true
	else
		x type --delay 200 "$1"
	fi
}
shot() { sleep 0.7; import -display "$DISP" -window "$WID" "$OUT/$1.png"; say "shots: $1.png"; }

# start_app VARIANT WxH: start the window on DATA, size it (the screen's
# size when wider than 1024) and unlock it
start_app() {
	env -u LC_ALL -u LANGUAGE -u WAYLAND_DISPLAY DISPLAY="$DISP" LANG=zh_CN.UTF-8 FYNE_THEME="$1" \
		HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/config" XDG_DATA_HOME="$WORK/share" XDG_CACHE_HOME="$WORK/cache" \
		"$BIN" --data "$DATA" >>"$WORK/baomi.log" 2>&1 </dev/null &
	APP_PID=$!
	WID=""
	for _ in $(seq 1 120); do
		WID=$(x search --onlyvisible --name 保密工作台 2>/dev/null | head -n 1 || true)
		[ -n "$WID" ] && break
		kill -0 "$APP_PID" 2>/dev/null || die "the program exited before its window appeared (see its output: $(tail -n 5 "$WORK/baomi.log"))"
		sleep 0.5
	done
	[ -n "$WID" ] || die "no window"
	sleep 2
	local w=${2%x*} h=${2#*x}
	if [ "$w" -gt 1024 ]; then
		x windowmove "$WID" 0 0
		x windowsize "$WID" "$w" "$h"
	else
		x windowsize "$WID" 1024 700
	fi
	sleep 1
	x mousemove --window "$WID" 400 300
	x type --delay 30 "$PW"
	x key Return
	sleep 6 # key derivation, the register read and the checks
}

stop_app() {
	kill -TERM "$APP_PID" 2>/dev/null || true
	wait "$APP_PID" 2>/dev/null || true
	APP_PID=""
}

# lend ROWY BORROWER APPROVER [FROM DUE]: select the register row at window
# height ROWY (1024×700 window), 借出, fill the lend form and 登记 it
lend() {
	click 220 "$1"
	click 850 26 # 借出
	typezh "$2"
	x key Tab
	typezh "$3"
	if [ $# -gt 3 ]; then
		x key Tab ctrl+a
		x type "$5" # 应还日期
		x key shift+Tab shift+Tab shift+Tab shift+Tab ctrl+a
		x type "$4" # 日期
		shot lend-form
	fi
	click 274 551 # 登记
	sleep 1.5
}

for size in 1024x768 1920x1080; do
	start_x "$size"
	for variant in light dark; do
		name=$size-$variant
		say "shots: $name"
		start_app "$variant" "$size"
		if [ "$name" = 1024x768-light ]; then
			lend 366 王建国 张伟 2026-11-06 2026-11-20 # BM-2026-004, 逾期未还
			lend 443 陈静 李娜                                # BM-2026-005 (the register now has an alert line)
		fi
		# BM-2026-005's row (its 编号 cell) in the window at this size
		if [ "$size" = 1024x768 ]; then row5=(220 443); else row5=(330 402); fi
		shot "$name-register"
		click "${row5[@]}" 2 # double click on BM-2026-005
		shot "$name-detail"
		key Escape
		key ctrl+n
		shot "$name-form"
		key Escape # the cursor is in the form's first field
		shot "$name-form-esc"
		key ctrl+p
		sleep 2
		shot "$name-print"
		key Escape
		click 30 93 # 设置
		shot "$name-settings"
		key ctrl+l
		shot "$name-locked"
		stop_app
	done
done
if grep -nE 'panic|fatal error' "$WORK/baomi.log"; then
	die "the program's output has a panic"
fi
# the two loans typed into the window are in the store
cli print register --data "$DATA" --state 借出 --out "$WORK/lent.pdf" >/dev/null
for n in BM-2026-004 BM-2026-005; do
	if command -v pdftotext >/dev/null 2>&1 && ! pdftotext "$WORK/lent.pdf" - | grep -q "$n"; then
		say "shots: WARNING: $n was not lent (a click or a typed name went astray: see lend-form.png)"
	fi
done
cli verify --data "$DATA" | tail -n 1
say "shots: saved in $OUT"
