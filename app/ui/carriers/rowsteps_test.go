package carriers

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"baomi/app/ui/kit"
	"baomi/data"
)

// rowPos returns a point inside the drawn row whose 编号 is number,
// relative to the register's table.
func rowPos(t *testing.T, h *harness, number string) fyne.Position {
	t.Helper()
	d := fyne.CurrentApp().Driver()
	for _, c := range drawnCells(h) {
		if c.label.Text == number {
			return d.AbsolutePositionForObject(c.label).Subtract(d.AbsolutePositionForObject(h.cs.table)).AddXY(5, 5)
		}
	}
	t.Fatalf("row %s not drawn", number)
	return fyne.Position{}
}

// esc presses Esc in the window, where no widget has the focus.
func esc(h *harness) {
	h.sh.Window().Canvas().Unfocus()
	h.sh.Window().Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
}

func TestDoubleClickOrEnterOpensTheCarrier(t *testing.T) {
	for _, tt := range []struct {
		name string
		open func(h *harness)
	}{
		{"double click on the row", func(h *harness) {
			h.cs.table.DoubleTapped(&fyne.PointEvent{Position: rowPos(t, h, "O-2")})
		}},
		{"Enter on the selected row", func(h *harness) {
			h.cs.table.SelectRow(1)
			h.cs.table.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			// given a register of two carriers
			h := newHarness(t, paper("O-1", "第一份", "李四"), paper("O-2", "第二份", "王五"))
			// when the second row is opened
			tt.open(h)
			settle(t, h)
			// then its detail view shows it
			if h.cs.detail == nil || !h.cs.detail.popup.Visible() || h.cs.detail.c.Number != "O-2" {
				t.Fatalf("detail not shown for O-2: %+v", h.cs.detail)
			}
			// and Esc closes it
			esc(h)
			if h.cs.detail.popup.Visible() {
				t.Error("Esc did not close the detail view")
			}
		})
	}
}

func TestRowButtonsLendAndReturnTheSelectedCarrier(t *testing.T) {
	// given a register with a carrier held
	h := newHarness(t, paper("B-1", "第一份", "李四"), paper("B-2", "第二份", "王五"))
	cs := h.cs
	for k, b := range cs.rowSteps {
		if !b.Disabled() {
			t.Errorf("%s enabled with no row selected", k)
		}
	}
	// when its row is selected, only the steps its state allows are offered
	cs.table.SelectRow(0)
	if cs.rowSteps[data.EventLend].Disabled() || cs.rowSteps[data.EventDestroy].Disabled() || !cs.rowSteps[data.EventReturn].Disabled() {
		t.Fatal("a held carrier's row does not offer 借出 and 销毁 only (with 移交)")
	}
	// when 借出 is tapped, the lend form opens for it with the cursor in 借阅人
	tapSettled(t, h, cs.rowSteps[data.EventLend])
	f := cs.stepForm
	if f == nil || !f.popup.Visible() || f.c.Number != "B-1" || f.kind != data.EventLend {
		t.Fatalf("lend form not shown for B-1")
	}
	if h.sh.Window().Canvas().Focused() != f.borrower {
		t.Error("the cursor is not in 借阅人")
	}
	test.Type(f.borrower, "赵六")
	test.Type(f.approver, "钱主任")
	tapSettled(t, h, f.ok)
	// then it is lent, shown so, still selected, and 归还 is offered
	if f.popup.Visible() {
		t.Fatalf("lend form still open: %q", f.message.Text)
	}
	if c := cs.shown.At(0); c.State != data.StateLent || c.Borrower != "赵六" || cs.selected != 0 {
		t.Fatalf("after lending: %s %s, selected row %d", c.State, c.Borrower, cs.selected)
	}
	if cs.rowSteps[data.EventReturn].Disabled() || !cs.rowSteps[data.EventLend].Disabled() || h.changes != 1 {
		t.Errorf("after lending 归还 offered %v, 借出 offered %v, changes %d", !cs.rowSteps[data.EventReturn].Disabled(),
			!cs.rowSteps[data.EventLend].Disabled(), h.changes)
	}
	// and 归还 from the same row asks who brought it back (the borrower, as
	// it starts), refuses no one, and records who did
	tapSettled(t, h, cs.rowSteps[data.EventReturn])
	rf := cs.stepForm
	if rf.returnedBy == nil || rf.returnedBy.Text != "赵六" {
		t.Fatal("the return form does not start with the borrower as 归还人")
	}
	rf.returnedBy.SetText("")
	tapSettled(t, h, rf.ok)
	if p := rf.form.Problem(data.FieldReturnedBy); p != "必须填写" || !rf.popup.Visible() {
		t.Fatalf("a return without 归还人: problem %q, form shown %v", p, rf.popup.Visible())
	}
	test.Type(rf.returnedBy, "孙丽")
	tapSettled(t, h, rf.ok)
	if c := cs.shown.At(0); c.State != data.StateHeld || c.Borrower != "" {
		t.Fatalf("after returning: %s %q (%q)", c.State, c.Borrower, rf.message.Text)
	}
	events, err := h.ws.Events(context.Background(), cs.shown.At(0).ID)
	if err != nil {
		t.Fatal(err)
	}
	if last := events[len(events)-1]; last.Kind != data.EventReturn || last.ReturnedBy != "孙丽" ||
		!strings.Contains(last.Summary(), "归还人：孙丽") {
		t.Errorf("the return recorded %+v", last)
	}
}

func TestRightClickOffersTheRowsSteps(t *testing.T) {
	h := newHarness(t, paper("M-1", "第一份", "李四"), paper("M-2", "第二份", "王五"))
	// when the second row is right-clicked
	at := rowPos(t, h, "M-2")
	abs := fyne.CurrentApp().Driver().AbsolutePositionForObject(h.cs.table).Add(at)
	h.cs.table.TappedSecondary(&fyne.PointEvent{Position: at, AbsolutePosition: abs})
	// then it is selected and a menu offers what its state allows
	if h.cs.selected != 1 || h.cs.rowMenu == nil || !h.cs.rowMenu.Visible() {
		t.Fatalf("selected %d, menu %v", h.cs.selected, h.cs.rowMenu)
	}
	relayout(h)
	shot(t, h, "register-row-menu")
	enabled := map[string]bool{}
	for _, it := range h.cs.rowMenuModel.Items {
		enabled[it.Label] = !it.Disabled
	}
	want := map[string]bool{"打开……": true, "修改……": true, "借出……": true, "归还……": false, "移交……": true, "销毁……": true}
	for label, on := range want {
		if got, ok := enabled[label]; !ok || got != on {
			t.Errorf("menu item %s: shown %v, enabled %v, want enabled %v", label, ok, got, on)
		}
	}
	// and its 借出 opens the lend form for that carrier
	for _, it := range h.cs.rowMenuModel.Items {
		if it.Label == "借出……" {
			it.Action()
		}
	}
	settle(t, h)
	if f := h.cs.stepForm; f == nil || !f.popup.Visible() || f.c.Number != "M-2" {
		t.Fatal("借出 from the menu did not open the lend form of M-2")
	}
}

func TestEscClosesOnlyTheTopDialogAndNeverTheBusyOne(t *testing.T) {
	h := newHarness(t, paper("E-1", "第一份", "李四"))
	h.cs.table.SelectRow(0)
	tapSettled(t, h, h.cs.open)
	tapSettled(t, h, h.cs.detail.actions[data.EventLend])
	d, f := h.cs.detail, h.cs.detail.form
	// Esc closes the lend form over the detail view, then the view
	esc(h)
	if f.popup.Visible() || !d.popup.Visible() {
		t.Fatalf("after one Esc: form shown %v, detail shown %v", f.popup.Visible(), d.popup.Visible())
	}
	esc(h)
	if d.popup.Visible() {
		t.Fatal("second Esc did not close the detail view")
	}
	// a busy dialog stays: the work goes on
	hide := h.sh.Busy("正在保存……")
	defer hide()
	if kit.Escape(h.sh.Window().Canvas(), &fyne.KeyEvent{Name: fyne.KeyEscape}) {
		t.Error("Esc closed the busy dialog")
	}
	if top, ok := h.sh.Window().Canvas().Overlays().Top().(*widget.PopUp); !ok || !top.Visible() {
		t.Error("the busy dialog is gone after Esc")
	}
}

// TestEscWithTheCursorIn名称ClosesThe登记Form: the driver gives Esc to
// the focused entry, which kept it, so the form stayed open while the
// cursor was in a field.
func TestEscWithTheCursorIn名称ClosesThe登记Form(t *testing.T) {
	h, f := openForm(t)
	c := h.sh.Window().Canvas()
	c.Focus(f.title)
	test.Type(f.title, "会议纪要")
	c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape}) // as the desktop driver delivers a key
	if f.popup.Visible() {
		t.Fatal("Esc in 名称 left the 登记 form open")
	}
}

func TestShortcutsRunTheRegistersActions(t *testing.T) {
	h := newHarness(t, paper("K-1", "第一份", "李四"))
	cs := h.cs
	c := h.sh.Window().Canvas()
	// Ctrl+F puts the cursor in the search box
	if !cs.Shortcut(fyne.KeyF) || c.Focused() != cs.search {
		t.Error("Ctrl+F did not focus the search box")
	}
	// Ctrl+P typed in the search box prints the register
	cs.search.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyP, Modifier: fyne.KeyModifierShortcutDefault})
	waitFor(t, "the register printed", func() bool { return h.lastPrint() != "" })
	c.Unfocus()
	// Ctrl+N opens the 登记 form, and while it is open the keys do nothing
	cs.Shortcut(fyne.KeyN)
	settle(t, h)
	if cs.form == nil || !cs.form.popup.Visible() {
		t.Fatal("Ctrl+N did not open the 登记 form")
	}
	if cs.Shortcut(fyne.KeyP) || len(h.sh.Prints()) != 1 {
		t.Error("Ctrl+P printed over an open form")
	}
}
