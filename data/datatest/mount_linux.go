package datatest

import (
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"
)

// ReadOnlyView returns dir as a folder this process cannot write: dir
// itself made 0500 for an ordinary user, and for root (whom permission
// bits do not stop) a read-only bind mount of dir. It skips the test where
// neither is possible.
func ReadOnlyView(t testing.TB, dir string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		if err := os.Chmod(dir, 0o500); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(dir, 0o700) })
		return dir
	}
	mnt := filepath.Join(t.TempDir(), "ro")
	if err := os.Mkdir(mnt, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := unix.Mount(dir, mnt, "", unix.MS_BIND, ""); err != nil {
		t.Skipf("root without mount permission: %v", err)
	}
	t.Cleanup(func() {
		if err := unix.Unmount(mnt, 0); err != nil {
			t.Errorf("unmount %s: %v", mnt, err)
		}
	})
	if err := unix.Mount("", mnt, "", unix.MS_REMOUNT|unix.MS_BIND|unix.MS_RDONLY, ""); err != nil {
		t.Skipf("cannot remount read-only: %v", err)
	}
	return mnt
}

// Tmpfs mounts a tmpfs of the given size ("80m") on a new folder and
// unmounts it when the test ends: a small disk that really fills up. Without
// root, or where mounting fails, it skips the test.
func Tmpfs(t testing.TB, size string) string {
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

// FillDisk takes all free space of the disk holding dir but leave bytes, in
// a file that the returned function removes.
func FillDisk(t testing.TB, dir string, leave uint64) (free func()) {
	t.Helper()
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		t.Fatal(err)
	}
	have := st.Bavail * uint64(st.Bsize)
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
