package store

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/dgraph-io/badger/v4"

	"baomi/data"
)

// Record kinds.
const (
	KindCarrier  = "carrier"
	KindUnit     = "unit"
	KindSettings = "settings"
)

var _ data.CarrierService = (*Store)(nil)

// Carriers returns every carrier ordered by 编号.
func (s *Store) Carriers(ctx context.Context) ([]data.Carrier, error) {
	if list, ok := s.cachedCarriers(); ok {
		return list, nil
	}
	var out []data.Carrier
	var head Head
	err := s.view(ctx, func(txn *badger.Txn) error {
		var err error
		if head, err = s.headIn(txn); err != nil {
			return err
		}
		return s.each(txn, KindCarrier, func(id string, plain []byte) error {
			var c data.Carrier
			if err := json.Unmarshal(plain, &c); err != nil {
				return fmt.Errorf("decode carrier %s: %v: %w", id, err, data.ErrCorrupt)
			}
			out = append(out, c)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list carriers: %w", err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Number < out[j].Number })
	s.fillCache(head, out)
	return out, nil
}

// Carrier returns the carrier with internal id, or an error wrapping
// data.ErrNotFound.
func (s *Store) Carrier(ctx context.Context, id string) (data.Carrier, error) {
	var c data.Carrier
	err := s.view(ctx, func(txn *badger.Txn) error { return s.get(txn, KindCarrier, id, &c) })
	if err != nil {
		return data.Carrier{}, fmt.Errorf("carrier %s: %w", id, err)
	}
	return c, nil
}

// CarrierByNumber returns the carrier with 编号 number, or an error wrapping
// data.ErrNotFound.
func (s *Store) CarrierByNumber(ctx context.Context, number string) (data.Carrier, error) {
	var c data.Carrier
	err := s.view(ctx, func(txn *badger.Txn) error {
		id, err := s.lookup(txn, KindCarrier, "number", number)
		if err != nil {
			return err
		}
		if id == "" {
			return data.ErrNotFound
		}
		return s.get(txn, KindCarrier, id, &c)
	})
	if err != nil {
		return data.Carrier{}, fmt.Errorf("carrier by number: %w", err)
	}
	return c, nil
}

// AddCarrier validates c, gives it an ID, timestamps and the state 在册, and
// stores it with its audit entry. A 编号 already in use is a FieldErrors on
// 编号 that also matches data.ErrConflict.
func (s *Store) AddCarrier(ctx context.Context, c data.Carrier) (data.Carrier, error) {
	c.Normalize()
	c.ID = newID()
	now := s.opts.Now()
	c.CreatedAt, c.UpdatedAt = now, now
	c.CopyOf = ""
	c.Pending = "" // registered by hand: complete, only Import flags 待补全
	applyLife(&c, data.Life{State: data.StateHeld})
	return s.saveCarrier(ctx, c, true)
}

// UpdateCarrier validates and stores a changed carrier with its audit entry.
// Its state and creation time stay as stored: only events change the state.
// It stays 待补全 only on the fields the stored record had pending and c
// still lacks (data.Carrier.KeepPending).
func (s *Store) UpdateCarrier(ctx context.Context, c data.Carrier) (data.Carrier, error) {
	c.Normalize()
	c.UpdatedAt = s.opts.Now()
	return s.saveCarrier(ctx, c, false)
}

// saveCarrier validates c and writes it with its 编号 index. For an update,
// the stored record is read inside the same transaction, so that two
// overlapping renames cannot leave a stale index entry behind; c takes the
// stored state and creation time.
func (s *Store) saveCarrier(ctx context.Context, c data.Carrier, isNew bool) (data.Carrier, error) {
	set, err := s.Settings(ctx)
	if err != nil {
		return data.Carrier{}, err
	}
	if err := c.Validate(set.Classifications, data.DateOf(s.opts.Now())); err != nil {
		return data.Carrier{}, err
	}
	saved := c
	err = s.update(ctx, func(t *tx) error {
		oldNumber := ""
		if !isNew {
			var old data.Carrier
			if err := s.get(t.txn, KindCarrier, c.ID, &old); err != nil {
				return err
			}
			oldNumber = old.Number
			// derived facts and the link to an original are the store's
			saved.State, saved.CreatedAt, saved.CopyOf = old.State, old.CreatedAt, old.CopyOf
			saved.Borrower, saved.DueOn, saved.LastSeen, saved.Missing = old.Borrower, old.DueOn, old.LastSeen, old.Missing
			if err := saved.KeepPending(old); err != nil {
				return err
			}
		}
		other, err := s.lookup(t.txn, KindCarrier, "number", saved.Number)
		if err != nil {
			return err
		}
		if other != "" && other != saved.ID {
			return conflictError{data.FieldErrors{{Field: data.FieldNumber, Problem: "该编号已被其他载体使用"}}}
		}
		if err := t.setIndex(KindCarrier, "number", oldNumber, saved.Number, saved.ID); err != nil {
			return err
		}
		if err := t.put(KindCarrier, saved.ID, saved); err != nil {
			return err
		}
		if !isNew {
			return nil
		}
		reg := data.Event{ID: eventID(saved.ID, 1), CarrierID: saved.ID, Kind: data.EventRegister,
			On: saved.ReceivedOn, Operator: t.s.opts.Operator, RecordedAt: saved.CreatedAt}
		return t.put(KindEvent, reg.ID, reg)
	})
	if err != nil {
		return data.Carrier{}, fmt.Errorf("save carrier %s: %w", c.ID, err)
	}
	return saved, nil
}

// conflictError is a FieldErrors that also matches data.ErrConflict.
type conflictError struct{ data.FieldErrors }

func (e conflictError) Is(target error) bool {
	return target == data.ErrConflict || target == data.ErrInvalid
}

func (e conflictError) Unwrap() error { return e.FieldErrors }
