package pdf

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"baomi/data"
	"baomi/data/datatest"
)

// TestRegisterNeverBreaksANumberOrADate prints carriers whose 编号 are
// long (the real branch-office register broke CS01-2024-0002 into
// "CS01-2024-000" / "2") and looks for every 编号 and 收到日期 whole on one
// line of the extracted text.
func TestRegisterNeverBreaksANumberOrADate(t *testing.T) {
	tests := []struct {
		name    string
		numbers []string
	}{
		{"branch office", []string{"CS01-2024-0002", "CS01-2024-0013", "CS02-2025-0107"}},
		{"department prefix", []string{"BMB-DEPT-2026-000123", "BMB-DEPT-2026-000124", "CS01-2024-0002"}},
		{"one very long among short", []string{"A-1", "SZ-CZJ-BGS-JMK-2026-Q4-000000123456", "B-2"}},
		{"longest a 编号 may be (64)", []string{strings.Repeat("W", 30) + "-" + strings.Repeat("8", 33), "CS01-2024-0002"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var carriers []data.Carrier
			for i, n := range tt.numbers {
				c := datatest.Carrier(i)
				c.Number = n
				c.Title = "关于做好涉密文件清退工作的通知（含附件三份）"
				c.Note = "序列号 AA12BB34，已于2026年11月28日清点，封条完好，放置于保密柜内。"
				carriers = append(carriers, c)
			}
			var buf bytes.Buffer
			if err := Register(&buf, RegisterDoc{Unit: "某市财政局", Carriers: carriers, Printed: data.NewDate(2026, 11, 28),
				Fingerprint: "SM3:9f2c4e7a1b03d5e8", Fonts: bundledFonts(t)}); err != nil {
				t.Fatal(err)
			}
			pages := pdfPages(t, writePDF(t, "register-numbers-"+strings.ReplaceAll(tt.name, " ", "-")+".pdf", buf.Bytes()))
			text := strings.Join(pages, "\n")
			for _, c := range carriers {
				for what, s := range map[string]string{"编号": c.Number, "收到日期": c.ReceivedOn.String()} {
					if !onOneLine(text, s) {
						t.Errorf("%s %q is not whole on one line:\n%s", what, s, text)
					}
				}
			}
			all := squash(text)
			for _, c := range carriers {
				for _, want := range []string{c.Title, c.Note} {
					if !isSubsequence(want, all) {
						t.Errorf("%q lost characters when its column gave room", want)
					}
				}
			}
		})
	}
}

// onOneLine reports whether some line of text holds s whole (white space
// inside a line is ignored: pdftotext may space out letters).
func onOneLine(text, s string) bool {
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(squash(l), s) {
			return true
		}
	}
	return false
}

// TestListsNeverBreakANumberOrADate prints the 销毁清单, the 借阅登记 and
// the 清点报告 with 编号 wider than their columns' first widths.
func TestListsNeverBreakANumberOrADate(t *testing.T) {
	numbers := []string{"BMB-DEPT-2026-000123", "CS01-2024-0002", "SZ-CZJ-BGS-2026-000045"}
	var carriers []data.Carrier
	for i, n := range numbers {
		c := datatest.Carrier(i)
		c.Number = n
		carriers = append(carriers, c)
	}
	day := data.NewDate(2026, 11, 28)
	tests := []struct {
		name  string
		write func(*bytes.Buffer) error
		dates []string
	}{
		{"destruction list", func(b *bytes.Buffer) error {
			var items []DestructionItem
			for _, c := range carriers {
				items = append(items, DestructionItem{Carrier: c, Destroy: destroyEvent(c)})
			}
			return DestructionList(b, DestructionDoc{Unit: "某市财政局", On: day, Items: items, Fonts: bundledFonts(t)})
		}, nil},
		{"loan list", func(b *bytes.Buffer) error {
			events := map[string][]data.Event{}
			for i, c := range carriers {
				events[c.ID] = []data.Event{
					{Kind: data.EventLend, On: data.NewDate(2026, 10, 10+i), Borrower: "孙七", Approver: "王局长", DueOn: data.NewDate(2026, 11, 10)},
					{Kind: data.EventReturn, On: data.NewDate(2026, 11, 1+i), CheckedBy: "张三", Condition: "完好"},
				}
			}
			return LoanList(b, LoanDoc{Unit: "某市财政局", Printed: day, Carriers: carriers, Events: events, Fonts: bundledFonts(t)})
		}, []string{"2026-10-10", "2026-11-10", "2026-11-01"}},
		{"stocktake report", func(b *bytes.Buffer) error {
			return StocktakeReport(b, StocktakeDoc{Unit: "某市财政局", On: day, Found: carriers[:2], Missing: carriers[2:],
				Unexpected: []string{"QT-UNKNOWN-2026-000999"}, Fonts: bundledFonts(t)})
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := tt.write(&buf); err != nil {
				t.Fatal(err)
			}
			text := strings.Join(pdfPages(t, writePDF(t, strings.ReplaceAll(tt.name, " ", "-")+".pdf", buf.Bytes())), "\n")
			want := append(append([]string(nil), numbers...), tt.dates...)
			if tt.name == "stocktake report" {
				want = append(want, "QT-UNKNOWN-2026-000999")
			}
			for _, s := range want {
				if !onOneLine(text, s) {
					t.Errorf("%q is not whole on one line:\n%s", s, text)
				}
			}
		})
	}
}

// TestFitColumnsWidensWholeColumnsWithinTheTableWidth checks the widths
// fitColumns gives the register's columns: every whole column holds its
// widest line (a Chinese date too, should a table print one), the table
// keeps its width, lends columns keep at least lendFloor of theirs, the
// other columns do not move, and a page that fits is left as it is.
func TestFitColumnsWidensWholeColumnsWithinTheTableWidth(t *testing.T) {
	row := func(number, date, title string) []string {
		return []string{"1", number, title, "纸质文件", "秘密★10年", "1", "市保密局", date, "张三", "保密柜1号", "在册", ""}
	}
	long := strings.Repeat("关于加强涉密载体管理的通知", 3)
	tests := []struct {
		name      string
		rows      [][]string
		unchanged bool
		// shrinks: the lends columns cannot give enough, the 编号 is
		// printed smaller
		shrinks bool
	}{
		{"short numbers fit as they are", [][]string{row("BM-2026-00001", "2026-11-28", long)}, true, false},
		{"a 编号 a hair too wide", [][]string{row("CS01-2024-0002", "2026-11-28", long)}, false, false},
		{"long 编号 and a Chinese date", [][]string{row("BMB-DEPT-2026-000123", "2026年11月28日", long), row("A-1", "2026-01-02", "短")}, false, false},
		{"more than the lends columns can give", [][]string{row(strings.Repeat("W", 64), "2026年11月28日", long)}, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := newDoc(bundledFonts(t), true, "t")
			if err != nil {
				t.Fatal(err)
			}
			s := newSheet(d, registerColumns, 12, 11, 15)
			s.fitColumns(tt.rows)
			sum := 0.0
			for i, c := range s.cols {
				sum += c.width
				orig := registerColumns[i]
				switch c.fit {
				case whole:
					for _, r := range tt.rows {
						size := s.bodySize
						if tt.shrinks {
							size = s.wholeSize(r[i], c.width-2*s.padX)
						}
						if w := s.width(Song, size, r[i]) + 2*s.padX; w > c.width+1e-9 {
							t.Errorf("%s is %.2f mm, %q needs %.2f", c.title, c.width, r[i], w)
						}
					}
				case lends:
					if c.width < orig.width*lendFloor-1e-9 {
						t.Errorf("%s gave too much: %.2f mm of %.2f", c.title, c.width, orig.width)
					}
				default:
					if c.width != orig.width {
						t.Errorf("%s moved: %.2f mm, was %.2f", c.title, c.width, orig.width)
					}
				}
				if tt.unchanged && c.width != orig.width {
					t.Errorf("%s changed to %.2f mm though every cell fits its %.2f", c.title, c.width, orig.width)
				}
			}
			if math.Abs(sum-(297-24)) > 1e-6 {
				t.Errorf("the table is %.4f mm wide, want 273", sum)
			}
		})
	}
}
