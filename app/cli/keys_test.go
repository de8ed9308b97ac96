package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"baomi/data/vault"
)

func TestKeysRotateReencryptsAndAnOldVaultCopyNoLongerOpens(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	if code, _, e := run(t, pw+"\n", "init", "--data", dir, "--unit", "单位", "--code", "DW"); code != 0 {
		t.Fatalf("init: %s", e)
	}
	oldVault, err := os.ReadFile(filepath.Join(dir, vault.FileName))
	if err != nil {
		t.Fatal(err)
	}

	code, out, errOut := run(t, "wrong-password-1\n", "keys", "rotate", "--data", dir)
	if code != 1 || !strings.Contains(errOut, "密码或恢复码不正确") {
		t.Errorf("wrong password: exit %d, stderr %q", code, errOut)
	}
	code, out, errOut = run(t, pw+"\n", "keys", "rotate", "--data", dir)
	if code != 0 || !strings.Contains(out, "已更换密钥") || !strings.Contains(out, "校验通过") ||
		!strings.Contains(errOut, "100%") || strings.Contains(errOut, "新密钥已暂存") {
		t.Fatalf("rotate: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut := run(t, pw+"\n", "verify", "--data", dir); code != 0 {
		t.Fatalf("verify after rotate: exit %d\n%s%s", code, out, errOut)
	}

	for _, name := range []string{vault.FileName, vault.BackupName} {
		if err := os.WriteFile(filepath.Join(dir, name), oldVault, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errOut = run(t, pw+"\n", "verify", "--data", dir)
	if code != 1 || strings.Contains(out, "校验通过") || !strings.Contains(errOut, "密钥文件与数据库不匹配") {
		t.Errorf("old vault copy: exit %d, want 1 saying the vault does not match the store\n%s%s", code, out, errOut)
	}
}

func TestKeysNeedsTheRotateSubcommand(t *testing.T) {
	if code, _, errOut := run(t, "", "keys"); code != 2 || !strings.Contains(errOut, "baomi keys rotate") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}
