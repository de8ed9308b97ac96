package vault

import (
	"bytes"
	"errors"
	"testing"

	"baomi/data"
)

func TestStagedKeysBecomeTheKeysOnCommitAndPasswordAndCodeStillOpen(t *testing.T) {
	dir, old, code := newVault(t)
	if err := SetExtra(dir, testPassword, "sm2-private", []byte("private")); err != nil {
		t.Fatal(err)
	}
	next, err := NewKeys()
	if err != nil {
		t.Fatal(err)
	}
	if err := StageKeys(dir, testPassword, next); err != nil {
		t.Fatal(err)
	}
	k, err := Open(dir, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(k.Master, old.Master) || !bytes.Equal(k.Record, old.Record) || !bytes.Equal(k.Index, old.Index) {
		t.Error("staging changed the current keys")
	}
	staged, ok := Staged(k)
	if !ok || !bytes.Equal(staged.Master, next.Master) || !bytes.Equal(staged.Record, next.Record) || !bytes.Equal(staged.Index, next.Index) {
		t.Fatalf("staged keys = %v, %v", staged, ok)
	}

	if err := CommitStaged(dir, testPassword); err != nil {
		t.Fatal(err)
	}
	for name, open := range map[string]func() (*Keys, error){
		"password":      func() (*Keys, error) { return Open(dir, testPassword) },
		"recovery code": func() (*Keys, error) { return OpenWithRecovery(dir, code) },
	} {
		t.Run(name, func(t *testing.T) {
			k, err := open()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(k.Master, next.Master) || !bytes.Equal(k.Record, next.Record) || !bytes.Equal(k.Index, next.Index) {
				t.Error("committed keys are not the staged ones")
			}
			if _, ok := Staged(k); ok {
				t.Error("journal entry kept after commit")
			}
			if string(k.Extra["sm2-private"]) != "private" {
				t.Errorf("other extra entries lost: %v", k.Extra)
			}
		})
	}
	if err := CommitStaged(dir, testPassword); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("second commit: %v, want not found", err)
	}
}

func TestDroppedStagedKeysLeaveTheKeysAsTheyWere(t *testing.T) {
	dir, old, _ := newVault(t)
	next, _ := NewKeys()
	if err := StageKeys(dir, testPassword, next); err != nil {
		t.Fatal(err)
	}
	if err := DropStaged(dir, testPassword); err != nil {
		t.Fatal(err)
	}
	k, err := Open(dir, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	assertKeys(t, k, old)
	if _, ok := Staged(k); ok {
		t.Error("staged keys still there")
	}
}

func TestRekeyStepsRefuseAWrongPasswordAndWriteNothing(t *testing.T) {
	dir, _, _ := newVault(t)
	next, _ := NewKeys()
	if err := StageKeys(dir, testPassword, next); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dir)
	for name, step := range map[string]func() error{
		"stage":  func() error { return StageKeys(dir, "wrong", next) },
		"commit": func() error { return CommitStaged(dir, "wrong") },
		"drop":   func() error { return DropStaged(dir, "wrong") },
		"bad sizes": func() error {
			return StageKeys(dir, testPassword, &Keys{Master: next.Master, Record: next.Record})
		},
	} {
		t.Run(name, func(t *testing.T) {
			if err := step(); err == nil {
				t.Fatal("accepted")
			}
			assertUnchanged(t, dir, before)
		})
	}
}
