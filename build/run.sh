#!/usr/bin/env bash
# build/run.sh — 在新机器上一步启动保密工作台（Baomi）。
# Installs what is missing, builds, and starts Baomi.
#
# 用法 / usage:  build/run.sh [baomi 的参数 / arguments for baomi…]
#   build/run.sh                      在默认数据目录上启动 / start on the default data folder
#   build/run.sh --data /media/u/BM   使用指定数据目录 / use another data folder
#   build/run.sh version              any baomi subcommand works the same way
#
# 需要 / needs: Go (in PATH or /usr/local/go); the apt packages below are
# installed when missing (with sudo when not root).
set -euo pipefail

BAOMI_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
# shellcheck source=build/lib.sh
. "$BAOMI_ROOT/build/lib.sh"

baomi_find_go
baomi_ensure_packages "${BAOMI_BUILD_PKGS[@]}"

say "正在构建 Baomi（首次构建约需数分钟）… / building Baomi (the first build takes a few minutes)…"
mkdir -p "$BAOMI_ROOT/build/out"
if ! (cd "$BAOMI_ROOT" && go build -o build/out/baomi .); then
	die "错误：构建失败，见上方输出。 / Error: the build failed, see the output above."
fi

baomi_fix_locale
# The caller's working directory is kept, so a relative --data path means what it says.
exec "$BAOMI_ROOT/build/out/baomi" "$@"
