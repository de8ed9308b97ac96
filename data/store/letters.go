package store

import (
	"context"
	"errors"
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

// MarkSigned records that the letters ids were signed on the day on, by
// operator's account, in one transaction with their audit entries. A day
// before a letter was printed or after today, or an unknown id, and
// nothing is written: the refusal names the 签署日期 field.
func (s *Store) MarkSigned(ctx context.Context, ids []string, on data.Date, operator string) ([]data.LetterRecord, error) {
	if len(ids) == 0 {
		return nil, data.Userf(data.ErrInvalid, "请先选择要标记为已签署的承诺书")
	}
	if len(ids) > data.MaxLettersAtOnce {
		return nil, data.Userf(data.ErrInvalid, "一次最多标记 %d 份承诺书，这次有 %d 份，请分批标记", data.MaxLettersAtOnce, len(ids))
	}
	if on.IsZero() {
		return nil, data.FieldErrors{{Field: data.FieldLetterSigned, Problem: "请填写签署日期"}}
	}
	today := data.DateOf(s.opts.Now())
	if today.Before(on) {
		return nil, data.FieldErrors{{Field: data.FieldLetterSigned,
			Problem: "签署日期 " + on.Chinese() + " 晚于今天，请填写实际签署的日期"}}
	}
	var out []data.LetterRecord
	err := s.update(ctx, func(t *tx) error {
		seen := map[string]bool{}
		for _, id := range ids {
			if seen[id] {
				continue
			}
			seen[id] = true
			r, err := getRecord[data.LetterRecord](s, t.txn, KindLetter, id)
			if errors.Is(err, data.ErrNotFound) {
				return data.Userf(data.ErrNotFound, "有一份承诺书已不在记录中，请刷新后重新选择")
			}
			if err != nil {
				return err
			}
			if printed := data.DateOf(r.PrintedAt); on.Before(printed) {
				return data.FieldErrors{{Field: data.FieldLetterSigned,
					Problem: "签署日期 " + on.Chinese() + " 早于承诺书的打印日期 " + printed.Chinese() + "，请核对"}}
			}
			r.SignedOn, r.SignedBy = on, operator
			if err := t.put(KindLetter, r.ID, r); err != nil {
				return err
			}
			out = append(out, r)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("mark letters signed: %w", err)
	}
	return out, nil
}
