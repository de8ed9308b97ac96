package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/dgraph-io/badger/v4"

	"baomi/data"
)

var _ data.PastBorrowers = (*Store)(nil)

// PastBorrowers returns, by carrier ID, the distinct borrowers of each
// carrier's lend events in the order they borrowed it, leaving out lends
// a correction voided. It reads every event once, keeping only what a
// lend or a correction says, so that the register can find a carrier by
// someone who had it before.
func (s *Store) PastBorrowers(ctx context.Context) (map[string][]string, error) {
	out := map[string][]string{}
	type lend struct{ id, borrower string }
	var carrier string
	var lends []lend
	voided := map[string]bool{}
	flush := func() {
		for _, l := range lends {
			if !voided[l.id] && l.borrower != "" && !slices.Contains(out[carrier], l.borrower) {
				out[carrier] = append(out[carrier], l.borrower)
			}
		}
		lends = lends[:0]
		clear(voided)
	}
	err := s.view(ctx, func(txn *badger.Txn) error {
		// an event's id is its carrier's id, "/" and its sequence number:
		// a carrier's events come one after the other
		return s.each(txn, KindEvent, func(id string, plain []byte) error {
			if c, _, _ := strings.Cut(id, "/"); c != carrier {
				flush()
				carrier = c
			}
			var e struct {
				ID       string         `json:"id"`
				Kind     data.EventKind `json:"kind"`
				Borrower string         `json:"borrower"`
				Voids    string         `json:"voids"`
			}
			if err := json.Unmarshal(plain, &e); err != nil {
				return fmt.Errorf("decode event %s: %v: %w", id, err, data.ErrCorrupt)
			}
			switch e.Kind {
			case data.EventLend:
				lends = append(lends, lend{e.ID, e.Borrower})
			case data.EventCorrect:
				voided[e.Voids] = true
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("past borrowers: %w", err)
	}
	flush()
	return out, nil
}
