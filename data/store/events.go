package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"

	"baomi/data"
)

func eventID(carrierID string, seq int) string { return fmt.Sprintf("%s/%08d", carrierID, seq) }

// eventsIn returns a carrier's events inside txn, in recorded order.
func (s *Store) eventsIn(txn *badger.Txn, carrierID string) ([]data.Event, error) {
	return listRecords[data.Event](s, txn, KindEvent, carrierID)
}

// Events returns the events of the carrier with internal id, in the order
// they were recorded (corrections included; data.Active drops the voided).
func (s *Store) Events(ctx context.Context, carrierID string) ([]data.Event, error) {
	var out []data.Event
	err := s.view(ctx, func(txn *badger.Txn) error {
		var err error
		out, err = s.eventsIn(txn, carrierID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("events of %s: %w", carrierID, err)
	}
	return out, nil
}

// Record applies the rules to e, a new step for the carrier e.CarrierID,
// and stores it with its audit entry in one transaction together with its
// effect on the carrier: the derived state, loan and stocktake facts, a new
// 密级 or period for a change, and for a copy the new copy carriers (same
// 密级 and 标志, linked to the original). It returns the stored event. A
// refused step is a *data.UserError or data.FieldErrors and writes nothing.
func (s *Store) Record(ctx context.Context, e data.Event) (data.Event, error) {
	set, err := s.Settings(ctx)
	if err != nil {
		return data.Event{}, err
	}
	now := s.opts.Now()
	var out data.Event
	err = s.update(ctx, func(t *tx) error {
		var err error
		out, err = s.recordIn(t, e, set.Classifications, now)
		return err
	})
	if err != nil {
		return data.Event{}, fmt.Errorf("record %s for %s: %w", e.Kind, e.CarrierID, err)
	}
	return out, nil
}

// recordIn checks and writes one event inside t.
func (s *Store) recordIn(t *tx, e data.Event, levels []data.Classification, now time.Time) (data.Event, error) {
	var c data.Carrier
	if err := s.get(t.txn, KindCarrier, e.CarrierID, &c); err != nil {
		return data.Event{}, err
	}
	history, err := s.eventsIn(t.txn, c.ID)
	if err != nil {
		return data.Event{}, err
	}
	normalizeEvent(&e)
	if err := data.CheckEvent(c, history, e, levels, data.DateOf(now)); err != nil {
		return data.Event{}, err
	}
	e.ID, e.RecordedAt = eventID(c.ID, len(history)+1), now
	switch e.Kind {
	case data.EventChange:
		e.OldMark = c.Mark()
		c.Level, c.PeriodYears, c.DeclassifyOn, c.DeclassifyCondition = e.NewLevel, e.NewPeriodYears, e.NewDeclassifyOn, e.NewCondition
	case data.EventDeclassify:
		e.OldMark = c.Mark()
	case data.EventCopy:
		ids, err := s.makeCopies(t, c, history, e, now)
		if err != nil {
			return data.Event{}, err
		}
		e.CopyIDs = ids
	}
	if err := t.put(KindEvent, e.ID, e); err != nil {
		return data.Event{}, err
	}
	applyLife(&c, data.Derive(append(history, e)))
	c.UpdatedAt = now
	return e, t.put(KindCarrier, c.ID, c)
}

// batchChunk is how many events one transaction of RecordBatch writes;
// Badger refuses transactions much larger than a few hundred records.
const batchChunk = 200

// BatchError names the event of a batch that the rules refused.
type BatchError struct {
	Index  int    // position in the batch
	Number string // the carrier's 编号
	Err    error
}

// Error describes the refusal.
func (e *BatchError) Error() string {
	return fmt.Sprintf("batch item %d (%s): %v", e.Index, e.Number, e.Err)
}

// Unwrap returns the refusal.
func (e *BatchError) Unwrap() error { return e.Err }

// RecordBatch records many events (a stocktake, a batch destruction, hand
// over or lending). Every event is first checked against the rules, as if
// the batch were applied in order; if any is refused, nothing is written
// and the error is a *BatchError naming it. Then the events are written in
// transactions of up to 200, each durable when it returns; progress, if
// not nil, is told how many are done. Copies are not allowed in a batch.
func (s *Store) RecordBatch(ctx context.Context, events []data.Event, progress func(done, total int)) ([]data.Event, error) {
	set, err := s.Settings(ctx)
	if err != nil {
		return nil, err
	}
	now := s.opts.Now()
	today := data.DateOf(now)
	// dry run: carriers and histories as the batch would leave them
	err = s.view(ctx, func(txn *badger.Txn) error {
		carriers := map[string]data.Carrier{}
		histories := map[string][]data.Event{}
		for i, e := range events {
			if e.Kind == data.EventCopy {
				return &BatchError{Index: i, Err: fmt.Errorf("copy in a batch: %w", data.ErrInvalid)}
			}
			c, ok := carriers[e.CarrierID]
			if !ok {
				if err := s.get(txn, KindCarrier, e.CarrierID, &c); err != nil {
					return &BatchError{Index: i, Err: err}
				}
				h, err := s.eventsIn(txn, c.ID)
				if err != nil {
					return err
				}
				carriers[c.ID], histories[c.ID] = c, h
			}
			normalizeEvent(&e)
			if err := data.CheckEvent(c, histories[c.ID], e, set.Classifications, today); err != nil {
				return &BatchError{Index: i, Number: c.Number, Err: err}
			}
			e.ID = fmt.Sprintf("pending-%d", i)
			histories[c.ID] = append(histories[c.ID], e)
			applyLife(&c, data.Derive(histories[c.ID]))
			carriers[c.ID] = c
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("record batch: %w", err)
	}
	out := make([]data.Event, 0, len(events))
	for start := 0; start < len(events); start += batchChunk {
		end := min(start+batchChunk, len(events))
		var chunk []data.Event
		err := s.update(ctx, func(t *tx) error {
			chunk = chunk[:0]
			for _, e := range events[start:end] {
				stored, err := s.recordIn(t, e, set.Classifications, now)
				if err != nil {
					return err
				}
				chunk = append(chunk, stored)
			}
			return nil
		})
		if err != nil {
			return out, fmt.Errorf("record batch: %d of %d written: %w", start, len(events), err)
		}
		out = append(out, chunk...)
		if progress != nil {
			progress(end, len(events))
		}
	}
	return out, nil
}

func normalizeEvent(e *data.Event) {
	for _, p := range []*string{&e.Operator, &e.Approver, &e.Note, &e.Borrower, &e.CheckedBy, &e.ReturnedBy, &e.Condition,
		&e.ToUnit, &e.Courier, &e.NewLevel, &e.NewCondition, &e.Reason, &e.Method, &e.Place, &e.Witness} {
		*p = strings.TrimSpace(*p)
	}
	for i := range e.Readers {
		e.Readers[i].Name = strings.TrimSpace(e.Readers[i].Name)
	}
}

// applyLife copies the derived facts into the carrier record, so that the
// register and the alerts need not fold every carrier's events.
func applyLife(c *data.Carrier, l data.Life) {
	c.State, c.Borrower, c.DueOn, c.LastSeen, c.Missing = l.State, l.Borrower, l.DueOn, l.LastSeen, l.Missing
}

// makeCopies registers e.CopyCount copies of c, numbered <编号>-F<k> with k
// counting every copy made of c so far.
func (s *Store) makeCopies(t *tx, c data.Carrier, history []data.Event, e data.Event, now time.Time) ([]string, error) {
	made := 0
	for _, h := range history {
		if h.Kind == data.EventCopy {
			made += len(h.CopyIDs)
		}
	}
	var ids []string
	for i := 1; i <= e.CopyCount; i++ {
		cp := c
		cp.ID, cp.CopyOf = newID(), c.ID
		cp.Number = fmt.Sprintf("%s-F%d", c.Number, made+i)
		cp.Copies, cp.CopyNumbers = 1, fmt.Sprintf("复制件%d", made+i)
		cp.ReceivedOn, cp.CreatedAt, cp.UpdatedAt = e.On, now, now
		cp.Note = "由 " + c.Number + " 复制"
		applyLife(&cp, data.Life{State: data.StateHeld})
		other, err := s.lookup(t.txn, KindCarrier, "number", cp.Number)
		if err != nil {
			return nil, err
		}
		if other != "" {
			return nil, conflictError{data.FieldErrors{{Field: data.FieldCopyCount, Problem: "复制件编号 " + cp.Number + " 已被占用"}}}
		}
		if err := t.put(KindCarrier, cp.ID, cp); err != nil {
			return nil, err
		}
		if err := t.register(cp, e.On, e.Operator, e.Approver, "复制自 "+c.Number, now); err != nil {
			return nil, err
		}
		ids = append(ids, cp.ID)
	}
	return ids, nil
}
