package store

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"baomi/data"
)

// Badger writes its memtable log (.mem), its tables (.sst) and its value
// log through memory maps of sparse files: the files are created at full
// size with ftruncate and their pages are only allocated when the mapped
// memory is written. On a full disk such a write cannot fail with an error;
// the kernel sends SIGBUS and the process dies with a Go stack dump (seen on
// a 3 MB tmpfs: an import died in logFile.writeEntry). No recover can catch
// that, so the store refuses to open read-write, and refuses every write
// transaction, unless the disk has the reserve (reserveFor) free beyond
// what the write itself adds.
//
// What Badger can write ahead of a commit, with the badgerOptions of the
// time (8 MB memtables, 2 of them, 2 MB base tables, 5 level-0 tables before
// compaction), from the code of badger v4.9.6:
//   - the memtable logs: a write batch goes in while the memtable holds less
//     than 8 MB, and a batch may hold 15% of it (1.2 MB), so each log touches
//     up to 9.2 MB; the mutable one and up to two waiting to be flushed;
//   - the flush of a full memtable into a level-0 table of about 8 MB
//     (values are sealed, so compression saves nothing);
//   - compaction, which writes the merged tables before it deletes their
//     inputs, two compactions at a time: level 0 into the base level
//     rewrites up to five 8 MB tables and the base tables they overlap, and
//     a deeper level's table takes along the tables it overlaps one level
//     down, which grow with the store.
//
// Measured on tmpfs with the built binary, sampling the disk's used space
// every few ms while it ran, as the peak above the size the store settled
// at: importing 20,000 carriers into an empty store (settled at 40 MB of
// tables) 35 MB; 20,000 more (80 MB) 37 MB; the verify after it, whose
// open compacts, 45 MB; importing 60,000 more (200 MB) 35 MB; the verify
// after it 66 MB. So the reserve is a fixed part for the memtables and
// level 0 plus a part that grows with the tables: 64 MB plus a quarter of
// the tables, 84 MB at 80 MB and 114 MB at 200 MB, 1.7 times the peaks
// measured, and little on a disk that holds a working PC. The memtables
// and level-0 tables are half that size since (4 MB, badgerOptions), and
// the deeper tables no larger than the base ones, so the reserve only
// gained margin.
const badgerReserve = 64 << 20

// reserveFor returns the free space Badger needs besides what a write adds,
// for a store whose tables take tables bytes.
func reserveFor(tables uint64) uint64 { return badgerReserve + tables/4 }

// tableBytes returns the size of the tables (.sst) in the Badger folder
// dbDir, 0 if it cannot be read (a new store has none). With statfs, the
// check before every write costs 0.2 ms on a 200 MB store (55 files,
// measured under load), little beside the fsync of every commit.
func tableBytes(dbDir string) uint64 {
	entries, err := os.ReadDir(dbDir)
	if err != nil {
		return 0
	}
	var n uint64
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".sst") {
			continue
		}
		if info, err := e.Info(); err == nil {
			n += uint64(info.Size())
		}
	}
	return n
}

// importRowBytes is the space one imported carrier takes once written: the
// sealed carrier, its registration event, its 编号 index entry and their two
// audit entries came to 2.07 KB a carrier (20,000 carriers: 40.5 MB of
// tables); 3 KB leaves room for long titles and notes and for the journal
// of an all-or-nothing import.
const importRowBytes = 3 << 10

// checkSpace returns an error wrapping data.ErrDiskFull, with a message
// naming the folder, what is free and what is needed, when the disk holding
// the data folder dir has less than need bytes free beyond the reserve of
// its store. A disk whose free space cannot be read is not refused: the
// check only prevents the crash it can foresee.
func checkSpace(dir string, need uint64) error {
	free, err := freeBytes(dir)
	if err != nil {
		return nil
	}
	reserve := reserveFor(tableBytes(filepath.Join(dir, DBDir)))
	want := need + reserve
	if free >= want {
		return nil
	}
	cause := fmt.Errorf("%s: %d bytes free, %d needed: %w", dir, free, want, data.ErrDiskFull)
	if need == 0 {
		return data.Userf(cause, "磁盘空间不足：%s 所在的磁盘只剩 %s 可用，数据库运行至少需要 %s 空闲空间。未写入任何数据。请清理该磁盘后重试。",
			dir, humanBytes(free), humanBytes(want))
	}
	return data.Userf(cause, "磁盘空间不足：%s 所在的磁盘只剩 %s 可用，这次写入约需 %s，加上数据库运行所需的 %s 余量，至少需要 %s 空闲空间。未写入任何数据。请清理该磁盘后重试。",
		dir, humanBytes(free), humanBytes(need), humanBytes(reserve), humanBytes(want))
}

// humanBytes writes n in KB, MB or GB with one decimal, as a user reads it.
func humanBytes(n uint64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
