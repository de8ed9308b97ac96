package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"baomi/data"
	"baomi/data/store"
	"baomi/data/workspace"
)

// failOpen makes the window's store opening fail with err, as a fault the
// test cannot cause for real would; the keys are wiped as Keys.Open does.
func failOpen(err error) func(*workspace.Keys, *data.RegisterSnapshot) (*workspace.Workspace, error) {
	return func(k *workspace.Keys, _ *data.RegisterSnapshot) (*workspace.Workspace, error) {
		k.Discard()
		return nil, err
	}
}

func TestOpenFailuresShowTheCommandLinesSentenceAndTheWayBack(t *testing.T) {
	tests := []struct {
		name    string
		prepare func(t *testing.T, dir string, a *App)
		err     error  // the class whose data.Message must be shown
		problem bool   // on the problem screen (else on the unlock screen)
		advice  string // on the problem screen
	}{
		{"corrupt anchor and its copy", func(t *testing.T, dir string, _ *App) {
			for _, f := range []string{"BAOMI-ANCHOR", "BAOMI-ANCHOR.bak"} {
				if err := os.WriteFile(filepath.Join(dir, store.DBDir, f), []byte("garbage"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
		}, data.ErrCorrupt, true, "从最近的加密备份恢复"},
		{"store missing", func(_ *testing.T, _ string, a *App) {
			a.openStore = failOpen(fmt.Errorf("open store: db/MANIFEST: %w", data.ErrStoreMissing))
		}, data.ErrStoreMissing, true, "恢复整个数据目录"},
		{"disk full while opening", func(_ *testing.T, _ string, a *App) {
			a.openStore = failOpen(fmt.Errorf("open store: write vlog: %w", data.ErrDiskFull))
		}, data.ErrDiskFull, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := setUpFolder(t)
			a := newTestApp(t, dir)
			tt.prepare(t, dir, a)
			test.Type(a.unlock.password, testPassword)
			test.Tap(a.unlock.unlock)
			want := data.Message(tt.err)
			waitFor(t, "the failure shown", func() bool {
				return a.problem != nil || a.setup != nil || a.main != nil || a.unlock.message.Text != ""
			})
			if a.setup != nil || a.main != nil || a.workspace() != nil {
				t.Fatalf("the window went on (setup form %v, main window %v) on a store that failed to open", a.setup != nil, a.main != nil)
			}
			if !tt.problem {
				if a.problem != nil || a.unlock.message.Text != want || a.unlock.unlock.Disabled() {
					t.Errorf("unlock screen says %q (problem screen %v, unlock disabled %v); want %q and the unlock button back",
						a.unlock.message.Text, a.problem != nil, a.unlock.unlock.Disabled(), want)
				}
				return
			}
			if a.problem == nil {
				t.Fatalf("no problem screen; unlock screen says %q", a.unlock.message.Text)
			}
			if !strings.Contains(a.problem.detail.Text, want) || !strings.Contains(a.problem.advice.Text, tt.advice) ||
				!strings.Contains(a.problem.advice.Text, dir) {
				t.Errorf("problem screen:\n%s\n%s\nwant %q and %q with the data folder", a.problem.detail.Text, a.problem.advice.Text, want, tt.advice)
			}
		})
	}
}
