package workspace

import (
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
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

// A draft (data.DraftKeeper) is one file in the data folder,
// BAOMI-DRAFT-<name>: a version byte, a nonce and the draft sealed with
// SM4-GCM under a key of its own, HMAC-SM3 of the master key with a fixed
// label, and the draft's name as associated data (a draft renamed to
// another form's file fails to open). It is not a record: writing it every
// few seconds must not grow the audit chain, and it is thrown away when
// the form is saved or cancelled. Code before drafts ignores the file. A
// draft written before the keys were rotated no longer opens (ErrCorrupt).
const (
	draftPrefix   = "BAOMI-DRAFT-"
	draftVersion  = 1
	draftKeyLabel = "baomi-draft-key-v1"
	draftAAD      = "baomi-draft-v1/"
	// maxDraft bounds what Draft reads: a 登记 form's draft is well under
	// 10 KB; a larger file is not one Baomi wrote.
	maxDraft = 1 << 20
)

var _ data.DraftKeeper = (*Workspace)(nil)

// draftPath returns the file of draft name; a name other than lower-case
// letters is refused.
func (w *Workspace) draftPath(name string) (string, error) {
	if name == "" {
		return "", fmt.Errorf("draft name empty: %w", data.ErrInvalid)
	}
	for _, r := range name {
		if r < 'a' || r > 'z' {
			return "", fmt.Errorf("draft name %q: %w", name, data.ErrInvalid)
		}
	}
	return filepath.Join(w.Dir, draftPrefix+name), nil
}

// draftAEAD returns the cipher of drafts; the caller holds w.rekey, so
// the keys are neither being rotated nor wiped.
func (w *Workspace) draftAEAD() (cipher.AEAD, error) {
	if w.keys == nil {
		return nil, fmt.Errorf("draft: %w", data.ErrLocked)
	}
	m := hmac.New(sm3.New, w.keys.Master)
	m.Write([]byte(draftKeyLabel))
	block, err := sm4.NewCipher(m.Sum(nil)[:16])
	if err != nil {
		return nil, fmt.Errorf("draft key: %w", err)
	}
	return cipher.NewGCM(block)
}

// SaveDraft seals b and writes it as draft name (temporary file, synced,
// renamed).
func (w *Workspace) SaveDraft(name string, b []byte) error {
	p, err := w.draftPath(name)
	if err != nil {
		return err
	}
	w.rekey.Lock()
	defer w.rekey.Unlock()
	aead, err := w.draftAEAD()
	if err != nil {
		return err
	}
	ns := aead.NonceSize()
	out := make([]byte, 1+ns, 1+ns+len(b)+aead.Overhead())
	out[0] = draftVersion
	if _, err := rand.Read(out[1:]); err != nil {
		return fmt.Errorf("draft nonce: %w", err)
	}
	out = aead.Seal(out, out[1:1+ns], b, []byte(draftAAD+name))
	if err := safefile.Write(p, out, 0o600); err != nil {
		return fmt.Errorf("write draft %s: %w", name, err)
	}
	return nil
}

// Draft reads and opens draft name.
func (w *Workspace) Draft(name string) ([]byte, error) {
	p, err := w.draftPath(name)
	if err != nil {
		return nil, err
	}
	sealed, err := readBounded(p, maxDraft)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("draft %s: %w", name, data.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read draft %s: %w", name, err)
	}
	if len(sealed) > maxDraft {
		return nil, fmt.Errorf("draft %s: larger than %d bytes: %w", name, maxDraft, data.ErrCorrupt)
	}
	w.rekey.Lock()
	defer w.rekey.Unlock()
	aead, err := w.draftAEAD()
	if err != nil {
		return nil, err
	}
	ns := aead.NonceSize()
	if len(sealed) < 1+ns+aead.Overhead() || sealed[0] != draftVersion {
		return nil, fmt.Errorf("draft %s: bad envelope: %w", name, data.ErrCorrupt)
	}
	b, err := aead.Open(nil, sealed[1:1+ns], sealed[1+ns:], []byte(draftAAD+name))
	if err != nil {
		return nil, fmt.Errorf("draft %s: authentication failed: %w", name, data.ErrCorrupt)
	}
	return b, nil
}

// DeleteDraft removes draft name and syncs the folder, so that a deleted
// draft is not offered again after a power cut.
func (w *Workspace) DeleteDraft(name string) error {
	p, err := w.draftPath(name)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("delete draft %s: %w", name, err)
	}
	if err := safefile.SyncDir(w.Dir); err != nil {
		return fmt.Errorf("delete draft %s: %w", name, err)
	}
	return nil
}

// readBounded reads at most limit+1 bytes of the file at p, so that a
// hostile file costs no more memory than that.
func readBounded(p string, limit int64) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, limit+1))
}
