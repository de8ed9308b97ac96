package store

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/dgraph-io/badger/v4"

	"baomi/data"
)

var _ data.PersonService = (*Store)(nil)

// People returns every cleared person ordered by 姓名 (in code-point
// order; the screens sort by pinyin), then 人员编号, then ID.
func (s *Store) People(ctx context.Context) ([]data.Person, error) {
	var out []data.Person
	err := s.view(ctx, func(txn *badger.Txn) error {
		var err error
		out, err = listRecords[data.Person](s, txn, KindPerson, "")
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list people: %w", err)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		if a.StaffNumber != b.StaffNumber {
			return a.StaffNumber < b.StaffNumber
		}
		return a.ID < b.ID
	})
	return out, nil
}

// Person returns the person with internal id, or an error wrapping
// data.ErrNotFound.
func (s *Store) Person(ctx context.Context, id string) (data.Person, error) {
	return readRecord[data.Person](ctx, s, KindPerson, id)
}

// AddPerson validates p, gives it an ID and timestamps, and stores it with
// its audit entry. A 人员编号 another person has is a FieldErrors on
// 人员编号 that also matches data.ErrConflict.
func (s *Store) AddPerson(ctx context.Context, p data.Person) (data.Person, error) {
	p.Normalize()
	now := s.opts.Now()
	p.ID, p.CreatedAt, p.UpdatedAt = newID(), now, now
	if err := p.Validate(data.DateOf(now)); err != nil {
		return data.Person{}, err
	}
	// put refuses a 人员编号 another person has (the unique index)
	err := s.update(ctx, func(t *tx) error {
		if err := t.put(KindPerson, p.ID, p); err != nil {
			return err
		}
		reg := data.PersonEvent{Kind: data.PersonEventRegister, On: data.DateOf(now), Operator: t.s.opts.Operator}
		return t.personEvent(p.ID, nil, reg, now)
	})
	if err != nil {
		return data.Person{}, fmt.Errorf("add person: %w", err)
	}
	return p, nil
}

// UpdatePerson validates and stores a changed person with its audit
// entry; its creation time stays as stored (data.Person.KeepStored). A
// person not stored is data.ErrNotFound: an update never creates one. The
// stored record is read inside the write transaction, as for carriers.
func (s *Store) UpdatePerson(ctx context.Context, p data.Person) (data.Person, error) {
	p.Normalize()
	now := s.opts.Now()
	p.UpdatedAt = now
	if err := p.Validate(data.DateOf(now)); err != nil {
		return data.Person{}, err
	}
	err := s.update(ctx, func(t *tx) error {
		old, err := getRecord[data.Person](s, t.txn, KindPerson, p.ID)
		if err != nil {
			return err
		}
		p.KeepStored(old)
		if err := t.put(KindPerson, p.ID, p); err != nil {
			return err
		}
		changes := data.PersonChanges(old, p)
		if len(changes) == 0 {
			return nil // saved unchanged: nothing to tell in the history
		}
		history, err := listRecords[data.PersonEvent](s, t.txn, KindPersonEvent, p.ID)
		if err != nil {
			return err
		}
		edit := data.PersonEvent{Kind: data.PersonEventEdit, On: data.DateOf(now), Operator: t.s.opts.Operator, Changes: changes}
		return t.personEvent(p.ID, history, edit, now)
	})
	if err != nil {
		return data.Person{}, fmt.Errorf("update person %s: %w", p.ID, err)
	}
	return p, nil
}

// personEventID is the id of a person's seq-th event.
func personEventID(personID string, seq int) string { return fmt.Sprintf("%s/%08d", personID, seq) }

// personEvent writes e as the next event of the person after history.
func (t *tx) personEvent(personID string, history []data.PersonEvent, e data.PersonEvent, at time.Time) error {
	e.ID, e.PersonID, e.RecordedAt = personEventID(personID, len(history)+1), personID, at
	return t.put(KindPersonEvent, e.ID, e)
}

// PersonEvents returns the history of the person with internal id (登记,
// 修改, 离岗), in the order recorded. A person added before the history was
// kept has only the events since.
func (s *Store) PersonEvents(ctx context.Context, personID string) ([]data.PersonEvent, error) {
	var out []data.PersonEvent
	err := s.view(ctx, func(txn *badger.Txn) error {
		var err error
		out, err = listRecords[data.PersonEvent](s, txn, KindPersonEvent, personID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("history of person %s: %w", personID, err)
	}
	return out, nil
}

// CarriersHeldBy returns the carriers the person with internal id still
// holds or has borrowed (data.HeldByName), ordered by 编号. It reads the
// register's cache, so asking costs a scan of memory once the register
// has been listed.
func (s *Store) CarriersHeldBy(ctx context.Context, personID string) ([]data.Carrier, error) {
	p, err := s.Person(ctx, personID)
	if err != nil {
		return nil, err
	}
	return s.carriersHeldBy(ctx, p.Name)
}

func (s *Store) carriersHeldBy(ctx context.Context, name string) ([]data.Carrier, error) {
	all, err := s.Carriers(ctx)
	if err != nil {
		return nil, err
	}
	var held []data.Carrier
	for _, c := range all {
		if data.HeldByName(c, name) {
			held = append(held, c)
		}
	}
	return held, nil
}

// Leave records that a person on the post leaves it (离岗): the state
// becomes 脱密期中 (离岗 when the level has no 脱密期), the 离岗日期 is
// set, and a 离岗 event records the 保密教育提醒 and, when given, the
// override, all in one audited transaction. While the person still holds
// or has borrowed carriers (CarriersHeldBy) it is refused with a
// FieldErrors listing them unless an approver and a reason are given.
// The 脱密期 table is data.DefaultExitPeriods until a unit keeps its own.
func (s *Store) Leave(ctx context.Context, l data.Leaving) (data.Person, error) {
	l.Normalize()
	now := s.opts.Now()
	today := data.DateOf(now)
	p, err := s.Person(ctx, l.PersonID)
	if err != nil {
		return data.Person{}, err
	}
	var errs data.FieldErrors
	add := func(field, problem string) { errs = append(errs, data.FieldError{Field: field, Problem: problem}) }
	if p.State != data.PersonOnPost {
		return data.Person{}, data.Userf(data.ErrInvalid, "%s已是%s状态，不能再办理离岗；如需更正请修改人员信息", p.Name, p.State)
	}
	switch {
	case l.On.IsZero():
		add(data.FieldLeftOn, "必须填写")
	case today.Before(l.On):
		add(data.FieldLeftOn, "不能晚于今天")
	case l.On.Before(p.DeterminedOn):
		add(data.FieldLeftOn, "不能早于确定日期")
	}
	if l.ReminderOn.IsZero() {
		add(data.FieldReminderOn, "必须填写")
	} else if l.ReminderOn.Before(l.On) {
		add(data.FieldReminderOn, "不能早于离岗日期")
	}
	if l.ReminderBy == "" {
		add(data.FieldReminderBy, "必须填写")
	}
	if (l.OverrideApprover == "") != (l.OverrideReason == "") {
		if l.OverrideApprover == "" {
			add(data.FieldApprover, "填写了理由时必须填写批准人")
		} else {
			add(data.FieldReason, "填写了批准人时必须填写理由")
		}
	}
	// the register's cache answers for the audit head read first; a write
	// committed since is caught in the transaction below
	before := s.Head()
	held, err := s.carriersHeldBy(ctx, p.Name)
	if err != nil {
		return data.Person{}, err
	}
	if len(held) > 0 && l.OverrideApprover == "" {
		add(data.FieldHeldCarriers, data.HeldProblem(held))
	}
	if len(errs) > 0 {
		return data.Person{}, errs
	}
	if l.Operator == "" {
		l.Operator = s.Operator()
	}
	var out data.Person
	err = s.update(ctx, func(t *tx) error {
		stored, err := getRecord[data.Person](s, t.txn, KindPerson, p.ID)
		if err != nil {
			return err
		}
		if stored.State != data.PersonOnPost {
			return data.Userf(data.ErrInvalid, "%s已是%s状态，不能再办理离岗；如需更正请修改人员信息", stored.Name, stored.State)
		}
		if t.head != before || stored.Name != p.Name {
			// something was written since the cache was read: ask the
			// register itself, a scan only in this rare race
			all, err := listRecords[data.Carrier](s, t.txn, KindCarrier, "")
			if err != nil {
				return err
			}
			held = held[:0]
			for _, c := range all {
				if data.HeldByName(c, stored.Name) {
					held = append(held, c)
				}
			}
			sort.Slice(held, func(i, j int) bool { return held[i].Number < held[j].Number })
			if len(held) > 0 && l.OverrideApprover == "" {
				return data.FieldErrors{{Field: data.FieldHeldCarriers, Problem: data.HeldProblem(held)}}
			}
		}
		ev := data.PersonEvent{Kind: data.PersonEventLeave, On: l.On, Operator: l.Operator,
			ReminderOn: l.ReminderOn, ReminderBy: l.ReminderBy}
		if len(held) > 0 {
			ev.Approver, ev.Reason = l.OverrideApprover, l.OverrideReason
			for _, c := range held {
				ev.Held = append(ev.Held, c.Number+" "+c.Title)
			}
		}
		out = stored
		out.LeftOn, out.UpdatedAt = l.On, now
		out.State = data.PersonInExitPeriod
		if data.DefaultExitPeriods().Months(out.Level) <= 0 {
			out.State = data.PersonLeft
		}
		if err := out.Validate(today); err != nil {
			return err
		}
		if err := t.put(KindPerson, out.ID, out); err != nil {
			return err
		}
		history, err := listRecords[data.PersonEvent](s, t.txn, KindPersonEvent, out.ID)
		if err != nil {
			return err
		}
		ev.Changes = data.PersonChanges(stored, out)
		return t.personEvent(out.ID, history, ev, now)
	})
	if err != nil {
		return data.Person{}, fmt.Errorf("leave %s: %w", p.ID, err)
	}
	return out, nil
}
