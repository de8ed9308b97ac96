package store

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// legacyChildEnv makes TestLegacyMemtableChildHelper write a store: the
// data folder and the keys, separated by a newline.
const legacyChildEnv = "BAOMI_LEGACY_MEMTABLE_CHILD"

// legacyRows is how many carriers the child imports: more than a 4 MB
// memtable holds (2,000 did not show the fault) and less than the 8 MB
// one fills.
const legacyRows = 3000

// TestLegacyMemtableChildHelper is not a test on its own: started by
// TestStoreLeftWithAFullLegacyMemtableOpens, it writes carriers with the
// memtables of the code before #7 item 7 (8 MB) and exits without closing
// the store, as a kill -9 or a power cut would leave it.
func TestLegacyMemtableChildHelper(t *testing.T) {
	dir, k, ok := strings.Cut(os.Getenv(legacyChildEnv), "\n")
	if !ok {
		t.Skip("helper process of TestStoreLeftWithAFullLegacyMemtableOpens")
	}
	keys, err := decodeCrashKeys(k)
	if err != nil {
		t.Fatal(err)
	}
	openMemTableSize = legacyMemTableSize
	s := openTest(t, dir, keys, false)
	if _, _, err := s.Import(ctx, manyCarriers("L", legacyRows), nil, false, nil); err != nil {
		t.Fatal(err)
	}
	os.Exit(0) // no Close: the memtable stays in its log
}

// A store written with 8 MB memtables and left with more than 4 MB in its
// memtable log opens with today's 4 MB memtables and keeps every carrier.
// Before memTableSizeFor, Badger's replay ended the process ("Arena too
// small", the test binary with it); the command line, whose guard child
// died that way, reported the data as damaged.
func TestStoreLeftWithAFullLegacyMemtableOpens(t *testing.T) {
	dir, keys := t.TempDir(), testKeys(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestLegacyMemtableChildHelper$")
	cmd.Env = append(os.Environ(), legacyChildEnv+"="+dir+"\n"+encodeCrashKeys(keys))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("writer: %v\n%s", err, out)
	}
	mems, _ := filepath.Glob(filepath.Join(dir, "db", "*.mem"))
	var biggest int64
	for _, m := range mems {
		if info, err := os.Stat(m); err == nil {
			biggest = max(biggest, info.Size())
		}
	}
	if biggest <= 2*memTableSize {
		t.Fatalf("the writer left no memtable log larger than today's (%d bytes): the test tests nothing", biggest)
	}
	s := openTest(t, dir, keys, true)
	defer s.Close()
	if got := len(registerOf(t, s)); got != legacyRows {
		t.Errorf("%d carriers after the open, want %d", got, legacyRows)
	}
	if _, err := s.Verify(ctx); err != nil {
		t.Fatalf("verify: %v", err)
	}
}
