//go:build !windows

package store

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// lockShared takes a shared lock on the Badger folder dir, the lock Badger
// takes in read-only mode, without writing Badger's pid file: it fails while
// another process has the store open, so that the guard never reads files a
// running store is compacting.
func lockShared(dir string) (unlock func(), err error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_SH|unix.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("Cannot acquire directory lock on %q (another process is using the store): %w", dir, err)
	}
	return func() { f.Close() }, nil
}
