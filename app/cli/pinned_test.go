package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestVerifyCommandAcceptsThePinnedFolderOfNovember2026 runs `baomi verify`
// and `baomi carriers export` on a copy of the data folder written by the
// code of November 2026 (data/workspace/testdata/pinned-2026-11, see
// data/workspace/pinned_gen_test.go): the command line of every later
// version must accept it unchanged and report the head recorded when it
// was written.
func TestVerifyCommandAcceptsThePinnedFolderOfNovember2026(t *testing.T) {
	// the pinned folder's password (pinnedPassword in data/workspace)
	const pinnedPassword = "Pinned-Folder-2026"
	dir := filepath.Join(t.TempDir(), "data")
	// a copy: opening the folder in place would write to testdata
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("..", "..", "data", "workspace", "testdata", "pinned-2026-11"))); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, pinnedPassword+"\n", "verify", "--data", dir)
	for _, want := range []string{"校验通过：56 条审计记录，",
		"链头：#56 5bd25d23e727784de69a8e204476d5872fe21bf84c85aaf73471ccb419336a2e", "校验码：5bd2-5d23-e727"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("verify exit %d, output lacks %q:\n%s%s", code, want, out, errOut)
		}
	}
	xlsx := filepath.Join(t.TempDir(), "register.xlsx")
	code, out, errOut = run(t, pinnedPassword+"\n", "carriers", "export", xlsx, "--data", dir)
	if code != 0 || !strings.Contains(out, "已导出 13 件") {
		t.Fatalf("export exit %d, want 13 carriers exported:\n%s%s", code, out, errOut)
	}
	if fi, err := os.Stat(xlsx); err != nil || fi.Size() == 0 {
		t.Errorf("export wrote no register: %v", err)
	}
}
