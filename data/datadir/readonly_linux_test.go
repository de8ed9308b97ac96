package datadir

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"baomi/data"
	"baomi/data/datatest"
)

func TestLockTellsAFileAReadOnlyFolderAndAFolderInUseApart(t *testing.T) {
	root := t.TempDir()
	file := filepath.Join(root, "a-file")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	withLock := filepath.Join(root, "with-lock")
	if err := os.Mkdir(withLock, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(withLock, LockName), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	noLock := filepath.Join(root, "no-lock")
	if err := os.Mkdir(noLock, 0o700); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		dir     func(t *testing.T) string
		want    error
		message string
	}{
		{"a file given as the folder", func(*testing.T) string { return file }, ErrNotFolder, "是一个文件，不是文件夹"},
		{"a folder below a file", func(*testing.T) string { return filepath.Join(file, "data") }, ErrNotFolder, "上级是一个文件，不是文件夹"},
		{"a read-only folder holding a lock file", func(t *testing.T) string { return datatest.ReadOnlyView(t, withLock) }, ErrReadOnly, "只读（或没有写权限）"},
		{"a read-only folder without a lock file", func(t *testing.T) string { return datatest.ReadOnlyView(t, noLock) }, ErrReadOnly, "只读（或没有写权限）"},
		{"a new folder inside a read-only one", func(t *testing.T) string { return filepath.Join(datatest.ReadOnlyView(t, noLock), "new") }, ErrReadOnly, "只读（或没有写权限）"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := tt.dir(t)
			release, err := Lock(dir)
			if err == nil {
				release()
				t.Fatalf("Lock(%s) succeeded", dir)
			}
			msg := data.Message(err)
			if !errors.Is(err, tt.want) || !strings.Contains(msg, tt.message) || strings.Contains(msg, "锁文件") {
				t.Errorf("Lock(%s) = %v, message %q; want %v and %q", dir, err, msg, tt.want, tt.message)
			}
		})
	}
}
