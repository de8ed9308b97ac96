package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"baomi/data"
	"baomi/data/datatest"
	"baomi/data/vault"
	"baomi/data/workspace"
)

// TestImportOntoAFullDiskEndsInOneChineseSentence imports 20,000 rows with
// the built program into a data folder on a tmpfs filled to 3 MB free (root
// only). Before the free-space reserve, the disk filled while Badger wrote
// and Badger's writer goroutine died of SIGBUS. Whatever the store makes of
// it, the user sees one or two Chinese lines naming the disk, no stack dump.
func TestImportOntoAFullDiskEndsInOneChineseSentence(t *testing.T) {
	bin := buildBaomi(t)
	// Big enough for setup (the store needs its free-space reserve to
	// open), then filled to 3 MB free before the import.
	mnt := datatest.Tmpfs(t, "100m")
	dir := filepath.Join(mnt, "data")
	ws, _, err := workspace.Setup(dir, data.Unit{Name: "某县档案局", Code: "DAJ", Officer: "赵六"}, pw,
		workspace.Config{KDF: vault.InsecureTestParams})
	if err != nil {
		t.Fatal(err)
	}
	if err := ws.Close(); err != nil {
		t.Fatal(err)
	}
	datatest.FillDisk(t, mnt, 3<<20)
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
	checkOneChineseSentence(t, "import onto a full disk", code, 1, stderr, "磁盘空间不足")
}
