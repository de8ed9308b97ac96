//go:build !windows

package datadir

import "golang.org/x/sys/unix"

// RestrictUmask sets the process's umask to 077, so that every file and
// folder this process creates from now on (Badger's tables, logs and lock
// file included, which Badger creates 0644 or 0666) is private to the
// owner. Badger creates files from its own goroutines for as long as a
// store is open, so the mask is set for the whole process, not around one
// call: files Baomi exports elsewhere are then private too, which suits a
// secrecy office. It returns the previous mask.
func RestrictUmask() (old int) { return unix.Umask(0o077) }

// SetUmask sets the process's umask to mask and returns the previous one;
// tests use it to restore the mask they found.
func SetUmask(mask int) (old int) { return unix.Umask(mask) }
