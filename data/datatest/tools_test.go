package datatest

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// recorder is a T that records what Need asked of it.
type recorder struct {
	fatal, skip string
}

func (r *recorder) Helper() {}
func (r *recorder) Fatalf(format string, args ...any) {
	r.fatal = format
}
func (r *recorder) Skipf(format string, args ...any) {
	r.skip = format
}

func TestNeedFailsInCIAndSkipsElsewhereWhenTheToolIsMissing(t *testing.T) {
	// a PATH holding only a fake pdftotext
	bin := t.TempDir()
	if err := os.WriteFile(filepath.Join(bin, "pdftotext"), []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin)
	tests := []struct {
		name      string
		tool      string
		ci, req   string
		wantFatal bool
		wantSkip  bool
	}{
		{"present tool, CI", "pdftotext", "true", "", false, false},
		{"present tool, developer machine", "pdftotext", "", "", false, false},
		{"missing tool, developer machine", "zbarimg", "", "", false, true},
		{"missing tool, CI=true", "zbarimg", "true", "", true, false},
		{"missing tool, CI=1", "zbarimg", "1", "", true, false},
		{"missing tool, CI=false", "zbarimg", "false", "", false, true},
		{"missing tool, build/test.sh", "zbarimg", "", "1", true, false},
		{"missing tool, BAOMI_REQUIRE_TOOLS=0", "zbarimg", "", "0", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("CI", tt.ci)
			t.Setenv("BAOMI_REQUIRE_TOOLS", tt.req)
			var r recorder
			path := Need(&r, tt.tool)
			if (r.fatal != "") != tt.wantFatal || (r.skip != "") != tt.wantSkip {
				t.Fatalf("fatal %q, skip %q; want fatal %v, skip %v", r.fatal, r.skip, tt.wantFatal, tt.wantSkip)
			}
			if !tt.wantFatal && !tt.wantSkip && path != filepath.Join(bin, tt.tool) {
				t.Errorf("path = %q", path)
			}
		})
	}
}

func TestEveryToolNamesItsPackageInBuildLib(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "build", "lib.sh"))
	if err != nil {
		t.Fatal(err)
	}
	var pkgs string
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "BAOMI_TEST_PKGS=(") {
			pkgs = " " + strings.Trim(strings.TrimPrefix(line, "BAOMI_TEST_PKGS=("), ")") + " "
		}
	}
	if pkgs == "" {
		t.Fatal("build/lib.sh has no BAOMI_TEST_PKGS=(…) line")
	}
	for tool, pkg := range Packages {
		if !strings.Contains(pkgs, " "+pkg+" ") {
			t.Errorf("%s needs %s, which BAOMI_TEST_PKGS (%s) does not install", tool, pkg, strings.TrimSpace(pkgs))
		}
	}
}

func TestPrintedCodesReadsTheFooterOfEachPage(t *testing.T) {
	pages := []string{
		"知市保〔2026〕12号孙七SN00000011台账校验码：abcd-ef01-2345第1页共3页",
		"保密办（签字）：日期：年月日第2页共3页",
		"台账校验码：—第3页共3页台账校验码：0000-1111-2222第3页共3页",
	}
	got := PrintedCodes(pages)
	want := [][]string{{"abcd-ef01-2345"}, nil, {"—", "0000-1111-2222"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("PrintedCodes = %q, want %q", got, want)
	}
	if fp := Fingerprint("0123456789abcdef"); fp != "0123-4567-89ab" {
		t.Errorf("Fingerprint = %q", fp)
	}
}
