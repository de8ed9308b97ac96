package vault

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"baomi/data"
)

const otherPassword = "另一单位的密码 other unit"

// otherUnitVault returns the bytes of another unit's intact vault, made
// with password.
func otherUnitVault(t *testing.T, password string) []byte {
	t.Helper()
	dir := t.TempDir()
	if _, _, err := Create(dir, password, InsecureTestParams); err != nil {
		t.Fatal(err)
	}
	return readPrimary(t, dir)
}

func readName(t *testing.T, dir, name string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func remove(t *testing.T, dir, name string) {
	t.Helper()
	if err := os.Remove(filepath.Join(dir, name)); err != nil {
		t.Fatal(err)
	}
}

// TestUnlockUsesTheGoodCopyReportsTheOtherAndRepairRewritesIt damages one
// copy in each way a copy goes bad and checks, for each: Unlock returns the
// right keys from the good copy and writes nothing; the report names the
// copy and its state; Repair rewrites the bad copy with the good copy's
// exact bytes; the notice says so; and afterwards both copies open alone.
func TestUnlockUsesTheGoodCopyReportsTheOtherAndRepairRewritesIt(t *testing.T) {
	tests := []struct {
		name       string
		damage     func(t *testing.T, dir string, good []byte)
		used       string
		state      CopyState
		wantNotice string
	}{
		{
			name:   "truncated primary",
			damage: func(t *testing.T, dir string, good []byte) { writeRaw(t, dir, FileName, good[:len(good)/2]) },
			used:   BackupName, state: CopyDamaged,
			wantNotice: "密钥文件 vault.json 已损坏，已用备份 vault.json.bak 重新写好。",
		},
		{
			name:   "truncated backup",
			damage: func(t *testing.T, dir string, good []byte) { writeRaw(t, dir, BackupName, good[:len(good)-2]) },
			used:   FileName, state: CopyDamaged,
			wantNotice: "备份 vault.json.bak 已损坏，已用密钥文件 vault.json 重新写好。",
		},
		{
			name:   "empty primary",
			damage: func(t *testing.T, dir string, _ []byte) { writeRaw(t, dir, FileName, nil) },
			used:   BackupName, state: CopyDamaged,
			wantNotice: "密钥文件 vault.json 已损坏，已用备份 vault.json.bak 重新写好。",
		},
		{
			name:   "primary missing",
			damage: func(t *testing.T, dir string, _ []byte) { remove(t, dir, FileName) },
			used:   BackupName, state: CopyMissing,
			wantNotice: "密钥文件 vault.json 缺失，已用备份 vault.json.bak 重新写好。",
		},
		{
			name:   "backup missing",
			damage: func(t *testing.T, dir string, _ []byte) { remove(t, dir, BackupName) },
			used:   FileName, state: CopyMissing,
			wantNotice: "备份 vault.json.bak 缺失，已用密钥文件 vault.json 重新写好。",
		},
		{
			name: "primary is another unit's vault",
			damage: func(t *testing.T, dir string, _ []byte) {
				writeRaw(t, dir, FileName, otherUnitVault(t, otherPassword))
			},
			used: BackupName, state: CopyForeign,
			wantNotice: "密钥文件 vault.json 是另一套密钥，不属于此数据目录，已用本次解锁的备份 vault.json.bak 重新写好密钥文件 vault.json。",
		},
		{
			name: "backup is another unit's vault",
			damage: func(t *testing.T, dir string, _ []byte) {
				writeRaw(t, dir, BackupName, otherUnitVault(t, otherPassword))
			},
			used: FileName, state: CopyForeign,
			wantNotice: "备份 vault.json.bak 是另一套密钥，不属于此数据目录，已用本次解锁的密钥文件 vault.json 重新写好备份 vault.json.bak。",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, keys, code := newVault(t)
			good := readPrimary(t, dir)
			tt.damage(t, dir, good)
			before := snapshot(t, dir)

			got, r, err := Unlock(dir, testPassword)
			if err != nil {
				t.Fatalf("Unlock with the right password: %v", err)
			}
			assertKeys(t, got, keys)
			assertUnchanged(t, dir, before)
			other := FileName
			if tt.used == FileName {
				other = BackupName
			}
			if r.Used != tt.used || r.Other != other || r.State != tt.state || !r.NeedsRepair() {
				t.Fatalf("report = used %s, other %s, state %d, needs repair %v; want %s, %s, %d, true",
					r.Used, r.Other, r.State, r.NeedsRepair(), tt.used, other, tt.state)
			}

			if err := Repair(dir, r); err != nil {
				t.Fatalf("Repair: %v", err)
			}
			if n := r.Notice(); n != tt.wantNotice {
				t.Errorf("Notice = %q\n          want %q", n, tt.wantNotice)
			}
			if !bytes.Equal(readName(t, dir, FileName), good) || !bytes.Equal(readName(t, dir, BackupName), good) {
				t.Fatal("after Repair the two copies are not both the good bytes")
			}
			if names := snapshot(t, dir); len(names) != 2 {
				t.Errorf("after Repair the folder holds %d entries, want the 2 copies", len(names))
			}
			if r.NeedsRepair() || Repair(dir, r) != nil {
				t.Error("a repaired report asks for repair again")
			}
			_, r2, err := Unlock(dir, testPassword)
			if err != nil || r2.State != CopySame || r2.Notice() != "" {
				t.Errorf("Unlock after Repair: state %v, notice %q, %v", r2, r2.Notice(), err)
			}
			// Each copy alone must now open, with the recovery code too.
			for _, name := range []string{FileName, BackupName} {
				solo := t.TempDir()
				writeRaw(t, solo, FileName, readName(t, dir, name))
				if got, err := OpenWithRecovery(solo, code); err != nil || !keysEqual(got, keys) {
					t.Errorf("repaired %s alone: %v", name, err)
				}
			}
		})
	}
}

// TestInterruptedSaveIsResolvedTowardsTheCopyTheUserCanOpen lays out what a
// crash between save's primary and backup writes leaves (new primary, old
// backup) for each write path, unlocks, and checks which content wins and
// what Repair makes of the other copy. The rule (copies.go): if the secret
// opens both copies the backup, the last completed save, wins; if it opens
// one, that one wins.
func TestInterruptedSaveIsResolvedTowardsTheCopyTheUserCanOpen(t *testing.T) {
	const newPassword = "改过的新密码 new"
	tests := []struct {
		name     string
		write    func(t *testing.T, dir string) // the interrupted write path, run to completion
		password string                         // typed at the next unlock
		used     string
		wantOld  bool // the winner is the content before the write
	}{
		{
			name: "ChangePassword, old password typed",
			write: func(t *testing.T, dir string) {
				mustDo(t, ChangePassword(dir, testPassword, newPassword, InsecureTestParams))
			},
			password: testPassword, used: BackupName, wantOld: true,
		},
		{
			name: "ChangePassword, new password typed",
			write: func(t *testing.T, dir string) {
				mustDo(t, ChangePassword(dir, testPassword, newPassword, InsecureTestParams))
			},
			password: newPassword, used: FileName, wantOld: false,
		},
		{
			name:     "SetExtra",
			write:    func(t *testing.T, dir string) { mustDo(t, SetExtra(dir, testPassword, "sm2-private", []byte("new"))) },
			password: testPassword, used: BackupName, wantOld: true,
		},
		{
			name: "NewRecoveryCode",
			write: func(t *testing.T, dir string) {
				_, err := NewRecoveryCode(dir, testPassword, InsecureTestParams)
				mustDo(t, err)
			},
			password: testPassword, used: BackupName, wantOld: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, keys, code := newVault(t)
			old := readPrimary(t, dir)
			tt.write(t, dir)
			newContent := readPrimary(t, dir)
			writeRaw(t, dir, BackupName, old) // as if killed before the backup write
			before := snapshot(t, dir)

			got, r, err := Unlock(dir, tt.password)
			if err != nil {
				t.Fatalf("Unlock: %v", err)
			}
			assertUnchanged(t, dir, before)
			if !bytes.Equal(got.Master, keys.Master) || !bytes.Equal(got.Record, keys.Record) || !bytes.Equal(got.Index, keys.Index) {
				t.Fatal("Unlock returned other data keys")
			}
			if r.Used != tt.used || r.State != CopyStale {
				t.Fatalf("report: used %s, state %d; want %s, CopyStale", r.Used, r.State, tt.used)
			}
			if err := Repair(dir, r); err != nil {
				t.Fatal(err)
			}
			want := newContent
			if tt.wantOld {
				want = old
			}
			if !bytes.Equal(readName(t, dir, FileName), want) || !bytes.Equal(readName(t, dir, BackupName), want) {
				t.Fatalf("after Repair the copies do not both hold the %s content", map[bool]string{true: "old", false: "new"}[tt.wantOld])
			}
			if n := r.Notice(); n == "" || !bytes.Contains([]byte(n), []byte("不一致")) {
				t.Errorf("Notice = %q", n)
			}
			// The password typed still opens, and so does the recovery code
			// the user was last shown.
			if _, err := Open(dir, tt.password); err != nil {
				t.Errorf("password typed no longer opens: %v", err)
			}
			if _, err := OpenWithRecovery(dir, code); tt.wantOld && err != nil {
				t.Errorf("the recovery code the user holds no longer opens: %v", err)
			}
		})
	}
}

func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestWrongSecretIsReportedOnlyAfterEveryIntactCopyWasTried: with one copy
// damaged or another unit's, a wrong password is a wrong password (not
// corruption), the right one opens, and nothing is written either way.
func TestWrongSecretIsReportedOnlyAfterEveryIntactCopyWasTried(t *testing.T) {
	tests := []struct {
		name   string
		damage func(t *testing.T, dir string, good []byte)
	}{
		{"truncated primary", func(t *testing.T, dir string, good []byte) { writeRaw(t, dir, FileName, good[:100]) }},
		{"truncated backup", func(t *testing.T, dir string, good []byte) { writeRaw(t, dir, BackupName, good[:100]) }},
		{"primary is another unit's vault", func(t *testing.T, dir string, _ []byte) {
			writeRaw(t, dir, FileName, otherUnitVault(t, otherPassword))
		}},
		{"backup is another unit's vault", func(t *testing.T, dir string, _ []byte) {
			writeRaw(t, dir, BackupName, otherUnitVault(t, otherPassword))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, keys, code := newVault(t)
			tt.damage(t, dir, readPrimary(t, dir))
			before := snapshot(t, dir)
			for _, wrong := range []func() error{
				func() error { _, _, err := Unlock(dir, "wrong password"); return err },
				func() error { _, err := Open(dir, "wrong password"); return err },
				func() error { _, _, err := UnlockWithRecovery(dir, "AAAAA-AAAAA-AAAAA-AAAAA-AAAAA"); return err },
				func() error { return ChangePassword(dir, "wrong password", "x", InsecureTestParams) },
				func() error { return SetExtra(dir, "wrong password", "n", nil) },
			} {
				err := wrong()
				if !errors.Is(err, data.ErrWrongPassword) || errors.Is(err, data.ErrCorrupt) {
					t.Fatalf("wrong secret: %v, want only ErrWrongPassword", err)
				}
				if msg := data.Message(err); msg != "密码或恢复码不正确。" {
					t.Errorf("Message = %q", msg)
				}
			}
			assertUnchanged(t, dir, before)
			for _, open := range []func() (*Keys, error){
				func() (*Keys, error) { return Open(dir, testPassword) },
				func() (*Keys, error) { return OpenWithRecovery(dir, code) },
			} {
				if got, err := open(); err != nil || !keysEqual(got, keys) {
					t.Fatalf("right secret: %v", err)
				}
			}
			assertUnchanged(t, dir, before)
		})
	}
}

// TestBothCopiesUnusableIsCorruptAndWritesNothing covers the pairs where no
// copy can give the keys: Unlock says the key file is damaged (not a wrong
// password), and writes nothing.
func TestBothCopiesUnusableIsCorruptAndWritesNothing(t *testing.T) {
	dir0, _, _ := newVault(t)
	good := readPrimary(t, dir0)
	tests := []struct {
		name            string
		primary, backup []byte
		wantMsg         string
	}{
		{"both truncated", good[:len(good)/2], good[:len(good)/3], msgCorrupt},
		{"truncated and empty", good[:10], []byte{}, msgCorrupt},
		{
			"two different vaults that both open", otherUnitVault(t, testPassword), good,
			"密钥文件 vault.json 与备份 vault.json.bak 是两套不同的密钥，都能用这个密码打开，无法判断哪一套属于此数据目录。请从备份恢复正确的密钥文件。",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeRaw(t, dir, FileName, tt.primary)
			writeRaw(t, dir, BackupName, tt.backup)
			before := snapshot(t, dir)
			keys, r, err := Unlock(dir, testPassword)
			if keys != nil || r != nil || !errors.Is(err, data.ErrCorrupt) || errors.Is(err, data.ErrWrongPassword) {
				t.Fatalf("Unlock = %v, %v, %v; want ErrCorrupt only", keys != nil, r, err)
			}
			if msg := data.Message(err); msg != tt.wantMsg {
				t.Errorf("Message = %q, want %q", msg, tt.wantMsg)
			}
			if err := SetExtra(dir, testPassword, "n", nil); !errors.Is(err, data.ErrCorrupt) {
				t.Errorf("SetExtra: %v, want ErrCorrupt", err)
			}
			assertUnchanged(t, dir, before)
		})
	}
}

// TestUnreadableCopyIsReportedButNotOverwritten: a copy that exists but
// cannot be read (here a directory in its place, which fails to read even
// as root) may hold a good vault, so it is named in the notice and left
// alone.
func TestUnreadableCopyIsReportedButNotOverwritten(t *testing.T) {
	dir, keys, _ := newVault(t)
	remove(t, dir, BackupName)
	if err := os.Mkdir(filepath.Join(dir, BackupName), 0o700); err != nil {
		t.Fatal(err)
	}
	got, r, err := Unlock(dir, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	assertKeys(t, got, keys)
	if r.State != CopyUnreadable || r.NeedsRepair() {
		t.Fatalf("state %d, needs repair %v", r.State, r.NeedsRepair())
	}
	if err := Repair(dir, r); err != nil {
		t.Fatal(err)
	}
	if info, err := os.Stat(filepath.Join(dir, BackupName)); err != nil || !info.IsDir() {
		t.Fatal("the unreadable copy was replaced")
	}
	const want = "无法读取备份 vault.json.bak，本次用密钥文件 vault.json 解锁。请检查该文件的权限和所在磁盘。"
	if n := r.Notice(); n != want {
		t.Errorf("Notice = %q, want %q", n, want)
	}
}

// TestRepairWritesNothingIfACopyChangedSinceUnlock: Repair works from what
// Unlock read; if either copy changed in between it must not overwrite it.
func TestRepairWritesNothingIfACopyChangedSinceUnlock(t *testing.T) {
	tests := []struct {
		name   string
		change func(t *testing.T, dir string, good []byte)
	}{
		{"bad copy rewritten", func(t *testing.T, dir string, good []byte) { writeRaw(t, dir, FileName, good[:20]) }},
		{"bad copy removed", func(t *testing.T, dir string, _ []byte) { remove(t, dir, FileName) }},
		{"good copy rewritten", func(t *testing.T, dir string, good []byte) {
			writeRaw(t, dir, BackupName, append(bytes.Clone(good), '\n'))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, _, _ := newVault(t)
			good := readPrimary(t, dir)
			writeRaw(t, dir, FileName, good[:30])
			_, r, err := Unlock(dir, testPassword)
			if err != nil {
				t.Fatal(err)
			}
			tt.change(t, dir, good)
			before := snapshot(t, dir)
			if err := Repair(dir, r); !errors.Is(err, data.ErrConflict) {
				t.Fatalf("Repair after a change: %v, want ErrConflict", err)
			}
			assertUnchanged(t, dir, before)
			if n := r.Notice(); n != "密钥文件 vault.json 已损坏，本次用备份 vault.json.bak 解锁，但未能重新写好密钥文件 vault.json，下次解锁时会再试。" {
				t.Errorf("Notice = %q", n)
			}
		})
	}
}

// TestResetPasswordReportsTheCopyItRewrote: the recovery path writes both
// copies anyway; its report names what it found so the user is told.
func TestResetPasswordReportsTheCopyItRewrote(t *testing.T) {
	dir, keys, code := newVault(t)
	writeRaw(t, dir, FileName, otherUnitVault(t, otherPassword))
	r, err := ResetPasswordReport(dir, code, "新密码 new", InsecureTestParams)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Repaired() || r.State != CopyForeign {
		t.Fatalf("report: state %d, repaired %v", r.State, r.Repaired())
	}
	if n := r.Notice(); n != "密钥文件 vault.json 是另一套密钥，不属于此数据目录，已用本次解锁的备份 vault.json.bak 重新写好密钥文件 vault.json。" {
		t.Errorf("Notice = %q", n)
	}
	if !bytes.Equal(readName(t, dir, FileName), readName(t, dir, BackupName)) {
		t.Fatal("copies differ after ResetPassword")
	}
	if got, err := Open(dir, "新密码 new"); err != nil || !keysEqual(got, keys) {
		t.Fatalf("new password: %v", err)
	}
}
