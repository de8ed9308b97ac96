package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"baomi/data"
	"baomi/data/vault"
	"baomi/data/workspace"
)

// TestImportOntoAFullDiskEndsInOneChineseSentence imports 20,000 rows with
// the built program into a data folder on a 3 MB tmpfs (root only): the
// disk fills while Badger writes, which on today's store raises SIGBUS in
// Badger's writer goroutine. Whatever the store makes of it, the user sees
// one or two Chinese lines naming the disk, no stack dump. About 3 s.
func TestImportOntoAFullDiskEndsInOneChineseSentence(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting a small tmpfs needs root")
	}
	bin := buildBaomi(t)
	mnt := filepath.Join(t.TempDir(), "full")
	if err := os.Mkdir(mnt, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := unix.Mount("tmpfs", mnt, "tmpfs", 0, "size=3m"); err != nil {
		t.Skipf("cannot mount a tmpfs: %v", err)
	}
	t.Cleanup(func() {
		if err := unix.Unmount(mnt, 0); err != nil {
			t.Errorf("unmount %s: %v", mnt, err)
		}
	})
	dir := filepath.Join(mnt, "data")
	ws, _, err := workspace.Setup(dir, data.Unit{Name: "某县档案局", Code: "DAJ", Officer: "赵六"}, pw,
		workspace.Config{KDF: vault.InsecureTestParams})
	if err != nil {
		t.Fatal(err)
	}
	if err := ws.Close(); err != nil {
		t.Fatal(err)
	}
	var csv strings.Builder
	csv.WriteString("序号,编号,文件资料名称,载体类别,密级,收到日期,份数,责任人,存放位置\n")
	for i := range 20000 {
		fmt.Fprintf(&csv, "%d,DAJ-%06d,%s%d,纸质,秘密,2026.3.5,1,赵六,保密柜%d号\n", i+1, i, strings.Repeat("很长的文件标题", 8), i, i%999)
	}
	file := filepath.Join(t.TempDir(), "台账.csv")
	if err := os.WriteFile(file, []byte(csv.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runBinary(t, bin, pw+"\n", false, "carriers", "import", file, "--data", dir)
	checkOneChineseSentence(t, "import onto a full disk", code, 1, stderr, "磁盘")
}
