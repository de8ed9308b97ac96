package store

import (
	"context"
	"fmt"
	"sort"

	"github.com/dgraph-io/badger/v4"

	"baomi/data"
)

var _ data.OutputService = (*Store)(nil)

// RecordOutput validates o, gives it an ID and the time, and stores it
// with its audit entry (whose operator is this session's).
func (s *Store) RecordOutput(ctx context.Context, o data.Output) (data.Output, error) {
	o.Normalize()
	if err := o.Validate(); err != nil {
		return data.Output{}, err
	}
	o.ID, o.At = newID(), s.opts.Now()
	if err := s.update(ctx, func(t *tx) error { return t.put(KindOutput, o.ID, o) }); err != nil {
		return data.Output{}, fmt.Errorf("record output: %w", err)
	}
	return o, nil
}

// Outputs returns every output record, oldest first (then by ID: the key
// order is the random IDs).
func (s *Store) Outputs(ctx context.Context) ([]data.Output, error) {
	var out []data.Output
	err := s.view(ctx, func(txn *badger.Txn) error {
		var err error
		out, err = listRecords[data.Output](s, txn, KindOutput, "")
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list outputs: %w", err)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].At.Equal(out[j].At) {
			return out[i].At.Before(out[j].At)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}
