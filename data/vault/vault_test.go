package vault

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"baomi/data"
)

const testPassword = "正确的密码 correct horse"

// newVault creates a vault in a fresh directory.
func newVault(t *testing.T) (dir string, keys *Keys, code string) {
	t.Helper()
	dir = t.TempDir()
	keys, code, err := Create(dir, testPassword, InsecureTestParams)
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	return dir, keys, code
}

type fileState struct {
	content []byte
	mod     time.Time
	mode    os.FileMode
}

// snapshot records every entry of dir.
func snapshot(t *testing.T, dir string) map[string]fileState {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	s := map[string]fileState{}
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		info, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		content, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		s[e.Name()] = fileState{content: content, mod: info.ModTime(), mode: info.Mode()}
	}
	return s
}

func assertUnchanged(t *testing.T, dir string, before map[string]fileState) {
	t.Helper()
	after := snapshot(t, dir)
	if len(after) != len(before) {
		t.Fatalf("directory entries changed: before %d, after %d", len(before), len(after))
	}
	for name, b := range before {
		a, ok := after[name]
		switch {
		case !ok:
			t.Errorf("%s disappeared", name)
		case !bytes.Equal(a.content, b.content):
			t.Errorf("%s content changed", name)
		case !a.mod.Equal(b.mod):
			t.Errorf("%s mod time changed", name)
		case a.mode != b.mode:
			t.Errorf("%s mode changed", name)
		}
	}
}

func assertKeys(t *testing.T, got, want *Keys) {
	t.Helper()
	if got == nil || !keysEqual(got, want) {
		t.Fatalf("keys differ:\n got %+v\nwant %+v", got, want)
	}
}

func readPrimary(t *testing.T, dir string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func writeRaw(t *testing.T, dir, name string, raw []byte) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), raw, 0o600); err != nil {
		t.Fatal(err)
	}
}

// openGivesKeysOrCorrupt opens dir with the right password and fails the
// test unless it returns want or an error wrapping data.ErrCorrupt. It
// reports whether the open succeeded.
func openGivesKeysOrCorrupt(t *testing.T, dir string, want *Keys, what string) bool {
	t.Helper()
	got, err := Open(dir, testPassword)
	switch {
	case err == nil:
		if !keysEqual(got, want) {
			t.Fatalf("%s: Open returned WRONG keys", what)
		}
		return true
	case errors.Is(err, data.ErrWrongPassword):
		t.Fatalf("%s: correct password reported as wrong: %v", what, err)
	case !errors.Is(err, data.ErrCorrupt):
		t.Fatalf("%s: error %v does not wrap ErrCorrupt", what, err)
	}
	return false
}

func TestCreateThenOpenReturnsSameKeys(t *testing.T) {
	dir, keys, code := newVault(t)
	if len(keys.Master) != masterLen || len(keys.Record) != recordLen || len(keys.Index) != indexLen || keys.Extra == nil {
		t.Fatalf("Create returned malformed keys %+v", keys)
	}
	if len(code) != recoveryCodeLen {
		t.Fatalf("recovery code %q is not %d symbols", code, recoveryCodeLen)
	}
	got, err := Open(dir, testPassword)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	assertKeys(t, got, keys)
	if got.Extra == nil {
		t.Error("Open returned nil Extra")
	}
}

func TestCreateWritesOnlyTwoOwnerOnlyIdenticalFiles(t *testing.T) {
	dir, _, _ := newVault(t)
	s := snapshot(t, dir)
	if names := slices.Sorted(func(yield func(string) bool) {
		for n := range s {
			if !yield(n) {
				return
			}
		}
	}); !slices.Equal(names, []string{FileName, BackupName}) {
		t.Fatalf("directory holds %v, want only %s and %s", names, FileName, BackupName)
	}
	if !bytes.Equal(s[FileName].content, s[BackupName].content) {
		t.Error("backup differs from primary")
	}
	if runtime.GOOS != "windows" {
		for n, st := range s {
			if st.mode.Perm() != 0o600 {
				t.Errorf("%s has mode %v, want 0600", n, st.mode.Perm())
			}
		}
	}
	var f map[string]any
	if err := json.Unmarshal(s[FileName].content, &f); err != nil {
		t.Fatal(err)
	}
	if f["format"] != formatV1 {
		t.Errorf("format = %v, want %s", f["format"], formatV1)
	}
	if sum, _ := f["sm3"].(string); len(sum) != 64 {
		t.Errorf("sm3 = %q, want 64 hex digits", sum)
	}
}

func TestOpenWithRecoveryAcceptsLooseFormatting(t *testing.T) {
	dir, keys, code := newVault(t)
	lookAlikes := strings.NewReplacer("1", "l", "0", "o").Replace(code)
	fullWidth := strings.Map(func(r rune) rune { return r + 0xFEE0 }, code)
	tests := []struct {
		name, code string
	}{
		{"as returned", code},
		{"formatted", FormatRecoveryCode(code)},
		{"lowercase with dashes", strings.ToLower(FormatRecoveryCode(code))},
		{"lowercase with spaces", strings.ToLower(strings.ReplaceAll(FormatRecoveryCode(code), "-", " "))},
		{"padded and mixed separators", "  " + code[:5] + " - " + code[5:12] + "\t" + code[12:] + "\n"},
		{"crockford look-alikes", lookAlikes},
		{"full-width input method", fullWidth[:15] + "－" + fullWidth[15:] + "　"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := OpenWithRecovery(dir, tt.code)
			if err != nil {
				t.Fatalf("OpenWithRecovery(%q): %v", tt.code, err)
			}
			assertKeys(t, got, keys)
		})
	}
}

func TestWrongSecretIsWrongPasswordAndWritesNothing(t *testing.T) {
	dir, _, code := newVault(t)
	otherCode, err := newRecoveryCode()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		call func() error
	}{
		{"Open wrong password", func() error { _, err := Open(dir, "wrong"); return err }},
		{"Open empty password", func() error { _, err := Open(dir, ""); return err }},
		{"Open password differing by case", func() error { _, err := Open(dir, strings.ToUpper(testPassword)); return err }},
		{"Open with recovery code as password", func() error { _, err := Open(dir, code); return err }},
		{"OpenWithRecovery wrong code", func() error { _, err := OpenWithRecovery(dir, otherCode); return err }},
		{"OpenWithRecovery malformed code", func() error { _, err := OpenWithRecovery(dir, "not a code"); return err }},
		{"OpenWithRecovery password as code", func() error { _, err := OpenWithRecovery(dir, testPassword); return err }},
		{"OpenWithRecovery code missing a symbol", func() error { _, err := OpenWithRecovery(dir, code[1:]); return err }},
		{"ChangePassword wrong old password", func() error {
			return ChangePassword(dir, "wrong", "new password", InsecureTestParams)
		}},
		{"ResetPassword wrong code", func() error {
			return ResetPassword(dir, otherCode, "new password", InsecureTestParams)
		}},
		{"SetExtra wrong password", func() error { return SetExtra(dir, "wrong", "sm2-private", []byte{1}) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := snapshot(t, dir)
			err := tt.call()
			if !errors.Is(err, data.ErrWrongPassword) {
				t.Fatalf("error %v does not wrap ErrWrongPassword", err)
			}
			if msg := data.Message(err); msg != "密码或恢复码不正确。" {
				t.Errorf("Message = %q", msg)
			}
			assertUnchanged(t, dir, before)
		})
	}
}

func TestOpenDoesNotWriteEvenWhenACopyIsDamaged(t *testing.T) {
	tests := []struct {
		name   string
		damage func(t *testing.T, dir string)
	}{
		{"intact", func(*testing.T, string) {}},
		{"backup corrupt", func(t *testing.T, dir string) { writeRaw(t, dir, BackupName, []byte("garbage")) }},
		{"backup missing", func(t *testing.T, dir string) {
			if err := os.Remove(filepath.Join(dir, BackupName)); err != nil {
				t.Fatal(err)
			}
		}},
		{"primary corrupt", func(t *testing.T, dir string) { writeRaw(t, dir, FileName, nil) }},
		{"primary missing", func(t *testing.T, dir string) {
			if err := os.Remove(filepath.Join(dir, FileName)); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, keys, code := newVault(t)
			tt.damage(t, dir)
			before := snapshot(t, dir)
			got, err := Open(dir, testPassword)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			assertKeys(t, got, keys)
			got, err = OpenWithRecovery(dir, code)
			if err != nil {
				t.Fatalf("OpenWithRecovery: %v", err)
			}
			assertKeys(t, got, keys)
			assertUnchanged(t, dir, before)
		})
	}
}

func TestChangePasswordKeepsKeysAndRecoveryCode(t *testing.T) {
	dir, keys, code := newVault(t)
	const newPassword = "新密码 new password"
	if err := ChangePassword(dir, testPassword, newPassword, InsecureTestParams); err != nil {
		t.Fatalf("ChangePassword: %v", err)
	}
	if _, err := Open(dir, testPassword); !errors.Is(err, data.ErrWrongPassword) {
		t.Errorf("old password: err = %v, want ErrWrongPassword", err)
	}
	got, err := Open(dir, newPassword)
	if err != nil {
		t.Fatalf("Open with new password: %v", err)
	}
	assertKeys(t, got, keys)
	got, err = OpenWithRecovery(dir, code)
	if err != nil {
		t.Fatalf("recovery code after password change: %v", err)
	}
	assertKeys(t, got, keys)
	s := snapshot(t, dir)
	if len(s) != 2 || !bytes.Equal(s[FileName].content, s[BackupName].content) {
		t.Error("after ChangePassword the directory should hold two identical copies")
	}
}

func TestResetPasswordWithRecoveryCode(t *testing.T) {
	dir, keys, code := newVault(t)
	const newPassword = "忘记后的新密码"
	if err := ResetPassword(dir, strings.ToLower(FormatRecoveryCode(code)), newPassword, InsecureTestParams); err != nil {
		t.Fatalf("ResetPassword: %v", err)
	}
	if _, err := Open(dir, testPassword); !errors.Is(err, data.ErrWrongPassword) {
		t.Errorf("old password: err = %v, want ErrWrongPassword", err)
	}
	got, err := Open(dir, newPassword)
	if err != nil {
		t.Fatalf("Open with new password: %v", err)
	}
	assertKeys(t, got, keys)
	got, err = OpenWithRecovery(dir, code)
	if err != nil {
		t.Fatalf("recovery code after reset: %v", err)
	}
	assertKeys(t, got, keys)
}

func TestNewPasswordAndParamsAreValidated(t *testing.T) {
	dir, _, code := newVault(t)
	bad := []KDFParams{{}, {Time: 1, MemoryKiB: 8}, {Time: 0, MemoryKiB: 8, Threads: 1}, {Time: 1, MemoryKiB: 4, Threads: 1}, {Time: 1, MemoryKiB: maxMemoryKiB + 1, Threads: 1}}
	for _, p := range bad {
		if _, _, err := Create(t.TempDir(), testPassword, p); !errors.Is(err, data.ErrInvalid) {
			t.Errorf("Create with %+v: err = %v, want ErrInvalid", p, err)
		}
		if err := ChangePassword(dir, testPassword, "x", p); !errors.Is(err, data.ErrInvalid) {
			t.Errorf("ChangePassword with %+v: err = %v, want ErrInvalid", p, err)
		}
	}
	before := snapshot(t, dir)
	empty := t.TempDir()
	if _, _, err := Create(empty, "", InsecureTestParams); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("Create with empty password: err = %v, want ErrInvalid", err)
	}
	if Exists(empty) {
		t.Error("failed Create left a vault behind")
	}
	if err := ChangePassword(dir, testPassword, "", InsecureTestParams); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("ChangePassword to empty: err = %v, want ErrInvalid", err)
	}
	if err := ResetPassword(dir, code, "", InsecureTestParams); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("ResetPassword to empty: err = %v, want ErrInvalid", err)
	}
	if err := SetExtra(dir, testPassword, "", []byte{1}); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("SetExtra with empty name: err = %v, want ErrInvalid", err)
	}
	assertUnchanged(t, dir, before)
}

func TestSetExtraPersistsAndSurvivesPasswordChange(t *testing.T) {
	dir, keys, code := newVault(t)
	value := []byte("sm2 private key bytes")
	if err := SetExtra(dir, testPassword, "sm2-private", value); err != nil {
		t.Fatalf("SetExtra: %v", err)
	}
	value[0] = 'X' // SetExtra must have copied it
	if err := SetExtra(dir, testPassword, "other", []byte{1, 2, 3}); err != nil {
		t.Fatalf("SetExtra other: %v", err)
	}
	if err := SetExtra(dir, testPassword, "other", []byte{4}); err != nil {
		t.Fatalf("SetExtra replace: %v", err)
	}
	want := &Keys{Master: keys.Master, Record: keys.Record, Index: keys.Index, Extra: map[string][]byte{
		"sm2-private": []byte("sm2 private key bytes"),
		"other":       {4},
	}}
	got, err := Open(dir, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	assertKeys(t, got, want)
	if err := ChangePassword(dir, testPassword, "p2", InsecureTestParams); err != nil {
		t.Fatal(err)
	}
	got, err = OpenWithRecovery(dir, code)
	if err != nil {
		t.Fatal(err)
	}
	assertKeys(t, got, want)
}

func TestCreateRefusesExistingVault(t *testing.T) {
	tests := []struct {
		name  string
		files []string
	}{
		{"both copies", []string{FileName, BackupName}},
		{"primary only", []string{FileName}},
		{"backup only", []string{BackupName}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, n := range tt.files {
				writeRaw(t, dir, n, []byte("anything"))
			}
			if !Exists(dir) {
				t.Fatal("Exists = false")
			}
			before := snapshot(t, dir)
			if _, _, err := Create(dir, testPassword, InsecureTestParams); !errors.Is(err, data.ErrConflict) {
				t.Fatalf("err = %v, want ErrConflict", err)
			}
			assertUnchanged(t, dir, before)
		})
	}
}

func TestMissingVaultIsNotSetUp(t *testing.T) {
	dir := t.TempDir()
	if Exists(dir) {
		t.Fatal("Exists on empty dir")
	}
	calls := map[string]func() error{
		"Open":             func() error { _, err := Open(dir, testPassword); return err },
		"OpenWithRecovery": func() error { _, err := OpenWithRecovery(dir, "ABCDE"); return err },
		"ChangePassword":   func() error { return ChangePassword(dir, testPassword, "x", InsecureTestParams) },
		"ResetPassword":    func() error { return ResetPassword(dir, "ABCDE", "x", InsecureTestParams) },
		"SetExtra":         func() error { return SetExtra(dir, testPassword, "n", nil) },
		"Open missing dir": func() error { _, err := Open(filepath.Join(dir, "nope"), testPassword); return err },
	}
	for name, call := range calls {
		if err := call(); !errors.Is(err, data.ErrNotSetUp) {
			t.Errorf("%s: err = %v, want ErrNotSetUp", name, err)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("calls on a missing vault wrote %d entries", len(entries))
	}
}

func TestOpenSurvivesEveryFlippedByteOfPrimary(t *testing.T) {
	dir, keys, _ := newVault(t)
	good := readPrimary(t, dir)
	backup := filepath.Join(dir, BackupName)
	bak, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	masks := []byte{0x01, 0x20, 0x80, 0xFF}
	fromPrimary, corrupt := 0, 0
	for i := range good {
		for _, m := range masks {
			bad := bytes.Clone(good)
			bad[i] ^= m
			writeRaw(t, dir, FileName, bad)

			// With the backup intact the right keys must always come back.
			got, err := Open(dir, testPassword)
			if err != nil {
				t.Fatalf("byte %d ^ %#x with intact backup: %v", i, m, err)
			}
			assertKeys(t, got, keys)

			// Without a backup: right keys (the flip did not change the
			// content) or ErrCorrupt, never wrong keys or wrong password.
			if err := os.Remove(backup); err != nil {
				t.Fatal(err)
			}
			if openGivesKeysOrCorrupt(t, dir, keys, "flipped primary, no backup") {
				fromPrimary++
			} else {
				corrupt++
			}
			writeRaw(t, dir, BackupName, bak)
		}
	}
	t.Logf("%d flips: %d harmless (e.g. JSON key case), %d detected as corrupt", fromPrimary+corrupt, fromPrimary, corrupt)
	if corrupt == 0 {
		t.Fatal("no flip was detected as corrupt")
	}
}

func TestOpenSurvivesTruncatedPrimary(t *testing.T) {
	dir, keys, _ := newVault(t)
	good := readPrimary(t, dir)
	backup := filepath.Join(dir, BackupName)
	bak, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	for n := 0; n < len(good); n++ {
		writeRaw(t, dir, FileName, good[:n])
		got, err := Open(dir, testPassword)
		if err != nil {
			t.Fatalf("primary truncated to %d bytes, backup intact: %v", n, err)
		}
		assertKeys(t, got, keys)

		if err := os.Remove(backup); err != nil {
			t.Fatal(err)
		}
		if openGivesKeysOrCorrupt(t, dir, keys, "truncated primary, no backup") && n < len(good)-1 {
			t.Fatalf("primary truncated to %d of %d bytes still opened", n, len(good))
		}
		writeRaw(t, dir, BackupName, bak)
	}
}

func TestBothCopiesCorruptIsCorrupt(t *testing.T) {
	dir0, _, _ := newVault(t)
	good := readPrimary(t, dir0)
	flipped := bytes.Clone(good)
	flipped[len(flipped)/2] ^= 0x01
	const missing = "missing"
	tests := []struct {
		name            string
		primary, backup any // []byte, or missing
	}{
		{"both empty", []byte{}, []byte{}},
		{"both flipped", flipped, flipped},
		{"truncated and garbage", good[:len(good)/2], []byte("\x00\xff garbage")},
		{"primary corrupt, backup missing", flipped, missing},
		{"primary missing, backup corrupt", missing, good[:10]},
		{"both JSON null", []byte("null"), []byte("null")},
		{"trailing data", append(bytes.Clone(good), "{}"...), missing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, content := range map[string]any{FileName: tt.primary, BackupName: tt.backup} {
				if b, ok := content.([]byte); ok {
					writeRaw(t, dir, name, b)
				}
			}
			before := snapshot(t, dir)
			keys, err := Open(dir, testPassword)
			if keys != nil || !errors.Is(err, data.ErrCorrupt) {
				t.Fatalf("Open = %v, %v; want ErrCorrupt", keys, err)
			}
			if errors.Is(err, data.ErrWrongPassword) {
				t.Fatal("corrupt vault reported as wrong password")
			}
			if msg := data.Message(err); msg != msgCorrupt {
				t.Errorf("Message = %q, want %q", msg, msgCorrupt)
			}
			if err := ChangePassword(dir, testPassword, "x", InsecureTestParams); !errors.Is(err, data.ErrCorrupt) {
				t.Errorf("ChangePassword: err = %v, want ErrCorrupt", err)
			}
			assertUnchanged(t, dir, before)
		})
	}
}

// A file whose checksum is right but whose parts do not belong together
// (as a forger, not a disk error, would make) must not yield keys.
func TestConsistentChecksumOverForeignPayloadIsCorrupt(t *testing.T) {
	dirA, _, _ := newVault(t)
	dirB, _, _ := newVault(t)
	a, err := parseFile(readPrimary(t, dirA))
	if err != nil {
		t.Fatal(err)
	}
	b, err := parseFile(readPrimary(t, dirB))
	if err != nil {
		t.Fatal(err)
	}
	a.Nonce, a.Payload = b.Nonce, b.Payload
	forged, err := encodeFile(a)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeRaw(t, dir, FileName, forged)
	if keys, err := Open(dir, testPassword); keys != nil || !errors.Is(err, data.ErrCorrupt) {
		t.Fatalf("Open = %v, %v; want ErrCorrupt", keys, err)
	}
}

func TestWritePathsRepairDamagedCopy(t *testing.T) {
	dir, keys, _ := newVault(t)
	writeRaw(t, dir, FileName, []byte("{broken"))
	if err := SetExtra(dir, testPassword, "n", []byte("v")); err != nil {
		t.Fatalf("SetExtra with corrupt primary: %v", err)
	}
	s := snapshot(t, dir)
	if !bytes.Equal(s[FileName].content, s[BackupName].content) {
		t.Fatal("copies differ after a write path")
	}
	if err := os.Remove(filepath.Join(dir, BackupName)); err != nil {
		t.Fatal(err)
	}
	got, err := Open(dir, testPassword)
	if err != nil {
		t.Fatalf("repaired primary alone: %v", err)
	}
	if !bytes.Equal(got.Master, keys.Master) || string(got.Extra["n"]) != "v" {
		t.Fatal("repaired primary holds the wrong keys")
	}
}

func TestNewKeysAreRandomAndSized(t *testing.T) {
	a, err := NewKeys()
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewKeys()
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Master) != 32 || len(a.Record) != 16 || len(a.Index) != 32 || a.Extra == nil {
		t.Fatalf("NewKeys sizes %d/%d/%d", len(a.Master), len(a.Record), len(a.Index))
	}
	if bytes.Equal(a.Master, b.Master) || bytes.Equal(a.Record, b.Record) || bytes.Equal(a.Index, b.Index) {
		t.Fatal("two NewKeys calls gave equal keys")
	}
}

func TestKeysWipeZeroesEveryByte(t *testing.T) {
	k, err := NewKeys()
	if err != nil {
		t.Fatal(err)
	}
	k.Extra["sm2-private"] = []byte{1, 2, 3}
	held := k.Master // a slice handed out earlier
	k.Wipe()
	for _, b := range [][]byte{k.Master, k.Record, k.Index, k.Extra["sm2-private"], held} {
		if !bytes.Equal(b, make([]byte, len(b))) {
			t.Fatalf("not wiped: %x", b)
		}
	}
	(*Keys)(nil).Wipe() // must not panic
}

func TestCalibrateReturnsSaneParams(t *testing.T) {
	if testing.Short() {
		t.Skip("runs one 64 MiB Argon2id derivation")
	}
	p := Calibrate(time.Millisecond)
	if p.Time < 1 || p.Time > calibrateMaxTime || p.MemoryKiB != 65536 ||
		p.Threads < 1 || p.Threads > calibrateMaxThreads {
		t.Fatalf("Calibrate = %+v", p)
	}
	if err := p.validate(); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkArgon2idSetupParams times one key derivation at the parameters
// Calibrate typically picks.
func BenchmarkArgon2idSetupParams(b *testing.B) {
	p := KDFParams{Time: 3, MemoryKiB: calibrateMemoryKiB, Threads: uint8(max(1, min(runtime.NumCPU(), calibrateMaxThreads)))}
	salt := make([]byte, saltLen)
	for b.Loop() {
		deriveKEK([]byte(testPassword), salt, p)
	}
}

// FuzzOpen feeds arbitrary bytes to Open as the only vault copy. Open must
// not panic, and must return either an error wrapping data.ErrCorrupt or —
// only when the bytes still encode the seed vault — exactly the seed keys.
func FuzzOpen(f *testing.F) {
	// The seed vault is a fixed file so that every fuzz worker process
	// expects the same keys.
	seed, err := os.ReadFile(filepath.Join("testdata", "seed-vault.json"))
	if err != nil {
		f.Fatal(err)
	}
	const seedPassword = "fuzz-seed-password"
	seedDir := f.TempDir()
	if err := os.WriteFile(filepath.Join(seedDir, FileName), seed, 0o600); err != nil {
		f.Fatal(err)
	}
	want, err := Open(seedDir, seedPassword)
	if err != nil {
		f.Fatalf("seed vault does not open: %v", err)
	}
	f.Add(seed)
	f.Add(seed[:len(seed)/2])
	f.Add([]byte{})
	f.Add([]byte("{}"))
	f.Add([]byte("null"))
	f.Add([]byte(`{"format":"baomi-vault-1","sm3":""}`))
	f.Add(bytes.ReplaceAll(seed, []byte(`"time": 1`), []byte(`"time": 4294967295`)))

	// One directory per worker process; the fuzz function runs sequentially
	// within a process, so reusing it is safe and much faster than a
	// TempDir per input.
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, raw []byte) {
		if err := os.WriteFile(filepath.Join(dir, FileName), raw, 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := Open(dir, seedPassword)
		if err == nil {
			if !keysEqual(got, want) {
				t.Fatalf("Open returned keys that are not the seed's")
			}
			return
		}
		if got != nil {
			t.Fatal("Open returned keys together with an error")
		}
		if !errors.Is(err, data.ErrCorrupt) {
			t.Fatalf("error %v does not wrap ErrCorrupt", err)
		}
	})
}

func TestNewRecoveryCodeReplacesTheOldOne(t *testing.T) {
	dir := t.TempDir()
	keys, oldCode, err := Create(dir, "Password-1234", InsecureTestParams)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewRecoveryCode(dir, "wrong-password", InsecureTestParams); !errors.Is(err, data.ErrWrongPassword) {
		t.Fatalf("wrong password: %v", err)
	}
	code, err := NewRecoveryCode(dir, "Password-1234", InsecureTestParams)
	if err != nil {
		t.Fatal(err)
	}
	if code == oldCode {
		t.Fatal("same code again")
	}
	if _, err := OpenWithRecovery(dir, oldCode); !errors.Is(err, data.ErrWrongPassword) {
		t.Errorf("old code still opens: %v", err)
	}
	got, err := OpenWithRecovery(dir, code)
	if err != nil || !keysEqual(got, keys) {
		t.Errorf("new code: %v", err)
	}
	if got, err := Open(dir, "Password-1234"); err != nil || !keysEqual(got, keys) {
		t.Errorf("password after new code: %v", err)
	}
}

func TestRemoveDeletesBothCopies(t *testing.T) {
	dir := t.TempDir()
	if _, _, err := Create(dir, "Password-1234", InsecureTestParams); err != nil {
		t.Fatal(err)
	}
	if err := Remove(dir); err != nil {
		t.Fatal(err)
	}
	if Exists(dir) {
		t.Error("vault still exists")
	}
	if err := Remove(dir); err != nil {
		t.Errorf("second remove: %v", err)
	}
}
