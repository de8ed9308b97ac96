package store

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"

	"baomi/data"
	"baomi/data/datatest"
)

var ctx = context.Background()

func testKeys(t testing.TB) Keys {
	t.Helper()
	k := Keys{Master: make([]byte, 32), Record: make([]byte, 16), Index: make([]byte, 32)}
	for _, b := range [][]byte{k.Master, k.Record, k.Index} {
		if _, err := rand.Read(b); err != nil {
			t.Fatal(err)
		}
	}
	return k
}

func openTest(t testing.TB, dir string, keys Keys, guard bool) *Store {
	t.Helper()
	s, err := Open(dir, keys, Options{Operator: "张保密", NoGuard: !guard, Now: fixedNow})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	return s
}

func fixedNow() time.Time { return time.Date(2026, 11, 28, 9, 30, 0, 0, time.Local) }

func TestRoundTripOfEveryKindSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	keys := testKeys(t)
	s := openTest(t, dir, keys, true)
	unit := data.Unit{Name: "某市财政局", Code: "CZJ", Superior: "某市保密局", Officer: "张保密", CreatedAt: fixedNow()}
	if err := s.SaveUnit(ctx, unit); err != nil {
		t.Fatal(err)
	}
	set := data.DefaultSettings()
	set.AutoLockMinutes = 5
	if err := s.SaveSettings(ctx, set); err != nil {
		t.Fatal(err)
	}
	usb := datatest.NewCarrier("CZJ-2026-0002")
	usb.Kind, usb.Serial, usb.Model, usb.Level, usb.PeriodYears = data.KindUSB, "SN123", "朗科 U208", "秘密", 0
	usb.DeclassifyOn = data.NewDate(2030, 12, 31)
	var added []data.Carrier
	for _, c := range []data.Carrier{datatest.NewCarrier("CZJ-2026-0001"), usb} {
		a, err := s.AddCarrier(ctx, c)
		if err != nil {
			t.Fatalf("add %s: %v", c.Number, err)
		}
		added = append(added, a)
	}
	head := s.Head()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = openTest(t, dir, keys, true)
	defer s.Close()
	if got := s.Head(); got != head {
		t.Errorf("head after restart = %+v, want %+v", got, head)
	}
	gotUnit, err := s.Unit(ctx)
	if err != nil || !sameJSON(gotUnit, unit) {
		t.Errorf("unit after restart = %+v, %v; want %+v", gotUnit, err, unit)
	}
	gotSet, err := s.Settings(ctx)
	if err != nil || !sameJSON(gotSet, set) {
		t.Errorf("settings after restart = %+v, %v", gotSet, err)
	}
	list, err := s.Carriers(ctx)
	if err != nil || len(list) != 2 {
		t.Fatalf("carriers after restart: %d, %v", len(list), err)
	}
	for i := range added {
		if !sameJSON(list[i], added[i]) {
			t.Errorf("carrier %d after restart:\n got %+v\nwant %+v", i, list[i], added[i])
		}
	}
	if list[1].Mark() != "秘密★2030年12月31日" {
		t.Errorf("mark = %q", list[1].Mark())
	}
	byNo, err := s.CarrierByNumber(ctx, "CZJ-2026-0002")
	if err != nil || byNo.ID != added[1].ID {
		t.Errorf("by number: %+v %v", byNo, err)
	}
	// unit, settings, two carriers and their two registration events
	if rep, err := s.Verify(ctx); err != nil || rep.Entries != 6 || rep.Records != 6 {
		t.Errorf("verify = %+v, %v; want 6 entries, 6 records", rep, err)
	}
}

func sameJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

func TestCarrierRules(t *testing.T) {
	s := openTest(t, t.TempDir(), testKeys(t), false)
	defer s.Close()
	if _, err := s.AddCarrier(ctx, datatest.NewCarrier("A-1")); err != nil {
		t.Fatal(err)
	}
	headBefore := s.Head()
	tests := []struct {
		name    string
		edit    func(*data.Carrier)
		field   string
		isError error
	}{
		{"duplicate number is refused", func(c *data.Carrier) {}, data.FieldNumber, data.ErrConflict},
		{"full-width duplicate is refused", func(c *data.Carrier) { c.Number = "Ａ-１" }, data.FieldNumber, data.ErrConflict},
		{"empty title is refused", func(c *data.Carrier) { c.Number, c.Title = "A-2", "  " }, data.FieldTitle, data.ErrInvalid},
		{"unknown level is refused", func(c *data.Carrier) { c.Number, c.Level = "A-2", "超密" }, data.FieldLevel, data.ErrInvalid},
		{"period and date together are refused", func(c *data.Carrier) { c.Number, c.DeclassifyOn = "A-2", data.NewDate(2040, 1, 1) }, data.FieldPeriod, data.ErrInvalid},
		{"secret without period is refused", func(c *data.Carrier) { c.Number, c.PeriodYears = "A-2", 0 }, data.FieldPeriod, data.ErrInvalid},
		{"device without serial is refused", func(c *data.Carrier) { c.Number, c.Kind = "A-2", data.KindUSB }, data.FieldSerial, data.ErrInvalid},
		{"future receipt is refused", func(c *data.Carrier) { c.Number, c.ReceivedOn = "A-2", data.NewDate(2027, 1, 1) }, data.FieldReceivedOn, data.ErrInvalid},
		{"zero copies are refused", func(c *data.Carrier) { c.Number, c.Copies = "A-2", 0 }, data.FieldCopies, data.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := datatest.NewCarrier("A-1")
			tt.edit(&c)
			_, err := s.AddCarrier(ctx, c)
			if !errors.Is(err, tt.isError) {
				t.Fatalf("err = %v, want %v", err, tt.isError)
			}
			var fe data.FieldErrors
			if !errors.As(err, &fe) || fe.For(tt.field) == "" {
				t.Fatalf("err = %v, want a problem on %s", err, tt.field)
			}
			if msg := data.Message(err); msg == "" || !strings.Contains(msg, tt.field) {
				t.Errorf("message %q does not name %s", msg, tt.field)
			}
		})
	}
	if s.Head() != headBefore {
		t.Errorf("refused inputs wrote audit entries")
	}
	if list, _ := s.Carriers(ctx); len(list) != 1 {
		t.Errorf("refused inputs stored carriers: %d", len(list))
	}
}

func TestUpdateCarrierKeepsNumberIndexRight(t *testing.T) {
	s := openTest(t, t.TempDir(), testKeys(t), false)
	defer s.Close()
	a, _ := s.AddCarrier(ctx, datatest.NewCarrier("A-1"))
	b, _ := s.AddCarrier(ctx, datatest.NewCarrier("A-2"))
	a.Number = "A-9"
	if _, err := s.UpdateCarrier(ctx, a); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CarrierByNumber(ctx, "A-1"); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("old number still found: %v", err)
	}
	b.Number = "A-9"
	if _, err := s.UpdateCarrier(ctx, b); !errors.Is(err, data.ErrConflict) {
		t.Errorf("renaming onto a used number: %v, want conflict", err)
	}
	c := datatest.NewCarrier("A-1")
	if _, err := s.AddCarrier(ctx, c); err != nil {
		t.Errorf("freed number not reusable: %v", err)
	}
	if _, err := s.Verify(ctx); err != nil {
		t.Errorf("verify: %v", err)
	}
}

// tamper runs fn on the raw Badger database, bypassing the audit chain, as
// someone holding the keys but not using Baomi would.
func tamper(t *testing.T, s *Store, fn func(txn *badger.Txn) error) {
	t.Helper()
	if err := s.db.Update(fn); err != nil {
		t.Fatalf("tamper: %v", err)
	}
}

func readEntry(t *testing.T, s *Store, txn *badger.Txn, seq uint64) Entry {
	t.Helper()
	b, err := s.getSealed(txn, auditKey(seq))
	if err != nil {
		t.Fatal(err)
	}
	var e Entry
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatal(err)
	}
	return e
}

func writeEntry(t *testing.T, s *Store, txn *badger.Txn, seq uint64, e Entry) {
	t.Helper()
	b, _ := json.Marshal(e)
	v, _ := s.seal.seal(auditKey(seq), b)
	if err := txn.Set(auditKey(seq), v); err != nil {
		t.Fatal(err)
	}
}

func TestVerifyDetectsTampering(t *testing.T) {
	carrierAt := func(i int) func([]string) string { return func(ids []string) string { return ids[i] } }
	tests := []struct {
		name    string
		tamper  func(t *testing.T, s *Store, txn *badger.Txn, ids []string)
		seq     uint64
		wantErr error
		reason  string
		record  func(ids []string) string // the carrier Verify names; nil: none
	}{
		{"edited entry", func(t *testing.T, s *Store, txn *badger.Txn, _ []string) {
			e := readEntry(t, s, txn, 3)
			e.Operator = "王五"
			writeEntry(t, s, txn, 3, e)
		}, 3, data.ErrAuditBroken, reasonHashMismatch, nil},
		{"edited entry with recomputed hash", func(t *testing.T, s *Store, txn *badger.Txn, _ []string) {
			e := readEntry(t, s, txn, 3)
			e.Operator = "王五"
			e.Hash = e.computeHash()
			writeEntry(t, s, txn, 3, e)
		}, 4, data.ErrAuditBroken, reasonPrevMismatch, nil},
		{"deleted entry", func(t *testing.T, s *Store, txn *badger.Txn, _ []string) {
			if err := txn.Delete(auditKey(3)); err != nil {
				t.Fatal(err)
			}
		}, 3, data.ErrAuditBroken, reasonSeqGap, nil},
		{"inserted entry", func(t *testing.T, s *Store, txn *badger.Txn, _ []string) {
			// shift 3..5 up by one and put a forged entry at 3
			for seq := uint64(5); seq >= 3; seq-- {
				writeEntry(t, s, txn, seq+1, readEntry(t, s, txn, seq))
			}
			e := readEntry(t, s, txn, 2)
			forged := Entry{Seq: 3, Time: e.Time, Operator: "x", Action: ActionCreate, Kind: KindCarrier, ID: "f", Prev: e.Hash}
			forged.Hash = forged.computeHash()
			writeEntry(t, s, txn, 3, forged)
		}, 4, data.ErrAuditBroken, reasonKeyMismatch, nil},
		{"reordered entries", func(t *testing.T, s *Store, txn *badger.Txn, _ []string) {
			a, b := readEntry(t, s, txn, 3), readEntry(t, s, txn, 4)
			writeEntry(t, s, txn, 3, b)
			writeEntry(t, s, txn, 4, a)
		}, 3, data.ErrAuditBroken, reasonKeyMismatch, nil},
		{"entry moved to another key", func(t *testing.T, s *Store, txn *badger.Txn, _ []string) {
			item, _ := txn.Get(auditKey(3))
			v, _ := item.ValueCopy(nil)
			if err := txn.Set(auditKey(4), v); err != nil {
				t.Fatal(err)
			}
		}, 4, data.ErrCorrupt, reasonUnreadable, nil},
		{"last entry dropped", func(t *testing.T, s *Store, txn *badger.Txn, _ []string) {
			if err := txn.Delete(auditKey(8)); err != nil {
				t.Fatal(err)
			}
		}, 7, data.ErrAuditBroken, reasonHeadMismatch, nil},
		{"record silently deleted", func(t *testing.T, s *Store, txn *badger.Txn, ids []string) {
			if err := txn.Delete(recordKey(KindCarrier, ids[1])); err != nil {
				t.Fatal(err)
			}
		}, 0, data.ErrAuditBroken, reasonMissing, carrierAt(1)},
		{"record silently changed", func(t *testing.T, s *Store, txn *badger.Txn, ids []string) {
			var c data.Carrier
			if err := s.get(txn, KindCarrier, ids[0], &c); err != nil {
				t.Fatal(err)
			}
			c.Level = "秘密"
			b, _ := json.Marshal(c)
			v, _ := s.seal.seal(recordKey(KindCarrier, ids[0]), b)
			if err := txn.Set(recordKey(KindCarrier, ids[0]), v); err != nil {
				t.Fatal(err)
			}
		}, 0, data.ErrAuditBroken, reasonDigestChanged, carrierAt(0)},
		{"record silently added", func(t *testing.T, s *Store, txn *badger.Txn, ids []string) {
			b, _ := json.Marshal(datatest.NewCarrier("X-1"))
			v, _ := s.seal.seal(recordKey(KindCarrier, "ffff"), b)
			if err := txn.Set(recordKey(KindCarrier, "ffff"), v); err != nil {
				t.Fatal(err)
			}
		}, 0, data.ErrAuditBroken, reasonNotAudited, func([]string) string { return "ffff" }},
		{"record value swapped between keys", func(t *testing.T, s *Store, txn *badger.Txn, ids []string) {
			item, _ := txn.Get(recordKey(KindCarrier, ids[0]))
			v, _ := item.ValueCopy(nil)
			if err := txn.Set(recordKey(KindCarrier, ids[1]), v); err != nil {
				t.Fatal(err)
			}
		}, 0, data.ErrCorrupt, reasonUnreadable, carrierAt(1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// given a store with eight audit entries: unit, three carriers
			// with their registrations, settings
			s := openTest(t, t.TempDir(), testKeys(t), false)
			defer s.Close()
			if err := s.SaveUnit(ctx, data.Unit{Name: "单位", Code: "DW", Officer: "张"}); err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, n := range []string{"A-1", "A-2", "A-3"} {
				c, err := s.AddCarrier(ctx, datatest.NewCarrier(n))
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, c.ID)
			}
			if err := s.SaveSettings(ctx, data.DefaultSettings()); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Verify(ctx); err != nil {
				t.Fatalf("clean store does not verify: %v", err)
			}
			// when it is tampered with behind Baomi's back
			tamper(t, s, func(txn *badger.Txn) error { tt.tamper(t, s, txn, ids); return nil })
			// then Verify reports the break precisely
			_, err := s.Verify(ctx)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("verify = %v, want %v", err, tt.wantErr)
			}
			var ve *VerifyError
			if !errors.As(err, &ve) {
				t.Fatalf("not a VerifyError: %v", err)
			}
			want := VerifyError{Seq: tt.seq, Reason: tt.reason, Err: tt.wantErr}
			if tt.record != nil {
				want.Kind, want.ID = KindCarrier, tt.record(ids)
			}
			wantBreak(t, err, want)
			if ve.Chinese() == "" {
				t.Errorf("no Chinese description")
			}
		})
	}
}

func TestFingerprint(t *testing.T) {
	if got := (Head{}).Fingerprint(); got != "—" {
		t.Errorf("empty = %q", got)
	}
	h := Head{Seq: 1, Hash: "0123456789abcdef"}
	if got := h.Fingerprint(); got != "0123-4567-89ab" {
		t.Errorf("fingerprint = %q", got)
	}
}

func TestCloseWaitsForARunningVerifyAndLaterCallsSayLocked(t *testing.T) {
	s := openTest(t, t.TempDir(), testKeys(t), false)
	for i := 0; i < 300; i++ {
		if _, err := s.AddCarrier(ctx, datatest.NewCarrier(fmt.Sprintf("V-%04d", i))); err != nil {
			t.Fatal(err)
		}
	}
	done := make(chan error, 8)
	for i := 0; i < 8; i++ {
		go func() { _, err := s.Verify(ctx); done <- err }()
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 8; i++ {
		if err := <-done; err != nil && !errors.Is(err, data.ErrLocked) {
			t.Errorf("verify during close: %v", err)
		}
	}
	if _, err := s.Carriers(ctx); !errors.Is(err, data.ErrLocked) {
		t.Errorf("read after close: %v, want ErrLocked", err)
	}
	if _, err := s.AddCarrier(ctx, datatest.NewCarrier("X")); !errors.Is(err, data.ErrLocked) {
		t.Errorf("write after close: %v, want ErrLocked", err)
	}
}

func TestOverlappingRenamesLeaveNoStaleIndex(t *testing.T) {
	s := openTest(t, t.TempDir(), testKeys(t), false)
	defer s.Close()
	c, err := s.AddCarrier(ctx, datatest.NewCarrier("X-1"))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	for _, name := range []string{"Y", "Z"} {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := 0; i < 20; i++ {
				cc := c
				cc.Number = fmt.Sprintf("%s-%d", name, i)
				if _, err := s.UpdateCarrier(ctx, cc); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	<-done
	<-done
	if _, err := s.Verify(ctx); err != nil {
		t.Fatalf("verify after overlapping renames: %v", err)
	}
	final, _ := s.Carrier(ctx, c.ID)
	for i := 0; i < 20; i++ {
		for _, name := range []string{"Y", "Z"} {
			n := fmt.Sprintf("%s-%d", name, i)
			if n == final.Number {
				continue
			}
			if _, err := s.CarrierByNumber(ctx, n); !errors.Is(err, data.ErrNotFound) {
				t.Errorf("stale index entry for %s: %v", n, err)
			}
		}
	}
}

func TestUpdateKeepsStoredStateAndCreationTime(t *testing.T) {
	s := openTest(t, t.TempDir(), testKeys(t), false)
	defer s.Close()
	c, _ := s.AddCarrier(ctx, datatest.NewCarrier("S-1"))
	c.State, c.CreatedAt, c.Title = data.StateDestroyed, time.Time{}, "改过的标题"
	got, err := s.UpdateCarrier(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := s.Carrier(ctx, c.ID)
	if got.State != data.StateHeld || stored.State != data.StateHeld || stored.CreatedAt.IsZero() || stored.Title != "改过的标题" {
		t.Errorf("returned %+v, stored %+v", got, stored)
	}
}

func TestVerifyFindsAnIndexThatDoesNotMatchTheCarriers(t *testing.T) {
	for _, tt := range []struct {
		name   string
		spoil  func(s *Store, a, b data.Carrier) func(txn *badger.Txn) error
		reason string
	}{
		{"an extra entry points at a carrier", func(s *Store, a, _ data.Carrier) func(txn *badger.Txn) error {
			return func(txn *badger.Txn) error {
				k := indexKey(KindCarrier, "number", s.seal.blind("I-9"))
				v, _ := s.seal.seal(k, []byte(a.ID))
				return txn.Set(k, v)
			}
		}, reasonIndex},
		{"a carrier's entry is missing", func(s *Store, a, _ data.Carrier) func(txn *badger.Txn) error {
			return func(txn *badger.Txn) error {
				return txn.Delete(indexKey(KindCarrier, "number", s.seal.blind(a.Number)))
			}
		}, reasonIndex},
		{"an entry points at the other carrier", func(s *Store, a, b data.Carrier) func(txn *badger.Txn) error {
			return func(txn *badger.Txn) error {
				k := indexKey(KindCarrier, "number", s.seal.blind(a.Number))
				v, _ := s.seal.seal(k, []byte(b.ID))
				return txn.Set(k, v)
			}
		}, reasonIndex},
		{"an entry does not open", func(s *Store, a, _ data.Carrier) func(txn *badger.Txn) error {
			return func(txn *badger.Txn) error {
				return txn.Set(indexKey(KindCarrier, "number", s.seal.blind(a.Number)), []byte("garbage-garbage-garbage-garbage-garbage"))
			}
		}, reasonUnreadable},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := openTest(t, t.TempDir(), testKeys(t), false)
			defer s.Close()
			a, _ := s.AddCarrier(ctx, datatest.NewCarrier("I-1"))
			b, err := s.AddCarrier(ctx, datatest.NewCarrier("I-2"))
			if err != nil {
				t.Fatal(err)
			}
			tamper(t, s, tt.spoil(s, a, b))
			_, err = s.Verify(ctx)
			var ve *VerifyError
			if !errors.As(err, &ve) || ve.Reason != tt.reason {
				t.Errorf("verify = %v, want %q", err, tt.reason)
			}
		})
	}
}
