package vault

import (
	"bytes"
	"fmt"

	"baomi/data"
)

// Re-keying (更换密钥) replaces Master, Record and Index while the vault key,
// and with it the password and the recovery code, stays. It is journalled in
// the payload: StageKeys keeps the next keys in Extra under stagedName
// before the store is touched, so that whichever store is in place after a
// kill, the vault holds keys that open it; CommitStaged makes them the keys
// once the new store is in place, DropStaged forgets them when the re-key
// is undone.

// stagedName is the Extra entry holding the next keys during a re-key:
// Master, Record and Index concatenated.
const stagedName = "rekey-next"

// StageKeys unlocks the vault with password and keeps next's Master, Record
// and Index in the payload beside the current keys, replacing keys staged
// earlier. The current keys are unchanged. A wrong password gives an error
// wrapping data.ErrWrongPassword and writes nothing.
func StageKeys(dir, password string, next *Keys) error {
	if len(next.Master) != masterLen || len(next.Record) != recordLen || len(next.Index) != indexLen {
		return fmt.Errorf("vault: staged key sizes %d/%d/%d: %w",
			len(next.Master), len(next.Record), len(next.Index), data.ErrInvalid)
	}
	return rewritePayload(dir, password, func(k *Keys) error {
		if old, ok := k.Extra[stagedName]; ok {
			clear(old)
		}
		v := make([]byte, 0, masterLen+recordLen+indexLen)
		v = append(append(append(v, next.Master...), next.Record...), next.Index...)
		k.Extra[stagedName] = v
		return nil
	})
}

// Staged returns the keys StageKeys kept in k (copies, with an empty
// Extra), or false when none are staged.
func Staged(k *Keys) (*Keys, bool) {
	v, ok := k.Extra[stagedName]
	if !ok || len(v) != masterLen+recordLen+indexLen {
		return nil, false
	}
	return &Keys{
		Master: bytes.Clone(v[:masterLen]),
		Record: bytes.Clone(v[masterLen : masterLen+recordLen]),
		Index:  bytes.Clone(v[masterLen+recordLen:]),
		Extra:  map[string][]byte{},
	}, true
}

// CommitStaged unlocks the vault with password and makes the staged keys
// the keys, dropping the old ones and the journal entry; the other Extra
// entries stay. It refuses with data.ErrNotFound when no keys are staged.
// A wrong password gives an error wrapping data.ErrWrongPassword and writes
// nothing.
func CommitStaged(dir, password string) error {
	return rewritePayload(dir, password, func(k *Keys) error {
		next, ok := Staged(k)
		if !ok {
			return fmt.Errorf("vault: no staged keys to commit: %w", data.ErrNotFound)
		}
		clear(k.Master)
		clear(k.Record)
		clear(k.Index)
		k.Master, k.Record, k.Index = next.Master, next.Record, next.Index
		clear(k.Extra[stagedName])
		delete(k.Extra, stagedName)
		return nil
	})
}

// DropStaged unlocks the vault with password and forgets the staged keys,
// if any; the keys are unchanged. A wrong password gives an error wrapping
// data.ErrWrongPassword and writes nothing.
func DropStaged(dir, password string) error {
	return rewritePayload(dir, password, func(k *Keys) error {
		ForgetStaged(k)
		return nil
	})
}

// rewritePayload unlocks the vault with password, lets change edit its
// keys and seals the payload again with a fresh nonce, keeping both wraps.
// save's self-check makes sure the written file opens to exactly the
// changed keys.
func rewritePayload(dir, password string, change func(*Keys) error) error {
	secret := []byte(password)
	defer clear(secret)
	u, _, err := unlock(dir, rolePassword, secret)
	if err != nil {
		return err
	}
	defer u.wipe()
	if err := change(u.keys); err != nil {
		return err
	}
	nonce, payload, err := sealPayload(u.vaultKey, u.keys)
	if err != nil {
		return err
	}
	b := *u.body
	b.Nonce, b.Payload = nonce, payload
	content, err := encodeFile(&b)
	if err != nil {
		return err
	}
	return save(dir, content, u.vaultKey, u.keys, rolePassword, nil)
}

// ForgetStaged removes the staged keys from k in memory (wiping them), as
// DropStaged does in the file.
func ForgetStaged(k *Keys) {
	if v, ok := k.Extra[stagedName]; ok {
		clear(v)
		delete(k.Extra, stagedName)
	}
}
