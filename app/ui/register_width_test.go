package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"baomi/app/ui/kit"
	"baomi/app/ui/kit/kittest"
)

// TestRegisterBesideTheNavigationShowsStateAt1024 checks the register
// where it really is, beside the navigation list: its 状态 column stays in
// the table at 1024 px (the table is then about 880 px wide).
func TestRegisterBesideTheNavigationShowsStateAt1024(t *testing.T) {
	dir := folderWithRegister(t, 30)
	a := newTestApp(t, dir)
	test.Type(a.unlock.password, testPassword)
	test.Tap(a.unlock.unlock)
	waitLive(t, a)
	table, ok := kittest.Find[*kit.RowTable](a.main.carriers.Content())
	if !ok {
		t.Fatal("the register's table not found")
	}
	for _, tt := range []struct {
		name string
		size fyne.Size
	}{
		{"main-1100x720", fyne.NewSize(1100, 720)},
		{"main-1024x700", fyne.NewSize(1024, 700)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			// the real driver lays out again what changed its least size
			// before drawing; the test driver needs a resize there and back
			a.win.Resize(tt.size.AddWidthHeight(1, 0))
			a.win.Resize(tt.size)
			page := a.main.carriers.Content()
			if min, has := page.MinSize().Width, page.Size().Width; min > has {
				t.Errorf("the register page needs %.0f px, it has %.0f", min, has)
			}
			end := fyne.CurrentApp().Driver().AbsolutePositionForObject(table).X
			for i := 0; i < 10; i++ {
				end += table.ColumnWidth(i) + theme.Padding()
			}
			if end > tt.size.Width {
				t.Errorf("the columns end at %.0f in a window %.0f wide", end, tt.size.Width)
			}
			kittest.Shot(t, a.win, tt.name)
		})
	}
}
