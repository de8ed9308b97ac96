//go:build !windows

package store

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"baomi/data/datadir"
)

func TestStoreFilesArePrivateWhateverTheUmask(t *testing.T) {
	old := datadir.SetUmask(0)
	defer datadir.SetUmask(old)
	// given a data folder made under umask 000, with a loose file beside
	// the store, as an older Baomi or a careless copy leaves it
	dir := filepath.Join(t.TempDir(), "data")
	if err := os.Mkdir(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "vault.json"), []byte("{}"), 0o666); err != nil {
		t.Fatal(err)
	}
	// when a store is created, written, closed and reopened with the guard
	keys := testKeys(t)
	s := openTest(t, dir, keys, false)
	addN(t, s, 0, 3)
	s.Close()
	checkPrivate(t, dir, "after creation")
	// and an older folder's modes are loosened again before an open
	datadir.SetUmask(0)
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if d.IsDir() {
			return os.Chmod(p, 0o777)
		}
		return os.Chmod(p, 0o666)
	})
	s = openTest(t, dir, keys, true)
	addN(t, s, 3, 2)
	s.Close()
	// then every file is 0600 and every folder 0700
	checkPrivate(t, dir, "after reopening a loose folder")
}

func checkPrivate(t *testing.T, dir, when string) {
	t.Helper()
	n := 0
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		info, _ := d.Info()
		want := fs.FileMode(0o600)
		if d.IsDir() {
			want = 0o700
		}
		if info.Mode().Perm() != want {
			t.Errorf("%s: %s is %v, want %v", when, p, info.Mode().Perm(), want)
		}
		n++
		return nil
	})
	if n < 8 {
		t.Errorf("%s: only %d entries checked", when, n)
	}
}
