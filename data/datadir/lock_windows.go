//go:build windows

package datadir

import (
	"errors"
	"io/fs"
	"os"

	"golang.org/x/sys/windows"
)

func lockFile(f *os.File) error {
	var ol windows.Overlapped
	return windows.LockFileEx(windows.Handle(f.Fd()),
		windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &ol)
}

func unlockFile(f *os.File) error {
	var ol windows.Overlapped
	return windows.UnlockFileEx(windows.Handle(f.Fd()), 0, 1, 0, &ol)
}

// heldElsewhere reports whether a lock error means another process holds
// the lock.
func heldElsewhere(err error) bool { return errors.Is(err, windows.ERROR_LOCK_VIOLATION) }

// writable has no side-effect-free question to ask on Windows (a folder's
// read-only attribute does not stop files being created in it); opening
// the lock file read-write answers it, and isReadOnly classifies that.
func writable(string) error { return nil }

// isReadOnly reports whether err means missing write permission or a
// write-protected medium.
func isReadOnly(err error) bool {
	return errors.Is(err, fs.ErrPermission) || errors.Is(err, windows.ERROR_WRITE_PROTECT)
}
