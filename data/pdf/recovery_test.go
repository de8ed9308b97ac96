package pdf

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"baomi/data"
	"baomi/data/datatest"
)

func TestRecoverySheetHoldsUnitCodeAndDate(t *testing.T) {
	var buf bytes.Buffer
	code := "7K3QD-A9XTM-0PRWE-5HJ2C-YNB84"
	if err := RecoverySheet(&buf, "某市财政局", code, data.NewDate(2026, 11, 28)); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", buf.Bytes()[:8])
	}
	p := filepath.Join(t.TempDir(), "sheet.pdf")
	if err := os.WriteFile(p, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(datatest.Need(t, "pdftotext"), "-layout", p, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	for _, want := range []string{"保密工作台", "恢复码", "某市财政局", code, "2026年11月28日", "保管人（签名）"} {
		if !strings.Contains(text, want) {
			t.Errorf("sheet text lacks %q:\n%s", want, text)
		}
	}
	if n := strings.Count(text, "\f"); n != 1 {
		t.Errorf("%d pages, want 1", n)
	}
}

func TestRecoverySheetReportsMissingGlyphs(t *testing.T) {
	var buf bytes.Buffer
	err := RecoverySheet(&buf, "单位\U0001F600", "CODE", data.NewDate(2026, 11, 28))
	if _, ok := err.(interface{ Error() string }); !ok || err == nil || !strings.Contains(err.Error(), "glyph") {
		t.Fatalf("err = %v, want missing glyphs reported", err)
	}
}
