package store

import (
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"
)

// mountTmpfs mounts a tmpfs of the given size ("80m") on a new folder and
// unmounts it when the test ends; without root, or where mounting fails, it
// skips the test.
func mountTmpfs(t *testing.T, size string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to mount a small tmpfs that can fill up")
	}
	dir := t.TempDir()
	if err := unix.Mount("tmpfs", dir, "tmpfs", 0, "size="+size); err != nil {
		t.Skipf("cannot mount a tmpfs: %v", err)
	}
	t.Cleanup(func() {
		// detached, so that a store a failing test left open cannot keep
		// the mount (and its memory) behind
		if err := unix.Unmount(dir, unix.MNT_DETACH); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
	return dir
}

// fillDisk takes all free space of the disk holding dir but leave bytes,
// in a file that the returned function removes.
func fillDisk(t *testing.T, dir string, leave uint64) (free func()) {
	t.Helper()
	have, err := freeBytes(dir)
	if err != nil {
		t.Fatal(err)
	}
	if have <= leave {
		t.Fatalf("only %d bytes free, want more than %d", have, leave)
	}
	name := filepath.Join(dir, "filler")
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := unix.Fallocate(int(f.Fd()), 0, 0, int64(have-leave)); err != nil {
		t.Fatalf("fill the disk: %v", err)
	}
	return func() {
		if err := os.Remove(name); err != nil {
			t.Fatal(err)
		}
	}
}
