package workspace

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"baomi/data"
	"baomi/data/store"
	"baomi/data/vault"
)

func TestDeletedStoreIsRefusedAfterSetup(t *testing.T) {
	tests := []struct {
		name   string
		remove []string
	}{
		{"db folder", []string{store.DBDir}},
		{"db folder and outer anchor", []string{store.DBDir, "BAOMI-HEAD", "BAOMI-HEAD.bak"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			ws, _, err := Setup(dir, data.Unit{Name: "单位", Code: "DW", Officer: "张"}, pw, cfg)
			if err != nil {
				t.Fatal(err)
			}
			ws.Close()
			for _, n := range tt.remove {
				if err := os.RemoveAll(filepath.Join(dir, n)); err != nil {
					t.Fatal(err)
				}
			}
			before, _ := Files(dir)
			w, err := Unlock(dir, pw, cfg)
			if err == nil {
				w.Close()
			}
			if !errors.Is(err, data.ErrStoreMissing) || !strings.Contains(data.Message(err), "数据库文件缺失") {
				t.Errorf("unlock = %v (%s), want ErrStoreMissing", err, data.Message(err))
			}
			if after, _ := Files(dir); strings.Join(after, ",") != strings.Join(before, ",") {
				t.Errorf("unlock changed the folder: %v -> %v", before, after)
			}
			if _, err := os.Stat(filepath.Join(dir, store.DBDir)); err == nil {
				t.Error("a new db folder was created")
			}
		})
	}
}

func TestVaultCopiedAloneDoesNotOpenAnEmptyStore(t *testing.T) {
	dir := t.TempDir()
	ws, _, err := Setup(dir, data.Unit{Name: "单位", Code: "DW", Officer: "张"}, pw, cfg)
	if err != nil {
		t.Fatal(err)
	}
	ws.Close()
	other := t.TempDir()
	for _, n := range []string{vault.FileName, vault.BackupName} {
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(other, n), b, 0o600)
	}
	if w, err := Unlock(other, pw, cfg); !errors.Is(err, data.ErrStoreMissing) {
		w.Close()
		t.Errorf("unlock of a vault without its store: %v", err)
	}
}

// TestInterruptedSetupCanBeFinished covers a setup killed after the vault
// was written: before the store existed, and after it was created but
// before the unit was saved. Both unlock, with no unit yet, so that the
// window offers to finish the setup.
func TestInterruptedSetupCanBeFinished(t *testing.T) {
	for _, withStore := range []bool{false, true} {
		name := "killed before the store"
		if withStore {
			name = "killed before the first record"
		}
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			keys, _, err := vault.Create(dir, pw, vault.InsecureTestParams)
			if err != nil {
				t.Fatal(err)
			}
			if withStore {
				s, err := store.Open(dir, store.Keys{Master: keys.Master, Record: keys.Record, Index: keys.Index}, store.Options{NoGuard: true})
				if err != nil {
					t.Fatal(err)
				}
				s.Close()
			}
			ws, err := Unlock(dir, pw, cfg)
			if err != nil {
				t.Fatalf("unlock after an interrupted setup: %v", err)
			}
			defer ws.Close()
			if _, err := ws.Unit(context.Background()); !errors.Is(err, data.ErrNotFound) {
				t.Errorf("unit = %v, want not found", err)
			}
		})
	}
}

// TestCloseWipesTheKeys checks that locking leaves no key in the
// workspace's memory: every key slice the vault handed out is zeroed.
func TestCloseWipesTheKeys(t *testing.T) {
	ws, _, err := Setup(t.TempDir(), data.Unit{Name: "单位", Code: "DW", Officer: "张"}, pw, cfg)
	if err != nil {
		t.Fatal(err)
	}
	k := ws.keys
	slices := map[string][]byte{"master": k.Master, "record": k.Record, "index": k.Index}
	for name, b := range slices {
		if allZero(b) {
			t.Fatalf("%s key is zero before Close", name)
		}
	}
	if err := ws.Close(); err != nil {
		t.Fatal(err)
	}
	for name, b := range slices {
		if !allZero(b) {
			t.Errorf("%s key survives Close", name)
		}
	}
	if ws.keys != nil {
		t.Error("the workspace still holds its keys after Close")
	}
	// the closed store stays, answering every call as locked
	if _, err := ws.Carriers(t.Context()); !errors.Is(err, data.ErrLocked) {
		t.Errorf("a call after Close = %v, want data.ErrLocked", err)
	}
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return len(b) > 0
}
