package pdf

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"unicode"

	"baomi/data"
	"baomi/data/datatest"
)

const registerHeader = "序号编号名称类型标志份数来源收到日期责任人存放位置状态备注"

func TestColumnsFillTheTextBlock(t *testing.T) {
	for name, tc := range map[string]struct {
		cols  []column
		width float64
	}{
		"register":    {registerColumns, 297 - 24},
		"destruction": {destructionColumns, 210 - 35},
		"loans":       {loanColumns, 297 - 24},
	} {
		sum := 0.0
		for _, c := range tc.cols {
			sum += c.width
		}
		if sum != tc.width {
			t.Errorf("%s columns are %v mm wide, want %v", name, sum, tc.width)
		}
	}
}

func TestRegisterPagesHeadersFootersAndSignatures(t *testing.T) {
	carriers := datatest.Carriers(30)
	var buf bytes.Buffer
	err := Register(&buf, RegisterDoc{Unit: "某市财政局", Title: "涉密载体台账", Filter: "状态：在册；责任人：张三",
		Carriers: carriers, Printed: data.NewDate(2026, 11, 28), Fingerprint: "SM3:9f2c4e7a1b03d5e8", Classified: true,
		Fonts: bundledFonts(t)})
	if err != nil {
		t.Fatal(err)
	}
	pages := pdfPages(t, writePDF(t, "register.pdf", buf.Bytes()))
	n := len(pages)
	if n < 3 {
		t.Fatalf("%d pages, want at least 3 for 30 rows", n)
	}
	all := ""
	for i, p := range pages {
		sq := squash(p)
		all += sq
		for _, want := range []string{registerHeader, fmt.Sprintf("第%d页共%d页", i+1, n), "台账校验码：SM3:9f2c4e7a1b03d5e8", "绝密"} {
			if !strings.Contains(sq, want) && !(want == registerHeader && i == n-1 && !strings.Contains(sq, "BM-")) {
				t.Errorf("page %d lacks %q:\n%s", i+1, want, p)
			}
		}
	}
	if !strings.Contains(squash(pages[n-1]), fmt.Sprintf("第%d页共%d页", n, n)) {
		t.Errorf("last page lacks 第 %d 页 共 %d 页", n, n)
	}
	first := squash(pages[0])
	for _, want := range []string{"涉密载体台账", "单位：某市财政局", "打印日期：2026年11月28日", "范围：状态：在册；责任人：张三"} {
		if !strings.Contains(first, want) {
			t.Errorf("first page lacks %q:\n%s", want, pages[0])
		}
	}
	copies := 0
	for _, c := range carriers {
		copies += c.Copies
		for _, want := range []string{c.Number, c.Mark(), c.Kind} {
			if !strings.Contains(all, want) {
				t.Errorf("register lacks %q of %s", want, c.Number)
			}
		}
	}
	last := squash(pages[n-1])
	for _, want := range []string{"保管人（签字）：", "保密办（签字）：", "日期：", fmt.Sprintf("本台账共%d件载体，%d份。", len(carriers), copies)} {
		if !strings.Contains(last, want) {
			t.Errorf("last page lacks %q:\n%s", want, pages[n-1])
		}
	}
}

// isSubsequence reports whether the runes of want appear in order in text.
func isSubsequence(want, text string) bool {
	rs := []rune(text)
	i := 0
	for _, r := range want {
		if unicode.IsSpace(r) {
			continue
		}
		for i < len(rs) && rs[i] != r {
			i++
		}
		if i == len(rs) {
			return false
		}
		i++
	}
	return true
}

func TestRegisterLongTextWrapsWithoutLoss(t *testing.T) {
	docTitle := "某市财政局机关及所属事业单位二〇二六年度涉密载体（含纸质文件、光盘、U盘、移动硬盘、涉密计算机）专项清查登记台账（第二次修订稿）"
	long := datatest.Carrier(0)
	long.Title = strings.Repeat("关于进一步加强涉密载体全生命周期管理的实施意见（试行），", 6) + "完。"
	huge := datatest.Carrier(1)
	huge.Note = strings.Repeat("备注：载体曾于2026年3月5日借出、归还，清点时发现封条完好；", 28) + "止。"
	var buf bytes.Buffer
	err := Register(&buf, RegisterDoc{Unit: "某市财政局", Title: docTitle, Carriers: []data.Carrier{long, huge, datatest.Carrier(2)},
		Printed: data.NewDate(2026, 11, 28), Fonts: bundledFonts(t)})
	if err != nil {
		t.Fatal(err)
	}
	pages := pdfPages(t, writePDF(t, "register-long.pdf", buf.Bytes()))
	all := squash(strings.Join(pages, ""))
	if !isSubsequence(docTitle, squash(pages[0])) {
		t.Errorf("the long document title lost characters:\n%s", pages[0])
	}
	if !isSubsequence(long.Title, all) {
		t.Errorf("the long carrier title lost characters")
	}
	if !isSubsequence(huge.Note, all) {
		t.Errorf("the note taller than a page lost characters")
	}
	if n := strings.Count(all, "曾"); n != 28 { // 曾 occurs only in the note
		t.Errorf("曾 printed %d times, want 28 (one per repetition of the note)", n)
	}
	// The long title wraps: its start and end are on different lines.
	lines := strings.Split(pages[0], "\n")
	first, end := -1, -1
	for i, l := range lines {
		if first < 0 && strings.Contains(l, "关于进一步加强") {
			first = i
		}
		if strings.Contains(l, "完。") {
			end = i
		}
	}
	if first < 0 || end <= first {
		t.Errorf("long title does not wrap over several lines (lines %d–%d)", first, end)
	}
	if len(pages) < 2 {
		t.Errorf("a note taller than a page should continue on a second page; got %d pages", len(pages))
	}
	for i, p := range pages[:len(pages)-1] {
		if !strings.Contains(squash(p), registerHeader) {
			t.Errorf("page %d lacks the header row", i+1)
		}
	}
}

func TestRegisterFallsBackToHeiAndReportsMissingGlyphs(t *testing.T) {
	fonts := bundledFonts(t)
	const fallback = '・' // katakana middle dot: not in the 宋 font's GBK cut, in WenQuanYi
	if ok, _ := fonts.faces[fonts.chains[Song][0]].glyph(fallback); ok {
		t.Fatalf("the 宋 font has %q; pick another rune for this test", fallback)
	}
	if ok, _ := fonts.faces[fonts.chains[Hei][0]].glyph(fallback); !ok {
		t.Fatalf("the 黑 font lacks %q", fallback)
	}
	c := datatest.Carrier(0)
	c.Title = "会议纪要・第三期"
	c.Note = "封面有笑脸\U0001F600贴纸"
	var buf bytes.Buffer
	err := Register(&buf, RegisterDoc{Unit: "某市财政局", Carriers: []data.Carrier{c}, Printed: data.NewDate(2026, 11, 28), Fonts: fonts})
	runes, ok := IsMissingGlyphs(err)
	if !ok || string(runes) != "\U0001F600" {
		t.Fatalf("err = %v, want the emoji reported as missing", err)
	}
	text := squash(strings.Join(pdfPages(t, writePDF(t, "register-glyphs.pdf", buf.Bytes())), ""))
	if !strings.Contains(text, "会议纪要・第三期") {
		t.Errorf("the rune missing from the 宋 font was not drawn from the 黑 font:\n%s", text)
	}
	if !strings.Contains(text, "笑脸□贴") || !isSubsequence("封面有笑脸□贴纸", text) {
		t.Errorf("the rune missing from every font is not shown as □:\n%s", text)
	}
}

func TestRegisterEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := Register(&buf, RegisterDoc{Unit: "某市财政局", Printed: data.NewDate(2026, 11, 28), Fonts: bundledFonts(t)}); err != nil {
		t.Fatal(err)
	}
	pages := pdfPages(t, writePDF(t, "register-empty.pdf", buf.Bytes()))
	text := squash(strings.Join(pages, ""))
	for _, want := range []string{registerHeader, "无符合条件的载体", "本台账共0件载体", "第1页共1页", "范围：全部载体"} {
		if !strings.Contains(text, want) {
			t.Errorf("empty register lacks %q:\n%s", want, text)
		}
	}
}

func BenchmarkRegister10k(b *testing.B) {
	fonts := bundledFonts(b)
	carriers := datatest.Carriers(10000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var buf bytes.Buffer
		if err := Register(&buf, RegisterDoc{Unit: "某市财政局", Carriers: carriers, Printed: data.NewDate(2026, 11, 28),
			Fingerprint: "SM3:9f2c4e7a1b03d5e8", Fonts: fonts}); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(buf.Len())/1e6, "MB-pdf")
	}
}
