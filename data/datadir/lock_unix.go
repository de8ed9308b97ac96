//go:build !windows

package datadir

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

func lockFile(f *os.File) error   { return unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB) }
func unlockFile(f *os.File) error { return unix.Flock(int(f.Fd()), unix.LOCK_UN) }

// heldElsewhere reports whether a lock error means another process holds
// the lock (rather than, say, a file system without locks).
func heldElsewhere(err error) bool { return errors.Is(err, unix.EWOULDBLOCK) }
