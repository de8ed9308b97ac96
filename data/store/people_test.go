package store

import (
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"

	"baomi/data"
)

// openPeopleStore opens a new store whose clock moves a minute at every
// reading, so that an update's time differs from the creation time.
func openPeopleStore(t *testing.T) *Store {
	t.Helper()
	var mu sync.Mutex
	now := fixedNow()
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		now = now.Add(time.Minute)
		return now
	}
	s, err := Open(t.TempDir(), testKeys(t), Options{Operator: "张保密", NoGuard: true, Now: clock})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// samplePerson is a valid person on the post numbered staffNumber ("" for
// none).
func samplePerson(name, staffNumber string) data.Person {
	return data.Person{StaffNumber: staffNumber, Name: name, Gender: data.GenderFemale, Department: "办公室",
		Post: "机要员", Level: data.SecrecyImportant, DeterminedOn: data.NewDate(2025, 3, 1),
		VettedOn: data.NewDate(2025, 2, 20), VettingResult: "合格", TrainingHours: 8, State: data.PersonOnPost}
}

func addPeople(t *testing.T, s *Store, people ...data.Person) []data.Person {
	t.Helper()
	var out []data.Person
	for _, p := range people {
		a, err := s.AddPerson(ctx, p)
		if err != nil {
			t.Fatalf("add %s: %v", p.Name, err)
		}
		out = append(out, a)
	}
	return out
}

// wantStaffNumberClash fails the test unless err is the refusal of a
// 人员编号 another person holds: a FieldErrors on 人员编号 matching
// data.ErrConflict.
func wantStaffNumberClash(t *testing.T, err error) {
	t.Helper()
	var fe data.FieldErrors
	if !errors.Is(err, data.ErrConflict) || !errors.As(err, &fe) || fe.For(data.FieldStaffNumber) != "该人员编号已被其他涉密人员使用，请核对后换一个" {
		t.Fatalf("save = %v, want a clash on %s", err, data.FieldStaffNumber)
	}
}

func TestPeopleAreAddedListedReadAndUpdated(t *testing.T) {
	s := openPeopleStore(t)
	added := addPeople(t, s, samplePerson("王芳", "RS-002"), samplePerson("李明", "RS-001"), samplePerson("张伟", ""))
	for _, p := range added {
		if p.ID == "" || p.CreatedAt.IsZero() || !p.UpdatedAt.Equal(p.CreatedAt) {
			t.Errorf("added %s: id %q, created %v, updated %v", p.Name, p.ID, p.CreatedAt, p.UpdatedAt)
		}
	}
	if added[0].ID == added[1].ID {
		t.Error("two people share an ID")
	}

	list, err := s.People(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range list {
		names = append(names, p.Name)
	}
	if len(list) != 3 || names[0] != "张伟" || names[1] != "李明" || names[2] != "王芳" { // code-point order of 姓名
		t.Errorf("People = %v, want 张伟, 李明, 王芳", names)
	}
	got, err := s.Person(ctx, added[1].ID)
	if err != nil || !sameJSON(got, added[1]) {
		t.Errorf("Person = %+v, %v; want %+v", got, err, added[1])
	}

	if _, err := s.Person(ctx, "0123456789abcdef0123456789abcdef"); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("a person not stored: %v, want ErrNotFound", err)
	}

	// an update changes what was edited and keeps the ID and creation time
	edit := got
	edit.State, edit.LeftOn, edit.Department = data.PersonInExitPeriod, data.NewDate(2026, 11, 1), " 综合科 "
	edit.CreatedAt = time.Time{}
	updated, err := s.UpdatePerson(ctx, edit)
	if err != nil {
		t.Fatal(err)
	}
	if updated.ID != got.ID || !updated.CreatedAt.Equal(got.CreatedAt) || !updated.UpdatedAt.After(got.UpdatedAt) ||
		updated.Department != "综合科" || updated.State != data.PersonInExitPeriod {
		t.Errorf("updated = %+v", updated)
	}
	if again, err := s.Person(ctx, got.ID); err != nil || !sameJSON(again, updated) {
		t.Errorf("read after the update = %+v, %v; want %+v", again, err, updated)
	}
	// each add and the update also write an event of the person's history
	if rep, err := s.Verify(ctx); err != nil || rep.Records != 7 || rep.Entries != 8 {
		t.Errorf("verify = %+v, %v; want 7 records (3 people, 4 events), 8 entries", rep, err)
	}
}

func TestPeopleRefuseWhatTheRegisterMustNotHoldAndWriteNothing(t *testing.T) {
	add := func(p data.Person) func(s *Store, _ data.Person) (data.Person, error) {
		return func(s *Store, _ data.Person) (data.Person, error) { return s.AddPerson(ctx, p) }
	}
	update := func(edit func(p *data.Person)) func(s *Store, p data.Person) (data.Person, error) {
		return func(s *Store, p data.Person) (data.Person, error) { edit(&p); return s.UpdatePerson(ctx, p) }
	}
	wantField := func(field, problem string) func(t *testing.T, err error) {
		return func(t *testing.T, err error) {
			var fe data.FieldErrors
			if !errors.As(err, &fe) || fe.For(field) != problem {
				t.Errorf("save = %v, want %s：%s", err, field, problem)
			}
		}
	}
	tests := []struct {
		name  string
		other string // the 人员编号 of a second person stored first, the one edited; "" for none
		save  func(s *Store, p data.Person) (data.Person, error)
		check func(t *testing.T, err error)
	}{
		{"a person without a name", "", add(samplePerson(" ", "RS-009")), wantField(data.FieldName, "必须填写")},
		{"an update leaving without a date", "", update(func(p *data.Person) { p.State = data.PersonLeft }),
			wantField(data.FieldLeftOn, "状态为离岗或脱密期中时必须填写")},
		{"an update of a person not stored", "", update(func(p *data.Person) { p.ID = "0123456789abcdef0123456789abcdef" }),
			func(t *testing.T, err error) {
				if !errors.Is(err, data.ErrNotFound) {
					t.Errorf("update = %v, want ErrNotFound", err)
				}
			}},
		{"a person reusing a staff number", "", add(samplePerson("赵强", "RS-001")), wantStaffNumberClash},
		{"a person reusing a staff number typed full-width", "", add(samplePerson("赵强", " ＲＳ－００１ ")), wantStaffNumberClash},
		{"an update taking another's staff number", "RS-002", update(func(p *data.Person) { p.StaffNumber = "RS-001" }),
			wantStaffNumberClash},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openPeopleStore(t)
			edited := addPeople(t, s, samplePerson("李明", "RS-001"))[0]
			if tt.other != "" {
				edited = addPeople(t, s, samplePerson("赵强", tt.other))[0]
			}
			before, err := s.People(ctx)
			if err != nil {
				t.Fatal(err)
			}
			head := s.Head()
			_, err = tt.save(s, edited)
			tt.check(t, err)
			if s.Head() != head {
				t.Error("a refused save moved the head")
			}
			if after, err := s.People(ctx); err != nil || !sameJSON(after, before) {
				t.Errorf("people after the refusal = %+v, %v; want %+v", after, err, before)
			}
			if _, err := s.Verify(ctx); err != nil {
				t.Errorf("verify after the refusal: %v", err)
			}
		})
	}
}

func TestPersonRenamedStaffNumberIsFreedAndAClearedOneToo(t *testing.T) {
	s := openPeopleStore(t)
	people := addPeople(t, s, samplePerson("李明", "RS-001"), samplePerson("王芳", ""))
	li := people[0]
	li.StaffNumber = "RS-101"
	if _, err := s.UpdatePerson(ctx, li); err != nil {
		t.Fatal(err)
	}
	// the old number is free, the new one taken
	zhao, err := s.AddPerson(ctx, samplePerson("赵强", "RS-001"))
	if err != nil {
		t.Fatalf("RS-001 after the rename: %v", err)
	}
	_, err = s.AddPerson(ctx, samplePerson("钱进", "RS-101"))
	wantStaffNumberClash(t, err)
	// clearing a number frees it too; people without one never clash
	zhao.StaffNumber = ""
	if _, err := s.UpdatePerson(ctx, zhao); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddPerson(ctx, samplePerson("孙丽", "RS-001")); err != nil {
		t.Fatalf("RS-001 after it was cleared: %v", err)
	}
	if _, err := s.AddPerson(ctx, samplePerson("周杰", "")); err != nil {
		t.Fatalf("a second person without a number: %v", err)
	}
	if _, err := s.Verify(ctx); err != nil {
		t.Fatalf("verify: %v", err)
	}
}

// TestVerifyNamesAPersonChangedOrDeletedBehindItsBack tampers, with the
// keys but not through Baomi, with person records: Verify names the
// person, with no Verify code written for the kind.
func TestVerifyNamesAPersonChangedOrDeletedBehindItsBack(t *testing.T) {
	tests := []struct {
		name   string
		spoil  func(t *testing.T, s *Store, txn *badger.Txn, people []data.Person)
		victim int // the person Verify names
		reason string
		err    error
	}{
		{"the level raised", func(t *testing.T, s *Store, txn *badger.Txn, people []data.Person) {
			p := people[1]
			p.Level = data.SecrecyCore
			b, _ := json.Marshal(p)
			v, err := s.seal.seal(recordKey(KindPerson, p.ID), b)
			if err != nil {
				t.Fatal(err)
			}
			if err := txn.Set(recordKey(KindPerson, p.ID), v); err != nil {
				t.Fatal(err)
			}
		}, 1, reasonDigestChanged, data.ErrAuditBroken},
		{"the record deleted", func(t *testing.T, s *Store, txn *badger.Txn, people []data.Person) {
			if err := txn.Delete(recordKey(KindPerson, people[0].ID)); err != nil {
				t.Fatal(err)
			}
		}, 0, reasonMissing, data.ErrAuditBroken},
		{"the record deleted with its staff-number index entry", func(t *testing.T, s *Store, txn *badger.Txn, people []data.Person) {
			if err := txn.Delete(indexKey(KindPerson, "staffNumber", s.seal.blind(people[0].StaffNumber))); err != nil {
				t.Fatal(err)
			}
			if err := txn.Delete(recordKey(KindPerson, people[0].ID)); err != nil {
				t.Fatal(err)
			}
		}, 0, reasonMissing, data.ErrAuditBroken},
		{"another person's record copied over it", func(t *testing.T, s *Store, txn *badger.Txn, people []data.Person) {
			item, err := txn.Get(recordKey(KindPerson, people[0].ID))
			if err != nil {
				t.Fatal(err)
			}
			v, _ := item.ValueCopy(nil)
			if err := txn.Set(recordKey(KindPerson, people[1].ID), v); err != nil {
				t.Fatal(err)
			}
		}, 1, reasonUnreadable, data.ErrCorrupt},
		{"its staff-number index entry removed", func(t *testing.T, s *Store, txn *badger.Txn, people []data.Person) {
			if err := txn.Delete(indexKey(KindPerson, "staffNumber", s.seal.blind(people[1].StaffNumber))); err != nil {
				t.Fatal(err)
			}
		}, 1, reasonIndex, data.ErrAuditBroken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openPeopleStore(t)
			people := addPeople(t, s, samplePerson("李明", "RS-001"), samplePerson("王芳", "RS-002"))
			if _, err := s.Verify(ctx); err != nil {
				t.Fatalf("clean store does not verify: %v", err)
			}
			tamper(t, s, func(txn *badger.Txn) error { tt.spoil(t, s, txn, people); return nil })
			_, err := s.Verify(ctx)
			wantBreak(t, err, VerifyError{Kind: KindPerson, ID: people[tt.victim].ID, Reason: tt.reason, Err: tt.err})
			if zh := data.Detail(err); !strings.Contains(zh, "涉密人员记录") {
				t.Errorf("the finding %q does not say it is a 涉密人员 record", zh)
			}
		})
	}
}
