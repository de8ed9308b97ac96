package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"baomi/data"
	"baomi/data/datatest"
)

func addN(t *testing.T, s *Store, from, n int) {
	t.Helper()
	for i := from; i < from+n; i++ {
		if _, err := s.AddCarrier(ctx, datatest.NewCarrier(fmt.Sprintf("R-%04d", i))); err != nil {
			t.Fatal(err)
		}
	}
}

func TestRollbackToAnOlderCopyOfTheStoreIsDetected(t *testing.T) {
	// given a store copied at head N, then five more changes
	dir, keys := t.TempDir(), testKeys(t)
	s := openTest(t, dir, keys, false)
	addN(t, s, 0, 3)
	oldHead := s.Head()
	s.Close()
	old := t.TempDir()
	if err := restoreDB(filepath.Join(dir, DBDir), old); err != nil {
		t.Fatal(err)
	}
	s = openTest(t, dir, keys, false)
	addN(t, s, 3, 5)
	s.Close()
	// when the older Badger files are put back but the anchor is today's
	db := filepath.Join(dir, DBDir)
	for _, n := range []string{anchorName, anchorBackup} {
		b, err := os.ReadFile(filepath.Join(db, n))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(old, n), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := restoreDB(old, db); err != nil {
		t.Fatal(err)
	}
	// then opening reports the lost changes
	_, err := Open(dir, keys, Options{NoGuard: true})
	var ve *VerifyError
	if !errors.Is(err, data.ErrAuditBroken) || !errors.As(err, &ve) || ve.Reason != reasonRolledBack {
		t.Fatalf("open after rollback: %v", err)
	}
	if ve.Seq != oldHead.Seq+1 || !strings.Contains(ve.Chinese(), "最近的修改已丢失") {
		t.Errorf("break at %d: %s", ve.Seq, ve.Chinese())
	}
}

func TestAnchorFilesMissingOrDamaged(t *testing.T) {
	tests := []struct {
		name   string
		damage func(db string)
		want   error // nil: opens and reads back everything
	}{
		{"both missing", func(db string) {
			os.Remove(filepath.Join(db, anchorName))
			os.Remove(filepath.Join(db, anchorBackup))
		}, data.ErrAuditBroken},
		{"primary damaged", func(db string) { flipByte(filepath.Join(db, anchorName), 20, 0xFF) }, nil},
		{"backup damaged", func(db string) { flipByte(filepath.Join(db, anchorBackup), 20, 0xFF) }, nil},
		{"primary missing", func(db string) { os.Remove(filepath.Join(db, anchorName)) }, nil},
		{"both damaged", func(db string) {
			flipByte(filepath.Join(db, anchorName), 20, 0xFF)
			flipByte(filepath.Join(db, anchorBackup), 20, 0xFF)
		}, data.ErrCorrupt},
		{"anchor from another store", func(db string) {
			other := t.TempDir()
			o := openTest(t, other, testKeys(t), false)
			o.Close()
			b, _ := os.ReadFile(filepath.Join(other, DBDir, anchorName))
			os.WriteFile(filepath.Join(db, anchorName), b, 0o600)
			os.Remove(filepath.Join(db, anchorBackup))
		}, data.ErrCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, keys := t.TempDir(), testKeys(t)
			s := openTest(t, dir, keys, false)
			addN(t, s, 0, 2)
			s.Close()
			tt.damage(filepath.Join(dir, DBDir))
			s, err := Open(dir, keys, Options{NoGuard: true})
			if tt.want != nil {
				if !errors.Is(err, tt.want) {
					t.Fatalf("open = %v, want %v", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatalf("open: %v", err)
			}
			defer s.Close()
			if list, err := s.Carriers(ctx); err != nil || len(list) != 2 {
				t.Errorf("carriers: %d, %v", len(list), err)
			}
		})
	}
}

// TestFlipInWriteAheadLogAfterCrashIsUnchangedOrDetected takes the data
// folder of a store that was never closed (what a crash leaves: recent
// writes only in Badger's write-ahead log) and flips bytes of that log.
// Badger replays the log up to the first damaged entry and drops the rest;
// the anchor must turn that rollback into an audit break.
func TestFlipInWriteAheadLogAfterCrashIsUnchangedOrDetected(t *testing.T) {
	dir, keys := t.TempDir(), testKeys(t)
	s := openTest(t, dir, keys, false)
	if err := s.SaveUnit(ctx, data.Unit{Name: "单位", Code: "DW", Officer: "张", CreatedAt: fixedNow()}); err != nil {
		t.Fatal(err)
	}
	addN(t, s, 0, 12)
	want, err := readFlipState(s)
	if err != nil {
		t.Fatal(err)
	}
	crash := t.TempDir()
	if err := restoreDB(filepath.Join(dir, DBDir), filepath.Join(crash, DBDir)); err != nil {
		t.Fatal(err)
	}
	s.Close()
	var wal string
	var used int64
	for _, f := range listFlipFiles(t, filepath.Join(crash, DBDir)) {
		if strings.HasSuffix(f.name, ".mem") {
			b, _ := os.ReadFile(filepath.Join(crash, DBDir, f.name))
			n := int64(len(b))
			for n > 0 && b[n-1] == 0 {
				n--
			}
			if n > used {
				wal, used = f.name, n
			}
		}
	}
	if wal == "" || used < 1000 {
		t.Fatalf("no write-ahead log with data in the crash image (%s, %d bytes)", wal, used)
	}
	positions := 60
	if testing.Short() {
		positions = 12
	}
	counts := map[string]int{}
	work := t.TempDir()
	for i := 0; i < positions; i++ {
		off := int64(i) * used / int64(positions)
		if err := restoreDB(filepath.Join(crash, DBDir), filepath.Join(work, DBDir)); err != nil {
			t.Fatal(err)
		}
		if err := flipByte(filepath.Join(work, DBDir, wal), off, 0xFF); err != nil {
			t.Fatal(err)
		}
		outcome, detail := checkFlipped(work, keys, want)
		counts[outcome]++
		if strings.HasPrefix(outcome, "FAIL") {
			t.Errorf("%s@%d: %s: %s", wal, off, outcome, detail)
		}
	}
	t.Logf("%s (%d bytes used): %d flips: %s", wal, used, positions, formatCounts(counts))
}
