package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// readOnlyView returns dir as a folder this process cannot write: dir
// itself made 0500 for an ordinary user, and for root (whom permission
// bits do not stop) a read-only bind mount of dir. It skips the test where
// neither is possible.
func readOnlyView(t *testing.T, dir string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		if err := os.Chmod(dir, 0o500); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(dir, 0o700) })
		return dir
	}
	mnt := filepath.Join(t.TempDir(), "ro")
	if err := os.Mkdir(mnt, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := unix.Mount(dir, mnt, "", unix.MS_BIND, ""); err != nil {
		t.Skipf("root without mount permission: %v", err)
	}
	t.Cleanup(func() {
		if err := unix.Unmount(mnt, 0); err != nil {
			t.Errorf("unmount %s: %v", mnt, err)
		}
	})
	if err := unix.Mount("", mnt, "", unix.MS_REMOUNT|unix.MS_BIND|unix.MS_RDONLY, ""); err != nil {
		t.Skipf("cannot remount read-only: %v", err)
	}
	return mnt
}

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
		{"a read-only data folder", func(t *testing.T) string { return readOnlyView(t, setUpFolder(t)) }, "只读（或没有写权限）"},
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
