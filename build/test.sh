#!/usr/bin/env bash
# build/test.sh — 保密工作台（Baomi）的测试命令；CI 通过 .ci/run 调用。
# The project's test command (CI runs it through .ci/run).
#
# Steps, in order; the first failure stops the run with a line naming the step:
#   deps      install the missing system packages (build + Xvfb, xdotool, ImageMagick…)
#   layering  no package under data/ may depend on Fyne (fyne.io/…); data/pdf
#             and data/xlsx not on data/store or data/vault; app/ui imports
#             neither
#   gofmt     gofmt -l on the repository's .go files must list nothing
#   vet       go vet ./...
#   test      go test ./...      (BAOMI_TEST_ARGS adds flags, e.g. BAOMI_TEST_ARGS='-race -count=1')
#   build     go build -o build/out/baomi .
#   smoke     build/smoke.sh build/out/baomi  (the real window under Xvfb)
#
# Environment: BAOMI_TEST_ARGS (above), BAOMI_SKIP_DEPS=1 (skip the package check),
#   BAOMI_REQUIRE_TOOLS (default 1: a test whose checking tool — pdftotext, zbarimg… —
#   is missing fails instead of skipping; see data/datatest).
set -euo pipefail
# the deps step installs every tool the tests use: one still missing is a failure
export BAOMI_REQUIRE_TOOLS="${BAOMI_REQUIRE_TOOLS:-1}"

BAOMI_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
# shellcheck source=build/lib.sh
. "$BAOMI_ROOT/build/lib.sh"
cd "$BAOMI_ROOT"

STEPS=(deps layering gofmt vet test build smoke)
CURRENT=""
PASSED=()
START=$SECONDS

on_exit() {
	local rc=$?
	if [ "$rc" -ne 0 ]; then
		say "" "test.sh: FAIL at step '${CURRENT:-setup}' (exit $rc); steps passed before it: ${PASSED[*]:-none}"
	fi
}
trap on_exit EXIT

begin() {
	CURRENT=$1
	say "" "==> test.sh step $((${#PASSED[@]} + 1))/${#STEPS[@]}: $1 — $2"
}
end() {
	PASSED+=("$CURRENT")
	say "--- ok: $CURRENT"
}

# ---------------------------------------------------------------- deps
begin deps "install what is missing"
baomi_find_go
baomi_ensure_packages "${BAOMI_BUILD_PKGS[@]}" "${BAOMI_TEST_PKGS[@]}"
say "$(go version)"
end

# ---------------------------------------------------------------- layering
begin layering "data/ free of Fyne; documents and screens free of the store and the vault"
deps=$(go list -deps ./data/...)
bad=$(printf '%s\n' "$deps" | grep '^fyne\.io/' || true)
if [ -n "$bad" ]; then
	say "data/ depends on Fyne; these packages are pulled in:"
	printf '%s\n' "$bad" | sed 's/^/    /'
	say "by these packages under data/:"
	go list -f '{{.ImportPath}}{{range .Deps}} {{.}}{{end}}' ./data/... |
		awk '{ for (i = 2; i <= NF; i++) if ($i ~ /^fyne\.io\//) { print "    " $1; break } }'
	say "data/ must stay free of UI code: move the Fyne-using code to app/."
	exit 1
fi
say "data/ uses $(printf '%s\n' "$deps" | grep -c .) packages, none from fyne.io/"
# Documents take domain values, never the store: nothing data/pdf or
# data/xlsx pulls in may be the store or the vault.
for pkg in ./data/pdf ./data/xlsx; do
	bad=$(go list -deps "$pkg" | grep -E '^baomi/data/(store|vault)$' || true)
	if [ -n "$bad" ]; then
		say "$pkg depends on $(echo $bad): documents take domain values (package data), never the store."
		exit 1
	fi
done
# The screens see the domain and the workspace, never the store or the
# vault: no package under app/ui imports them (its tests may, to set up
# damaged folders).
bad=$(go list -f '{{.ImportPath}}{{range .Imports}} {{.}}{{end}}' ./app/ui/... |
	awk '{ for (i = 2; i <= NF; i++) if ($i ~ /^baomi\/data\/(store|vault)$/) print "    " $1 " imports " $i }')
if [ -n "$bad" ]; then
	say "app/ui imports the store or the vault:"
	printf '%s\n' "$bad"
	say "use the types of package data and the methods of data/workspace instead."
	exit 1
fi
# A feature package (app/ui/carriers, later people, letters…) sees the
# window only through kit.Shell and the data only through its narrow
# interface of package data: it imports neither the shell (app/ui), nor the
# workspace, nor another feature; kit imports no feature.
bad=$(go list -f '{{.ImportPath}}{{range .Imports}} {{.}}{{end}}' ./app/ui/... |
	awk '$1 != "baomi/app/ui" {
		for (i = 2; i <= NF; i++) {
			dep = $i
			if (dep == "baomi/app/ui" || dep == "baomi/data/workspace") { print "    " $1 " imports " dep; continue }
			if (dep ~ /^baomi\/app\/ui\// && dep !~ /^baomi\/app\/ui\/kit(\/|$)/) print "    " $1 " imports " dep
		}
	}')
if [ -n "$bad" ]; then
	say "a feature package of app/ui reaches past its interfaces:"
	printf '%s\n' "$bad"
	say "depend on kit.Shell and a narrow interface of package data; the shell (app/ui) wires the features."
	exit 1
fi
say "data/pdf and data/xlsx do not depend on the store or the vault; app/ui imports neither; features import only kit and data"
end

# ---------------------------------------------------------------- gofmt
begin gofmt "gofmt -l must list nothing"
files=()
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	# tracked files, plus new ones not yet added (but not ignored ones)
	while IFS= read -r -d '' f; do
		[ -f "$f" ] && files+=("$f")
	done < <(git ls-files -z --cached --others --exclude-standard -- '*.go')
else
	while IFS= read -r -d '' f; do
		files+=("$f")
	done < <(find . -name '*.go' -not -path './.git/*' -not -path './build/out/*' -print0)
fi
if [ "${#files[@]}" -gt 0 ]; then
	unformatted=$(gofmt -l "${files[@]}")
	if [ -n "$unformatted" ]; then
		say "these files are not gofmt-formatted:"
		printf '%s\n' "$unformatted" | sed 's/^/    /'
		say "fix with: gofmt -w $(printf '%s ' "$unformatted")"
		exit 1
	fi
fi
say "${#files[@]} .go files checked"
end

# ---------------------------------------------------------------- vet
begin vet "go vet ./..."
go vet ./...
end

# ---------------------------------------------------------------- test
begin test "go test -timeout 30m ./... ${BAOMI_TEST_ARGS:-}"
read -r -a test_args <<<"${BAOMI_TEST_ARGS:-}"
# the store's flip sweep and kill loop take minutes on 2 cores: more than
# go test's default 10-minute limit per package must be allowed for slow CI
go test -timeout 30m "${test_args[@]}" ./...
end

# ---------------------------------------------------------------- build
begin build "go build -o build/out/baomi ."
mkdir -p build/out
go build -o build/out/baomi .
end

# ---------------------------------------------------------------- smoke
begin smoke "window smoke test under Xvfb"
bash build/smoke.sh build/out/baomi
end

trap - EXIT
say "" "test.sh: PASS — all ${#PASSED[@]} steps ok (${PASSED[*]}) in $((SECONDS - START)) s"
