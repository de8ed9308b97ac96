package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"baomi/data/store"
)

func TestDeletedStoreEndsOnTheProblemScreenNotTheSetupForm(t *testing.T) {
	dir := setUpFolder(t)
	if err := os.RemoveAll(filepath.Join(dir, store.DBDir)); err != nil {
		t.Fatal(err)
	}
	a := newTestApp(t, dir)
	test.Type(a.unlock.password, testPassword)
	test.Tap(a.unlock.unlock)
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
