package pdf

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"baomi/data"
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

var (
	custodians = []string{"张三", "李四", "王五", "赵六", "欧阳明月"}
	sources    = []string{"市保密局", "省财政厅办公室", "本单位制发", "市委办公室机要科"}
	locations  = []string{"保密柜1号", "保密柜2号", "机要室A-3", "档案室"}
	kinds      = data.CarrierKinds
)

// sampleCarrier returns a realistic carrier number i.
func sampleCarrier(i int) data.Carrier {
	c := data.Carrier{
		ID:         fmt.Sprintf("id%06d", i),
		Number:     fmt.Sprintf("BM-2026-%05d", i+1),
		Title:      fmt.Sprintf("关于2026年度第%d批涉密载体清查与保密检查工作的通知", i%37+1),
		Kind:       kinds[i%len(kinds)],
		Level:      []string{"机密", "秘密", "秘密", "内部", "绝密"}[i%5],
		Source:     sources[i%len(sources)],
		DocNumber:  fmt.Sprintf("市保〔2026〕%d号", i%90+1),
		ReceivedOn: data.NewDate(2026, time.Month(i%12+1), i%28+1),
		Copies:     i%5 + 1,
		Custodian:  custodians[i%len(custodians)],
		Location:   locations[i%len(locations)],
		State:      data.StateHeld,
	}
	switch c.Level {
	case "机密":
		c.PeriodYears = 20
	case "秘密":
		if i%2 == 0 {
			c.DeclassifyOn = data.NewDate(2030, 12, 31)
		} else {
			c.PeriodYears = 10
		}
	case "绝密":
		c.DeclassifyCondition = "项目结束后"
	}
	if i%7 == 0 {
		c.Note = "已按要求登记，定期清点，发现问题及时报告保密办。"
	}
	if i%11 == 0 {
		c.State, c.Borrower = data.StateLent, "孙七"
	}
	if data.IsDeviceKind(c.Kind) {
		c.Model, c.Serial = "Kingston DT100", fmt.Sprintf("SN%08d", i)
	}
	return c
}

func sampleCarriers(n int) []data.Carrier {
	out := make([]data.Carrier, n)
	for i := range out {
		out[i] = sampleCarrier(i)
	}
	return out
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
