package pdf

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"baomi/data"
)

// testLetters renders n letters of each built-in kind in turn for people
// named 测试人员1, 测试人员2, …
func testLetters(t testing.TB, n int) []data.Letter {
	t.Helper()
	tpls := data.BuiltinLetterTemplates()
	unit := data.Unit{Name: "某市财政局"}
	var out []data.Letter
	for i := range n {
		p := data.Person{Name: fmt.Sprintf("测试人员%d", i+1), Department: "办公室", Post: "科长",
			Level: data.SecrecyLevels[i%3], State: data.PersonLeft, LeftOn: data.NewDate(2026, 3, 1)}
		l, err := data.Render(tpls[i%len(tpls)], data.LetterValues(p, unit, data.DefaultExitPeriods(), data.NewDate(2026, 11, 28), 5))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, l)
	}
	return out
}

func TestLettersPrintEachCopyOnItsOwnMarkedPageWithAllText(t *testing.T) {
	letters := testLetters(t, 4)
	var buf bytes.Buffer
	if err := Letters(&buf, LettersDoc{Unit: "某市财政局", Letters: letters, Fonts: bundledFonts(t)}); err != nil {
		t.Fatal(err) // also a MissingGlyphsError: every character must have a glyph
	}
	pages := pdfPages(t, writePDF(t, "letters.pdf", buf.Bytes()))
	if len(pages) != 8 {
		t.Fatalf("%d pages, want 4 letters × 2 copies on one page each", len(pages))
	}
	for i, page := range pages {
		l, k := letters[i/2], i%2+1
		text := squash(page)
		want := []string{fmt.Sprintf("第%d份共2份", k), squash(l.Title), "测试人员" + fmt.Sprint(i/2+1),
			"承诺人（签名）：", "保密办经办人：", "某市财政局（盖章）"}
		body, _ := l.Paragraphs()
		for _, p := range body { // every clause whole: no glyph lost or replaced
			want = append(want, squash(p))
		}
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("page %d lacks %q:\n%s", i+1, w, page)
			}
		}
		if strings.Contains(page, "□") {
			t.Errorf("page %d has a missing-glyph box", i+1)
		}
	}
	if !strings.Contains(squash(pages[5]), "脱密期自2026年3月2日至2027年3月1日") { // letter 3: 离岗, 一般
		t.Errorf("离岗 letter lacks its 脱密期:\n%s", pages[5])
	}
}

func TestLettersHonourTheNumberOfCopies(t *testing.T) {
	var buf bytes.Buffer
	if err := Letters(&buf, LettersDoc{Letters: testLetters(t, 1), Copies: 3, Fonts: bundledFonts(t)}); err != nil {
		t.Fatal(err)
	}
	pages := pdfPages(t, writePDF(t, "copies.pdf", buf.Bytes()))
	if len(pages) != 3 {
		t.Fatalf("%d pages, want 3", len(pages))
	}
	for k, p := range pages {
		if want := fmt.Sprintf("第%d份共3份", k+1); !strings.Contains(squash(p), want) {
			t.Errorf("page %d lacks %q", k+1, want)
		}
	}
}

func TestLettersRunOnToASecondPageOnlyWhenTheTextIsLong(t *testing.T) {
	l := testLetters(t, 1)[0]
	long := l
	long.Body = strings.Replace(l.Body, "\n　　本人如违反", strings.Repeat("\n　　本人知悉并遵守本单位关于涉密会议、涉密文件传阅和涉密计算机使用的各项规定。", 12)+"\n　　本人如违反", 1)
	var buf bytes.Buffer
	if err := Letters(&buf, LettersDoc{Unit: "某市财政局", Letters: []data.Letter{l, long}, Copies: 1, Fonts: bundledFonts(t)}); err != nil {
		t.Fatal(err)
	}
	pages := pdfPages(t, writePDF(t, "long.pdf", buf.Bytes()))
	if len(pages) != 3 {
		t.Fatalf("%d pages, want 1 for the letter and 2 for the long one", len(pages))
	}
	for _, want := range []string{"第1份共1份（续）", "自愿承担党纪政纪责任和法律后果", "承诺人（签名）"} {
		if !strings.Contains(squash(pages[2]), want) {
			t.Errorf("the long letter's second page lacks %q:\n%s", want, pages[2])
		}
	}
	if strings.Contains(squash(pages[1]), "法律后果") {
		t.Errorf("the long letter's first page holds its last paragraph:\n%s", pages[1])
	}
}

func TestLettersRefuseAnEmptyBatch(t *testing.T) {
	if err := Letters(&bytes.Buffer{}, LettersDoc{Fonts: bundledFonts(t)}); err == nil {
		t.Fatal("no error for no letters")
	}
}

func TestLettersReportMissingGlyphs(t *testing.T) {
	l := testLetters(t, 1)[0]
	l.Body = strings.Replace(l.Body, "测试人员1", "测试人员\U0001F600", 1)
	err := Letters(&bytes.Buffer{}, LettersDoc{Letters: []data.Letter{l}, Fonts: bundledFonts(t)})
	if rs, ok := IsMissingGlyphs(err); !ok || string(rs) != "\U0001F600" {
		t.Fatalf("err = %v, want the missing glyph reported", err)
	}
}

// BenchmarkLetters1000x2 prints 1,000 letters of two copies each in one
// PDF (target < 2 s, < 300 MB).
func BenchmarkLetters1000x2(b *testing.B) {
	letters := testLetters(b, 1000)
	fonts := bundledFonts(b)
	b.ReportAllocs()
	for b.Loop() {
		var buf bytes.Buffer
		if err := Letters(&buf, LettersDoc{Unit: "某市财政局", Letters: letters, Fonts: fonts}); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(buf.Len())/1e6, "MB-pdf")
	}
}
