package kit

import (
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
