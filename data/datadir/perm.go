package datadir

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// Private modes of everything in the data folder: the owner alone may read
// it, whatever the umask of the process that created it.
const (
	PrivateFileMode fs.FileMode = 0o600
	PrivateDirMode  fs.FileMode = 0o700
)

// Tighten removes group and other permissions from every file and folder
// under dir (dir included) that has any, so that a data folder written by
// an older Baomi, or by Badger under a loose umask (its files are created
// 0644, 0666 under umask 000), ends up 0600/0700. It never loosens a mode,
// never follows a symbolic link and changes no content. A missing dir is
// not an error. On Windows, where file modes do not carry access rights
// (the folder's ACL does), it does nothing.
func Tighten(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == dir && os.IsNotExist(err) {
				return filepath.SkipAll
			}
			return err
		}
		if d.Type()&fs.ModeSymlink != 0 {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		mode := info.Mode().Perm()
		if mode&0o077 == 0 {
			return nil
		}
		return os.Chmod(p, mode&^0o077)
	})
	if err != nil {
		return fmt.Errorf("tighten permissions in %s: %w", dir, err)
	}
	return nil
}
