package letters

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"baomi/app/ui/kit/kittest"
	"baomi/data"
	"baomi/data/workspace"
	"baomi/data/workspace/wstest"
)

// harness is the letters page on a real, open workspace of the cheap test
// key derivation, shown in a test shell.
type harness struct {
	sh *kittest.Shell
	ws *workspace.Workspace
	s  *Screen
}

// newHarness sets up a data folder holding people with a 年度 letter of
// this year printed for each, and shows the page.
func newHarness(t *testing.T, people ...data.Person) *harness {
	t.Helper()
	ws := wstest.Open(t, nil, nil) // closed after the shell's cleanup, which waits for the page's work
	var records []data.LetterRecord
	for _, p := range people {
		saved, err := ws.AddPerson(t.Context(), p)
		if err != nil {
			t.Fatal(err)
		}
		records = append(records, data.LetterRecord{PersonID: saved.ID, TemplateID: "builtin-annual", TemplateVersion: 1,
			Kind: data.LetterAnnual, Year: data.Today().Time().Year(), Copies: 2})
	}
	if _, err := ws.RecordLetters(t.Context(), records); err != nil {
		t.Fatal(err)
	}
	h := &harness{sh: kittest.New(t, wstest.Unit), ws: ws}
	h.s = New(h.sh, h.ws)
	h.sh.Show(h.s.Content())
	h.sh.Window().Resize(fyne.NewSize(1000, 700))
	kittest.WaitFor(t, "the letters shown", func() bool { return !h.s.Reading() })
	return h
}

// cell returns the text of the row's column titled title.
func (h *harness) cell(row int, title string) string {
	for _, c := range columns {
		if c.title == title {
			return c.value(h.s, &h.s.letters[h.s.shown[row]])
		}
	}
	return ""
}

// row returns the row shown of the letter of name.
func (h *harness) row(t *testing.T, name string) int {
	t.Helper()
	for r := range h.s.shown {
		if h.cell(r, "姓名") == name {
			return r
		}
	}
	t.Fatalf("no row of %s", name)
	return -1
}

// markShown opens 标记已签署, chooses every unsigned letter shown, types
// the day and confirms.
func (h *harness) markShown(t *testing.T, day string) *markDialog {
	t.Helper()
	test.Tap(h.s.mark)
	d := h.s.dialog
	d.which.SetSelected(d.which.Options[len(d.which.Options)-1])
	d.on.SetText(day)
	test.Tap(d.ok)
	h.sh.Settle(t)
	kittest.WaitFor(t, "the letters read again", func() bool { return !h.s.Reading() })
	return d
}

func person(name, number, dept string) data.Person {
	p := wstest.Person(name, number)
	p.Department = dept
	return p
}

// Given three printed letters, when two of them are selected in turn and
// marked signed with the day the dialog offers (today), then the table
// shows them 已签署 with the day, the counts change, 应签未签 drops them and
// the 待签署 filter shows the third alone.
func TestMarkingTwoLettersSignedChangesTableAndCounts(t *testing.T) {
	h := newHarness(t, person("李明", "RS-001", "办公室"), person("王芳", "RS-002", "财务科"), person("赵刚", "RS-003", "保卫科"))
	if got := h.s.count.Text; got != "已打印 3 份，已签署 0 份，待签署 3 份" {
		t.Fatalf("count = %q before marking", got)
	}
	dueBefore := len(h.s.due)
	today := data.Today()
	for _, name := range []string{"李明", "王芳"} {
		h.s.table.SelectRow(h.row(t, name))
		test.Tap(h.s.mark)
		d := h.s.dialog
		if !slices.Contains(d.which.Options, d.which.Selected) || d.which.Selected != d.which.Options[0] {
			t.Fatalf("dialog chose %q, want the selected letter first", d.which.Selected)
		}
		if d.on.Text != today.Chinese() {
			t.Errorf("签署日期 starts as %q, want today %q", d.on.Text, today.Chinese())
		}
		test.Tap(d.ok)
		h.sh.Settle(t)
		kittest.WaitFor(t, "the letters read again", func() bool { return !h.s.Reading() })
		if d.popup.Visible() {
			t.Fatalf("dialog still open: %q", d.message.Text)
		}
	}
	if got := h.s.count.Text; got != "已打印 3 份，已签署 2 份，待签署 1 份" {
		t.Errorf("count = %q after marking two", got)
	}
	for name, want := range map[string]string{"李明": statusSigned, "王芳": statusSigned, "赵刚": statusUnsigned} {
		r := h.row(t, name)
		if got := h.cell(r, "状态"); got != want {
			t.Errorf("状态 of %s = %q, want %q", name, got, want)
		}
		wantDay := ""
		if want == statusSigned {
			wantDay = today.Chinese()
		}
		if got := h.cell(r, "签署日期"); got != wantDay {
			t.Errorf("签署日期 of %s = %q, want %q", name, got, wantDay)
		}
	}
	if got := len(h.s.due); got != dueBefore-2 {
		t.Errorf("应签未签 has %d entries, want %d: the two signed 年度 letters leave it", got, dueBefore-2)
	}
	kittest.Shot(t, h.sh.Window(), "letters-page-all")
	h.s.state.SetSelected(statusUnsigned)
	if len(h.s.shown) != 1 || h.cell(0, "姓名") != "赵刚" {
		t.Errorf("filter 待签署 shows %d rows, want 赵刚 alone", len(h.s.shown))
	}
	kittest.Shot(t, h.sh.Window(), "letters-page")
}

// Given printed letters, when the day typed for their signature is after
// today, then the 签署日期 field says so and nothing is marked.
func TestMarkingSignedOnADayInTheFutureIsRefusedOnItsField(t *testing.T) {
	h := newHarness(t, person("李明", "RS-001", "办公室"), person("王芳", "RS-002", "财务科"))
	tomorrow := data.DateOf(data.Today().Time().AddDate(0, 0, 1))
	d := h.markShown(t, tomorrow.Chinese())
	if !d.popup.Visible() {
		t.Fatal("dialog closed, want it open with the refusal")
	}
	if p := d.form.Problem(data.FieldLetterSigned); p == "" {
		t.Errorf("签署日期 shows no problem; message %q", d.message.Text)
	}
	kittest.Shot(t, h.sh.Window(), "letters-mark-refused")
	list, err := h.ws.Letters(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range list {
		if !l.SignedOn.IsZero() {
			t.Errorf("letter %s marked signed %v after a refusal", l.ID, l.SignedOn)
		}
	}
	if got := h.s.count.Text; got != "已打印 2 份，已签署 0 份，待签署 2 份" {
		t.Errorf("count = %q, want nothing signed", got)
	}
}
