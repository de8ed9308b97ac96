package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"

	"baomi/data"
)

// An all-or-nothing import larger than one chunk cannot go in one Badger
// transaction: a transaction may hold 15% of the memtable, and Import's
// chunks (importChunkBytes) take half of that. So
// each chunk's transaction also writes a journal record under
// m/batch/<batch>/<chunk> naming the carriers it created and the stored
// state of those it updated, and the last chunk's transaction removes the
// whole journal. A journal found at open belongs to an import that did not
// finish (killed, power cut, failed write): rollbackImports undoes it, chunk
// by chunk from the last, each in its own durable and audited transaction
// that also removes that chunk's record, so that a rollback killed half way
// is taken up again at the next open. The records sit under m/, which
// Verify does not read: they are bookkeeping, not register data.

const (
	prefixJournal = "m/batch/"
	// rollbackOperator is written into the audit entries of a rollback.
	rollbackOperator = "系统（撤销未完成的导入）"
)

// journalRecord is what one chunk of an all-or-nothing import wrote.
type journalRecord struct {
	At      time.Time       `json:"at"`      // the import's time, which its carriers bear as UpdatedAt
	Created []string        `json:"created"` // ids of the carriers it registered
	Updated []journalUpdate `json:"updated"` // carriers it changed, as they were before
}

type journalUpdate struct {
	ID  string       `json:"id"`
	Old data.Carrier `json:"old"`
}

func journalKey(batch string, chunk int) []byte {
	return fmt.Appendf(nil, "%s%s/%08d", prefixJournal, batch, chunk)
}

// importJournal is the journal of one running all-or-nothing import.
type importJournal struct {
	batch  string
	chunks int
}

// commit adds rec, chunk's record, to t; the last chunk instead removes the
// records of all the chunks before it, which makes the import final in the
// same transaction that completes it.
func (j *importJournal) commit(t *tx, chunk int, rec journalRecord) error {
	if chunk < j.chunks-1 {
		b, err := json.Marshal(rec)
		if err != nil {
			return fmt.Errorf("encode import journal: %w", err)
		}
		return t.setSealed(journalKey(j.batch, chunk), b)
	}
	for c := 0; c < chunk; c++ {
		if err := t.txn.Delete(journalKey(j.batch, c)); err != nil {
			return fmt.Errorf("remove import journal: %w", err)
		}
	}
	return nil
}

// RolledBackImport returns how many carriers an all-or-nothing import that
// had not finished (killed or failed before its last chunk) had written and
// Open undid, or 0. The caller tells the user.
func (s *Store) RolledBackImport() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rolledBack
}

// rollbackImports undoes every unfinished all-or-nothing import found in
// the store. It runs during Open, after the anchor check and migrations and
// before anything else reads.
func (s *Store) rollbackImports() error {
	var batches []string
	err := s.db.View(func(txn *badger.Txn) error {
		p := []byte(prefixJournal)
		it := txn.NewIterator(badger.IteratorOptions{Prefix: p})
		defer it.Close()
		for it.Seek(p); it.ValidForPrefix(p); it.Next() {
			batch, _, _ := strings.Cut(string(it.Item().Key()[len(p):]), "/")
			if len(batches) == 0 || batches[len(batches)-1] != batch {
				batches = append(batches, batch)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read import journal: %w", err)
	}
	for _, b := range batches {
		n, err := s.rollbackBatch(b)
		s.rolledBack += n
		if err != nil {
			return err
		}
	}
	return nil
}

// rollbackBatch undoes what the import batch wrote, last chunk first, and
// returns how many carriers it removed or restored.
func (s *Store) rollbackBatch(batch string) (int, error) {
	var chunks [][]byte
	err := s.view(bg, func(txn *badger.Txn) error {
		p := []byte(prefixJournal + batch + "/")
		it := txn.NewIterator(badger.IteratorOptions{Prefix: p})
		defer it.Close()
		for it.Seek(p); it.ValidForPrefix(p); it.Next() {
			chunks = append(chunks, it.Item().KeyCopy(nil))
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("read import journal: %w", err)
	}
	total := 0
	for i := len(chunks) - 1; i >= 0; i-- {
		var n int
		err := s.update(bg, func(t *tx) error {
			n = 0
			// the audit entries say who undid the import; update holds
			// s.mu, so no other writer sees the changed operator
			op := s.opts.Operator
			s.opts.Operator = rollbackOperator
			defer func() { s.opts.Operator = op }()
			b, err := s.getSealed(t.txn, chunks[i])
			if errors.Is(err, data.ErrNotFound) {
				return nil // undone by an earlier rollback
			}
			if err != nil {
				return err
			}
			var rec journalRecord
			if err := json.Unmarshal(b, &rec); err != nil {
				return fmt.Errorf("decode import journal: %v: %w", err, data.ErrCorrupt)
			}
			if n, err = undoChunk(t, rec); err != nil {
				return err
			}
			return t.txn.Delete(chunks[i])
		})
		if err != nil {
			return total, fmt.Errorf("undo unfinished import: %w", err)
		}
		total += n
	}
	return total, nil
}

// undoChunk removes the carriers rec says were created, with their events
// and 编号 index entries, and puts back the updated ones as they were
// (keeping the state events gave them since), in the reverse order of the
// import. A carrier no longer there is left alone, and so is an updated
// one changed again after the import (an undo that failed in the importing
// session leaves its journal to the next open, and edits made in between
// are kept rather than overwritten).
func undoChunk(t *tx, rec journalRecord) (int, error) {
	s, n := t.s, 0
	for i := len(rec.Updated) - 1; i >= 0; i-- {
		u := rec.Updated[i]
		var cur data.Carrier
		if err := s.get(t.txn, KindCarrier, u.ID, &cur); errors.Is(err, data.ErrNotFound) {
			continue
		} else if err != nil {
			return n, err
		}
		if !cur.UpdatedAt.Equal(rec.At) {
			continue
		}
		old := u.Old
		old.State, old.Borrower, old.DueOn, old.LastSeen, old.Missing = cur.State, cur.Borrower, cur.DueOn, cur.LastSeen, cur.Missing
		// The 编号 it had may have been given to another carrier since
		// (by hand, between a failed undo and the next open): it then
		// keeps the one the import gave it rather than fail every open.
		if owner, err := s.lookup(t.txn, KindCarrier, "number", old.Number); err != nil {
			return n, err
		} else if owner != "" && owner != u.ID {
			old.Number = cur.Number
		}
		if err := t.put(KindCarrier, u.ID, old); err != nil {
			return n, err
		}
		n++
	}
	for i := len(rec.Created) - 1; i >= 0; i-- {
		id := rec.Created[i]
		var cur data.Carrier
		if err := s.get(t.txn, KindCarrier, id, &cur); errors.Is(err, data.ErrNotFound) {
			continue
		} else if err != nil {
			return n, err
		}
		events, err := s.eventsIn(t.txn, id)
		if err != nil {
			return n, err
		}
		for _, e := range events {
			if err := t.del(KindEvent, e.ID); err != nil {
				return n, err
			}
		}
		if err := t.del(KindCarrier, id); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
