package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"baomi/data/vault"
)

// A command that unlocks with a damaged vault copy says so and leaves both
// copies intact, as the window does (#7 item 4).
func TestCommandSaysWhenItRepairedADamagedVaultCopy(t *testing.T) {
	for _, tc := range []struct {
		name, damaged, good string
	}{
		{"primary truncated", vault.FileName, vault.BackupName},
		{"backup truncated", vault.BackupName, vault.FileName},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, _ := setUpFolder(t, "DAJ-2026-0001")
			good, err := os.ReadFile(filepath.Join(dir, tc.good))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, tc.damaged), good[:len(good)/2], 0o600); err != nil {
				t.Fatal(err)
			}
			code, out, errOut := run(t, pw+"\n", "verify", "--data", dir)
			if code != 0 || !strings.Contains(out, "校验通过") {
				t.Fatalf("verify exit %d:\n%s%s", code, out, errOut)
			}
			if !strings.Contains(errOut, "提示：") || !strings.Contains(errOut, tc.damaged) {
				t.Errorf("stderr does not name the repaired copy %s:\n%s", tc.damaged, errOut)
			}
			after, err := os.ReadFile(filepath.Join(dir, tc.damaged))
			if err != nil || !bytes.Equal(after, good) {
				t.Errorf("%s not rewritten from %s (err %v)", tc.damaged, tc.good, err)
			}
			code, _, errOut = run(t, pw+"\n", "verify", "--data", dir)
			if code != 0 || strings.Contains(errOut, "提示：") {
				t.Errorf("second verify exit %d, still a notice:\n%s", code, errOut)
			}
		})
	}
}
