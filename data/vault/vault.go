// Package vault keeps Baomi's keyring: the random keys that encrypt the
// store, sealed under the user's password and, separately, under a recovery
// code shown once at setup.
//
// # Construction
//
// A random 16-byte vault key K encrypts the payload (the JSON of Keys) with
// SM4-GCM. K itself is stored twice, each time wrapped with SM4-GCM under a
// key-encryption key derived by Argon2id: once from the password and once
// from the recovery code, each wrap with its own salt, parameters and nonce.
// Changing the password rewraps K only; the data keys stay, so an old copy
// of the file with the old password still opens the data. Re-keying
// (StageKeys, CommitStaged in rekey.go) replaces the data keys under the
// same K, so the password and the recovery code keep working.
//
// # File
//
// The vault is a small JSON file, FileName, with an identical copy,
// BackupName, in the same folder. Besides the wraps and the payload it holds
// a "format" field and an "sm3" field: the hex SM3 digest of the canonical
// (compact encoding/json) form of every other field. The digest is not a
// secret-keyed MAC; its job is to tell a damaged file apart from a wrong
// password. A copy that does not parse or whose digest fails is corrupt.
// Both copies are tried: a secret is wrong only if it opens no intact copy.
// Which copy wins when they differ is explained in copies.go.
//
// Open and Unlock never write; Unlock reports the state of the copy that did
// not unlock and Repair rewrites it from the one that did. Create,
// ChangePassword, ResetPassword, SetExtra and NewRecoveryCode write the new
// content to both copies, primary first, so they also repair a bad copy.
// Callers must serialise write paths, Repair included (Baomi holds a lock on
// the data folder).
package vault

import (
	"bytes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/emmansun/gmsm/sm3"
	"github.com/emmansun/gmsm/sm4"

	"baomi/data"
	"baomi/data/safefile"
)

// FileName is the vault file's name inside the data folder.
const FileName = "vault.json"

// BackupName is the name of the vault file's backup copy, kept beside it.
const BackupName = "vault.json.bak"

const (
	formatV1    = "baomi-vault-1"
	kdfArgon2id = "argon2id"

	vaultKeyLen = 16 // SM4 key
	kekLen      = 16 // SM4 key
	saltLen     = 16
	nonceLen    = 12
	tagLen      = 16

	masterLen = 32
	recordLen = 16
	indexLen  = 32

	maxFileSize = 1 << 20
	filePerm    = 0o600
)

// Wrap roles; each is bound into its wrap's AAD so a password wrap cannot be
// passed off as a recovery wrap or the other way round.
const (
	rolePassword = "password"
	roleRecovery = "recovery"
)

var payloadAAD = []byte(formatV1 + "\x00payload")

func wrapAAD(role string) []byte { return []byte(formatV1 + "\x00wrap\x00" + role) }

// msgCorrupt is shown when neither copy of the vault file can be used.
const msgCorrupt = "密钥文件已损坏，请从备份恢复。"

// Keys is the keyring's content.
type Keys struct {
	Master []byte            // 32 random bytes: Badger's encryption key
	Record []byte            // 16 random bytes: SM4-GCM key for every stored value
	Index  []byte            // 32 random bytes: HMAC-SM3 key for index keys
	Extra  map[string][]byte // keys later features add (e.g. "sm2-private")
}

// NewKeys returns fresh random Master, Record and Index keys from
// crypto/rand and an empty, non-nil Extra.
func NewKeys() (*Keys, error) {
	k := &Keys{
		Master: make([]byte, masterLen),
		Record: make([]byte, recordLen),
		Index:  make([]byte, indexLen),
		Extra:  map[string][]byte{},
	}
	for _, b := range [][]byte{k.Master, k.Record, k.Index} {
		if _, err := rand.Read(b); err != nil {
			return nil, fmt.Errorf("vault: random keys: %w", err)
		}
	}
	return k, nil
}

// Wipe overwrites every key byte with zeros, in place. Slices handed out
// earlier see the zeros too. Wipe on a nil *Keys does nothing.
func (k *Keys) Wipe() {
	if k == nil {
		return
	}
	clear(k.Master)
	clear(k.Record)
	clear(k.Index)
	for _, v := range k.Extra {
		clear(v)
	}
}

// payloadJSON is the plaintext of the payload. It is separate from Keys so
// that the file format does not change by accident when Keys grows.
type payloadJSON struct {
	Master []byte            `json:"master"`
	Record []byte            `json:"record"`
	Index  []byte            `json:"index"`
	Extra  map[string][]byte `json:"extra"`
}

// wrapJSON is the vault key wrapped under one secret.
type wrapJSON struct {
	KDF       string `json:"kdf"`
	Salt      []byte `json:"salt"`
	Time      uint32 `json:"time"`
	MemoryKiB uint32 `json:"memory_kib"`
	Threads   uint8  `json:"threads"`
	Nonce     []byte `json:"nonce"`
	Wrapped   []byte `json:"wrapped"`
}

func (w *wrapJSON) params() KDFParams {
	return KDFParams{Time: w.Time, MemoryKiB: w.MemoryKiB, Threads: w.Threads}
}

func (w *wrapJSON) validate() error {
	switch {
	case w.KDF != kdfArgon2id:
		return fmt.Errorf("unknown kdf %q", w.KDF)
	case len(w.Salt) != saltLen:
		return fmt.Errorf("salt is %d bytes", len(w.Salt))
	case len(w.Nonce) != nonceLen:
		return fmt.Errorf("nonce is %d bytes", len(w.Nonce))
	case len(w.Wrapped) != vaultKeyLen+tagLen:
		return fmt.Errorf("wrapped key is %d bytes", len(w.Wrapped))
	}
	return w.params().validate()
}

// bodyJSON is everything in the file that the checksum covers.
type bodyJSON struct {
	Format   string   `json:"format"`
	Password wrapJSON `json:"password"`
	Recovery wrapJSON `json:"recovery"`
	Nonce    []byte   `json:"nonce"`
	Payload  []byte   `json:"payload"`
}

func (b *bodyJSON) wrap(role string) *wrapJSON {
	if role == roleRecovery {
		return &b.Recovery
	}
	return &b.Password
}

func (b *bodyJSON) validate() error {
	if b.Format != formatV1 {
		return fmt.Errorf("unknown format %q", b.Format)
	}
	if err := b.Password.validate(); err != nil {
		return fmt.Errorf("password wrap: %w", err)
	}
	if err := b.Recovery.validate(); err != nil {
		return fmt.Errorf("recovery wrap: %w", err)
	}
	if len(b.Nonce) != nonceLen {
		return fmt.Errorf("payload nonce is %d bytes", len(b.Nonce))
	}
	if len(b.Payload) < tagLen {
		return fmt.Errorf("payload is %d bytes", len(b.Payload))
	}
	return nil
}

// fileJSON is the file on disk: the body's fields plus its checksum.
type fileJSON struct {
	bodyJSON
	SM3 string `json:"sm3"`
}

// checksum returns the hex SM3 digest of the canonical encoding of b.
func checksum(b *bodyJSON) string {
	canon, err := json.Marshal(b)
	if err != nil { // cannot happen: only strings, numbers and byte slices
		panic("vault: marshal body: " + err.Error())
	}
	sum := sm3.Sum(canon)
	return hex.EncodeToString(sum[:])
}

// encodeFile returns the bytes of the vault file holding b.
func encodeFile(b *bodyJSON) ([]byte, error) {
	out, err := json.MarshalIndent(fileJSON{bodyJSON: *b, SM3: checksum(b)}, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("vault: encode file: %w", err)
	}
	return append(out, '\n'), nil
}

// corruptf returns an error wrapping data.ErrCorrupt.
func corruptf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", data.ErrCorrupt, fmt.Sprintf(format, args...))
}

// parseFile checks raw and returns its body. Every error wraps
// data.ErrCorrupt.
func parseFile(raw []byte) (*bodyJSON, error) {
	if len(raw) > maxFileSize {
		return nil, corruptf("file is %d bytes", len(raw))
	}
	var f fileJSON
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, corruptf("parse: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, corruptf("data after the JSON object")
	}
	if f.SM3 != checksum(&f.bodyJSON) {
		return nil, corruptf("sm3 checksum mismatch")
	}
	if err := f.bodyJSON.validate(); err != nil {
		return nil, corruptf("%v", err)
	}
	return &f.bodyJSON, nil
}

func newGCM(key []byte) (cipher.AEAD, error) {
	block, err := sm4.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// seal encrypts plaintext with SM4-GCM under key and a fresh random nonce.
func seal(key, plaintext, aad []byte) (nonce, ciphertext []byte, err error) {
	aead, err := newGCM(key)
	if err != nil {
		return nil, nil, err
	}
	nonce = make([]byte, nonceLen)
	if _, err := rand.Read(nonce); err != nil {
		return nil, nil, err
	}
	return nonce, aead.Seal(nil, nonce, plaintext, aad), nil
}

// unseal decrypts and authenticates an SM4-GCM ciphertext.
func unseal(key, nonce, ciphertext, aad []byte) ([]byte, error) {
	aead, err := newGCM(key)
	if err != nil {
		return nil, err
	}
	return aead.Open(nil, nonce, ciphertext, aad)
}

// newWrap wraps vaultKey under a fresh KEK derived from secret. It returns
// the wrap and the KEK; the caller wipes the KEK.
func newWrap(vaultKey, secret []byte, p KDFParams, role string) (wrapJSON, []byte, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return wrapJSON{}, nil, fmt.Errorf("vault: random salt: %w", err)
	}
	kek := deriveKEK(secret, salt, p)
	nonce, wrapped, err := seal(kek, vaultKey, wrapAAD(role))
	if err != nil {
		clear(kek)
		return wrapJSON{}, nil, fmt.Errorf("vault: wrap key: %w", err)
	}
	return wrapJSON{
		KDF: kdfArgon2id, Salt: salt,
		Time: p.Time, MemoryKiB: p.MemoryKiB, Threads: p.Threads,
		Nonce: nonce, Wrapped: wrapped,
	}, kek, nil
}

// unwrapWithKEK returns the vault key held by w, or an error if kek does not
// open it.
func unwrapWithKEK(w *wrapJSON, kek []byte, role string) ([]byte, error) {
	return unseal(kek, w.Nonce, w.Wrapped, wrapAAD(role))
}

// unwrap derives the KEK from secret and returns the vault key, or an error
// wrapping data.ErrWrongPassword.
func unwrap(w *wrapJSON, secret []byte, role string) ([]byte, error) {
	kek := deriveKEK(secret, w.Salt, w.params())
	defer clear(kek)
	k, err := unwrapWithKEK(w, kek, role)
	if err != nil {
		if role == roleRecovery {
			return nil, fmt.Errorf("vault: recovery code does not unlock: %w", data.ErrWrongPassword)
		}
		return nil, fmt.Errorf("vault: password does not unlock: %w", data.ErrWrongPassword)
	}
	return k, nil
}

// sealPayload encrypts k under the vault key with a fresh nonce.
func sealPayload(vaultKey []byte, k *Keys) (nonce, ciphertext []byte, err error) {
	plain, err := json.Marshal(payloadJSON{Master: k.Master, Record: k.Record, Index: k.Index, Extra: k.Extra})
	if err != nil {
		return nil, nil, fmt.Errorf("vault: encode keys: %w", err)
	}
	defer clear(plain)
	nonce, ciphertext, err = seal(vaultKey, plain, payloadAAD)
	if err != nil {
		return nil, nil, fmt.Errorf("vault: seal keys: %w", err)
	}
	return nonce, ciphertext, nil
}

// openPayload decrypts the keys in b. Since the wrap has already proved the
// vault key right, any failure here means the file was damaged in a way the
// checksum did not catch (or forged), so errors wrap data.ErrCorrupt.
func openPayload(vaultKey []byte, b *bodyJSON) (*Keys, error) {
	plain, err := unseal(vaultKey, b.Nonce, b.Payload, payloadAAD)
	if err != nil {
		return nil, data.Userf(corruptf("payload does not authenticate"), msgCorrupt)
	}
	defer clear(plain)
	var p payloadJSON
	dec := json.NewDecoder(bytes.NewReader(plain))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return nil, data.Userf(corruptf("payload: %v", err), msgCorrupt)
	}
	k := &Keys{Master: p.Master, Record: p.Record, Index: p.Index, Extra: p.Extra}
	if len(k.Master) != masterLen || len(k.Record) != recordLen || len(k.Index) != indexLen {
		k.Wipe()
		return nil, data.Userf(corruptf("payload key sizes %d/%d/%d",
			len(k.Master), len(k.Record), len(k.Index)), msgCorrupt)
	}
	if k.Extra == nil {
		k.Extra = map[string][]byte{}
	}
	return k, nil
}

// save checks content and writes it to both copies.
//
// Before writing, content is decoded again and its payload (and,
// if kek is given, the wrap for role) is opened, so that a bug can never
// replace a good vault with one that does not open.
//
// Order and crash safety: the write paths start only after load found an
// intact copy holding the old content. safefile.Write leaves each file
// holding either its old bytes or the complete new bytes. The primary is
// written first; while that happens both copies are untouched, so the copy
// just loaded is still intact (old content). The backup is written only once
// the new primary is durable; while that happens the primary is intact (new
// content). So at every kill point at least one intact copy holds either the
// old or the new content. Primary first, so that whenever the two intact
// copies of one vault differ, the backup holds the last save that completed:
// unlock relies on that when the secret opens both (copies.go).
func save(dir string, content, vaultKey []byte, want *Keys, role string, kek []byte) error {
	b, err := parseFile(content)
	if err != nil {
		return fmt.Errorf("vault: self-check: %w", err)
	}
	got, err := openPayload(vaultKey, b)
	if err != nil {
		return fmt.Errorf("vault: self-check: %w", err)
	}
	same := keysEqual(got, want)
	got.Wipe()
	if !same {
		return errors.New("vault: self-check: keys differ after encoding")
	}
	if kek != nil {
		vk, err := unwrapWithKEK(b.wrap(role), kek, role)
		if err != nil || !bytes.Equal(vk, vaultKey) {
			return errors.New("vault: self-check: new wrap does not open")
		}
		clear(vk)
	}
	if err := safefile.Write(filepath.Join(dir, FileName), content, filePerm); err != nil {
		return fmt.Errorf("vault: %w", err)
	}
	if err := safefile.Write(filepath.Join(dir, BackupName), content, filePerm); err != nil {
		return fmt.Errorf("vault: %w", err)
	}
	return nil
}

func keysEqual(a, b *Keys) bool {
	if !bytes.Equal(a.Master, b.Master) || !bytes.Equal(a.Record, b.Record) ||
		!bytes.Equal(a.Index, b.Index) || len(a.Extra) != len(b.Extra) {
		return false
	}
	for name, v := range a.Extra {
		w, ok := b.Extra[name]
		if !ok || !bytes.Equal(v, w) {
			return false
		}
	}
	return true
}

// checkNewPassword rejects an empty password. Strength rules are the
// caller's business.
func checkNewPassword(pw string) error {
	if pw == "" {
		return data.Userf(fmt.Errorf("vault: empty password: %w", data.ErrInvalid), "密码不能为空。")
	}
	return nil
}

// Exists reports whether dir holds the vault file or its backup (in any
// state). A copy that cannot be checked, for example for lack of permission,
// counts as present, so that Create never overwrites it.
func Exists(dir string) bool {
	for _, name := range []string{FileName, BackupName} {
		if _, err := os.Lstat(filepath.Join(dir, name)); !errors.Is(err, fs.ErrNotExist) {
			return true
		}
	}
	return false
}

// Create sets up a new vault in dir (creating dir if needed): fresh random
// Keys, a random recovery code, the vault sealed under password and under the
// code with Argon2id parameters p, written to FileName and BackupName. It
// returns the keys and the recovery code as 25 ungrouped symbols (show it
// with FormatRecoveryCode). It refuses, with an error wrapping
// data.ErrConflict, if a vault already exists, and with one wrapping
// data.ErrInvalid if password is empty or p is out of range. If writing
// fails, Create removes what it wrote.
func Create(dir, password string, p KDFParams) (keys *Keys, recoveryCode string, err error) {
	if err := checkNewPassword(password); err != nil {
		return nil, "", err
	}
	if err := p.validate(); err != nil {
		return nil, "", err
	}
	if Exists(dir) {
		return nil, "", data.Userf(fmt.Errorf("vault: %s already exists in %s: %w", FileName, dir, data.ErrConflict),
			"此数据目录已经设置过密码，不能重复设置。")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, "", fmt.Errorf("vault: %w", err)
	}

	keys, err = NewKeys()
	if err != nil {
		return nil, "", err
	}
	vaultKey := make([]byte, vaultKeyLen)
	defer clear(vaultKey)
	if _, err := rand.Read(vaultKey); err != nil {
		return nil, "", fmt.Errorf("vault: random vault key: %w", err)
	}
	code, err := newRecoveryCode()
	if err != nil {
		return nil, "", err
	}

	// The code is already normal; normalising it here too keeps Create's
	// wrap and OpenWithRecovery on the one definition of what counts.
	pwSecret, codeSecret := []byte(password), []byte(normaliseRecoveryCode(code))
	defer clear(pwSecret)
	defer clear(codeSecret)
	pwWrap, pwKEK, err := newWrap(vaultKey, pwSecret, p, rolePassword)
	if err != nil {
		return nil, "", err
	}
	defer clear(pwKEK)
	rcWrap, rcKEK, err := newWrap(vaultKey, codeSecret, p, roleRecovery)
	if err != nil {
		return nil, "", err
	}
	clear(rcKEK)
	nonce, payload, err := sealPayload(vaultKey, keys)
	if err != nil {
		return nil, "", err
	}
	content, err := encodeFile(&bodyJSON{
		Format: formatV1, Password: pwWrap, Recovery: rcWrap, Nonce: nonce, Payload: payload,
	})
	if err != nil {
		return nil, "", err
	}
	if err := save(dir, content, vaultKey, keys, rolePassword, pwKEK); err != nil {
		// Nothing existed before, so nothing of value is lost by removing
		// a half-written vault; leaving it would block a retry.
		_ = os.Remove(filepath.Join(dir, FileName))
		_ = os.Remove(filepath.Join(dir, BackupName))
		keys.Wipe()
		return nil, "", err
	}
	return keys, code, nil
}

// Open unlocks the vault in dir with password and returns its keys. It
// writes nothing, not even to repair a damaged copy (Unlock reports the
// copies' state and Repair rewrites a bad one). Both copies are tried:
// errors wrap data.ErrWrongPassword only if password opens no intact copy,
// data.ErrNotSetUp if neither copy exists, and data.ErrCorrupt if no copy is
// intact (or both open but hold different vaults).
func Open(dir, password string) (*Keys, error) {
	k, _, err := Unlock(dir, password)
	return k, err
}

// OpenWithRecovery is Open with the recovery code instead of the password.
// The code is matched ignoring case, spaces and dashes; full-width
// characters and Crockford look-alikes (I, L for 1; O for 0) are accepted.
func OpenWithRecovery(dir, code string) (*Keys, error) {
	k, _, err := UnlockWithRecovery(dir, code)
	return k, err
}

// ChangePassword replaces the password wrap: it unlocks the vault with
// oldPassword and wraps the same vault key under newPassword with Argon2id
// parameters p. The keys and the recovery code are unchanged. A wrong
// oldPassword gives an error wrapping data.ErrWrongPassword and writes
// nothing.
func ChangePassword(dir, oldPassword, newPassword string, p KDFParams) error {
	secret := []byte(oldPassword)
	defer clear(secret)
	_, err := rewrapPassword(dir, rolePassword, secret, newPassword, p)
	return err
}

// ResetPassword sets a new password for a user who has forgotten the old
// one: it unlocks the vault with recoveryCode (matched as in
// OpenWithRecovery) and wraps the vault key under newPassword with Argon2id
// parameters p. The keys and the recovery code are unchanged. A wrong code
// gives an error wrapping data.ErrWrongPassword and writes nothing.
func ResetPassword(dir, recoveryCode, newPassword string, p KDFParams) error {
	_, err := ResetPasswordReport(dir, recoveryCode, newPassword, p)
	return err
}

// ResetPasswordReport is ResetPassword that also reports the state the
// copies were in before it wrote both of them: a missing, damaged, stale,
// foreign or unreadable copy has been rewritten (the Report says Repaired)
// and its Notice tells the user so.
func ResetPasswordReport(dir, recoveryCode, newPassword string, p KDFParams) (*Report, error) {
	secret := []byte(normaliseRecoveryCode(recoveryCode))
	defer clear(secret)
	return rewrapPassword(dir, roleRecovery, secret, newPassword, p)
}

func rewrapPassword(dir, role string, secret []byte, newPassword string, p KDFParams) (*Report, error) {
	if err := checkNewPassword(newPassword); err != nil {
		return nil, err
	}
	if err := p.validate(); err != nil {
		return nil, err
	}
	u, r, err := unlock(dir, role, secret)
	if err != nil {
		return nil, err
	}
	defer u.wipe()
	newSecret := []byte(newPassword)
	defer clear(newSecret)
	w, kek, err := newWrap(u.vaultKey, newSecret, p, rolePassword)
	if err != nil {
		return nil, err
	}
	defer clear(kek)
	b := *u.body
	b.Password = w
	content, err := encodeFile(&b)
	if err != nil {
		return nil, err
	}
	if err := save(dir, content, u.vaultKey, u.keys, rolePassword, kek); err != nil {
		return nil, err
	}
	r.savedBoth()
	return r, nil
}

// SetExtra unlocks the vault with password and stores value (copied) under
// name in Keys.Extra, replacing any earlier value. The payload is encrypted
// again with a fresh nonce; the password and recovery wraps are unchanged.
// An empty name gives an error wrapping data.ErrInvalid; a wrong password
// one wrapping data.ErrWrongPassword, and nothing is written.
func SetExtra(dir, password, name string, value []byte) error {
	if name == "" {
		return fmt.Errorf("vault: empty extra key name: %w", data.ErrInvalid)
	}
	return rewritePayload(dir, password, func(k *Keys) error {
		if old, ok := k.Extra[name]; ok {
			clear(old)
		}
		k.Extra[name] = bytes.Clone(value)
		return nil
	})
}

// NewRecoveryCode replaces the recovery wrap: it unlocks the vault with
// password and wraps the vault key under a fresh random recovery code with
// Argon2id parameters p, and returns that code (25 characters, ungrouped).
// The old recovery code stops working; the keys and the password are
// unchanged. A wrong password gives an error wrapping data.ErrWrongPassword
// and writes nothing.
func NewRecoveryCode(dir, password string, p KDFParams) (string, error) {
	if err := p.validate(); err != nil {
		return "", err
	}
	secret := []byte(password)
	defer clear(secret)
	u, _, err := unlock(dir, rolePassword, secret)
	if err != nil {
		return "", err
	}
	defer u.wipe()
	code, err := newRecoveryCode()
	if err != nil {
		return "", err
	}
	codeSecret := []byte(normaliseRecoveryCode(code))
	defer clear(codeSecret)
	w, kek, err := newWrap(u.vaultKey, codeSecret, p, roleRecovery)
	if err != nil {
		return "", err
	}
	defer clear(kek)
	b := *u.body
	b.Recovery = w
	content, err := encodeFile(&b)
	if err != nil {
		return "", err
	}
	if err := save(dir, content, u.vaultKey, u.keys, roleRecovery, kek); err != nil {
		return "", err
	}
	return code, nil
}

// Remove deletes the vault file and its backup. Setup uses it to undo a
// vault whose store could not be created, so that the folder is not left
// holding keys nobody has the recovery code of.
func Remove(dir string) error {
	var errs []error
	for _, n := range []string{FileName, BackupName} {
		if err := os.Remove(filepath.Join(dir, n)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("vault: remove: %w", err)
	}
	return nil
}
