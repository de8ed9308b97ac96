package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"baomi/data/datatest"
)

func TestStartOnAFolderItCannotUseSaysWhyLikeTheCommandLine(t *testing.T) {
	tests := []struct {
		name string
		dir  func(t *testing.T) string
		want string
	}{
		{"a file given as the folder", func(t *testing.T) string {
			f := filepath.Join(t.TempDir(), "台账.xlsx")
			if err := os.WriteFile(f, []byte("x"), 0o600); err != nil {
				t.Fatal(err)
			}
			return f
		}, "是一个文件，不是文件夹"},
		{"a read-only data folder", func(t *testing.T) string { return datatest.ReadOnlyView(t, setUpFolder(t)) }, "只读（或没有写权限）"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newTestApp(t, tt.dir(t))
			if a.problem == nil || a.setup != nil || a.unlock != nil {
				t.Fatalf("problem screen %v, setup form %v, unlock screen %v; want the problem screen only",
					a.problem != nil, a.setup != nil, a.unlock != nil)
			}
			if d := a.problem.detail.Text; !strings.Contains(d, tt.want) || strings.Contains(d, "锁文件") {
				t.Errorf("problem screen says %q, want %q", d, tt.want)
			}
		})
	}
}
