package people

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"baomi/app/ui/kit/kittest"
	"baomi/data"
	"baomi/data/workspace"
	"baomi/data/workspace/wstest"
)

// harness is the personnel register on a real, open workspace of the
// cheap test key derivation, shown in a test shell.
type harness struct {
	sh *kittest.Shell
	ws *workspace.Workspace
	ps *Screen
}

// newHarness sets up a data folder holding people and shows its register.
func newHarness(t *testing.T, people ...data.Person) *harness {
	t.Helper()
	ws := wstest.Open(t, nil, people) // closed after the shell's cleanup, which waits for the screen's work
	h := &harness{sh: kittest.New(t, wstest.Unit), ws: ws}
	h.ps = New(h.sh, h.ws)
	h.sh.Show(h.ps.Content())
	kittest.WaitFor(t, "the register shown", func() bool { return !h.ps.Reading() })
	return h
}

// tap taps b and waits until the work it started has been shown.
func (h *harness) tap(t *testing.T, b fyne.Tappable) {
	t.Helper()
	test.Tap(b)
	h.sh.Settle(t)
	kittest.WaitFor(t, "the register read again", func() bool { return !h.ps.Reading() })
}

// stored returns the people in the store.
func (h *harness) stored(t *testing.T) []data.Person {
	t.Helper()
	list, err := h.ws.People(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// names returns the 姓名 of the rows shown.
func (h *harness) names() []string {
	var out []string
	for _, i := range h.ps.shown {
		out = append(out, h.ps.people[i].Name)
	}
	return out
}

// cell returns the text of the row's column titled title.
func (h *harness) cell(row int, title string) string {
	for _, c := range columns {
		if c.title == title {
			return c.value(h.ps, &h.ps.people[h.ps.shown[row]])
		}
	}
	return ""
}

// person returns wstest.Person(name, number) with level and department.
func person(name, number, dept, level string) data.Person {
	p := wstest.Person(name, number)
	p.Department, p.Level = dept, level
	return p
}
