// Package safefile writes files so that a crash or power cut leaves either
// the old content or the new, never a mix.
package safefile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
)

// Write replaces the file at path with content so that a reader,
// or the disk after a crash or power cut, sees either the old content or the
// new one, never a mix or a truncated file. It writes a temporary file in the
// same directory, fsyncs and closes it, renames it over path and then fsyncs
// the directory so the rename itself is durable (the directory fsync is
// skipped on Windows, where it is not supported). The file gets mode perm.
// On failure the temporary file is removed and path is left as it was.
func Write(path string, content []byte, perm os.FileMode) error {
	return write(path, content, perm, true)
}

// WriteCopy is Write for a copy the officer saves where they choose,
// often a U盘: the file keeps the mode it was created with (0600 where
// the file system has Unix modes) and its mode is never changed, because
// FAT and exFAT, the file systems of U盘, refuse a chmod (EPERM) when the
// mode differs from the mount's, which would fail every save to one.
func WriteCopy(path string, content []byte) error {
	return write(path, content, 0, false)
}

func write(path string, content []byte, perm os.FileMode, chmod bool) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("atomic write %s: %w", path, err)
	}
	tmp := f.Name()
	closed := false
	defer func() {
		if err != nil {
			if !closed {
				_ = f.Close()
			}
			_ = os.Remove(tmp)
			err = fmt.Errorf("atomic write %s: %w", path, err)
		}
	}()
	if chmod {
		if err = f.Chmod(perm); err != nil {
			return err
		}
	}
	if _, err = f.Write(content); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	closed = true
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp, path); err != nil {
		return err
	}
	if err = SyncDir(dir); err != nil {
		// The rename has happened; the temporary name no longer exists, so
		// the deferred Remove is a harmless no-op.
		return err
	}
	return nil
}

// SyncDir makes a rename or a new name inside dir durable. Windows cannot fsync a
// directory; some file systems (certain network mounts) report EINVAL or
// ENOTSUP, which is treated as "nothing more can be done".
func SyncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if errors.Is(err, syscall.EINVAL) || errors.Is(err, syscall.ENOTSUP) {
		err = nil
	}
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
