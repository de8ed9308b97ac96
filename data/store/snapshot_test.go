package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"baomi/data"
	"baomi/data/datatest"
)

// fullCarrier returns a carrier with every field set to a distinct
// non-zero value, found by reflection so that a field added to
// data.Carrier is covered without editing this test.
func fullCarrier(t testing.TB, n int) data.Carrier {
	t.Helper()
	var c data.Carrier
	v := reflect.ValueOf(&c).Elem()
	zone := time.FixedZone("", 8*3600)
	for i := 0; i < v.NumField(); i++ {
		f := v.Field(i)
		switch f.Interface().(type) {
		case string:
			f.SetString(fmt.Sprintf("字段%d·%d", i, n))
		case int:
			f.SetInt(int64(i + n + 1))
		case bool:
			f.SetBool(true)
		case data.Date:
			f.Set(reflect.ValueOf(data.NewDate(1990+i, time.Month(1+i%12), 1+n%28)))
		case time.Time:
			f.Set(reflect.ValueOf(time.Date(2026, 11, 28, 9, i, n%60, 123456789, zone)))
		default:
			t.Fatalf("field %s has type %s, which the snapshot codec does not know", v.Type().Field(i).Name, f.Type())
		}
	}
	return c
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestSnapshotKeepsEveryCarrierField(t *testing.T) {
	in := &Snapshot{Head: Head{Seq: 42, Hash: "abc"}, HasUnit: true,
		Unit:     data.Unit{Name: "某市财政局", Code: "CZJ", Officer: "张保密", CreatedAt: fixedNow()},
		Settings: data.DefaultSettings()}
	for i := 0; i < 3; i++ {
		in.Carriers = append(in.Carriers, fullCarrier(t, i))
	}
	// zero values round-trip too: no date, no time, negative numbers
	in.Carriers = append(in.Carriers, data.Carrier{ID: "z", PeriodYears: -1, DeclassifyOn: data.NewDate(1950, 1, 1)})
	raw, err := encodeSnapshot(in)
	if err != nil {
		t.Fatal(err)
	}
	out, err := decodeSnapshot(raw)
	if err != nil {
		t.Fatal(err)
	}
	if out.Head != in.Head || !out.HasUnit || mustJSON(t, out.Unit) != mustJSON(t, in.Unit) ||
		mustJSON(t, out.Settings) != mustJSON(t, in.Settings) {
		t.Fatalf("header changed: %+v", out)
	}
	if len(out.Carriers) != len(in.Carriers) {
		t.Fatalf("%d carriers back, want %d", len(out.Carriers), len(in.Carriers))
	}
	for i := range in.Carriers {
		// the JSON form is what the audit digests are taken of
		if got, want := mustJSON(t, out.Carriers[i]), mustJSON(t, in.Carriers[i]); got != want {
			t.Errorf("carrier %d:\n got %s\nwant %s", i, got, want)
		}
	}
}

func TestSnapshotOfManyChunksRoundTrips(t *testing.T) {
	in := &Snapshot{Head: Head{Seq: 7, Hash: "h"}, Settings: data.DefaultSettings()}
	for i := 0; i < 2*snapshotChunk+123; i++ {
		c := fullCarrier(t, i)
		c.Number = fmt.Sprintf("N-%06d", i)
		in.Carriers = append(in.Carriers, c)
	}
	raw, err := encodeSnapshot(in)
	if err != nil {
		t.Fatal(err)
	}
	out, err := decodeSnapshot(raw)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := mustJSON(t, out.Carriers), mustJSON(t, in.Carriers); got != want {
		t.Fatal("carriers changed across chunks")
	}
}

func TestSnapshotDecodeRefusesDamagedInput(t *testing.T) {
	in := &Snapshot{Head: Head{Seq: 1, Hash: "h"}, Carriers: []data.Carrier{fullCarrier(t, 1)}}
	raw, err := encodeSnapshot(in)
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string][]byte{
		"empty":          nil,
		"other version":  append([]byte{9}, raw[1:]...),
		"trailing bytes": append(append([]byte(nil), raw...), 0),
	}
	for n := 1; n < len(raw); n += 7 {
		cases[fmt.Sprintf("truncated to %d", n)] = raw[:n]
	}
	for name, b := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := decodeSnapshot(b); !errors.Is(err, data.ErrCorrupt) {
				t.Fatalf("got %v, want ErrCorrupt", err)
			}
		})
	}
}

func FuzzDecodeSnapshot(f *testing.F) {
	raw, err := encodeSnapshot(&Snapshot{Head: Head{Seq: 3, Hash: "x"}, HasUnit: true,
		Carriers: []data.Carrier{fullCarrier(f, 1), fullCarrier(f, 2)}})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(raw)
	f.Add([]byte{1, 0, 0, 0, 2, '{', '}', 0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, b []byte) {
		snap, err := decodeSnapshot(b)
		if err == nil {
			// whatever decodes encodes back to the same bytes
			again, err := encodeSnapshot(snap)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := decodeSnapshot(again); err != nil {
				t.Fatalf("re-encoded snapshot does not decode: %v", err)
			}
		} else if !errors.Is(err, data.ErrCorrupt) {
			t.Fatalf("error %v does not wrap ErrCorrupt", err)
		}
	})
}

// storeWithRegister makes a store with a unit and n carriers, one lent,
// and reads the register once so that the store keeps it.
func storeWithRegister(t *testing.T, dir string, keys Keys, n int) *Store {
	t.Helper()
	s := openTest(t, dir, keys, false)
	if err := s.SaveUnit(ctx, data.Unit{Name: "某市财政局", Code: "CZJ", Officer: "张保密", CreatedAt: fixedNow()}); err != nil {
		t.Fatal(err)
	}
	addN(t, s, 0, n)
	if _, err := s.Carriers(ctx); err != nil {
		t.Fatal(err)
	}
	c, err := s.CarrierByNumber(ctx, "R-0000")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Record(ctx, lendTo(c.ID, "王五")); err != nil {
		t.Fatal(err)
	}
	return s
}

func lendTo(id, borrower string) data.Event {
	return evt(data.EventLend, id, func(e *data.Event) { e.Borrower, e.Approver, e.DueOn = borrower, "赵", data.NewDate(2026, 12, 30) })
}

// fullRead lists the carriers by reading every record, as a fresh store
// without a register would.
func fullRead(t *testing.T, dir string, keys Keys) string {
	t.Helper()
	os.Remove(filepath.Join(dir, DBDir, snapshotName))
	s := openTest(t, dir, keys, false)
	defer s.Close()
	list, err := s.Carriers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return mustJSON(t, list)
}

func TestSnapshotAfterCloseShowsTheRegisterUntilTheNextChange(t *testing.T) {
	dir, keys := t.TempDir(), testKeys(t)
	s := storeWithRegister(t, dir, keys, 5)
	want, err := s.Carriers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	head := s.Head()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	snap, err := ReadSnapshot(dir, keys)
	if err != nil {
		t.Fatalf("read snapshot: %v", err)
	}
	if snap.Head != head || !snap.HasUnit || snap.Unit.Name != "某市财政局" || mustJSON(t, snap.Carriers) != mustJSON(t, want) {
		t.Fatalf("snapshot differs from the register")
	}
	if snap.Carriers[0].State != data.StateLent || snap.Carriers[0].Borrower == "" {
		t.Errorf("derived fields not kept: %+v", snap.Carriers[0])
	}

	if _, err := ReadSnapshot(dir, testKeys(t)); !errors.Is(err, data.ErrCorrupt) {
		t.Errorf("other keys: got %v, want ErrCorrupt", err)
	}

	// Given a change made by a session that never read the register (the
	// command line, say), when the snapshot is read, then it is stale.
	s = openTest(t, dir, keys, false)
	addN(t, s, 100, 1)
	s.Close()
	if _, err := ReadSnapshot(dir, keys); !errors.Is(err, data.ErrNotFound) {
		t.Fatalf("stale snapshot: got %v, want ErrNotFound", err)
	}

	// The next session that reads the register writes a current one.
	s = openTest(t, dir, keys, false)
	list, _ := s.Carriers(ctx)
	s.Close()
	snap, err = ReadSnapshot(dir, keys)
	if err != nil || len(snap.Carriers) != 6 || mustJSON(t, snap.Carriers) != mustJSON(t, list) {
		t.Fatalf("after a full read: %v", err)
	}

	if _, err := ReadSnapshot(t.TempDir(), keys); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("no snapshot: got %v, want ErrNotFound", err)
	}
}

func TestRegisterKeptByTheStoreFollowsEveryKindOfWrite(t *testing.T) {
	dir, keys := t.TempDir(), testKeys(t)
	s := storeWithRegister(t, dir, keys, 4)
	a, _ := s.CarrierByNumber(ctx, "R-0001")
	b, _ := s.CarrierByNumber(ctx, "R-0002")
	a.Title = "改过的名称"
	a.Number = "A-0001" // moves in 编号 order
	if _, err := s.UpdateCarrier(ctx, a); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Record(ctx, evt(data.EventCopy, b.ID, func(e *data.Event) { e.Approver, e.CopyCount = "赵", 2 })); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RecordBatch(ctx, []data.Event{
		evt(data.EventHandover, b.ID, func(e *data.Event) { e.ToUnit, e.Approver = "市保密局", "赵" }), lendTo(a.ID, "钱六")}, nil); err != nil {
		t.Fatal(err)
	}
	imp := datatest.NewCarrier("I-0001")
	if _, _, err := s.Import(ctx, []data.Carrier{imp}, nil, true, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddCarrier(ctx, datatest.NewCarrier("Z-0001")); err != nil {
		t.Fatal(err)
	}
	kept, err := s.Carriers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := s.Verify(ctx)
	if err != nil || !rep.RegisterConfirmed {
		t.Fatalf("verify: %v, confirmed %v", err, rep.RegisterConfirmed)
	}
	s.Close()
	if got, want := mustJSON(t, kept), fullRead(t, dir, keys); got != want {
		t.Fatalf("kept register differs from the records:\n got %s\nwant %s", got, want)
	}
}

func TestVerifyDropsARegisterThatDiffersFromTheRecords(t *testing.T) {
	dir, keys := t.TempDir(), testKeys(t)
	s := storeWithRegister(t, dir, keys, 3)
	defer s.Close()
	want, _ := s.Carriers(ctx)
	for name, spoil := range map[string]func(c *regCache){
		"a changed title":   func(c *regCache) { c.list[1].Title = "被改动" },
		"a carrier missing": func(c *regCache) { c.remove(c.list[0].ID) },
		"an extra carrier":  func(c *regCache) { c.put(datatest.NewCarrier("X-1")) },
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := s.Carriers(ctx); err != nil { // refill
				t.Fatal(err)
			}
			s.mu.Lock()
			spoil(s.cache)
			s.mu.Unlock()
			rep, err := s.Verify(ctx)
			if err != nil {
				t.Fatalf("verify: %v", err)
			}
			if rep.RegisterConfirmed {
				t.Fatal("a spoilt register was confirmed")
			}
			got, err := s.Carriers(ctx)
			if err != nil || mustJSON(t, got) != mustJSON(t, want) {
				t.Fatalf("register after the drop differs: %v", err)
			}
		})
	}
}

func TestUseSnapshotOnlyAtTheStoreHead(t *testing.T) {
	dir, keys := t.TempDir(), testKeys(t)
	s := storeWithRegister(t, dir, keys, 3)
	s.Close()
	snap, err := ReadSnapshot(dir, keys)
	if err != nil {
		t.Fatal(err)
	}
	s = openTest(t, dir, keys, false)
	defer s.Close()
	old := *snap
	old.Head.Seq--
	if s.UseSnapshot(&old) {
		t.Error("a snapshot at another head was used")
	}
	if !s.UseSnapshot(snap) {
		t.Fatal("the current snapshot was not used")
	}
	rep, err := s.Verify(ctx)
	if err != nil || !rep.RegisterConfirmed {
		t.Fatalf("verify: %v, confirmed %v", err, rep.RegisterConfirmed)
	}
}

func TestSnapshotFlipsAreAllDetected(t *testing.T) {
	dir, keys := t.TempDir(), testKeys(t)
	s := storeWithRegister(t, dir, keys, 2)
	s.Close()
	path := filepath.Join(dir, DBDir, snapshotName)
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer os.WriteFile(path, orig, 0o600)
	for off := range orig {
		b := append([]byte(nil), orig...)
		b[off] ^= 0x01
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadSnapshot(dir, keys); !errors.Is(err, data.ErrCorrupt) {
			t.Fatalf("flip at %d of %d: got %v, want ErrCorrupt", off, len(orig), err)
		}
	}
	for _, n := range []int{0, 1, len(orig) / 2, len(orig) - 1} {
		os.WriteFile(path, orig[:n], 0o600)
		if _, err := ReadSnapshot(dir, keys); !errors.Is(err, data.ErrCorrupt) {
			t.Fatalf("truncated to %d: got %v, want ErrCorrupt", n, err)
		}
	}
	t.Logf("%d flipped bytes, all refused", len(orig))
}
