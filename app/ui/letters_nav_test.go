package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"baomi/app/ui/kit/kittest"
	"baomi/data"
	"baomi/data/workspace/wstest"
)

// Given the unlocked main window with one letter printed, the
// navigation's 保密承诺书 shows the letters read from the workspace with
// their counts and 应签未签, and it fits a 1024×768 screen.
func TestNavigationShowsTheLettersPage(t *testing.T) {
	a := newTestApp(t, setUpFolder(t))
	test.Type(a.unlock.password, testPassword)
	test.Tap(a.unlock.unlock)
	waitLive(t, a)
	p, err := a.main.svc.AddPerson(t.Context(), wstest.Person("张三", "001"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.main.svc.RecordLetters(t.Context(), []data.LetterRecord{{PersonID: p.ID, TemplateID: "builtin-annual",
		TemplateVersion: 1, Kind: data.LetterAnnual, Year: data.Today().Time().Year(), Copies: 2}}); err != nil {
		t.Fatal(err)
	}
	navTo(t, a, "保密承诺书")
	l := a.main.letters
	if l == nil {
		t.Fatal("the 保密承诺书 page was not built")
	}
	waitFor(t, "the letters read", func() bool { return !l.Reading() })
	if got := a.main.center.Objects; len(got) != 1 || got[0] != l.Content() {
		t.Fatalf("the page shown is not the letters page")
	}
	text := kittest.LabelText(l.Content())
	for _, want := range []string{"已打印 1 份，已签署 0 份，待签署 1 份", "应签未签"} {
		if !strings.Contains(text, want) {
			t.Errorf("the page does not show %q: %q", want, text)
		}
	}
	fits(t, a, "保密承诺书")
	kittest.Shot(t, a.win, "letters-1024x700")
}
