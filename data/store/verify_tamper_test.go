package store

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dgraph-io/badger/v4"

	"baomi/data"
	"baomi/data/datatest"
)

// tamperFixture is a store with one record of every kind, verified clean:
// the unit, two carriers with their registration events, a loan of the
// first carrier and the settings.
type tamperFixture struct {
	s        *Store
	carriers []data.Carrier
	reg      data.Event // the second carrier's registration
	loan     data.Event // the loan of the first carrier
}

func newTamperFixture(t *testing.T) tamperFixture {
	t.Helper()
	s := openTest(t, t.TempDir(), testKeys(t), false)
	t.Cleanup(func() { s.Close() })
	f := tamperFixture{s: s}
	if err := s.SaveUnit(ctx, data.Unit{Name: "单位", Code: "DW", Officer: "张"}); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"T-1", "T-2"} {
		c, err := s.AddCarrier(ctx, datatest.NewCarrier(n))
		if err != nil {
			t.Fatal(err)
		}
		f.carriers = append(f.carriers, c)
	}
	evs, err := s.Events(ctx, f.carriers[1].ID)
	if err != nil || len(evs) != 1 || evs[0].Kind != data.EventRegister {
		t.Fatalf("registration of the second carrier: %+v, %v", evs, err)
	}
	f.reg = evs[0]
	f.loan, err = s.Record(ctx, evt(data.EventLend, f.carriers[0].ID, func(e *data.Event) {
		e.Borrower, e.Approver, e.DueOn = "王五", "赵主任", data.NewDate(2026, 12, 5)
	}))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SaveSettings(ctx, data.DefaultSettings()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Verify(ctx); err != nil {
		t.Fatalf("clean store does not verify: %v", err)
	}
	return f
}

// wantBreak fails the test unless err is the *VerifyError want describes:
// same sequence, record, reason and error class.
func wantBreak(t *testing.T, err error, want VerifyError) {
	t.Helper()
	var ve *VerifyError
	if !errors.As(err, &ve) {
		t.Fatalf("verify = %v, want a VerifyError %q", err, want.Reason)
	}
	if !errors.Is(err, want.Err) {
		t.Errorf("verify = %v, want it to wrap %v", err, want.Err)
	}
	if ve.Seq != want.Seq || ve.Kind != want.Kind || ve.ID != want.ID || ve.Reason != want.Reason {
		t.Errorf("verify named seq %d, record %q/%q, reason %q;\nwant seq %d, record %q/%q, reason %q",
			ve.Seq, ve.Kind, ve.ID, ve.Reason, want.Seq, want.Kind, want.ID, want.Reason)
	}
	if zh := reasonChinese[want.Reason]; zh == "" || !strings.Contains(ve.Chinese(), zh) {
		t.Errorf("Chinese description %q lacks the reason %q", ve.Chinese(), zh)
	}
}

// TestVerifyNamesTheRecordDeletedBehindItsBack deletes, with the keys but
// not through Baomi, records that only the audit chain knows about: no
// index points at an event, the unit or the settings, so Verify's "record
// missing" check is all that can see them gone.
func TestVerifyNamesTheRecordDeletedBehindItsBack(t *testing.T) {
	tests := []struct {
		name  string
		kind  string
		id    func(f tamperFixture) string
		index bool // also delete the carrier's 编号 index entry, as a careful attacker would
	}{
		{"a loan event", KindEvent, func(f tamperFixture) string { return f.loan.ID }, false},
		{"a registration event", KindEvent, func(f tamperFixture) string { return f.reg.ID }, false},
		{"the unit", KindUnit, func(tamperFixture) string { return singleton }, false},
		{"the settings", KindSettings, func(tamperFixture) string { return singleton }, false},
		{"a carrier", KindCarrier, func(f tamperFixture) string { return f.carriers[1].ID }, false},
		{"a carrier with its 编号 index entry", KindCarrier, func(f tamperFixture) string { return f.carriers[1].ID }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// given a store holding a record of every kind
			f := newTamperFixture(t)
			id := tt.id(f)
			// when the record is deleted behind Baomi's back
			tamper(t, f.s, func(txn *badger.Txn) error {
				if _, err := txn.Get(recordKey(tt.kind, id)); err != nil {
					t.Fatalf("record %s/%s to delete: %v", tt.kind, id, err)
				}
				if tt.index {
					c := f.carriers[1]
					if err := txn.Delete(indexKey(KindCarrier, "number", f.s.seal.blind(c.Number))); err != nil {
						return err
					}
				}
				return txn.Delete(recordKey(tt.kind, id))
			})
			// then Verify names the missing record
			_, err := f.s.Verify(ctx)
			wantBreak(t, err, VerifyError{Kind: tt.kind, ID: id, Reason: reasonMissing, Err: data.ErrAuditBroken})
		})
	}
}

// changeField changes v, a field of an Entry, to another value of the same
// type that still looks plausible (a hex string stays hex, so a changed
// Digest still names some SM3 value). A field of a type it does not know
// fails the test: teach it the new type rather than leave the field out.
func changeField(t *testing.T, name string, v reflect.Value) {
	t.Helper()
	switch v.Kind() {
	case reflect.String:
		s := v.String()
		r, size := utf8.DecodeLastRuneInString(s)
		switch {
		case s == "":
			s = "0"
		case r == '0':
			s = s[:len(s)-size] + "1"
		default:
			s = s[:len(s)-size] + "0"
		}
		v.SetString(s)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(v.Int() + 1)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(v.Uint() + 1)
	case reflect.Bool:
		v.SetBool(!v.Bool())
	default:
		t.Fatalf("Entry.%s is a %s: teach changeField how to change it", name, v.Type())
	}
}

// TestVerifyNamesAnAuditEntryWithAnyFieldChanged changes each field of a
// stored audit entry, one at a time, without recomputing its hash, as
// someone holding the keys could. The fields come from reflection, so a
// field added to Entry later is covered too: if computeHash does not cover
// it, its subtest fails.
func TestVerifyNamesAnAuditEntryWithAnyFieldChanged(t *testing.T) {
	// Most changes only break the entry's own hash; these are seen earlier.
	earlier := map[string]string{
		"Seq":  reasonKeyMismatch,  // the entry no longer matches its key
		"Prev": reasonPrevMismatch, // the link to the entry before breaks first
	}
	const seq = 3 // in the middle of the chain, a creation with a digest
	typ := reflect.TypeFor[Entry]()
	for i := range typ.NumField() {
		field := typ.Field(i)
		t.Run(field.Name, func(t *testing.T) {
			// given a clean store
			f := newTamperFixture(t)
			// when one field of entry 3 is changed and the entry sealed again
			var changed Entry
			tamper(t, f.s, func(txn *badger.Txn) error {
				e := readEntry(t, f.s, txn, seq)
				if e.Digest == "" || e.Action != ActionCreate {
					t.Fatalf("entry %d is %+v, want a creation with its digest", seq, e)
				}
				changeField(t, field.Name, reflect.ValueOf(&e).Elem().Field(i))
				writeEntry(t, f.s, txn, seq, e)
				changed = e
				return nil
			})
			var stored Entry
			tamper(t, f.s, func(txn *badger.Txn) error { stored = readEntry(t, f.s, txn, seq); return nil })
			if stored != changed {
				t.Fatalf("Entry.%s is not stored: wrote %+v, read back %+v", field.Name, changed, stored)
			}
			// then Verify names that entry
			reason := earlier[field.Name]
			if reason == "" {
				reason = reasonHashMismatch
			}
			_, err := f.s.Verify(ctx)
			wantBreak(t, err, VerifyError{Seq: seq, Reason: reason, Err: data.ErrAuditBroken})
		})
	}
}
