package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"baomi/app/ui/kit/kittest"
	"baomi/data/workspace/wstest"
)

// Given the unlocked main window, the navigation's 涉密人员 shows the
// personnel register read from the workspace, and it fits a 1024×768
// screen.
func TestNavigationShowsThePeopleRegister(t *testing.T) {
	a := newTestApp(t, setUpFolder(t))
	test.Type(a.unlock.password, testPassword)
	test.Tap(a.unlock.unlock)
	waitLive(t, a)
	if _, err := a.main.svc.AddPerson(t.Context(), wstest.Person("张三", "001")); err != nil {
		t.Fatal(err)
	}
	navTo(t, a, "涉密人员")
	p := a.main.people
	if p == nil {
		t.Fatal("the 涉密人员 page was not built")
	}
	waitFor(t, "the people read", func() bool { return !p.Reading() })
	if got := a.main.center.Objects; len(got) != 1 || got[0] != p.Content() {
		t.Fatalf("the page shown is not the personnel register")
	}
	if text := kittest.LabelText(p.Content()); !strings.Contains(text, "共 1 人") {
		t.Errorf("the register does not count the person stored: %q", text)
	}
	fits(t, a, "涉密人员")
	kittest.Shot(t, a.win, "people-1024x700")
}
