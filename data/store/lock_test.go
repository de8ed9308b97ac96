package store

import (
	"testing"
)

// TestCloseDropsTheSealer checks that locking (closing the store) leaves no
// way to open a value: the sealer is gone and its copy of the index key is
// zeroed.
func TestCloseDropsTheSealer(t *testing.T) {
	dir, keys := t.TempDir(), testKeys(t)
	s := openTest(t, dir, keys, false)
	addN(t, s, 0, 1)
	index := s.seal.index
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if s.seal != nil {
		t.Error("the sealer survives Close")
	}
	for i, b := range index {
		if b != 0 {
			t.Fatalf("index key byte %d survives Close", i)
		}
	}
	if _, err := s.Carriers(ctx); err == nil {
		t.Error("a closed store still reads")
	}
}

// TestSyncWritesStaysOn checks the option directly: a kill -9 loop cannot
// show a lost fsync, since the page cache survives the killed process.
func TestSyncWritesStaysOn(t *testing.T) {
	for _, verify := range []bool{false, true} {
		if !badgerOptions(t.TempDir(), testKeys(t).Master, discardLogger, verify).SyncWrites {
			t.Errorf("badgerOptions(verify=%v) turns SyncWrites off", verify)
		}
	}
	s := openTest(t, t.TempDir(), testKeys(t), false)
	defer s.Close()
	if !s.db.Opts().SyncWrites {
		t.Error("the open store does not sync its writes")
	}
}
