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

// wantDiskFull checks that err is data.ErrDiskFull with a message that says
// so, names the folder and how much is needed.
func wantDiskFull(t *testing.T, what string, err error, dir string) {
	t.Helper()
	msg := data.Message(err)
	if !errors.Is(err, data.ErrDiskFull) || !strings.Contains(msg, "磁盘空间不足") || !strings.Contains(msg, dir) || !strings.Contains(msg, "至少需要") {
		t.Fatalf("%s: got %v (message %q), want ErrDiskFull naming %s and the space needed", what, err, msg, dir)
	}
}

func manyCarriers(prefix string, n int) []data.Carrier {
	out := make([]data.Carrier, n)
	for i := range out {
		out[i] = datatest.NewCarrier(fmt.Sprintf("%s-%05d", prefix, i))
	}
	return out
}

// Before this check, a store on a disk with a few MB left opened, and its
// first writes went through Badger's memory maps into pages the disk could
// not back: the process died of SIGBUS with a Go stack dump.
func TestWritesOnANearlyFullDiskAreRefusedNotACrash(t *testing.T) {
	dir := datatest.Tmpfs(t, "80m")
	s := openTest(t, dir, testKeys(t), false)
	t.Cleanup(func() { s.Close() })
	kept, err := s.AddCarrier(ctx, datatest.NewCarrier("D-0"))
	if err != nil {
		t.Fatal(err)
	}
	head := s.Head()
	unfill := datatest.FillDisk(t, dir, 2<<20)
	for i := 1; i <= 20000; i++ { // 40 MB of writes: far past the 2 MB left
		_, err = s.AddCarrier(ctx, datatest.NewCarrier(fmt.Sprintf("D-%d", i)))
		if err != nil {
			break
		}
	}
	wantDiskFull(t, "add on a full disk", err, dir)
	if s.Head() != head {
		t.Errorf("head moved from %v to %v on a full disk", head, s.Head())
	}
	unfill()
	if _, err := s.AddCarrier(ctx, datatest.NewCarrier("D-1")); err != nil {
		t.Fatalf("add after freeing the disk: %v", err)
	}
	if got, err := s.Carrier(ctx, kept.ID); err != nil || !sameJSON(got, kept) {
		t.Errorf("acknowledged carrier after the full disk: %+v, %v", got, err)
	}
	if _, err := s.Verify(ctx); err != nil {
		t.Errorf("verify: %v", err)
	}
}

// Opening read-write lets Badger replay, flush and compact at once, all
// through memory maps; on a full disk the guard child died of that and the
// user read "数据文件已损坏或被改动".
func TestOpenOnAFullDiskSaysDiskFullAndLeavesTheDataIntact(t *testing.T) {
	dir := datatest.Tmpfs(t, "80m")
	keys := testKeys(t)
	s := openTest(t, dir, keys, false)
	kept, err := s.AddCarrier(ctx, datatest.NewCarrier("O-1"))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	unfill := datatest.FillDisk(t, dir, 8<<20)
	if s, err = Open(dir, keys, Options{Operator: "张保密", Now: fixedNow}); err == nil {
		s.Close()
	}
	wantDiskFull(t, "open on a full disk", err, dir)
	unfill()
	s = openTest(t, dir, keys, true)
	defer s.Close()
	if got, err := s.Carrier(ctx, kept.ID); err != nil || !sameJSON(got, kept) {
		t.Errorf("carrier after the full disk: %+v, %v", got, err)
	}
	if _, err := s.Verify(ctx); err != nil {
		t.Errorf("verify: %v", err)
	}
}

// An import checks its estimated size against the free space before it
// writes anything, so that it does not stop half way on a full disk.
func TestImportLargerThanTheFreeSpaceIsRefusedBeforeWriting(t *testing.T) {
	dir := datatest.Tmpfs(t, "100m")
	s := openTest(t, dir, testKeys(t), false)
	t.Cleanup(func() { s.Close() })
	unfill := datatest.FillDisk(t, dir, badgerReserve+5<<20)
	defer unfill()
	head := s.Head()
	for _, allOrNothing := range []bool{false, true} {
		// 3,000 carriers need about 9 MB; 5 MB are free beyond the reserve
		_, _, err := s.Import(ctx, manyCarriers("BIG", 3000), nil, allOrNothing, nil)
		wantDiskFull(t, fmt.Sprintf("import of 3000 (all or nothing %v)", allOrNothing), err, dir)
		if s.Head() != head {
			t.Fatalf("a refused import wrote: head %v -> %v", head, s.Head())
		}
	}
	res, _, err := s.Import(ctx, manyCarriers("SMALL", 1000), nil, false, nil)
	if err != nil || res.Added != 1000 {
		t.Fatalf("import of 1000 that fits: %+v, %v", res, err)
	}
}

// The reserve grows with the store's tables (compaction rewrites more of a
// bigger store) and only with its tables: the sparse value log and the
// memtable files Badger maps at full size count for nothing.
func TestReserveGrowsWithTheTablesOnly(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]int64
		want  uint64
	}{
		{"new store", nil, badgerReserve},
		{"80 MB of tables", map[string]int64{"000001.sst": 40 << 20, "000002.sst": 40 << 20}, badgerReserve + 20<<20},
		{"sparse logs", map[string]int64{"000001.vlog": 128 << 20, "00001.mem": 16 << 20, "000002.sst": 4 << 20}, badgerReserve + 1<<20},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, size := range tc.files {
				f, err := os.Create(filepath.Join(dir, name))
				if err != nil {
					t.Fatal(err)
				}
				if err := f.Truncate(size); err != nil { // sparse: takes no space
					t.Fatal(err)
				}
				f.Close()
			}
			if got := reserveFor(tableBytes(dir)); got != tc.want {
				t.Errorf("reserve %d MB, want %d MB", got>>20, tc.want>>20)
			}
		})
	}
}
