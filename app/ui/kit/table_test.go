package kit

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

func TestEllipsisCutsToTheWidthByMeasuredRunes(t *testing.T) {
	test.NewTempApp(t)
	width := func(s string) float32 { return fyne.MeasureText(s, theme.TextSize(), fyne.TextStyle{}).Width }
	title := "关于做好2026年度保密自查自评工作的通知"
	tests := []struct {
		name  string
		text  string
		width float32
		cut   bool
	}{
		{"fits: kept whole", title, width(title) + 1, false},
		{"Han and digits, too wide: cut", title, width(title) / 2, true},
		{"latin, too wide: cut", "CZJ-2026-0001-ABCDEFGHIJ", 80, true},
		{"empty", "", 10, false},
		{"no width known yet: kept", title, 0, false},
	}
	e := newEllipsis()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := e.fit(tt.text, tt.width)
			if !tt.cut {
				if got != tt.text {
					t.Errorf("fit = %q, want the text whole", got)
				}
				return
			}
			head := strings.TrimSuffix(got, "…")
			if head == got || !strings.HasPrefix(tt.text, head) || len(head) == 0 {
				t.Fatalf("fit = %q, want a beginning of %q and …", got, tt.text)
			}
			if w := width(got); w > tt.width {
				t.Errorf("%q is %.1f wide, more than %.1f", got, w, tt.width)
			}
			// and not cut shorter than it had to be: one more rune would not fit
			next := []rune(tt.text)[len([]rune(head))]
			if w := width(head + string(next) + "…"); w <= tt.width {
				t.Errorf("%q cut too early: %q is %.1f wide, within %.1f", got, head+string(next)+"…", w, tt.width)
			}
		})
	}
}

func TestRowTableKeepsTheLastColumnInSightAsTheWindowNarrows(t *testing.T) {
	test.NewTempApp(t)
	cols := []Column{{Title: "编号", Width: 120}, {Title: "名称", Width: 170, Fill: true}, {Title: "标志", Width: 116},
		{Title: "收到日期", Width: 118}, {Title: "状态", Width: 72}}
	tbl := NewRowTable(nil, "", cols, func() int { return 1 }, func(row, col int) Cell { return Cell{Text: "文字"} })
	w := test.NewWindow(tbl)
	defer w.Close()
	for _, width := range []float32{1200, 660, 540} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			w.Resize(fyne.NewSize(width, 400))
			end := float32(0)
			for i := range cols {
				end += tbl.ColumnWidth(i) + theme.Padding()
			}
			if end > tbl.Size().Width {
				t.Errorf("the columns end at %.0f, the table is %.0f wide", end, tbl.Size().Width)
			}
			if width == 1200 && tbl.ColumnWidth(1) < 500 {
				t.Errorf("名称 is %.0f wide in 1200 px", tbl.ColumnWidth(1))
			}
		})
	}
}
