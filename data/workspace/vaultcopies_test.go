package workspace

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"baomi/data"
	"baomi/data/vault"
)

const otherPw = "Other-Unit-Pass-2"

// setUp makes a unit in a fresh folder and returns the folder, its store
// head and the recovery code.
func setUp(t *testing.T, password string) (dir, head, code string) {
	t.Helper()
	dir = t.TempDir()
	ws, code, err := Setup(dir, data.Unit{Name: "单位", Code: "DW", Officer: "张三"}, password, cfg)
	if err != nil {
		t.Fatal(err)
	}
	head = ws.Head().Fingerprint()
	ws.Close()
	return dir, head, code
}

func vaultBytes(t *testing.T, dir, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func putVault(t *testing.T, dir, name string, b []byte) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// folderHashes hashes every file under dir.
func folderHashes(t *testing.T, dir string) map[string][32]byte {
	t.Helper()
	files, err := Files(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][32]byte{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[f] = sha256.Sum256(b)
	}
	return out
}

func assertFolderUnchanged(t *testing.T, dir string, before map[string][32]byte) {
	t.Helper()
	after := folderHashes(t, dir)
	for f, h := range before {
		if a, ok := after[f]; !ok || a != h {
			t.Errorf("%s changed or disappeared", f)
		}
	}
	for f := range after {
		if _, ok := before[f]; !ok {
			t.Errorf("%s appeared", f)
		}
	}
}

// TestUnlockRewritesABadVaultCopyAndSaysSo: with one copy of the vault file
// truncated or replaced by another unit's vault, the right password opens
// the workspace, the bad copy is rewritten with the good copy's bytes, and
// the workspace's Notices tells the user in one sentence; the next unlock
// has nothing to say.
func TestUnlockRewritesABadVaultCopyAndSaysSo(t *testing.T) {
	otherDir, _, _ := setUp(t, otherPw)
	foreign := vaultBytes(t, otherDir, vault.FileName)
	tests := []struct {
		name       string
		bad        string // the copy damaged
		damage     func(good []byte) []byte
		keysNotice string // Notices after UnlockKeys, before Open
		notice     string // Notices of the open workspace
	}{
		{
			name: "truncated primary", bad: vault.FileName,
			damage:     func(good []byte) []byte { return good[:len(good)/2] },
			keysNotice: "密钥文件 vault.json 已损坏，已用备份 vault.json.bak 重新写好。",
			notice:     "密钥文件 vault.json 已损坏，已用备份 vault.json.bak 重新写好。",
		},
		{
			name: "truncated backup", bad: vault.BackupName,
			damage:     func(good []byte) []byte { return good[:len(good)-3] },
			keysNotice: "备份 vault.json.bak 已损坏，已用密钥文件 vault.json 重新写好。",
			notice:     "备份 vault.json.bak 已损坏，已用密钥文件 vault.json 重新写好。",
		},
		{
			name: "primary is another unit's vault", bad: vault.FileName,
			damage:     func([]byte) []byte { return foreign },
			keysNotice: "密钥文件 vault.json 是另一套密钥，不属于此数据目录，本次用备份 vault.json.bak 解锁；数据库打开后会用它重新写好密钥文件 vault.json。",
			notice:     "密钥文件 vault.json 是另一套密钥，不属于此数据目录，已用本次解锁的备份 vault.json.bak 重新写好密钥文件 vault.json。",
		},
		{
			name: "backup is another unit's vault", bad: vault.BackupName,
			damage:     func([]byte) []byte { return foreign },
			keysNotice: "备份 vault.json.bak 是另一套密钥，不属于此数据目录，本次用密钥文件 vault.json 解锁；数据库打开后会用它重新写好备份 vault.json.bak。",
			notice:     "备份 vault.json.bak 是另一套密钥，不属于此数据目录，已用本次解锁的密钥文件 vault.json 重新写好备份 vault.json.bak。",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, head, _ := setUp(t, pw)
			good := vaultBytes(t, dir, vault.FileName)
			putVault(t, dir, tt.bad, tt.damage(good))

			k, err := UnlockKeys(dir, pw, cfg)
			if err != nil {
				t.Fatalf("UnlockKeys with the right password: %v", err)
			}
			if got := k.Notices(); !slices.Equal(got, []string{tt.keysNotice}) {
				t.Errorf("Keys.Notices = %q\n                want %q", got, tt.keysNotice)
			}
			ws, err := k.Open(nil)
			if err != nil {
				t.Fatal(err)
			}
			if ws.Head().Fingerprint() != head {
				t.Error("opened another store")
			}
			if got := ws.Notices(); !slices.Equal(got, []string{tt.notice}) {
				t.Errorf("Workspace.Notices = %q\n                     want %q", got, tt.notice)
			}
			ws.Close()
			for _, name := range []string{vault.FileName, vault.BackupName} {
				if !bytes.Equal(vaultBytes(t, dir, name), good) {
					t.Errorf("%s does not hold the good bytes after unlocking", name)
				}
			}
			ws, err = Unlock(dir, pw, cfg)
			if err != nil {
				t.Fatal(err)
			}
			if n := ws.Notices(); n != nil {
				t.Errorf("second unlock: Notices = %q, want none", n)
			}
			ws.Close()
		})
	}
}

// TestForeignVaultCopyIsKeptUntilTheStoreOpens: primary replaced by another
// unit's vault and that unit's password typed. The vault opens (it is a
// valid vault), but its keys are not this store's: the store refuses them,
// and the folder's own vault in the backup must still be there.
func TestForeignVaultCopyIsKeptUntilTheStoreOpens(t *testing.T) {
	otherDir, _, _ := setUp(t, otherPw)
	dir, head, _ := setUp(t, pw)
	own := vaultBytes(t, dir, vault.BackupName)
	putVault(t, dir, vault.FileName, vaultBytes(t, otherDir, vault.FileName))

	k, err := UnlockKeys(dir, otherPw, cfg)
	if err != nil {
		t.Fatalf("UnlockKeys with the other unit's password: %v", err)
	}
	if !bytes.Equal(vaultBytes(t, dir, vault.BackupName), own) {
		t.Fatal("UnlockKeys overwrote the folder's own vault with another unit's")
	}
	if _, err := k.Open(nil); err == nil {
		t.Fatal("the store opened with another unit's keys")
	}
	if !bytes.Equal(vaultBytes(t, dir, vault.BackupName), own) {
		t.Fatal("a failed Open overwrote the folder's own vault with another unit's")
	}
	k2, err := UnlockKeys(dir, otherPw, cfg)
	if err != nil {
		t.Fatal(err)
	}
	k2.Discard()
	if !bytes.Equal(vaultBytes(t, dir, vault.BackupName), own) {
		t.Fatal("Discard overwrote the folder's own vault")
	}

	ws, err := Unlock(dir, pw, cfg)
	if err != nil {
		t.Fatalf("own password after the mix-up: %v", err)
	}
	defer ws.Close()
	if ws.Head().Fingerprint() != head || len(ws.Notices()) != 1 {
		t.Errorf("head %v, notices %q", ws.Head().Fingerprint() == head, ws.Notices())
	}
	if !bytes.Equal(vaultBytes(t, dir, vault.FileName), own) {
		t.Error("the primary was not rewritten from the folder's own vault")
	}
}

// TestUnusableVaultCopiesWriteNothing: a wrong password with one damaged or
// foreign copy is a wrong password, and with both copies damaged the user
// is told the key file is damaged; in every case no file in the folder
// changes.
func TestUnusableVaultCopiesWriteNothing(t *testing.T) {
	otherDir, _, _ := setUp(t, otherPw)
	foreign := vaultBytes(t, otherDir, vault.FileName)
	tests := []struct {
		name            string
		primary, backup func(good []byte) []byte // nil leaves the copy as it is
		password        string
		want            error
		msg             string
	}{
		{"wrong password, primary truncated", func(g []byte) []byte { return g[:50] }, nil, "Wrong-Pass-123", data.ErrWrongPassword, "密码或恢复码不正确。"},
		{"wrong password, backup truncated", nil, func(g []byte) []byte { return g[:50] }, "Wrong-Pass-123", data.ErrWrongPassword, "密码或恢复码不正确。"},
		{"wrong password, primary foreign", func([]byte) []byte { return foreign }, nil, "Wrong-Pass-123", data.ErrWrongPassword, "密码或恢复码不正确。"},
		{"both truncated", func(g []byte) []byte { return g[:50] }, func(g []byte) []byte { return g[:60] }, pw, data.ErrCorrupt, "密钥文件已损坏，请从备份恢复。"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, _, code := setUp(t, pw)
			good := vaultBytes(t, dir, vault.FileName)
			if tt.primary != nil {
				putVault(t, dir, vault.FileName, tt.primary(good))
			}
			if tt.backup != nil {
				putVault(t, dir, vault.BackupName, tt.backup(good))
			}
			before := folderHashes(t, dir)
			_, err := Unlock(dir, tt.password, cfg)
			if !errors.Is(err, tt.want) || data.Message(err) != tt.msg {
				t.Errorf("Unlock: %v (%q), want %v (%q)", err, data.Message(err), tt.want, tt.msg)
			}
			if tt.want == data.ErrWrongPassword {
				if _, err := Recover(dir, "AAAAA-AAAAA-AAAAA-AAAAA-AAAAA", "New-Pass-12345", cfg); !errors.Is(err, data.ErrWrongPassword) {
					t.Errorf("Recover with a wrong code: %v", err)
				}
			} else if _, err := Recover(dir, code, "New-Pass-12345", cfg); !errors.Is(err, data.ErrCorrupt) {
				t.Errorf("Recover with both copies damaged: %v", err)
			}
			assertFolderUnchanged(t, dir, before)
		})
	}
}

// TestRecoverRewritesABadVaultCopyAndSaysSo: the recovery path also tries
// both copies and tells the user what it rewrote.
func TestRecoverRewritesABadVaultCopyAndSaysSo(t *testing.T) {
	dir, head, code := setUp(t, pw)
	good := vaultBytes(t, dir, vault.FileName)
	putVault(t, dir, vault.FileName, good[:len(good)/3])
	ws, err := Recover(dir, code, "New-Pass-12345", cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	if ws.Head().Fingerprint() != head {
		t.Error("opened another store")
	}
	want := []string{"密钥文件 vault.json 已损坏，已用备份 vault.json.bak 重新写好。"}
	if got := ws.Notices(); !slices.Equal(got, want) {
		t.Errorf("Notices = %q, want %q", got, want)
	}
	if !bytes.Equal(vaultBytes(t, dir, vault.FileName), vaultBytes(t, dir, vault.BackupName)) {
		t.Error("copies differ after Recover")
	}
}
