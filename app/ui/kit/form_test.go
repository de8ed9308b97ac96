package kit_test

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
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

// TestTheScrollBarLeavesTheEntriesRightEdgeInSight: Fyne draws a
// scroller's bar over its content; the entries of a form in Scroller end
// before it.
func TestTheScrollBarLeavesTheEntriesRightEdgeInSight(t *testing.T) {
	sh := kittest.New(t, data.Unit{})
	form := kit.NewFieldForm(sh)
	var entries []*kit.Entry
	for _, label := range []string{"甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸"} {
		e := kit.NewEntry()
		entries = append(entries, e)
		form.Add(label, e)
	}
	s := form.Scroller(fyne.NewSize(400, 200))
	sh.Show(s)
	sh.Window().Resize(fyne.NewSize(500, 300))
	d := fyne.CurrentApp().Driver()
	bar := d.AbsolutePositionForObject(s).X + s.Size().Width - theme.ScrollBarSize()
	for i, e := range entries {
		if right := d.AbsolutePositionForObject(e).X + e.Size().Width; right > bar {
			t.Errorf("entry %d ends at %v, under the scroll bar from %v", i, right, bar)
		}
	}
}

func TestShowFocusesTheFirstProblemInFormOrderAndShowsItsRow(t *testing.T) {
	tests := []struct {
		name   string
		hidden string // a row hidden before the problems are shown
		errs   data.FieldErrors
		focus  string // the field focused after, "" for none
	}{
		{"first in the form, not in the list", "", data.FieldErrors{{Field: "丙", Problem: "必须填写"}, {Field: "乙", Problem: "必须填写"}}, "乙"},
		{"a hidden row with a problem", "丙", data.FieldErrors{{Field: "丙", Problem: "设备类载体必须填写序列号"}}, "丙"},
		{"a problem naming no field", "", data.FieldErrors{{Field: "别处", Problem: "x"}}, ""},
		{"no problems", "", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sh := kittest.New(t, data.Unit{})
			form := kit.NewFieldForm(sh)
			entries := map[string]*kit.Entry{}
			for _, label := range []string{"甲", "乙", "丙"} {
				entries[label] = kit.NewEntry()
				form.Add(label, entries[label])
			}
			sh.Show(form.Scroller(fyne.NewSize(400, 300)))
			if tt.hidden != "" {
				form.SetShown(tt.hidden, false)
			}
			c := sh.Window().Canvas()
			form.Show(tt.errs)
			for _, e := range tt.errs {
				if _, ok := entries[e.Field]; ok && (!form.Shown(e.Field) || form.Problem(e.Field) == "") {
					t.Errorf("%s: shown %v, problem %q", e.Field, form.Shown(e.Field), form.Problem(e.Field))
				}
			}
			var want fyne.Focusable
			if tt.focus != "" {
				want = entries[tt.focus]
			}
			if c.Focused() != want {
				got := "nothing"
				for label, e := range entries {
					if c.Focused() == e {
						got = label
					}
				}
				t.Errorf("focused %s, want %q", got, tt.focus)
			}
		})
	}
}
