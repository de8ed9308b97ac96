//go:build !linux

package store

import "testing"

func mountTmpfs(t *testing.T, size string) string {
	t.Skip("a small disk that fills up is made with a Linux tmpfs")
	return ""
}

func fillDisk(t *testing.T, dir string, leave uint64) (free func()) {
	t.Skip("a small disk that fills up is made with a Linux tmpfs")
	return nil
}
