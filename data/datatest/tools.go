// Package datatest holds what tests share: the sample carriers
// (Carrier, Carriers, NewCarrier), and a way for tests that check their
// output with a command-line tool (pdftotext, zbarimg…) to say so in one
// line: the test skips when the tool is missing on a developer's machine,
// and fails when the tool is required (in CI, or under build/test.sh), so
// that a missing package can never turn a content check into a silent
// pass. It imports data only (not the store or the vault), so that the
// documents and spreadsheets can test with it.
package datatest

import (
	"os"
	"os/exec"
	"strings"
)

// Packages names, for each tool the tests use, the Debian package that
// provides it; build/lib.sh's BAOMI_TEST_PKGS installs them all.
var Packages = map[string]string{
	"pdftotext": "poppler-utils",
	"pdftoppm":  "poppler-utils",
	"zbarimg":   "zbar-tools",
}

// T is the part of testing.TB that Need uses.
type T interface {
	Helper()
	Fatalf(format string, args ...any)
	Skipf(format string, args ...any)
}

// Required reports whether a missing tool must fail the test rather than
// skip it: when CI is "true" or "1" (CI services set it), or when
// BAOMI_REQUIRE_TOOLS is "1" (build/test.sh sets it).
func Required() bool {
	ci := strings.ToLower(strings.TrimSpace(os.Getenv("CI")))
	return ci == "true" || ci == "1" || os.Getenv("BAOMI_REQUIRE_TOOLS") == "1"
}

// Need returns the path of tool. When the tool is not on PATH, it fails t
// if Required, and skips t otherwise; the message names the package to
// install.
func Need(t T, tool string) string {
	t.Helper()
	path, err := exec.LookPath(tool)
	if err == nil {
		return path
	}
	pkg := Packages[tool]
	if pkg == "" {
		pkg = "the package that provides it"
	}
	if Required() {
		t.Fatalf("%s is required here (CI or BAOMI_REQUIRE_TOOLS=1) but not installed: apt-get install %s (build/test.sh installs it)", tool, pkg)
		return ""
	}
	t.Skipf("%s not installed (apt-get install %s): content not checked; CI and build/test.sh fail instead", tool, pkg)
	return ""
}
