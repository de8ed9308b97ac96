// Package workspace ties a data folder's vault and store together: set up a
// new unit, unlock with a password or the recovery code, change the
// password, and close (lock) again. Screens and the command line use it;
// neither touches the vault or Badger directly.
package workspace

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sync"
	"time"

	"baomi/data"
	"baomi/data/store"
	"baomi/data/vault"
)

// Config holds what every workspace operation needs besides the folder.
type Config struct {
	// KDF is the Argon2id cost used when a password is set; the zero value
	// calibrates to about 0.6 s on this machine.
	KDF vault.KDFParams
	// Logger receives internal detail; nil uses the standard logger.
	Logger *log.Logger
	// NoGuard skips the store's child-process corruption check (tests only).
	NoGuard bool
}

func (c Config) logger() *log.Logger {
	if c.Logger == nil {
		return log.Default()
	}
	return c.Logger
}

func (c Config) kdf() vault.KDFParams {
	if c.KDF.Time == 0 {
		return vault.Calibrate(vaultTarget)
	}
	return c.KDF
}

const vaultTarget = 600 * time.Millisecond

// Workspace is an unlocked data folder: its store's methods (Unit,
// Settings, Carriers, Verify, Head …) are the workspace's own.
type Workspace struct {
	*store.Store
	Dir     string
	keys    *vault.Keys
	notices []string   // from unlocking the vault; see Notices
	rekey   sync.Mutex // held by RotateKeys while the store is out; Close waits for it
}

// The personnel register's service is the store's, reached through the
// embedded *store.Store like every other.
var _ data.PersonService = (*Workspace)(nil)
var _ data.LetterService = (*Workspace)(nil)

// Notices returns the sentences (Chinese) to show the user once after
// unlocking, e.g. that a damaged copy of the vault file was rewritten from
// the good one, or that an all-or-nothing import left unfinished by a
// crash was undone when the store opened; nil when there is nothing to say.
func (w *Workspace) Notices() []string {
	out := append([]string(nil), w.notices...)
	if w.Store != nil {
		if n := w.Store.RolledBackImport(); n > 0 {
			out = append(out, fmt.Sprintf("上次“全部导入或全不导入”的导入未完成，已撤销其中已写入的 %d 条。", n))
		}
	}
	return out
}

// IsSetUp reports whether dir holds a vault.
func IsSetUp(dir string) bool { return vault.Exists(dir) }

// Setup creates the vault with password, opens the new store and saves the
// unit with default settings. It returns the open workspace and the
// recovery code, which the caller shows once.
func Setup(dir string, u data.Unit, password string, cfg Config) (*Workspace, string, error) {
	u.Normalize()
	if err := u.Validate(); err != nil {
		return nil, "", err
	}
	if err := data.CheckPassword(password, password); err != nil {
		return nil, "", err
	}
	if vault.Exists(dir) {
		return nil, "", data.Userf(data.ErrConflict, "数据目录 %s 已经初始化过，请直接解锁。", dir)
	}
	if store.Exists(dir) {
		// A store without its vault cannot be read by anyone; a new vault
		// would not open it either. Never create keys beside it.
		return nil, "", data.Userf(data.ErrConflict, "数据目录 %s 中已有数据库但缺少密钥文件（vault.json）。请从备份恢复密钥文件，或换用空目录。", dir)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, "", data.Userf(err, "无法创建数据目录 %s。", dir)
	}
	keys, code, err := vault.Create(dir, password, cfg.kdf())
	if err != nil {
		return nil, "", fmt.Errorf("create vault: %w", err)
	}
	// If the store cannot be created, undo the vault too: a folder must not
	// keep keys whose recovery code was never shown.
	undo := func(w *Workspace, cause error) (*Workspace, string, error) {
		if w != nil {
			w.Close()
		}
		if err := store.Discard(dir); err != nil {
			cfg.logger().Printf("setup: undo store: %v", err)
		}
		if err := vault.Remove(dir); err != nil {
			cfg.logger().Printf("setup: undo vault: %v", err)
		}
		return nil, "", cause
	}
	if testHookAfterVault != nil {
		if err := testHookAfterVault(); err != nil {
			return undo(nil, err)
		}
	}
	w, err := open(dir, keys, u.Officer, cfg)
	if err != nil {
		return undo(nil, err)
	}
	if err := w.SaveUnit(context.Background(), u); err != nil {
		return undo(w, err)
	}
	if err := w.SaveSettings(context.Background(), data.DefaultSettings()); err != nil {
		return undo(w, err)
	}
	// From here on the store must exist: record it in the vault, so that
	// a data folder whose db/ and outer anchor are both gone (or a vault
	// copied alone to another folder) is refused instead of opening as a
	// new, empty store. It costs one more key derivation (about 0.6 s at
	// the calibrated cost) once per setup. A setup killed before this line
	// leaves a vault without the record: that folder opens, creates the
	// store if it is missing, and the window offers to finish the setup.
	if err := vault.SetExtra(dir, password, setupDoneExtra, []byte{1}); err != nil {
		return undo(w, err)
	}
	return w, code, nil
}

// setupDoneExtra names the vault entry that records a finished setup: the
// store exists and must never be created again (store.Options.MustExist).
const setupDoneExtra = "setup-done"

// testHookAfterVault, set by tests only, fails Setup right after the vault
// was written.
var testHookAfterVault func() error

// NewRecoveryCode replaces the recovery code (the old one stops working)
// after checking password, and returns the new code to show once. Setup
// that was interrupted before its code was shown, and an officer who lost
// the printed code, use it.
func (w *Workspace) NewRecoveryCode(password string, cfg Config) (string, error) {
	code, err := vault.NewRecoveryCode(w.Dir, password, cfg.kdf())
	if errors.Is(err, data.ErrWrongPassword) {
		return "", data.FieldErrors{{Field: "当前密码", Problem: "不正确"}}
	}
	return code, err
}

// Unlock opens the vault with password and the store with its keys. A
// wrong password wraps data.ErrWrongPassword and writes nothing.
func Unlock(dir, password string, cfg Config) (*Workspace, error) {
	k, err := UnlockKeys(dir, password, cfg)
	if err != nil {
		return nil, err
	}
	return k.Open(nil)
}

// Recover resets a forgotten password with the recovery code and unlocks.
func Recover(dir, code, newPassword string, cfg Config) (*Workspace, error) {
	k, err := RecoverKeys(dir, code, newPassword, cfg)
	if err != nil {
		return nil, err
	}
	return k.Open(nil)
}

// Keys is an unlocked vault whose store is not open yet. The window uses
// the pause between the two: Preview shows the register of the last
// session while Open runs the store's checks.
type Keys struct {
	dir    string
	keys   *vault.Keys
	cfg    Config
	copies *vault.Report // the state of the vault's two copies
}

// UnlockKeys opens the vault of dir with password (the slow, deliberate key
// derivation), trying both copies of the vault file. A wrong password wraps
// data.ErrWrongPassword and writes nothing. If the copy that did not unlock
// is missing, damaged or an older state of the same vault, UnlockKeys
// rewrites it from the one that did, atomically; a copy holding another
// vault is rewritten only by Open, once the store has opened with these keys
// and so proved them to be this folder's. Notices says what was found and
// done. The caller holds the data folder's lock (datadir.Lock).
func UnlockKeys(dir, password string, cfg Config) (*Keys, error) {
	keys, copies, err := vault.Unlock(dir, password)
	if err != nil {
		return nil, err
	}
	k := &Keys{dir: dir, keys: keys, cfg: cfg, copies: copies}
	if copies.State != vault.CopyForeign {
		k.repairVault()
	}
	settled, err := settleRekey(dir, password, keys, cfg) // a re-key a kill interrupted
	if err != nil {
		keys.Wipe()
		return nil, err
	}
	k.keys = settled
	return k, nil
}

// repairVault rewrites the bad copy of the vault file, if any. A failure is
// logged and told in Notices; the next unlock tries again.
func (k *Keys) repairVault() {
	if err := vault.Repair(k.dir, k.copies); err != nil {
		k.cfg.logger().Printf("vault: repair %s: %v", k.copies.Other, err)
	}
}

// Notices returns the sentences (Chinese) to show the user about the vault
// file's two copies, e.g. "密钥文件 vault.json 已损坏，已用备份 vault.json.bak
// 重新写好。"; nil when both copies were the same. After Open the workspace's
// Notices has the final word.
func (k *Keys) Notices() []string {
	if n := k.copies.Notice(); n != "" {
		return []string{n}
	}
	return nil
}

// RecoverKeys resets a forgotten password with the recovery code and
// opens the vault with the new password. Resetting writes both copies of
// the vault file, so a bad copy is rewritten on the way; Notices says so.
func RecoverKeys(dir, code, newPassword string, cfg Config) (*Keys, error) {
	if err := data.CheckPassword(newPassword, newPassword); err != nil {
		return nil, err
	}
	copies, err := vault.ResetPasswordReport(dir, code, newPassword, cfg.kdf())
	if err != nil {
		return nil, err
	}
	k, err := UnlockKeys(dir, newPassword, cfg)
	if err != nil {
		return nil, err
	}
	if copies.Notice() != "" {
		k.copies = copies
	}
	return k, nil
}

func (k *Keys) storeKeys() store.Keys {
	return store.Keys{Master: k.keys.Master, Record: k.keys.Record, Index: k.keys.Index}
}

// Preview returns the register as the last session left it, read from the
// store's snapshot without opening the store, or an error wrapping
// data.ErrNotFound when there is no current snapshot (data.ErrCorrupt
// when it is damaged). What it returns is for showing only: nothing may be
// changed before Open has checked the store.
func (k *Keys) Preview() (*store.Snapshot, error) {
	return store.ReadSnapshot(k.dir, k.storeKeys())
}

// Open opens the store. snap, the result of Preview or nil, becomes the
// store's register when it is at the store's head, so that reading the
// register costs a copy; the next Verify checks it against the records.
// The keys belong to the workspace afterwards (or are wiped on failure).
// Once the store is open, a copy of the vault file that held another vault
// is rewritten from the one that unlocked; Workspace.Notices tells of it.
func (k *Keys) Open(snap *store.Snapshot) (*Workspace, error) {
	if k.keys == nil {
		return nil, errors.New("workspace: keys already used or discarded")
	}
	w, err := openAsOfficer(k.dir, k.keys, k.cfg)
	k.keys = nil
	if err != nil {
		return nil, err
	}
	w.Store.UseSnapshot(snap)
	// The store opened with these keys, so they are this folder's: a copy
	// of the vault file holding another vault may now be replaced.
	k.repairVault()
	w.notices = k.Notices()
	return w, nil
}

// Discard wipes the keys when the store will not be opened.
func (k *Keys) Discard() {
	if k.keys != nil {
		k.keys.Wipe()
		k.keys = nil
	}
}

func openAsOfficer(dir string, keys *vault.Keys, cfg Config) (*Workspace, error) {
	// The operator of audit entries is the officer named in the unit; it
	// is only known once the store is open, so open, read, and reopen the
	// store's options with it.
	w, err := open(dir, keys, "", cfg)
	if err != nil {
		return nil, err
	}
	u, err := w.Store.Unit(context.Background())
	if err != nil && !errors.Is(err, data.ErrNotFound) {
		w.Close()
		return nil, err
	}
	w.Store.SetOperator(u.Officer)
	return w, nil
}

func open(dir string, keys *vault.Keys, operator string, cfg Config) (*Workspace, error) {
	s, err := store.Open(dir, store.Keys{Master: keys.Master, Record: keys.Record, Index: keys.Index},
		store.Options{Operator: operator, NoGuard: cfg.NoGuard, Logger: cfg.Logger, MustExist: keys.Extra[setupDoneExtra] != nil})
	if err != nil {
		keys.Wipe()
		return nil, err
	}
	return &Workspace{Store: s, Dir: dir, keys: keys}, nil
}

// ChangePassword rewraps the vault under a new password; the data keys and
// the store stay as they are.
func (w *Workspace) ChangePassword(oldPassword, newPassword, again string, cfg Config) error {
	if err := data.CheckPassword(newPassword, again); err != nil {
		return err
	}
	if err := vault.ChangePassword(w.Dir, oldPassword, newPassword, cfg.kdf()); err != nil {
		if errors.Is(err, data.ErrWrongPassword) {
			return data.FieldErrors{{Field: "当前密码", Problem: "不正确"}}
		}
		return err
	}
	return nil
}

// Close closes the store and wipes the keys from memory.
func (w *Workspace) Close() error {
	if w == nil {
		return nil
	}
	w.rekey.Lock()
	defer w.rekey.Unlock()
	if w.Store == nil {
		return nil
	}
	// The store stays in place, closed: it answers every call with
	// data.ErrLocked, so that work still running in the background when
	// the window locks ends with that error instead of a nil pointer (a
	// register reload started by a save panicked this way in a test).
	err := w.Store.Close()
	if w.keys != nil {
		w.keys.Wipe()
		w.keys = nil
	}
	return err
}

// Files lists every file under dir, for tests and diagnostics.
func Files(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	return out, err
}

// FormatRecoveryCode returns a recovery code in capitals split into
// dash-separated groups of five for display and print.
func FormatRecoveryCode(code string) string { return vault.FormatRecoveryCode(code) }
