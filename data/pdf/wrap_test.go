package pdf

import (
	"math"
	"math/rand"
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// unitAdvance measures a wide character as 1, a space as 0.25 and anything
// else (Latin letters, digits) as 0.5.
func unitAdvance(r rune) float64 {
	switch {
	case r == ' ':
		return 0.25
	case isWide(r):
		return 1
	}
	return 0.5
}

func TestWrap(t *testing.T) {
	for _, tc := range []struct {
		name  string
		text  string
		width float64
		want  []string
	}{
		{"empty", "", 5, nil},
		{"fits", "保密工作台", 5, []string{"保密工作台"}},
		{"plain Chinese", "保密工作台涉密载体台账", 4, []string{"保密工作", "台涉密载", "体台账"}},
		{"comma never starts a line", "一二三，四五", 3, []string{"一二", "三，四", "五"}},
		{"full stop never starts a line", "一二三。", 3, []string{"一二", "三。"}},
		{"pause mark and closing quote", "一二三、”四", 3, []string{"一二", "三、”", "四"}},
		{"opening bracket never ends a line", "一二（三）四", 3, []string{"一二", "（三）", "四"}},
		{"opening book title mark", "一二《三》", 3, []string{"一二", "《三》"}},
		{"opening quote after colon", "他说：“好。”走", 4, []string{"他说：", "“好。”", "走"}},
		{"Latin number stays whole", "载体BM-2026-0012号", 7, []string{"载体", "BM-2026-0012号"}},
		{"Latin fits exactly", "载体BM-2026-0012号", 8, []string{"载体BM-2026-0012", "号"}},
		{"digits stay whole", "共12345份", 3, []string{"共", "12345", "份"}},
		{"date digits", "2026年11月28日", 3, []string{"2026年", "11月28", "日"}},
		{"date digits, narrow", "2026年11月28日", 2, []string{"2026", "年11", "月28", "日"}},
		{"closing mark after a space", "一二 ）三", 2.5, []string{"一", "二 ）", "三"}},
		{"opening mark before a space", "一（ 二三", 2.5, []string{"一", "（ 二", "三"}},
		{"English words at spaces", "hello world foo", 3, []string{"hello", "world", "foo"}},
		{"spaces dropped at wrapped line start", "ab    cd", 1, []string{"ab", "cd"}},
		{"leading indent of a paragraph kept", "  一二", 5, []string{"  一二"}},
		{"word wider than the box breaks per character", "ABCDEFGH", 2, []string{"ABCD", "EFGH"}},
		{"box narrower than one character", "保密", 0.5, []string{"保", "密"}},
		{"zero width", "保密，", 0, []string{"保", "密", "，"}},
		{"negative width", "保密", -3, []string{"保", "密"}},
		{"NaN width", "保密", math.NaN(), []string{"保", "密"}},
		{"infinite width", "保密工作台", math.Inf(1), []string{"保密工作台"}},
		{"newlines", "一\n\n二\r\n三", 5, []string{"一", "", "二", "三"}},
		{"ellipsis pair not split", "一二三……", 4, []string{"一二三", "……"}},
		{"dash pair not split", "一二三——四", 4, []string{"一二三", "——四"}},
		{"percent stays with number", "增长一二5%", 3, []string{"增长一", "二5%"}},
		{"currency stays with amount", "一二￥5", 3, []string{"一二", "￥5"}},
		{"ASCII comma after Chinese", "一二三,四", 3, []string{"一二", "三,四"}},
		{"mark with star", "机密★20年", 3, []string{"机密★", "20年"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Wrap(tc.text, tc.width, unitAdvance)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Wrap(%q, %v) = %q, want %q", tc.text, tc.width, got, tc.want)
			}
		})
	}
}

// TestWrapProperties wraps random Chinese text with punctuation at random
// widths, including widths below one character, and checks that nothing is
// lost, lines fit, and the punctuation rules hold wherever the box is wide
// enough to obey them.
func TestWrapProperties(t *testing.T) {
	pieces := []string{"保", "密", "工", "作", "台", "载", "体", "，", "。", "、", "；", "：", "？", "！",
		"（", "）", "《", "》", "「", "」", "“", "”", "‘", "’", "【", "】", "AB", "12", "2026", " ", "……", "——"}
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 3000; i++ {
		var b strings.Builder
		for n := rng.Intn(40); n > 0; n-- {
			b.WriteString(pieces[rng.Intn(len(pieces))])
		}
		text := b.String()
		width := []float64{0, 0.3, 1, 2, 3.5, 6, 10, 30}[rng.Intn(8)]
		lines := Wrap(text, width, unitAdvance)
		strip := func(s string) string {
			return strings.Map(func(r rune) rune {
				if unicode.IsSpace(r) {
					return -1
				}
				return r
			}, s)
		}
		if got, want := strip(strings.Join(lines, "")), strip(text); got != want {
			t.Fatalf("Wrap(%q, %v) lost text: %q", text, width, lines)
		}
		tight := false // some unbreakable piece is wider than the box
		for _, s := range segment([]rune(strings.ReplaceAll(text, "\t", " ")), unitAdvance) {
			tight = tight || s.width > width
		}
		for _, l := range lines {
			w := 0.0
			for _, r := range l {
				w += unitAdvance(r)
			}
			if w > width+1e-9 && utf8.RuneCountInString(strip(l)) > 1 {
				t.Fatalf("Wrap(%q, %v): line %q is %v wide", text, width, l, w)
			}
			if tight || l == "" {
				continue // a tight box forces the rules to give way
			}
			first, _ := utf8.DecodeRuneInString(l)
			last, _ := utf8.DecodeLastRuneInString(l)
			if isClosing(first) && l != lines[0] {
				t.Fatalf("Wrap(%q, %v): line %q starts with a closing mark (%q)", text, width, l, lines)
			}
			if isOpening(last) && l != lines[len(lines)-1] {
				t.Fatalf("Wrap(%q, %v): line %q ends with an opening mark (%q)", text, width, l, lines)
			}
		}
	}
}

func BenchmarkWrap(b *testing.B) {
	text := strings.Repeat("关于2026年度涉密载体清查工作的通知（第BM-2026-0012号），请各单位认真执行。", 4)
	for i := 0; i < b.N; i++ {
		Wrap(text, 30, unitAdvance)
	}
}
