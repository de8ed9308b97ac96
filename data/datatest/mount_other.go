//go:build !linux

package datatest

import "testing"

// ReadOnlyView skips: a folder read-only for this process is made on Linux
// only.
func ReadOnlyView(t testing.TB, dir string) string {
	t.Skip("read-only folder test runs on Linux")
	return dir
}

// Tmpfs skips: a small disk that fills up is made with a Linux tmpfs.
func Tmpfs(t testing.TB, size string) string {
	t.Skip("a small disk that fills up is made with a Linux tmpfs")
	return ""
}

// FillDisk skips, as Tmpfs does.
func FillDisk(t testing.TB, dir string, leave uint64) (free func()) {
	t.Skip("a small disk that fills up is made with a Linux tmpfs")
	return nil
}
