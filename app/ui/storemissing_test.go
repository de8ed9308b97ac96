package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"baomi/data/store"
)

// unlockWithDBDeleted sets up a data folder, deletes its db/ and types the
// password into a new window.
func unlockWithDBDeleted(t *testing.T) (*App, string) {
	t.Helper()
	dir := setUpFolder(t)
	if err := os.RemoveAll(filepath.Join(dir, store.DBDir)); err != nil {
		t.Fatal(err)
	}
	a := newTestApp(t, dir)
	test.Type(a.unlock.password, testPassword)
	test.Tap(a.unlock.unlock)
	return a, dir
}

func TestDeletedStoreEndsOnTheProblemScreenNotTheSetupForm(t *testing.T) {
	a, dir := unlockWithDBDeleted(t)
	waitFor(t, "a screen after unlocking", func() bool { return a.problem != nil || a.setup != nil || a.main != nil })
	if a.problem == nil || a.setup != nil || a.main != nil || a.workspace() != nil {
		t.Fatalf("deleted db/: problem screen %v, setup form %v, main window %v; want the problem screen only",
			a.problem != nil, a.setup != nil, a.main != nil)
	}
	if want := "数据库文件缺失"; !strings.HasPrefix(a.problem.detail.Text, want) || !strings.Contains(a.problem.detail.Text, dir) ||
		!strings.Contains(a.problem.advice.Text, "恢复整个数据目录") {
		t.Errorf("problem screen:\n%s\n%s\nwant %q and the way back", a.problem.detail.Text, a.problem.advice.Text, want)
	}
	if _, err := os.Stat(filepath.Join(dir, store.DBDir)); err == nil {
		t.Error("opening recreated db/")
	}
}

// Wrapped lines on the problem screen never run into each other, at the
// first layout or after the window is resized: each label is given at
// least the height its text needs at its width.
func TestProblemScreenLinesDoNotOverlap(t *testing.T) {
	a, _ := unlockWithDBDeleted(t)
	waitFor(t, "problem screen", func() bool { return a.problem != nil })
	for _, size := range []fyne.Size{{Width: 1100, Height: 720}, {Width: 800, Height: 600}, {Width: 1400, Height: 900}} {
		a.win.Resize(size)
		d, ad := a.problem.detail, a.problem.advice
		if d.Size().Height < d.MinSize().Height || ad.Size().Height < ad.MinSize().Height {
			t.Errorf("window %v: detail %v (needs %v), advice %v (needs %v)", size, d.Size(), d.MinSize(), ad.Size(), ad.MinSize())
		}
		if d.Position().Y+d.Size().Height > ad.Position().Y {
			t.Errorf("window %v: detail ends at %v, advice starts at %v", size, d.Position().Y+d.Size().Height, ad.Position().Y)
		}
	}
}
