package store

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/dgraph-io/badger/v4"

	"baomi/data"
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
		out, err = listRecords[data.Carrier](s, txn, KindCarrier, "")
		return err
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
	return readRecord[data.Carrier](ctx, s, KindCarrier, id)
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
		if !isNew {
			var old data.Carrier
			if err := s.get(t.txn, KindCarrier, c.ID, &old); err != nil {
				return err
			}
			saved.KeepStored(old)
			if err := saved.KeepPending(old); err != nil {
				return err
			}
		}
		// put refuses a 编号 another carrier has (the unique index)
		if err := t.put(KindCarrier, saved.ID, saved); err != nil {
			return err
		}
		if !isNew {
			return nil
		}
		return t.register(saved, saved.ReceivedOn, t.s.opts.Operator, "", "", saved.CreatedAt)
	})
	if err != nil {
		return data.Carrier{}, fmt.Errorf("save carrier %s: %w", c.ID, err)
	}
	return saved, nil
}

// register writes c's registration event, its first: on the day given, by
// operator (approver and note may be "").
func (t *tx) register(c data.Carrier, on data.Date, operator, approver, note string, at time.Time) error {
	reg := data.Event{ID: eventID(c.ID, 1), CarrierID: c.ID, Kind: data.EventRegister, On: on,
		Operator: operator, Approver: approver, Note: note, RecordedAt: at}
	return t.put(KindEvent, reg.ID, reg)
}

// conflictError is a FieldErrors that also matches data.ErrConflict.
type conflictError struct{ data.FieldErrors }

func (e conflictError) Is(target error) bool {
	return target == data.ErrConflict || target == data.ErrInvalid
}

func (e conflictError) Unwrap() error { return e.FieldErrors }
