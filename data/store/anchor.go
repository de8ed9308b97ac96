package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/dgraph-io/badger/v4"

	"baomi/data"
	"baomi/data/safefile"
)

// The anchor is the audit head kept outside Badger, rewritten after every
// commit. Badger replays its write-ahead log after a crash and silently
// stops at the first damaged entry, dropping every later write; the
// guard's own open makes that cut for good. The store would then open,
// shorter, with a chain that verifies. Comparing the chain with the anchor
// at open turns such a rollback into an audit break.
//
// The anchor is sealed like every value (SM4-GCM under the record key), in
// two files: the primary after every commit, the backup at open and close,
// so that one damaged file never stops the store from opening.
const (
	anchorName   = "BAOMI-ANCHOR"
	anchorBackup = "BAOMI-ANCHOR.bak"
	anchorAAD    = "baomi-audit-anchor-v1"
)

func (s *Store) anchorPath(name string) string { return filepath.Join(s.dir, name) }

// writeAnchor records h in the primary anchor file, and in the backup too
// when both is set.
func (s *Store) writeAnchor(h Head, both bool) error {
	b, err := json.Marshal(h)
	if err != nil {
		return fmt.Errorf("encode anchor: %w", err)
	}
	names := []string{anchorName}
	if both {
		names = append(names, anchorBackup)
	}
	for _, n := range names {
		sealed, err := s.seal.seal([]byte(anchorAAD), b)
		if err != nil {
			return err
		}
		if err := safefile.Write(s.anchorPath(n), sealed, 0o600); err != nil {
			return fmt.Errorf("write anchor: %w", err)
		}
	}
	return nil
}

// readAnchor returns the newest readable anchor. found is false when
// neither file exists; both present but unreadable is data.ErrCorrupt.
func (s *Store) readAnchor() (h Head, found bool, err error) {
	var best *Head
	present := 0
	for _, n := range []string{anchorName, anchorBackup} {
		b, err := os.ReadFile(s.anchorPath(n))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		present++
		if err != nil {
			s.opts.Logger.Printf("anchor %s: %v", n, err)
			continue
		}
		plain, err := s.seal.open([]byte(anchorAAD), b)
		if err != nil {
			s.opts.Logger.Printf("anchor %s: %v", n, err)
			continue
		}
		var a Head
		if err := json.Unmarshal(plain, &a); err != nil {
			s.opts.Logger.Printf("anchor %s: %v", n, err)
			continue
		}
		if best == nil || a.Seq > best.Seq {
			best = &a
		}
	}
	switch {
	case best != nil:
		return *best, true, nil
	case present == 0:
		return Head{}, false, nil
	}
	return Head{}, false, fmt.Errorf("audit anchor unreadable: %w", data.ErrCorrupt)
}

// checkAnchor compares the chain just opened with the anchor and brings
// both anchor files up to date.
func (s *Store) checkAnchor() error {
	a, found, err := s.readAnchor()
	if err != nil {
		return err
	}
	switch {
	case !found && s.head.Seq > 0:
		return &VerifyError{Seq: s.head.Seq, Reason: reasonNoAnchor, Err: data.ErrAuditBroken}
	case found && a.Seq > s.head.Seq:
		return &VerifyError{Seq: s.head.Seq + 1, Reason: reasonRolledBack, Err: data.ErrAuditBroken}
	case found && a.Seq > 0:
		var e Entry
		err := s.db.View(func(txn *badger.Txn) error {
			b, err := s.getSealed(txn, auditKey(a.Seq))
			if err != nil {
				return err
			}
			return json.Unmarshal(b, &e)
		})
		if err != nil || e.Hash != a.Hash {
			return &VerifyError{Seq: a.Seq, Reason: reasonAnchorMismatch, Err: data.ErrAuditBroken}
		}
	}
	return s.writeAnchor(s.head, true)
}
