package kit_test

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"baomi/app/ui/kit"
	"baomi/app/ui/kit/kittest"
	"baomi/data"
)

// TestAFormInAPageScrollerScrollsThePage: a form that is one part of a
// page (a heading above it, a table below) hands the wheel over its
// entries and its focused fields to the page's scroller.
func TestAFormInAPageScrollerScrollsThePage(t *testing.T) {
	sh := kittest.New(t, data.Unit{})
	form := kit.NewFieldForm(sh)
	var entries []*kit.Entry
	for _, label := range []string{"甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸", "子", "丑", "寅", "卯"} {
		e := kit.NewEntry()
		entries = append(entries, e)
		form.Add(label, e)
	}
	heading := widget.NewLabel("页面标题\n第二行\n第三行")
	page := container.NewVScroll(container.NewVBox(heading, form.Grid, widget.NewLabel("页面底部")))
	form.InScroll(page)
	sh.Show(page)
	c := sh.Window().Canvas()
	sh.Window().Resize(fyne.NewSize(600, 400))
	abs := func(o fyne.CanvasObject) fyne.Position {
		return fyne.CurrentApp().Driver().AbsolutePositionForObject(o)
	}

	test.Scroll(c, abs(entries[1]).Add(fyne.NewPos(20, 10)), 0, -100)
	if page.Offset.Y <= 0 {
		t.Fatalf("the wheel over an entry did not scroll the page: offset %v", page.Offset)
	}
	page.ScrollToTop()
	last := entries[len(entries)-1]
	c.Focus(last)
	top, bottom := abs(last).Y, abs(last).Y+last.Size().Height
	if top < abs(page).Y || bottom > abs(page).Y+page.Size().Height {
		t.Errorf("the focused last field (%v to %v) is out of the page's view (%v, %v high)", top, bottom, abs(page).Y, page.Size().Height)
	}
}
