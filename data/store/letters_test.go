package store

import (
	"errors"
	"strings"
	"testing"

	"baomi/data"
)

// letterFor returns the record of a 年度 letter of 2026 for person id.
func letterFor(id string, copies int) data.LetterRecord {
	return data.LetterRecord{PersonID: id, TemplateID: "builtin-annual", TemplateVersion: 1,
		Kind: data.LetterAnnual, Year: 2026, Copies: copies}
}

// Given a batch of two letters, when they are recorded, then each is a
// record of its own with an ID, the print time and an audit entry, the
// list returns them unsigned, and Verify passes over the chain.
func TestPrintedLettersAreRecordedListedAndVerify(t *testing.T) {
	s := openPeopleStore(t)
	before := s.Head().Seq
	got, err := s.RecordLetters(ctx, []data.LetterRecord{letterFor("p1", 2), letterFor("p2", 2)})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID == "" || got[0].ID == got[1].ID || got[0].PrintedAt.IsZero() {
		t.Fatalf("recorded %+v, want two records with their own IDs and a print time", got)
	}
	if seq := s.Head().Seq; seq != before+2 {
		t.Errorf("head seq = %d, want %d: one audit entry per letter", seq, before+2)
	}
	list, err := s.Letters(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 {
		t.Fatalf("listed %d letters, want 2", len(list))
	}
	people := map[string]bool{}
	for _, r := range list {
		people[r.PersonID] = true
		if r.Kind != data.LetterAnnual || r.Year != 2026 || r.Copies != 2 || r.TemplateVersion != 1 ||
			!r.SignedOn.IsZero() || r.PrintedAt.IsZero() {
			t.Errorf("listed %+v, want an unsigned 年度 letter of 2026, 2 copies, with its print time", r)
		}
	}
	if !people["p1"] || !people["p2"] {
		t.Errorf("listed letters of %v, want p1 and p2", people)
	}
	rep, err := s.Verify(ctx)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	if rep.Records != 2 {
		t.Errorf("verify records = %d, want 2", rep.Records)
	}
}

// Given a batch of more letters than one transaction safely holds, when
// it is recorded, then it is refused in Chinese and nothing is written;
// a batch of the most allowed is recorded whole.
func TestALetterBatchBeyondTheLimitIsRefusedAndTheLimitIsRecorded(t *testing.T) {
	s := openPeopleStore(t)
	batch := func(n int) []data.LetterRecord {
		recs := make([]data.LetterRecord, n)
		for i := range recs {
			recs[i] = letterFor(newID(), 2) // an ID as long as a real person's
		}
		return recs
	}
	before := s.Head()
	_, err := s.RecordLetters(ctx, batch(data.MaxLettersAtOnce+1))
	if !errors.Is(err, data.ErrInvalid) || !strings.Contains(data.Message(err), "分批打印") {
		t.Fatalf("err = %v (%q), want a refusal asking to print in batches", err, data.Message(err))
	}
	if s.Head() != before {
		t.Errorf("head moved on a refused batch")
	}
	if _, err := s.RecordLetters(ctx, batch(data.MaxLettersAtOnce)); err != nil {
		t.Fatalf("a batch of %d letters: %v", data.MaxLettersAtOnce, err)
	}
	if list, err := s.Letters(ctx); err != nil || len(list) != data.MaxLettersAtOnce {
		t.Errorf("listed %d letters (err %v), want %d", len(list), err, data.MaxLettersAtOnce)
	}
}

// Given a batch where one letter is invalid, when it is recorded, then it
// is refused naming the field and nothing of the batch is written.
func TestALetterBatchWithOneInvalidRecordWritesNothing(t *testing.T) {
	cases := []struct {
		name  string
		bad   data.LetterRecord
		field string
	}{
		{"no person", letterFor("", 2), data.FieldLetterPerson},
		{"no copies", letterFor("p2", 0), data.FieldLetterCopies},
		{"unknown kind", func() data.LetterRecord { r := letterFor("p2", 2); r.Kind = "入职"; return r }(), data.FieldLetterKind},
		{"no template", func() data.LetterRecord { r := letterFor("p2", 2); r.TemplateID = ""; return r }(), data.FieldTemplate},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := openPeopleStore(t)
			before := s.Head()
			_, err := s.RecordLetters(ctx, []data.LetterRecord{letterFor("p1", 2), c.bad})
			var fe data.FieldErrors
			if !errors.As(err, &fe) || fe[0].Field != c.field {
				t.Fatalf("err = %v, want FieldErrors on %s", err, c.field)
			}
			if s.Head() != before {
				t.Errorf("head moved on a refused batch")
			}
			if list, err := s.Letters(ctx); err != nil || len(list) != 0 {
				t.Errorf("after a refused batch: %d letters stored (err %v), want none", len(list), err)
			}
		})
	}
}
