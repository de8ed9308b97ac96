package store

import (
	"context"
	"fmt"
	"sort"

	"github.com/dgraph-io/badger/v4"

	"baomi/data"
)

var _ data.LetterService = (*Store)(nil)

// RecordLetters validates every record, gives each an ID and the time,
// and stores them all with their audit entries in one transaction: an
// invalid record, or a failed write, and none of them is written.
func (s *Store) RecordLetters(ctx context.Context, records []data.LetterRecord) ([]data.LetterRecord, error) {
	if len(records) > data.MaxLettersAtOnce {
		return nil, data.Userf(data.ErrInvalid, "一次最多记录 %d 份承诺书，这次有 %d 份，请分批打印", data.MaxLettersAtOnce, len(records))
	}
	out := make([]data.LetterRecord, len(records))
	now := s.opts.Now()
	for i, r := range records {
		r.Normalize()
		if err := r.Validate(); err != nil {
			return nil, fmt.Errorf("letter %d of %d: %w", i+1, len(records), err)
		}
		r.ID, r.PrintedAt = newID(), now
		out[i] = r
	}
	err := s.update(ctx, func(t *tx) error {
		for _, r := range out {
			if err := t.put(KindLetter, r.ID, r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("record letters: %w", err)
	}
	return out, nil
}

// Letters returns every letter record, oldest first (then by ID: the key
// order is the random IDs).
func (s *Store) Letters(ctx context.Context) ([]data.LetterRecord, error) {
	var out []data.LetterRecord
	err := s.view(ctx, func(txn *badger.Txn) error {
		var err error
		out, err = listRecords[data.LetterRecord](s, txn, KindLetter, "")
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list letters: %w", err)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].PrintedAt.Equal(out[j].PrintedAt) {
			return out[i].PrintedAt.Before(out[j].PrintedAt)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}
