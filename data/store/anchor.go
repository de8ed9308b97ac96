package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/dgraph-io/badger/v4"

	"baomi/data"
	"baomi/data/safefile"
)

// The anchor is the audit head kept outside Badger, rewritten after every
// commit. Badger replays its write-ahead log after a crash and silently
// stops at the first damaged entry, dropping every later write. The store
// would then open, shorter, with a chain that verifies. Comparing the chain
// with the anchor at open turns such a rollback into an audit break.
//
// The anchor is sealed like every value (SM4-GCM under the record key) and
// kept in two places, each in two files (the primary after every commit,
// the backup at open and close, so that one damaged file never stops the
// store from opening):
//
//   - inside db/ (BAOMI-ANCHOR), as since the first version;
//   - beside the vault, outside db/ (BAOMI-HEAD, the outer anchor), so that
//     putting back an older copy of db/ alone, inner anchor included, is a
//     rollback too. Only a rollback of the whole data folder goes unseen.
//
// A data folder from before the outer anchor gets it at its first open.
// Once the vault records that setup finished (Options.MustExist), a missing
// outer anchor is an audit break like a missing inner one.
const (
	anchorName   = "BAOMI-ANCHOR"
	anchorBackup = "BAOMI-ANCHOR.bak"
	anchorAAD    = "baomi-audit-anchor-v1"
	outerName    = "BAOMI-HEAD"
	outerBackup  = "BAOMI-HEAD.bak"
	outerAAD     = "baomi-audit-head-v1"
)

// anchorSet is one place the anchor is kept: a folder, its two file names
// and the associated data the files are sealed with.
type anchorSet struct {
	dir             string
	primary, backup string
	aad             string
}

func (s *Store) anchorSets() []anchorSet {
	sets := []anchorSet{{s.dir, anchorName, anchorBackup, anchorAAD}}
	if s.dataDir == "" {
		// A store opened on its own folder, outside a data folder (the
		// new store a re-key checks before it is switched in), has no
		// outer anchor of its own; an empty dataDir must never mean the
		// current directory.
		return sets
	}
	return append(sets, anchorSet{s.dataDir, outerName, outerBackup, outerAAD})
}

// writeAnchor records h in the primary anchor files, and in the backups too
// when both is set. The two places are written at once: each write waits
// for two fsyncs, and a save waited for four in a row (AddCarrier went from
// 1.3–3.6 ms to 2.5–8.5 ms with the outer anchor; concurrent writes let the
// file system commit them together).
func (s *Store) writeAnchor(h Head, both bool) error {
	b, err := json.Marshal(h)
	if err != nil {
		return fmt.Errorf("encode anchor: %w", err)
	}
	sets := s.anchorSets()
	errs := make([]error, len(sets))
	var wg sync.WaitGroup
	for i, set := range sets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.writeAnchorSet(set, b, both)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// writeAnchorSet seals b into set's primary file, and its backup when both
// is set.
func (s *Store) writeAnchorSet(set anchorSet, b []byte, both bool) error {
	names := []string{set.primary}
	if both {
		names = append(names, set.backup)
	}
	for _, n := range names {
		sealed, err := s.seal.seal([]byte(set.aad), b)
		if err != nil {
			return err
		}
		if err := safefile.Write(filepath.Join(set.dir, n), sealed, 0o600); err != nil {
			return fmt.Errorf("write anchor: %w", err)
		}
	}
	return nil
}

// readAnchor returns the newest readable anchor inside db/ (see
// readAnchorSet).
func (s *Store) readAnchor() (h Head, found bool, err error) {
	return s.readAnchorSet(anchorSet{s.dir, anchorName, anchorBackup, anchorAAD})
}

// readAnchorSet returns the newest readable anchor of set. found is false
// when neither file exists; both present but unreadable is data.ErrCorrupt.
func (s *Store) readAnchorSet(set anchorSet) (h Head, found bool, err error) {
	var best *Head
	present := 0
	for _, n := range []string{set.primary, set.backup} {
		b, err := os.ReadFile(filepath.Join(set.dir, n))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		present++
		if err != nil {
			s.opts.Logger.Printf("anchor %s: %v", n, err)
			continue
		}
		plain, err := s.seal.open([]byte(set.aad), b)
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
	return Head{}, false, fmt.Errorf("audit anchor %s unreadable: %w", set.primary, data.ErrCorrupt)
}

// checkAnchor compares the chain just opened with both anchors and brings
// every anchor file up to date.
func (s *Store) checkAnchor() error {
	for i, set := range s.anchorSets() {
		a, found, err := s.readAnchorSet(set)
		if err != nil {
			return err
		}
		outer := i == 1
		switch {
		case !found && s.head.Seq > 0 && (!outer || s.opts.MustExist):
			// An outer anchor missing from a folder the vault says was
			// set up has been removed; in an older folder it was never
			// written and is written now.
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
	}
	return s.writeAnchor(s.head, true)
}
