package safefile

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// WriteCopy replaces a file like Write, leaves no temporary file, and the
// copy is readable by its owner only where the file system keeps modes.
func TestWriteCopyReplacesContentOwnerOnly(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "台账.xlsx")
	for _, content := range []string{"first", "second, longer"} {
		if err := WriteCopy(path, []byte(content)); err != nil {
			t.Fatal(err)
		}
		if got, err := os.ReadFile(path); err != nil || string(got) != content {
			t.Fatalf("read %q, %v; want %q", got, err, content)
		}
	}
	if fi, err := os.Stat(path); err != nil || (runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600) {
		t.Errorf("mode %v, %v; want 0600", fi.Mode(), err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("folder holds %d entries, want the copy only", len(ents))
	}
}
