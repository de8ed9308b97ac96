//go:build windows

package store

// lockShared does nothing on Windows: Badger's Windows lock has no shared
// mode, and the data folder's own lock (datadir.Lock, taken by the window
// and the command line before any store is opened) already keeps a second
// Baomi away from the folder.
func lockShared(dir string) (unlock func(), err error) { return func() {}, nil }
