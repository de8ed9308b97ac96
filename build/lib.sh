# shellcheck shell=bash
# build/lib.sh — helpers shared by build/run.sh and build/test.sh.
# Sourced, not run; the caller sets BAOMI_ROOT (the repository root) first. 由 run.sh 与 test.sh 引用，不单独运行。
#
# Environment:
#   BAOMI_SKIP_DEPS=1   do not check or install system packages (for systems
#                       without apt where the equivalents are installed by hand)

# Packages Fyne's cgo build needs (Debian / Ubuntu / Kylin names).
# libc6-dev: the C headers cgo compiles against (normally pulled in by gcc).
# shellcheck disable=SC2034  # used by the scripts that source this file
BAOMI_BUILD_PKGS=(gcc libc6-dev pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev
	libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev)
# Extra packages for the tests: headless X server, window driver, screenshots,
# xdpyinfo/xwininfo, pdftotext and pdftoppm (poppler-utils), zbarimg to decode
# the labels' QR codes (zbar-tools). Keep in step with data/datatest.Packages:
# the tests that use a tool fail, rather than skip, when it is missing under
# build/test.sh or in CI.
# shellcheck disable=SC2034
BAOMI_TEST_PKGS=(xvfb xdotool imagemagick x11-utils poppler-utils zbar-tools)

say() { printf '%s\n' "$@"; }
die() {
	printf '%s\n' "$@" >&2
	exit 1
}

# baomi_find_go: make sure `go` is on PATH (also looks in /usr/local/go/bin).
baomi_find_go() {
	if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
		export PATH="/usr/local/go/bin:$PATH"
	fi
	if ! command -v go >/dev/null 2>&1; then
		die "错误：未找到 Go 工具链（go）。请先安装 Go（解压到 /usr/local/go 或加入 PATH），然后重新运行本脚本。" \
			"Error: the Go toolchain (go) was not found. Install Go (unpack it to /usr/local/go or put it on PATH), then run this script again."
	fi
	# Warn (do not stop) when the installed Go is older than go.mod asks for:
	# the go command then tries to download a newer toolchain, which fails offline.
	local want have
	want=$(sed -n 's/^go \([0-9][0-9.]*\).*/\1/p' "$BAOMI_ROOT/go.mod" | head -n 1)
	have=$(go env GOVERSION 2>/dev/null | sed 's/^go//')
	if [ -n "$want" ] && [ -n "$have" ] &&
		[ "$(printf '%s\n%s\n' "$want" "$have" | sort -V | head -n 1)" != "$want" ]; then
		say "警告：go.mod 要求 Go $want，本机为 Go $have；离线时构建可能失败。" \
			"Warning: go.mod asks for Go $want but this machine has Go $have; the build may fail offline."
	fi
}

# baomi_pkg_installed PKG: true when dpkg says PKG is installed.
baomi_pkg_installed() {
	dpkg-query -W -f='${Status}\n' "$1" 2>/dev/null | grep -q ' installed$'
}

# baomi_ensure_packages PKG...: install the packages that are missing, and only those.
# `apt-get update` runs once, and only when something must be installed.
baomi_ensure_packages() {
	if [ "${BAOMI_SKIP_DEPS:-}" = 1 ]; then
		say "BAOMI_SKIP_DEPS=1：跳过系统软件包检查 / skipping the system package check."
		return 0
	fi
	if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-query >/dev/null 2>&1; then
		die "错误：本系统没有 apt-get，无法自动安装依赖。请用本系统的包管理器安装以下软件包（或同等的包），然后以 BAOMI_SKIP_DEPS=1 重新运行：" \
			"Error: this system has no apt-get, so dependencies cannot be installed automatically. Install these packages (or their equivalents) with your package manager, then run again with BAOMI_SKIP_DEPS=1:" \
			"  $*"
	fi
	local missing=() p
	for p in "$@"; do
		baomi_pkg_installed "$p" || missing+=("$p")
	done
	if [ "${#missing[@]}" -eq 0 ]; then
		return 0
	fi
	local sudo=()
	if [ "$(id -u)" -ne 0 ]; then
		if command -v sudo >/dev/null 2>&1; then
			sudo=(sudo)
		else
			die "错误：缺少以下软件包，安装需要 root 权限，但本机没有 sudo。请以 root 身份运行：" \
				"Error: these packages are missing; installing them needs root and sudo is not available. As root, run:" \
				"  apt-get update && apt-get install -y ${missing[*]}"
		fi
	fi
	say "正在安装缺少的软件包 / installing missing packages: ${missing[*]}"
	if [ "${#sudo[@]}" -gt 0 ]; then
		say "（可能需要输入 sudo 密码 / sudo may ask for your password）"
	fi
	if ! "${sudo[@]}" apt-get update; then
		say "警告：apt-get update 失败，仍尝试安装 / warning: apt-get update failed, trying to install anyway."
	fi
	if ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"; then
		die "错误：安装软件包失败 / Error: installing the packages failed: ${missing[*]}"
	fi
}

# baomi_fix_locale: Fyne logs a locale error for C/POSIX; pick Chinese then.
# LC_ALL and LC_MESSAGES shadow LANG, so C-like values there are dropped.
baomi_is_c_locale() {
	case "$1" in "" | C | POSIX | C.* | POSIX.*) return 0 ;; esac
	return 1
}
baomi_fix_locale() {
	if [ -n "${LC_ALL:-}" ] && baomi_is_c_locale "$LC_ALL"; then unset LC_ALL; fi
	if [ -n "${LC_MESSAGES:-}" ] && baomi_is_c_locale "$LC_MESSAGES"; then unset LC_MESSAGES; fi
	if baomi_is_c_locale "${LANG:-}"; then export LANG=zh_CN.UTF-8; fi
}
