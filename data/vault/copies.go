package vault

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"baomi/data"
	"baomi/data/safefile"
)

// This file decides which of the two copies of the vault file unlocks, and
// reports (and, on request, repairs) the other one.
//
// Both copies are tried before a secret is called wrong: a copy replaced by
// another unit's vault, or one holding an older password after an
// interrupted save, must not hide an intact copy the secret opens.
//
// Which copy wins when both open. save writes the primary first and the
// backup only once the new primary is durable, so when the two intact
// copies of one vault differ, the backup holds the content of the last save
// that completed and the primary that of a save that was interrupted (a
// crash, or a failed backup write that was reported to the user as a
// failure). Nobody was told that the interrupted save succeeded; its new
// recovery code was never shown, its new Extra never used. So when the
// secret opens both copies, the backup wins and the primary is rewritten
// from it: rolling forward instead would, after an interrupted
// NewRecoveryCode, silently kill the recovery code the user holds in favour
// of one nobody has seen. When the secret opens one copy only (after an
// interrupted ChangePassword, the copy whose password the user typed), that
// copy wins: it is the only one the user can open, so rewriting the other
// from it never locks the user out.

// CopyState describes the copy of the vault file that did not unlock,
// compared with the one that did.
type CopyState int

const (
	// CopySame means both copies hold the same content.
	CopySame CopyState = iota
	// CopyMissing means the other copy does not exist.
	CopyMissing
	// CopyDamaged means the other copy does not parse, fails its SM3
	// checksum, or its keys do not authenticate.
	CopyDamaged
	// CopyUnreadable means the other copy exists but could not be read
	// (permissions, a disk error); it is not rewritten automatically.
	CopyUnreadable
	// CopyStale means the other copy is an intact copy of the same vault
	// (same vault key) with other content: a save was interrupted between
	// the two copies.
	CopyStale
	// CopyForeign means the other copy is an intact vault that the secret
	// does not open and whose keys differ: another unit's vault, most
	// likely copied over this one.
	CopyForeign
)

// Report says how the two copies of the vault file stood when it was
// unlocked: which copy unlocked and what the other was. Unlock returns one
// with every success; Repair rewrites the other copy and Notice words the
// outcome for the user.
type Report struct {
	Used  string    // the copy that unlocked: FileName or BackupName
	Other string    // the other copy
	State CopyState // the other copy's state

	good      []byte // Used's bytes as read
	seen      []byte // Other's bytes as read (nil when missing or unreadable)
	repaired  bool
	repairErr error
}

// NeedsRepair reports whether Repair would rewrite the other copy: it is
// missing, damaged, stale or foreign and has not been rewritten yet.
func (r *Report) NeedsRepair() bool {
	if r == nil || r.repaired {
		return false
	}
	switch r.State {
	case CopyMissing, CopyDamaged, CopyStale, CopyForeign:
		return true
	}
	return false
}

// savedBoth records that a write path has just written both copies.
func (r *Report) savedBoth() {
	if r.State != CopySame {
		r.repaired = true
	}
}

// Repaired reports whether the other copy has been rewritten from the one
// that unlocked.
func (r *Report) Repaired() bool { return r != nil && r.repaired }

// describe names a copy for the user.
func describe(name string) string {
	if name == BackupName {
		return "备份 " + name
	}
	return "密钥文件 " + name
}

// Notice returns one Chinese sentence telling the user what was wrong with
// the other copy and what was done about it, or "" when both copies were
// the same. Before Repair it says the copy will be rewritten once the data
// folder's store has opened (Baomi repairs a foreign copy only then, see
// CopyForeign); after a failed Repair it says the next unlock tries again.
func (r *Report) Notice() string {
	if r == nil {
		return ""
	}
	used, other := describe(r.Used), describe(r.Other)
	var subject string
	fromUnlocked := "已用本次解锁的" + used + " 重新写好" + other + "。"
	switch r.State {
	case CopyMissing:
		subject, fromUnlocked = other+" 缺失", "已用"+used+" 重新写好。"
	case CopyDamaged:
		subject, fromUnlocked = other+" 已损坏", "已用"+used+" 重新写好。"
	case CopyUnreadable:
		subject = "无法读取" + other
	case CopyStale:
		subject = other + " 与" + used + " 不一致（上次保存可能被中断）"
	case CopyForeign:
		subject = other + " 是另一套密钥，不属于此数据目录"
	default:
		return ""
	}
	switch {
	case r.repaired:
		return subject + "，" + fromUnlocked
	case r.State == CopyUnreadable:
		return subject + "，本次用" + used + " 解锁。请检查该文件的权限和所在磁盘。"
	case r.repairErr != nil:
		return subject + "，本次用" + used + " 解锁，但未能重新写好" + other + "，下次解锁时会再试。"
	default:
		return subject + "，本次用" + used + " 解锁；数据库打开后会用它重新写好" + other + "。"
	}
}

// Repair rewrites the other copy with the exact bytes of the copy that
// unlocked (atomically, through safefile) if r.NeedsRepair. The caller must
// hold the data folder's lock. Repair first checks that neither copy has
// changed since Unlock read it and writes nothing if one has. On failure the
// error is also remembered for Notice.
func Repair(dir string, r *Report) error {
	if !r.NeedsRepair() {
		return nil
	}
	err := repair(dir, r)
	r.repairErr = err
	return err
}

func repair(dir string, r *Report) error {
	cur, err := readRaw(filepath.Join(dir, r.Used))
	if err != nil || !bytes.Equal(cur, r.good) {
		return fmt.Errorf("vault: repair: %s changed since it was read: %w", r.Used, data.ErrConflict)
	}
	cur, err = readRaw(filepath.Join(dir, r.Other))
	if r.State == CopyMissing {
		if !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("vault: repair: %s appeared since it was read: %w", r.Other, data.ErrConflict)
		}
	} else if err != nil || !bytes.Equal(cur, r.seen) {
		return fmt.Errorf("vault: repair: %s changed since it was read: %w", r.Other, data.ErrConflict)
	}
	if err := safefile.Write(filepath.Join(dir, r.Other), r.good, filePerm); err != nil {
		return fmt.Errorf("vault: repair %s: %w", r.Other, err)
	}
	r.repaired = true
	return nil
}

// copyRead is one copy of the vault file as read.
type copyRead struct {
	name string
	raw  []byte    // the bytes read; nil if missing or unreadable
	body *bodyJSON // non-nil if the copy parses and its checksum holds
	err  error     // why body is nil: wraps fs.ErrNotExist, data.ErrCorrupt, or an I/O error
}

func (c *copyRead) missing() bool { return errors.Is(c.err, fs.ErrNotExist) }

func (c *copyRead) damaged() bool { return errors.Is(c.err, data.ErrCorrupt) }

// readRaw reads at most maxFileSize+1 bytes of path.
func readRaw(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, maxFileSize+1))
}

// readCopy reads and parses the copy name in dir.
func readCopy(dir, name string) *copyRead {
	c := &copyRead{name: name}
	raw, err := readRaw(filepath.Join(dir, name))
	if err != nil {
		c.err = err
		return c
	}
	c.raw = raw
	b, err := parseFile(raw)
	if err != nil {
		c.err = fmt.Errorf("%s: %w", name, err)
		return c
	}
	c.body = b
	return c
}

// unlocked is a vault opened with one of its secrets.
type unlocked struct {
	body     *bodyJSON
	vaultKey []byte
	keys     *Keys
}

func (u *unlocked) wipe() {
	if u != nil {
		clear(u.vaultKey)
		u.keys.Wipe()
	}
}

// openBody opens b with secret through the wrap for role. Errors wrap
// data.ErrWrongPassword (the wrap does not open) or data.ErrCorrupt (the
// wrap opens but the payload does not).
func openBody(b *bodyJSON, role string, secret []byte) (*unlocked, error) {
	vk, err := unwrap(b.wrap(role), secret, role)
	if err != nil {
		return nil, err
	}
	return openBodyWithKey(b, vk)
}

// openBodyWithKey opens b's payload with the vault key vk, which it takes
// over (and wipes on failure).
func openBodyWithKey(b *bodyJSON, vk []byte) (*unlocked, error) {
	keys, err := openPayload(vk, b)
	if err != nil {
		clear(vk)
		return nil, err
	}
	return &unlocked{body: b, vaultKey: vk, keys: keys}, nil
}

func sameWrap(a, b *wrapJSON) bool {
	return a.KDF == b.KDF && bytes.Equal(a.Salt, b.Salt) && a.params() == b.params() &&
		bytes.Equal(a.Nonce, b.Nonce) && bytes.Equal(a.Wrapped, b.Wrapped)
}

// unlock reads both copies of the vault in dir and opens them with secret
// through the wrap for role, following the rules at the top of this file.
// It writes nothing. The Report is non-nil whenever the error is nil.
func unlock(dir, role string, secret []byte) (*unlocked, *Report, error) {
	p, b := readCopy(dir, FileName), readCopy(dir, BackupName)
	if p.missing() && b.missing() {
		return nil, nil, fmt.Errorf("vault: no %s in %s: %w", FileName, dir, data.ErrNotSetUp)
	}
	if p.body != nil && b.body != nil && checksum(p.body) == checksum(b.body) {
		// Same content (the bytes may differ in harmless ways such as the
		// case of a JSON key): one key derivation serves both.
		u, err := openBody(p.body, role, secret)
		if err != nil {
			return nil, nil, err
		}
		return u, &Report{Used: FileName, Other: BackupName, State: CopySame, good: p.raw, seen: b.raw}, nil
	}

	var up, ub *unlocked
	var ep, eb error
	if p.body != nil {
		up, ep = openBody(p.body, role, secret)
	}
	if b.body != nil {
		// An identical wrap gives the same answer without a second,
		// deliberately slow, key derivation.
		switch same := p.body != nil && sameWrap(p.body.wrap(role), b.body.wrap(role)); {
		case same && up != nil:
			ub, eb = openBodyWithKey(b.body, bytes.Clone(up.vaultKey))
		case same && errors.Is(ep, data.ErrWrongPassword):
			eb = ep
		default:
			ub, eb = openBody(b.body, role, secret)
		}
	}

	switch {
	case up != nil && ub != nil:
		if !bytes.Equal(up.vaultKey, ub.vaultKey) {
			up.wipe()
			ub.wipe()
			return nil, nil, data.Userf(corruptf("%s and %s are two different vaults that both open", FileName, BackupName),
				"密钥文件 %s 与备份 %s 是两套不同的密钥，都能用这个密码打开，无法判断哪一套属于此数据目录。请从备份恢复正确的密钥文件。",
				FileName, BackupName)
		}
		up.wipe()
		return ub, &Report{Used: BackupName, Other: FileName, State: CopyStale, good: b.raw, seen: p.raw}, nil
	case up != nil:
		return up, report(p, b, eb, up.vaultKey), nil
	case ub != nil:
		return ub, report(b, p, ep, ub.vaultKey), nil
	}

	// Neither copy opens. A secret is wrong only if it was tried on every
	// intact copy and opened none.
	for _, err := range []error{ep, eb} {
		if errors.Is(err, data.ErrWrongPassword) {
			return nil, nil, err
		}
	}
	for _, c := range []*copyRead{p, b} {
		if c.err != nil && !c.missing() && !c.damaged() {
			return nil, nil, data.Userf(fmt.Errorf("vault: read %s: %w", c.name, c.err),
				"无法读取密钥文件 %s。请检查该文件的权限和所在磁盘。", filepath.Join(dir, c.name))
		}
	}
	return nil, nil, data.Userf(fmt.Errorf("vault: %w (%s: %v; %s: %v)",
		data.ErrCorrupt, FileName, firstErr(p.err, ep), BackupName, firstErr(b.err, eb)), msgCorrupt)
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// report describes other, the copy that did not unlock, against used, the
// one that did with vault key vk. otherErr is why other did not unlock if it
// was intact.
func report(used, other *copyRead, otherErr error, vk []byte) *Report {
	r := &Report{Used: used.name, Other: other.name, good: used.raw, seen: other.raw}
	switch {
	case other.missing():
		r.State = CopyMissing
	case other.damaged():
		r.State = CopyDamaged
	case other.body == nil:
		r.State = CopyUnreadable
	case errors.Is(otherErr, data.ErrCorrupt): // its wrap opened, its payload did not
		r.State = CopyDamaged
	default:
		// Its wrap did not open with this secret. If its payload opens
		// under this vault key it is the same vault with another password
		// wrap (an interrupted ChangePassword); otherwise another vault.
		if plain, err := unseal(vk, other.body.Nonce, other.body.Payload, payloadAAD); err == nil {
			clear(plain)
			r.State = CopyStale
		} else {
			r.State = CopyForeign
		}
	}
	return r
}

// Unlock is Open that also reports the state of the two copies: which one
// unlocked and whether the other is missing, damaged, stale or foreign. It
// writes nothing; pass the report to Repair (holding the folder's lock) to
// rewrite the other copy, and show its Notice.
func Unlock(dir, password string) (*Keys, *Report, error) {
	secret := []byte(password)
	defer clear(secret)
	u, r, err := unlock(dir, rolePassword, secret)
	if err != nil {
		return nil, nil, err
	}
	clear(u.vaultKey)
	return u.keys, r, nil
}

// UnlockWithRecovery is Unlock with the recovery code (matched as in
// OpenWithRecovery) instead of the password.
func UnlockWithRecovery(dir, code string) (*Keys, *Report, error) {
	secret := []byte(normaliseRecoveryCode(code))
	defer clear(secret)
	u, r, err := unlock(dir, roleRecovery, secret)
	if err != nil {
		return nil, nil, err
	}
	clear(u.vaultKey)
	return u.keys, r, nil
}
