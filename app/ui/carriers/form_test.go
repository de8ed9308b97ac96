package carriers

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"baomi/app/ui/kit"
	"baomi/app/ui/kit/kittest"
	"baomi/data"
)

// openForm opens a new 登记 form on an empty register.
func openForm(t *testing.T) (*harness, *carrierForm) {
	t.Helper()
	h := newHarness(t)
	tapSettled(t, h, h.cs.add)
	if h.cs.form == nil || !h.cs.form.popup.Visible() {
		t.Fatal("the 登记 form is not shown")
	}
	return h, h.cs.form
}

// formScroll returns the scroller holding the rows of the dialog popup.
func formScroll(t *testing.T, popup *widget.PopUp) *container.Scroll {
	t.Helper()
	found, ok := kittest.Find[*container.Scroll](popup.Content)
	if !ok {
		t.Fatal("the dialog has no scroller")
	}
	return found
}

func abs(o fyne.CanvasObject) fyne.Position {
	return fyne.CurrentApp().Driver().AbsolutePositionForObject(o)
}

// inView reports whether o lies wholly within the scroller's visible area.
func inView(s *container.Scroll, o fyne.CanvasObject) bool {
	top, bottom := abs(o).Y, abs(o).Y+o.Size().Height
	return top >= abs(s).Y && bottom <= abs(s).Y+s.Size().Height
}

func TestTheWheelOverAnEntryScrollsTheForm(t *testing.T) {
	h, f := openForm(t)
	c := h.sh.Window().Canvas()
	s := formScroll(t, f.popup)
	over := abs(f.title).Add(fyne.NewPos(20, 10))

	test.Scroll(c, over, 0, -120) // the wheel turned down over 名称
	if s.Offset.Y <= 0 {
		t.Fatalf("the form did not scroll: offset %v", s.Offset)
	}
	shot(t, h, "form-wheel")
	scrolled := s.Offset.Y
	test.Scroll(c, abs(f.period).Add(fyne.NewPos(20, 10)), 0, 60) // and up over 保密期限
	if s.Offset.Y >= scrolled {
		t.Errorf("the form did not scroll back: offset %v, was %v", s.Offset.Y, scrolled)
	}

	// over 备注 (at the bottom): its one line fits, the wheel moves the
	// form; its six lines do not, the wheel is the note's
	s.ScrollToBottom()
	bottom := s.Offset.Y
	test.Scroll(c, abs(f.note).Add(fyne.NewPos(20, 10)), 0, 40)
	if s.Offset.Y >= bottom {
		t.Errorf("the wheel over a one-line 备注 did not scroll the form: offset %v, was %v", s.Offset.Y, bottom)
	}
	f.note.SetText("一\n二\n三\n四\n五\n六")
	s.ScrollToBottom()
	test.Scroll(c, abs(f.note).Add(fyne.NewPos(20, 10)), 0, 40)
	if s.Offset.Y != bottom {
		t.Errorf("the wheel over a six-line 备注 scrolled the form (offset %v, was %v), not the note", s.Offset.Y, bottom)
	}
}

func TestTabToAFieldBelowTheFoldScrollsItIntoView(t *testing.T) {
	h, f := openForm(t)
	c := h.sh.Window().Canvas()
	s := formScroll(t, f.popup)
	if inView(s, f.custodian) {
		t.Fatal("责任人 is in view when the form opens: the test needs it below the fold")
	}
	for i := 0; c.Focused() != f.custodian; i++ {
		if i > 30 {
			t.Fatal("Tab never reached 责任人")
		}
		c.FocusNext() // what the window does on Tab
		if fo, ok := c.Focused().(fyne.CanvasObject); ok && !inView(s, fo) {
			t.Fatalf("Tab focused a field out of view (%T at %v, offset %v)", fo, abs(fo), s.Offset)
		}
	}
	shot(t, h, "form-tab")
}

func TestSaveFocusesTheFirstProblemScrolledIntoView(t *testing.T) {
	h, f := openForm(t)
	c := h.sh.Window().Canvas()
	s := formScroll(t, f.popup)
	// everything but 责任人, at the bottom of the form
	test.Type(f.title, "关于做好年度保密自查工作的通知")
	f.kind.SetSelected(data.KindPaper)
	f.level.SetSelected("机密")
	tapSettled(t, h, f.ok)
	if p := f.form.Problem(data.FieldCustodian); p != "必须填写" {
		t.Fatalf("责任人 problem %q", p)
	}
	if c.Focused() != f.custodian || !inView(s, f.custodian) {
		t.Errorf("after 保存 the focus is on %T (责任人: %v), 责任人 in view: %v", c.Focused(), c.Focused() == f.custodian, inView(s, f.custodian))
	}
	shot(t, h, "form-first-problem")
}

func TestAFieldsProblemGoesWhenItIsChanged(t *testing.T) {
	h, f := openForm(t)
	test.Type(f.title, "文件")
	tapSettled(t, h, f.ok) // no 类型, 密级, 责任人
	if f.form.Problem(data.FieldKind) == "" || f.form.Problem(data.FieldCustodian) == "" || !f.message.Visible() {
		t.Fatalf("problems not shown: 类型 %q 责任人 %q", f.form.Problem(data.FieldKind), f.form.Problem(data.FieldCustodian))
	}
	f.kind.SetSelected(data.KindPaper)
	if p := f.form.Problem(data.FieldKind); p != "" {
		t.Errorf("载体类型 chosen, its problem stays: %q", p)
	}
	if f.form.Problem(data.FieldCustodian) == "" {
		t.Error("the problem of 责任人, not changed, went")
	}
	f.level.SetSelected("秘密")
	test.Type(f.custodian, "李")
	if p := f.form.Problem(data.FieldCustodian); p != "" {
		t.Errorf("责任人 typed, its problem stays: %q", p)
	}
	if f.message.Visible() {
		t.Errorf("every problem fixed, the form still says %q", f.message.Text)
	}
}

func TestRequiredFieldsAreMarkedByKind(t *testing.T) {
	tests := []struct {
		name     string
		kind     string
		field    string
		required bool
	}{
		{"编号 of a document", data.KindPaper, data.FieldNumber, true},
		{"责任人 of a document", data.KindPaper, data.FieldCustodian, true},
		{"备注 of a document", data.KindPaper, data.FieldNote, false},
		{"序列号 of a document", data.KindPaper, data.FieldSerial, false},
		{"序列号 of a U盘", data.KindUSB, data.FieldSerial, true},
		{"设备型号 of a U盘", data.KindUSB, data.FieldModel, false},
	}
	h, f := openForm(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f.kind.SetSelected(tt.kind)
			if got := f.form.Required(tt.field); got != tt.required {
				t.Errorf("required = %v, want %v", got, tt.required)
			}
			want := tt.field
			if tt.required {
				want += " *"
			}
			if !strings.Contains(gridLabels(f.form.Grid), "|"+want+"|") {
				t.Errorf("the form's labels %s lack %q", gridLabels(f.form.Grid), want)
			}
		})
	}
	f.kind.SetSelected(data.KindUSB)
	shot(t, h, "form-usb")
}

// gridLabels returns the texts of a form's labels, each between bars.
func gridLabels(grid *fyne.Container) string {
	b := strings.Builder{}
	b.WriteString("|")
	for _, o := range grid.Objects {
		if r, ok := o.(*widget.RichText); ok {
			b.WriteString(r.String() + "|")
		}
	}
	return b.String()
}

func TestEventFormsMarkWhatTheStepRequires(t *testing.T) {
	h, d := openRegister(t)
	tapSettled(t, h, d.actions[data.EventLend])
	f := d.form
	for _, field := range []string{data.FieldBorrower, data.FieldApprover, data.FieldDueOn, data.FieldOperator} {
		if !f.form.Required(field) {
			t.Errorf("the lend form does not mark %s", field)
		}
	}
	if f.form.Required(data.FieldNote) {
		t.Error("the lend form marks 备注")
	}
	test.Type(f.borrower, "王五")
	tapSettled(t, h, f.ok)
	if c := h.sh.Window().Canvas(); c.Focused() != f.approver {
		t.Errorf("after 登记 without 批准人 the focus is on %T, not 批准人", c.Focused())
	}
	shot(t, h, "form-lend")
}

func TestDeviceRowsShowForAUSBDriveAndHideForPaper(t *testing.T) {
	h, f := openForm(t)
	serial := f.serial
	rows := func(fields ...string) (shown []bool) {
		for _, fl := range fields {
			shown = append(shown, f.form.Shown(fl))
		}
		return shown
	}
	check := func(when string, want []bool) {
		t.Helper()
		got := rows(data.FieldModel, data.FieldSerial, data.FieldSource, data.FieldDocNumber, data.FieldCopyNumbers, data.FieldPages)
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("%s: 型号 序列号 来源 文号 份号 页数 shown %v, want %v", when, got, want)
				return
			}
		}
	}
	check("no kind chosen", []bool{false, false, true, true, true, true})
	f.kind.SetSelected(data.KindPaper)
	check("纸质文件", []bool{false, false, true, true, true, true})
	f.kind.SetSelected(data.KindUSB)
	check("U盘", []bool{true, true, false, false, false, true})
	test.Type(f.serial, "SN-1")
	f.kind.SetSelected(data.KindPaper)
	check("纸质文件 after a 序列号 was typed", []bool{false, true, true, true, true, true})
	if f.serial != serial || findParent(t, f.form.Grid, f.kind) == nil {
		t.Error("the form's widgets were replaced")
	}
	if kit.Attached(f.serial) != true {
		t.Error("序列号 left the window")
	}
	shot(t, h, "form-paper-with-serial")
}

func TestRowsDoNotMoveWhenProblemsAppear(t *testing.T) {
	h, f := openForm(t)
	s := formScroll(t, f.popup)
	inputs := []fyne.CanvasObject{f.number, f.title, f.kind, f.level, f.period, f.declassOn, f.condition, f.source,
		f.docNumber, f.received, f.copies, f.copyNumbers, f.pages, f.scope, f.custodian, f.location, f.note}
	where := func() (pos []fyne.Position) {
		for _, in := range inputs {
			pos = append(pos, abs(in).Subtract(abs(f.form.Grid)))
		}
		return append(pos, abs(s), abs(f.ok))
	}
	before := where()
	tapSettled(t, h, f.ok) // 名称, 类型, 密级, 责任人 wanted
	if f.form.Problem(data.FieldTitle) == "" || !f.message.Visible() {
		t.Fatal("no problems shown")
	}
	after := where()
	for i := range inputs {
		if after[i] != before[i] {
			t.Errorf("input %d (%T) moved from %v to %v in the form", i, inputs[i], before[i], after[i])
		}
	}
	if after[len(inputs)] != before[len(inputs)] || after[len(inputs)+1] != before[len(inputs)+1] {
		t.Errorf("the dialog moved: rows from %v to %v, 保存 from %v to %v",
			before[len(inputs)], after[len(inputs)], before[len(inputs)+1], after[len(inputs)+1])
	}
}
