package store

import (
	"errors"
	"testing"

	"baomi/data"
)

// Given two printed letters, when they are marked signed on a day from
// their print day to today, then both carry the day and the operator, one
// audit entry each is added, and the list shows them signed.
func TestMarkSignedRecordsTheDayAndOperatorAudited(t *testing.T) {
	s := openPeopleStore(t)
	got, err := s.RecordLetters(ctx, []data.LetterRecord{letterFor("p1", 2), letterFor("p2", 2), letterFor("p3", 1)})
	if err != nil {
		t.Fatal(err)
	}
	before := s.Head().Seq
	on := data.NewDate(2026, 11, 28)
	marked, err := s.MarkSigned(ctx, []string{got[0].ID, got[1].ID}, on, "李保密")
	if err != nil {
		t.Fatalf("mark signed: %v", err)
	}
	if len(marked) != 2 {
		t.Fatalf("marked %d letters, want 2", len(marked))
	}
	if seq := s.Head().Seq; seq != before+2 {
		t.Errorf("head seq = %d, want %d: one audit entry per letter", seq, before+2)
	}
	list, err := s.Letters(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range list {
		wantSigned := r.ID == got[0].ID || r.ID == got[1].ID
		if wantSigned && (r.SignedOn != on || r.SignedBy != "李保密") {
			t.Errorf("letter of %s = signed %v by %q, want %v by 李保密", r.PersonID, r.SignedOn, r.SignedBy, on)
		}
		if !wantSigned && !r.SignedOn.IsZero() {
			t.Errorf("letter of %s signed %v, want it left unsigned", r.PersonID, r.SignedOn)
		}
	}
	if _, err := s.Verify(ctx); err != nil {
		t.Errorf("verify: %v", err)
	}
}

// Given printed letters, when marking them signed breaks a rule, then the
// refusal says why (on the 签署日期 field for a date) and nothing is
// written, not even for the letters before the bad one.
func TestMarkSignedRefusesAndWritesNothing(t *testing.T) {
	s := openPeopleStore(t)
	got, err := s.RecordLetters(ctx, []data.LetterRecord{letterFor("p1", 2), letterFor("p2", 2)})
	if err != nil {
		t.Fatal(err)
	}
	a, b := got[0].ID, got[1].ID
	tests := []struct {
		name      string
		ids       []string
		on        data.Date
		wantField string
		wantIs    error
	}{
		{"a day after today", []string{a, b}, data.NewDate(2026, 11, 29), data.FieldLetterSigned, data.ErrInvalid},
		{"a day before the letter was printed", []string{a, b}, data.NewDate(2026, 11, 27), data.FieldLetterSigned, data.ErrInvalid},
		{"the last day of the year before", []string{a}, data.NewDate(2025, 12, 31), data.FieldLetterSigned, data.ErrInvalid},
		{"no date", []string{a}, data.Date{}, data.FieldLetterSigned, data.ErrInvalid},
		{"an unknown id after a good one", []string{a, "no-such-letter"}, data.NewDate(2026, 11, 28), "", data.ErrNotFound},
		{"no letters", nil, data.NewDate(2026, 11, 28), "", data.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := s.Head().Seq
			_, err := s.MarkSigned(ctx, tt.ids, tt.on, "李保密")
			if !errors.Is(err, tt.wantIs) {
				t.Fatalf("err = %v, want %v", err, tt.wantIs)
			}
			if data.Message(err) == "" {
				t.Errorf("err %v has no message for the user", err)
			}
			if tt.wantField != "" {
				var fe data.FieldErrors
				if !errors.As(err, &fe) || len(fe) != 1 || fe[0].Field != tt.wantField {
					t.Errorf("err = %v, want one problem on %s", err, tt.wantField)
				}
			}
			if seq := s.Head().Seq; seq != before {
				t.Errorf("head seq %d -> %d, want nothing written", before, seq)
			}
			list, err := s.Letters(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range list {
				if !r.SignedOn.IsZero() {
					t.Errorf("letter of %s signed %v after a refusal", r.PersonID, r.SignedOn)
				}
			}
		})
	}
}
