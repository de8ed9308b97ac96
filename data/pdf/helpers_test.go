package pdf

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"baomi/data/datatest"
)

// testFonts are the bundled fonts only, so that output does not depend on
// the fonts installed on the machine running the tests.
var testFonts = sync.OnceValues(func() (*Fonts, error) { return LoadFonts(FontOptions{NoSystem: true}) })

func bundledFonts(t testing.TB) *Fonts {
	t.Helper()
	f, err := testFonts()
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// writePDF saves b to a temporary file and returns its path.
func writePDF(t testing.TB, name string, b []byte) string {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("%s is not a PDF", name)
	}
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("BAOMI_PDF_OUT"); dir != "" { // keep a copy to look at
		_ = os.WriteFile(filepath.Join(dir, name), b, 0o644)
	}
	return p
}

// pdfPages extracts the text of each page with pdftotext -layout; without
// poppler-utils it skips the test, or fails it in CI (datatest.Need).
func pdfPages(t testing.TB, path string) []string {
	t.Helper()
	out, err := exec.Command(datatest.Need(t, "pdftotext"), "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	pages := strings.Split(string(out), "\f")
	if n := len(pages); n > 0 && strings.TrimSpace(pages[n-1]) == "" {
		pages = pages[:n-1]
	}
	return pages
}

// squash removes all white space, so that text split by layout into
// columns or lines can still be found.
func squash(s string) string {
	return strings.Join(strings.Fields(s), "")
}
