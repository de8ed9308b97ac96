//go:build !windows

package datadir

import (
	"errors"
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

func lockFile(f *os.File) error   { return unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB) }
func unlockFile(f *os.File) error { return unix.Flock(int(f.Fd()), unix.LOCK_UN) }

// heldElsewhere reports whether a lock error means another process holds
// the lock (rather than, say, a file system without locks).
func heldElsewhere(err error) bool { return errors.Is(err, unix.EWOULDBLOCK) }

// writable asks the system whether this process may create files in dir.
// access(2) answers EROFS on a read-only file system and EACCES without
// write permission, and changes nothing.
func writable(dir string) error { return unix.Access(dir, unix.W_OK) }

// isReadOnly reports whether err means a read-only file system or missing
// write permission.
func isReadOnly(err error) bool {
	return errors.Is(err, fs.ErrPermission) || errors.Is(err, unix.EROFS)
}
