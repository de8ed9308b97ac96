package store

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dgraph-io/badger/v4"

	"baomi/data"
	"baomi/data/datatest"
)

// dumpPlain returns every live key of s with its opened value. Index keys
// are shown without their blind, which differs under another index key,
// and checked to be the blind of their record's field under s's index key.
func dumpPlain(t *testing.T, s *Store) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{PrefetchValues: true})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			key := it.Item().KeyCopy(nil)
			v, err := it.Item().ValueCopy(nil)
			if err != nil {
				return err
			}
			plain, err := s.seal.open(key, v)
			if err != nil {
				return err
			}
			name := string(key)
			if strings.HasPrefix(name, prefixIndex) {
				parts := strings.SplitN(name[len(prefixIndex):], "/", 3)
				c, err := s.Carrier(ctx, string(plain))
				if err != nil {
					return err
				}
				if s.seal.blind(c.Number) != parts[2] {
					return fmt.Errorf("index %s is not the blind of %q", name, c.Number)
				}
				name = prefixIndex + parts[0] + "/" + parts[1] + "/<blind>"
				name += "→" + string(plain)
			}
			out[name] = string(plain)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("dump: %v", err)
	}
	return out
}

// rekeyFixture fills a store with every kind of record: unit, settings,
// carriers (one renumbered, so an index entry was deleted) and events.
func rekeyFixture(t *testing.T, dir string, keys Keys) {
	t.Helper()
	s := openTest(t, dir, keys, false)
	if err := s.SaveUnit(ctx, data.Unit{Name: "某市财政局", Code: "CZJ", Officer: "张保密"}); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveSettings(ctx, data.DefaultSettings()); err != nil {
		t.Fatal(err)
	}
	addN(t, s, 0, 30)
	c, err := s.CarrierByNumber(ctx, "R-0003")
	if err != nil {
		t.Fatal(err)
	}
	c.Number = "R-9003"
	if _, err := s.UpdateCarrier(ctx, c); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Record(ctx, evt(data.EventLend, c.ID, func(e *data.Event) { e.Borrower, e.Approver, e.DueOn = "王五", "赵", data.NewDate(2026, 11, 30) })); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Carriers(ctx); err != nil { // fills the register cache: Close writes a snapshot
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

func rekeyAll(t *testing.T, dir string, old, next Keys) {
	t.Helper()
	var last, total int
	err := BuildRekeyed(ctx, dir, old, next, Options{NoGuard: false}, func(d, n int) { last, total = d, n })
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	if last != total || total == 0 {
		t.Errorf("progress ended at %d of %d", last, total)
	}
	if err := SwitchRekeyed(dir, nil); err != nil {
		t.Fatalf("switch: %v", err)
	}
	if err := RemoveOldStore(dir); err != nil {
		t.Fatal(err)
	}
}

func TestRekeyKeepsEveryValueAndOldKeysNoLongerOpen(t *testing.T) {
	dir, old, next := t.TempDir(), testKeys(t), testKeys(t)
	rekeyFixture(t, dir, old)
	s := openTest(t, dir, old, false)
	want, head := dumpPlain(t, s), s.Head()
	wantRep, err := s.Verify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()

	rekeyAll(t, dir, old, next)

	if st, _ := RekeyState(dir); st != RekeyNone {
		t.Errorf("state after re-key = %d", st)
	}
	for _, gone := range []string{RekeyDir, OldDir} {
		if _, err := os.Stat(filepath.Join(dir, gone)); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s left behind: %v", gone, err)
		}
	}
	if snap, err := ReadSnapshot(dir, next); err != nil || snap.Head != head || len(snap.Carriers) != 30 {
		t.Errorf("snapshot under the new key: %v", err)
	}
	s = openTest(t, dir, next, true)
	if got := dumpPlain(t, s); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("values differ after re-key:\n got %d keys\nwant %d keys", len(got), len(want))
	}
	rep, err := s.Verify(ctx)
	if err != nil {
		t.Fatalf("verify with the new keys: %v", err)
	}
	if rep.Head != head || rep.Entries != wantRep.Entries || rep.Records != wantRep.Records {
		t.Errorf("report %+v, want %+v", rep, wantRep)
	}
	if c, err := s.CarrierByNumber(ctx, "R-9003"); err != nil || c.State != data.StateLent {
		t.Errorf("lookup through the re-blinded index: %+v, %v", c, err)
	}
	if _, err := s.AddCarrier(ctx, datatest.NewCarrier("R-0005")); !errors.Is(err, data.ErrConflict) {
		t.Errorf("duplicate 编号 after re-key: %v, want conflict", err)
	}
	s.Close()

	for name, k := range map[string]Keys{
		"old keys":                    old,
		"new master, old record keys": {Master: next.Master, Record: old.Record, Index: old.Index},
	} {
		t.Run(name, func(t *testing.T) {
			s, err := Open(dir, k, Options{NoGuard: true})
			if err == nil {
				s.Close()
				t.Fatal("the re-keyed store opened")
			}
			if !errors.Is(err, data.ErrCorrupt) && !errors.Is(err, data.ErrAuditBroken) {
				t.Errorf("error %v", err)
			}
		})
	}
}

func TestFailedRekeyLeavesTheOldStoreInPlace(t *testing.T) {
	tests := []struct {
		name    string
		spoil   func(t *testing.T, dir string, k Keys)
		wantErr error
	}{
		{"index entry the records do not back", func(t *testing.T, dir string, k Keys) {
			s := openTest(t, dir, k, false)
			defer s.Close()
			err := s.db.Update(func(txn *badger.Txn) error {
				key := indexKey(KindCarrier, "number", s.seal.blind("R-0001"))
				v, err := s.seal.seal(key, []byte("no-such-carrier"))
				if err != nil {
					return err
				}
				return txn.Set(key, v)
			})
			if err != nil {
				t.Fatal(err)
			}
		}, data.ErrNotFound},
		{"unknown file in the store folder", func(t *testing.T, dir string, k Keys) {
			if err := os.WriteFile(filepath.Join(dir, DBDir, "STRANGER"), []byte("x"), 0o600); err != nil {
				t.Fatal(err)
			}
		}, data.ErrConflict},
		{"too little free space", func(t *testing.T, dir string, k Keys) {
			saved := freeSpace
			freeSpace = func(string) (uint64, error) { return rekeyHeadroom, nil }
			t.Cleanup(func() { freeSpace = saved })
		}, data.ErrDiskFull},
		{"sealed file that does not open", func(t *testing.T, dir string, k Keys) {
			if err := os.WriteFile(filepath.Join(dir, DBDir, snapshotName), bytes.Repeat([]byte{1}, 64), 0o600); err != nil {
				t.Fatal(err)
			}
		}, data.ErrCorrupt},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir, old, next := t.TempDir(), testKeys(t), testKeys(t)
			rekeyFixture(t, dir, old)
			tc.spoil(t, dir, old)
			err := BuildRekeyed(ctx, dir, old, next, Options{NoGuard: true}, nil)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("build: %v, want %v", err, tc.wantErr)
			}
			if st, _ := RekeyState(dir); st != RekeyNone {
				t.Errorf("state after a failed build = %d, want none", st)
			}
			if _, err := os.Stat(filepath.Join(dir, RekeyDir)); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("new store left behind: %v", err)
			}
			s := openTest(t, dir, old, false)
			defer s.Close()
			if c, err := s.CarrierByNumber(ctx, "R-0007"); err != nil || c.Number != "R-0007" {
				t.Errorf("old store after a failed re-key: %v", err)
			}
		})
	}
}

func TestRekeyKnowsEveryFileTheStoreWrites(t *testing.T) {
	dir, keys := t.TempDir(), testKeys(t)
	rekeyFixture(t, dir, keys)
	s := openTest(t, dir, keys, true)
	addN(t, s, 100, 3)
	if _, err := s.Verify(ctx); err != nil {
		t.Fatal(err)
	}
	s.Close()
	listed := map[string]bool{}
	for _, f := range SealedFiles {
		listed[f.Rel] = true
	}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		inDB := strings.HasPrefix(rel, DBDir+"/") && !strings.Contains(rel[len(DBDir)+1:], "/")
		if !listed[rel] && !(inDB && badgerFile(d.Name())) {
			t.Errorf("%s is neither Badger's nor in SealedFiles: re-keying would leave it under the old key", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Given a store closed after three carriers, when a kill left an empty log
// file of the kind Badger creates at every open (between its create and
// its truncate), then the store opens, verifies and lists what it held.
func TestEmptyLogFileLeftByAKillDoesNotStopTheStore(t *testing.T) {
	for _, tc := range []struct{ name, file string }{
		{"memtable", "00002.mem"},
		{"value log", "000023.vlog"},
		{"value log below the newest", "000000.vlog"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, keys := t.TempDir(), testKeys(t)
			s := openTest(t, dir, keys, false)
			addN(t, s, 0, 3)
			s.Close()
			p := filepath.Join(dir, DBDir, tc.file)
			if _, err := os.Stat(p); err == nil && tc.file == "000000.vlog" {
				// the oldest value log exists: empty a higher-numbered one instead
				p = filepath.Join(dir, DBDir, "000099.vlog")
			}
			if err := os.WriteFile(p, nil, 0o600); err != nil {
				t.Fatal(err)
			}
			s = openTest(t, dir, keys, true)
			defer s.Close()
			if _, err := s.Verify(ctx); err != nil {
				t.Fatal(err)
			}
			if c, err := s.CarrierByNumber(ctx, "R-0002"); err != nil || c.Number != "R-0002" {
				t.Errorf("after the empty log file: %v", err)
			}
		})
	}
}

// BenchmarkRekey measures BuildRekeyed and the switch on a generated store
// (BAOMI_BENCH_CARRIERS, default 10,000), guard included, on a copy of the
// store each time. At 100,000 carriers (1.08 million keys) the whole
// `baomi keys rotate` took 88 s on the shared two-core test machine.
func BenchmarkRekey(b *testing.B) {
	src, keys := benchStore(b, benchSize())
	for b.Loop() {
		b.StopTimer()
		dir := b.TempDir()
		if err := restoreDB(filepath.Join(src, DBDir), filepath.Join(dir, DBDir)); err != nil {
			b.Fatal(err)
		}
		next := testKeys(b)
		b.StartTimer()
		if err := BuildRekeyed(ctx, dir, keys, next, Options{Logger: discardLogger}, nil); err != nil {
			b.Fatal(err)
		}
		if err := SwitchRekeyed(dir, nil); err != nil {
			b.Fatal(err)
		}
		if err := RemoveOldStore(dir); err != nil {
			b.Fatal(err)
		}
	}
}
