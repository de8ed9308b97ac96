package workspace

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"baomi/data"
	"baomi/data/vault"
)

var cfg = Config{KDF: vault.InsecureTestParams, NoGuard: true}

const pw = "Workspace-Pass-1"

func TestSetupUnlockRecoverAndChangePassword(t *testing.T) {
	dir := t.TempDir()
	if IsSetUp(dir) {
		t.Fatal("empty folder reported as set up")
	}
	ws, code, err := Setup(dir, data.Unit{Name: "单位", Code: "dw", Officer: "张三"}, pw, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if ws.Store.Operator() != "张三" {
		t.Errorf("operator = %q", ws.Store.Operator())
	}
	ws.Close()
	if _, _, err := Setup(dir, data.Unit{Name: "单位", Code: "DW", Officer: "张三"}, pw, cfg); !errors.Is(err, data.ErrConflict) {
		t.Errorf("second setup: %v, want conflict", err)
	}
	if _, err := Unlock(dir, "wrong-password", cfg); !errors.Is(err, data.ErrWrongPassword) {
		t.Errorf("wrong password: %v", err)
	}
	ws, err = Unlock(dir, pw, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if ws.Store.Operator() != "张三" {
		t.Errorf("operator after unlock = %q", ws.Store.Operator())
	}
	if err := ws.ChangePassword("wrong-password", "New-Pass-12345", "New-Pass-12345", cfg); err == nil {
		t.Error("change with wrong current password accepted")
	}
	if err := ws.ChangePassword(pw, "New-Pass-12345", "Other-Pass-12345", cfg); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("mismatched confirmation: %v", err)
	}
	if err := ws.ChangePassword(pw, "New-Pass-12345", "New-Pass-12345", cfg); err != nil {
		t.Fatal(err)
	}
	ws.Close()
	if _, err := Unlock(dir, pw, cfg); !errors.Is(err, data.ErrWrongPassword) {
		t.Errorf("old password after change: %v", err)
	}
	ws, err = Recover(dir, code, "Third-Pass-12345", cfg)
	if err != nil {
		t.Fatal(err)
	}
	u, err := ws.Store.Unit(context.Background())
	if err != nil || u.Code != "DW" {
		t.Errorf("unit after recovery = %+v, %v", u, err)
	}
	ws.Close()
	if _, err := Recover(dir, "AAAAA-AAAAA-AAAAA-AAAAA-AAAAA", "Fourth-Pass-12345", cfg); !errors.Is(err, data.ErrWrongPassword) {
		t.Errorf("wrong recovery code: %v", err)
	}
}

func TestSetupRefusesBadInputAndWritesNothing(t *testing.T) {
	tests := []struct {
		name  string
		unit  data.Unit
		pw    string
		field string
	}{
		{"no unit name", data.Unit{Code: "DW", Officer: "张"}, pw, data.FieldUnitName},
		{"bad unit code", data.Unit{Name: "单位", Code: "D W", Officer: "张"}, pw, data.FieldUnitCode},
		{"short password", data.Unit{Name: "单位", Code: "DW", Officer: "张"}, "short", data.FieldPassword},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			_, _, err := Setup(dir, tt.unit, tt.pw, cfg)
			var fe data.FieldErrors
			if !errors.As(err, &fe) || fe.For(tt.field) == "" {
				t.Fatalf("err = %v, want a problem on %s", err, tt.field)
			}
			if files, _ := Files(dir); len(files) != 0 {
				t.Errorf("refused setup wrote %v", files)
			}
		})
	}
}

func TestFailedSetupLeavesNoVaultBehind(t *testing.T) {
	dir := t.TempDir()
	testHookAfterVault = func() error { return errors.New("disk full") }
	defer func() { testHookAfterVault = nil }()
	if _, _, err := Setup(dir, data.Unit{Name: "单位", Code: "DW", Officer: "张"}, pw, cfg); err == nil {
		t.Fatal("setup succeeded")
	}
	if files, _ := Files(dir); len(files) != 0 || IsSetUp(dir) {
		t.Errorf("failed setup left %v", files)
	}
	testHookAfterVault = nil
	if ws, _, err := Setup(dir, data.Unit{Name: "单位", Code: "DW", Officer: "张"}, pw, cfg); err != nil {
		t.Errorf("setup after a failed one: %v", err)
	} else {
		ws.Close()
	}
}

func TestSetupRefusesAStoreWithoutItsVault(t *testing.T) {
	dir := t.TempDir()
	ws, _, err := Setup(dir, data.Unit{Name: "单位", Code: "DW", Officer: "张"}, pw, cfg)
	if err != nil {
		t.Fatal(err)
	}
	ws.Close()
	if err := vault.Remove(dir); err != nil {
		t.Fatal(err)
	}
	_, _, err = Setup(dir, data.Unit{Name: "单位", Code: "DW", Officer: "张"}, pw, cfg)
	if !errors.Is(err, data.ErrConflict) || !strings.Contains(data.Message(err), "缺少密钥文件") {
		t.Errorf("setup over an orphaned store: %v", err)
	}
	if IsSetUp(dir) {
		t.Error("a vault was written beside the orphaned store")
	}
}

func TestNewRecoveryCodeNeedsThePassword(t *testing.T) {
	dir := t.TempDir()
	ws, old, err := Setup(dir, data.Unit{Name: "单位", Code: "DW", Officer: "张"}, pw, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	var fe data.FieldErrors
	if _, err := ws.NewRecoveryCode("wrong", cfg); !errors.As(err, &fe) || fe.For("当前密码") == "" {
		t.Errorf("wrong password: %v", err)
	}
	code, err := ws.NewRecoveryCode(pw, cfg)
	if err != nil || code == old {
		t.Fatalf("new code: %q %v", code, err)
	}
	if _, err := vault.OpenWithRecovery(dir, code); err != nil {
		t.Errorf("new code does not open: %v", err)
	}
}

// TestFlippedVaultByteUnlocksTheSameOrIsDetected flips every byte of both
// vault copies in turn and unlocks the whole workspace: it either opens
// with the same records or reports corruption, never a wrong password for
// the right one and never other data.
func TestFlippedVaultByteUnlocksTheSameOrIsDetected(t *testing.T) {
	dir := t.TempDir()
	ws, _, err := Setup(dir, data.Unit{Name: "单位", Code: "DW", Officer: "张"}, pw, cfg)
	if err != nil {
		t.Fatal(err)
	}
	head := ws.Head()
	ws.Close()
	counts := map[string]int{}
	for _, name := range []string{vault.FileName, vault.BackupName} {
		p := filepath.Join(dir, name)
		orig, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		step := 1
		if testing.Short() {
			step = 7
		}
		for off := 0; off < len(orig); off += step {
			b := bytes.Clone(orig)
			b[off] ^= 0xFF
			if err := os.WriteFile(p, b, 0o600); err != nil {
				t.Fatal(err)
			}
			w, err := Unlock(dir, pw, cfg)
			switch {
			case err == nil:
				if w.Head() != head {
					t.Errorf("%s@%d: opened a different store", name, off)
				}
				w.Close()
				counts["unchanged"]++
			case errors.Is(err, data.ErrCorrupt):
				counts["detected"]++
			default:
				t.Errorf("%s@%d: %v", name, off, err)
			}
		}
		if err := os.WriteFile(p, orig, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("vault flips: %v", counts)
}
