package store

import (
	"context"
	"fmt"
	"sort"

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
	var p data.Person
	err := s.view(ctx, func(txn *badger.Txn) error {
		var err error
		p, err = getRecord[data.Person](s, txn, KindPerson, id)
		return err
	})
	if err != nil {
		return data.Person{}, fmt.Errorf("person %s: %w", id, err)
	}
	return p, nil
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
	if err := s.update(ctx, func(t *tx) error { return t.put(KindPerson, p.ID, p) }); err != nil {
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
		return t.put(KindPerson, p.ID, p)
	})
	if err != nil {
		return data.Person{}, fmt.Errorf("update person %s: %w", p.ID, err)
	}
	return p, nil
}
