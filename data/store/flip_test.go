package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"baomi/data"
	"baomi/data/datatest"
)

// The flip sweep corrupts one byte of a closed store at a time and opens it
// the way Baomi does (with the guard child), then checks that nothing
// changed silently.
//
// BAOMI_FLIP_FULL=1 sweeps every byte of every file up to 64 KiB with three
// patterns and samples large files far more densely (tens of minutes).
//
// Besides its fixed positions every sweep flips flipRandom bytes chosen
// anywhere in the store's files with random masks, from a seed drawn anew
// each run and printed; BAOMI_FLIP_SEED=n replays a run's random part.

// flipLargeFile is the size above which a file is sampled rather than swept.
const flipLargeFile = 64 << 10

// flipSweep says which positions of a file to corrupt and how.
type flipSweep struct {
	name string
	// Files up to everyUpTo bytes: every byte, once per mask in smallMasks.
	everyUpTo  int64
	smallMasks []byte
	// Larger files up to flipLargeFile: every byte of the first head and last
	// tail bytes (headers, table index and footer) and middle positions
	// spread evenly between them, once per mask in mediumMasks.
	head, tail  int64
	middle      int
	mediumMasks []byte
	// Files over flipLargeFile: every denseStep-th byte of the first 4 KiB
	// and spread positions evenly over the rest, with 0xFF.
	denseStep int64
	spread    int
}

var (
	flipShort = flipSweep{"short", 64, []byte{0xFF, 0x01}, 16, 48, 40, []byte{0xFF}, 512, 16}
	// normal (every go test): every byte of the files up to 512 bytes
	// (MANIFEST, KEYREGISTRY, the value logs, the anchors) with 0xFF; of
	// the table (16 KB) its first 512 and last 1,024 bytes (block headers,
	// index, footer) and 1,000 positions between; the preallocated files
	// sampled. About 3,300 flips, 25 s on 2 cores: every byte of the table
	// was 16,000 flips and 130 s, the longest part of go test (#8 item 6),
	// and now runs with BAOMI_FLIP_FULL=1 from build/soak.sh.
	flipNormal = flipSweep{"normal", 512, []byte{0xFF}, 512, 1024, 1000, []byte{0xFF}, 32, 200}
	flipFull   = flipSweep{"full", flipLargeFile, []byte{0xFF, 0x01, 0x80}, 0, 0, 0, nil, 1, 1000}
)

type flipFile struct {
	name string
	size int64
}

type flipPos struct {
	file string
	off  int64
	mask byte
}

func (p flipPos) String() string { return fmt.Sprintf("%s@%d^%02x", p.file, p.off, p.mask) }

// plan returns the positions to corrupt in files.
// flipRandom is how many random positions each sweep adds.
const flipRandom = 200

// randomFlips returns n positions, each in a file picked at random (so that
// the small files are hit as often as the large preallocated ones) at a
// random offset with a random non-zero mask, drawn from seed.
func randomFlips(files []flipFile, n int, seed uint64) []flipPos {
	var nonEmpty []flipFile
	for _, f := range files {
		if f.size > 0 {
			nonEmpty = append(nonEmpty, f)
		}
	}
	if len(nonEmpty) == 0 {
		return nil
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	out := make([]flipPos, n)
	for i := range out {
		f := nonEmpty[rng.IntN(len(nonEmpty))]
		out[i] = flipPos{f.name, rng.Int64N(f.size), byte(1 + rng.IntN(255))}
	}
	return out
}

func (sw flipSweep) plan(files []flipFile) []flipPos {
	var out []flipPos
	add := func(name string, off int64, masks []byte) {
		for _, m := range masks {
			out = append(out, flipPos{name, off, m})
		}
	}
	for _, f := range files {
		switch {
		case f.size == 0:
		case f.size <= sw.everyUpTo:
			for off := int64(0); off < f.size; off++ {
				add(f.name, off, sw.smallMasks)
			}
		case f.size <= flipLargeFile:
			seen := map[int64]bool{}
			one := func(off int64) {
				if off >= 0 && off < f.size && !seen[off] {
					seen[off] = true
					add(f.name, off, sw.mediumMasks)
				}
			}
			for off := int64(0); off < sw.head; off++ {
				one(off)
			}
			lo, hi := sw.head, f.size-sw.tail
			for i := 0; i < sw.middle && hi > lo; i++ {
				one(lo + (hi-lo)*int64(i)/int64(sw.middle))
			}
			for off := f.size - sw.tail; off < f.size; off++ {
				one(off)
			}
		default:
			for off := int64(0); off < 4096; off += sw.denseStep {
				add(f.name, off, []byte{0xFF})
			}
			for i := 0; i < sw.spread; i++ {
				add(f.name, 4096+(f.size-4097)*int64(i)/int64(sw.spread-1), []byte{0xFF})
			}
		}
	}
	return out
}

// flipState is everything a reader of the store can see.
type flipState struct {
	unit     data.Unit
	settings data.Settings
	carriers map[string]data.Carrier // by ID
	head     Head
}

// buildFlipStore writes a small store (unit, settings, carriers, some of
// them updated), closes it so that everything is in a table, and returns
// what was written.
func buildFlipStore(t *testing.T, dir string, keys Keys) flipState {
	t.Helper()
	s := openTest(t, dir, keys, false)
	want := flipState{carriers: map[string]data.Carrier{}}
	want.unit = data.Unit{Name: "某市财政局", Code: "CZJ", Superior: "某市保密局", Officer: "张保密", CreatedAt: fixedNow()}
	if err := s.SaveUnit(ctx, want.unit); err != nil {
		t.Fatal(err)
	}
	want.settings = data.DefaultSettings()
	want.settings.AutoLockMinutes = 7
	if err := s.SaveSettings(ctx, want.settings); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 5; i++ {
		c := datatest.NewCarrier(fmt.Sprintf("CZJ-2026-%04d", i))
		c.Note = fmt.Sprintf("第 %d 份", i)
		if i == 4 {
			c.Kind, c.Serial, c.Model, c.Level, c.PeriodYears = data.KindUSB, "SN-0004", "朗科 U208", "秘密", 0
			c.DeclassifyOn = data.NewDate(2030, 12, 31)
		}
		added, err := s.AddCarrier(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		want.carriers[added.ID] = added
		if i == 2 || i == 5 {
			added.Location, added.Note = "保密柜7号", added.Note+"（已移柜）"
			if i == 5 {
				added.Number = "CZJ-2026-0099"
			}
			updated, err := s.UpdateCarrier(ctx, added)
			if err != nil {
				t.Fatal(err)
			}
			want.carriers[updated.ID] = updated
		}
	}
	want.settings.AutoLockMinutes = 15
	if err := s.SaveSettings(ctx, want.settings); err != nil {
		t.Fatal(err)
	}
	want.head = s.Head()
	got, err := readFlipState(s)
	if err != nil {
		t.Fatal(err)
	}
	if diff := got.diff(want); diff != "" {
		t.Fatalf("store does not read back what was written: %s", diff)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return want
}

// readFlipState reads everything through the public API, the way the
// screens do: the register, each carrier by ID and by 编号, unit, settings.
func readFlipState(s *Store) (flipState, error) {
	st := flipState{carriers: map[string]data.Carrier{}, head: s.Head()}
	var err error
	if st.unit, err = s.Unit(ctx); err != nil {
		return st, err
	}
	if st.settings, err = s.Settings(ctx); err != nil {
		return st, err
	}
	list, err := s.Carriers(ctx)
	if err != nil {
		return st, err
	}
	for _, c := range list {
		st.carriers[c.ID] = c
		byID, err := s.Carrier(ctx, c.ID)
		if err != nil {
			return st, err
		}
		byNo, err := s.CarrierByNumber(ctx, c.Number)
		if err != nil {
			return st, err
		}
		if !sameJSON(byID, c) || !sameJSON(byNo, c) {
			return st, fmt.Errorf("carrier %s reads differently by ID, by 编号 and in the register", c.Number)
		}
	}
	return st, nil
}

// diff describes how got differs from want, or returns "".
func (got flipState) diff(want flipState) string {
	var d []string
	if got.head != want.head {
		d = append(d, fmt.Sprintf("head %+v, want %+v", got.head, want.head))
	}
	if !sameJSON(got.unit, want.unit) {
		d = append(d, fmt.Sprintf("unit %+v", got.unit))
	}
	if !sameJSON(got.settings, want.settings) {
		d = append(d, fmt.Sprintf("settings %+v", got.settings))
	}
	for id, w := range want.carriers {
		g, ok := got.carriers[id]
		switch {
		case !ok:
			d = append(d, "carrier "+w.Number+" missing")
		case !sameJSON(g, w):
			d = append(d, "carrier "+w.Number+" changed")
		}
	}
	for id, g := range got.carriers {
		if _, ok := want.carriers[id]; !ok {
			d = append(d, "unknown carrier "+g.Number)
		}
	}
	return strings.Join(d, "; ")
}

// Outcome categories of one flip. The ones starting with "FAIL" break the
// acceptance criterion.
const (
	flipUnchanged = "unchanged"
	flipSilent    = "FAIL: silent change"
	flipBadError  = "FAIL: error not marked as corruption"
)

// checkFlipped opens the store in dataDir as Baomi does and reports the
// outcome: unchanged, detected (and where), or a failure.
func checkFlipped(dataDir string, keys Keys, want flipState) (outcome, detail string) {
	quiet := log.New(io.Discard, "", 0)
	s, err := Open(dataDir, keys, Options{Operator: "翻转测试", Now: fixedNow, Logger: quiet})
	if err != nil {
		stage := "open"
		if strings.HasPrefix(err.Error(), "guard:") {
			stage = "open (guard)"
		}
		return classifyFlipError(stage, err, data.ErrCorrupt, data.ErrWrongPassword, data.ErrAuditBroken)
	}
	defer s.Close()
	if _, err := s.Verify(ctx); err != nil {
		return classifyFlipError("verify", err, data.ErrCorrupt, data.ErrAuditBroken)
	}
	got, err := readFlipState(s)
	if errors.Is(err, data.ErrNotFound) {
		// Verify passed, so a record "not found" now has disappeared
		// without warning (the store may have come up empty).
		return flipSilent, "verify passed, then " + err.Error()
	}
	if err != nil {
		return classifyFlipError("read", err, data.ErrCorrupt)
	}
	if d := got.diff(want); d != "" {
		return flipSilent, d
	}
	return flipUnchanged, ""
}

func classifyFlipError(stage string, err error, accepted ...error) (string, string) {
	names := map[error]string{
		data.ErrCorrupt: "corrupt", data.ErrWrongPassword: "wrong password", data.ErrAuditBroken: "audit broken",
	}
	for _, a := range accepted {
		if errors.Is(err, a) {
			return "detected at " + stage + ": " + names[a], err.Error()
		}
	}
	return flipBadError, stage + ": " + err.Error()
}

func listFlipFiles(t *testing.T, dbDir string) []flipFile {
	t.Helper()
	entries, err := os.ReadDir(dbDir)
	if err != nil {
		t.Fatal(err)
	}
	var files []flipFile
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		if !info.Mode().IsRegular() {
			t.Fatalf("unexpected entry %s in %s", e.Name(), dbDir)
		}
		if e.Name() == snapshotName {
			// a cache the store never reads; TestSnapshotFlipsAreAllDetected
			// flips every byte of it
			continue
		}
		files = append(files, flipFile{e.Name(), info.Size()})
	}
	return files
}

// restoreDB replaces dst (a db folder) with a copy of src.
func restoreDB(src, dst string) error {
	if err := os.RemoveAll(dst); err != nil {
		return err
	}
	if err := os.MkdirAll(dst, 0o700); err != nil {
		return err
	}
	entries, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o600); err != nil {
			return err
		}
	}
	return nil
}

func flipByte(path string, off int64, mask byte) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	var b [1]byte
	if _, err := f.ReadAt(b[:], off); err != nil {
		f.Close()
		return err
	}
	b[0] ^= mask
	if _, err := f.WriteAt(b[:], off); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// Flipping a single byte anywhere in the data folder either leaves every
// record reading back exactly as written, or is detected (open error, value
// authentication failure, audit break): a record never silently changes or
// disappears. Every byte of the small files is swept, large preallocated
// files are sampled.
func TestSingleByteFlipIsUnchangedOrDetected(t *testing.T) {
	// Given a small closed store: unit, settings, five carriers, two of them
	// updated, everything flushed into a table.
	keys := testKeys(t)
	pristine := filepath.Join(t.TempDir(), "pristine")
	want := buildFlipStore(t, pristine, keys)
	pristineDB := filepath.Join(pristine, DBDir)
	files := listFlipFiles(t, pristineDB)
	for _, f := range files {
		t.Logf("file %-12s %9d bytes", f.name, f.size)
	}

	sweep := flipNormal
	switch {
	case os.Getenv("BAOMI_FLIP_FULL") == "1":
		sweep = flipFull
	case testing.Short():
		sweep = flipShort
	}
	positions := sweep.plan(files)
	seed := rand.Uint64()
	if v := os.Getenv("BAOMI_FLIP_SEED"); v != "" {
		var err error
		if seed, err = strconv.ParseUint(v, 10, 64); err != nil {
			t.Fatalf("BAOMI_FLIP_SEED=%q: want a number", v)
		}
	}
	positions = append(positions, randomFlips(files, flipRandom, seed)...)
	t.Logf("random part: %d flips, BAOMI_FLIP_SEED=%d replays it", flipRandom, seed)

	workers := runtime.GOMAXPROCS(0)
	if workers > 4 {
		workers = 4
	}
	work := make([]string, workers)
	for i := range work {
		work[i] = filepath.Join(t.TempDir(), "data")
	}

	// The untouched copy must open, verify and read back unchanged through
	// the same path, or the sweep proves nothing.
	start := time.Now()
	if err := restoreDB(pristineDB, filepath.Join(work[0], DBDir)); err != nil {
		t.Fatal(err)
	}
	if outcome, detail := checkFlipped(work[0], keys, want); outcome != flipUnchanged {
		t.Fatalf("untouched copy: %s %s", outcome, detail)
	}
	t.Logf("sweep %q: %d positions, %d workers; one untouched check took %v",
		sweep.name, len(positions), workers, time.Since(start).Round(time.Millisecond))

	// When each position in turn is flipped in a fresh copy and the copy is
	// opened with the guard, verified and read back,
	type result struct {
		pos             flipPos
		outcome, detail string
	}
	results := make([]result, len(positions))
	next := make(chan int)
	var wg sync.WaitGroup
	start = time.Now()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(dataDir string) {
			defer wg.Done()
			for i := range next {
				p := positions[i]
				dbDir := filepath.Join(dataDir, DBDir)
				if err := restoreDB(pristineDB, dbDir); err != nil {
					results[i] = result{p, "FAIL: harness", err.Error()}
					continue
				}
				if err := flipByte(filepath.Join(dbDir, p.file), p.off, p.mask); err != nil {
					results[i] = result{p, "FAIL: harness", err.Error()}
					continue
				}
				o, d := checkFlipped(dataDir, keys, want)
				results[i] = result{p, o, d}
			}
		}(work[w])
	}
	for i := range positions {
		next <- i
	}
	close(next)
	wg.Wait()
	elapsed := time.Since(start)

	// then every outcome is "unchanged" or an error marked as corruption,
	// a broken audit chain or a wrong key: never a silent change.
	total := map[string]int{}
	perFile := map[string]map[string]int{}
	examples := map[string]int{}
	for _, r := range results {
		total[r.outcome]++
		if perFile[r.pos.file] == nil {
			perFile[r.pos.file] = map[string]int{}
		}
		perFile[r.pos.file][r.outcome]++
		if strings.HasPrefix(r.outcome, "FAIL") {
			t.Errorf("flip %v: %s: %s (BAOMI_FLIP_SEED=%d)", r.pos, r.outcome, r.detail, seed)
		} else if r.outcome != flipUnchanged && examples[r.outcome] < 2 {
			examples[r.outcome]++
			t.Logf("example %v: %s: %s", r.pos, r.outcome, r.detail)
		}
	}
	t.Logf("%d flips in %v (%v each, %d workers)", len(results), elapsed.Round(time.Millisecond),
		(elapsed * time.Duration(workers) / time.Duration(max(len(results), 1))).Round(time.Millisecond), workers)
	for _, f := range files {
		if perFile[f.name] != nil {
			t.Logf("  %-12s %s", f.name, formatCounts(perFile[f.name]))
		}
	}
	t.Logf("  %-12s %s", "all", formatCounts(total))
}

func formatCounts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%d", k, m[k])
	}
	return strings.Join(parts, ", ")
}

// Badger takes a MANIFEST entry whose length reaches past the end of the
// file for a torn append, cuts it off and deletes the table it named: one
// flipped bit used to empty the whole store without an error.
func TestGuardRefusesManifestBadgerWouldCutShort(t *testing.T) {
	// Given a closed store whose last MANIFEST entry claims one byte more
	// than the file holds,
	keys := testKeys(t)
	dataDir := t.TempDir()
	want := buildFlipStore(t, dataDir, keys)
	dbDir := filepath.Join(dataDir, DBDir)
	manifest := filepath.Join(dbDir, "MANIFEST")
	b, err := os.ReadFile(manifest)
	if err != nil {
		t.Fatal(err)
	}
	last := -1 // offset of the last entry's big-endian length
	for off := 8; off+8 <= len(b); {
		last = off
		off += 8 + int(binary.BigEndian.Uint32(b[off:]))
	}
	if last < 0 || binary.BigEndian.Uint32(b[last:]) == 0 {
		t.Fatalf("unexpected MANIFEST layout: % x", b)
	}
	orig := append([]byte(nil), b...)
	binary.BigEndian.PutUint32(b[last:], binary.BigEndian.Uint32(b[last:])+1)
	if err := os.WriteFile(manifest, b, 0o600); err != nil {
		t.Fatal(err)
	}
	tablesBefore, _ := filepath.Glob(filepath.Join(dbDir, "*.sst"))

	// when it is opened,
	_, err = Open(dataDir, keys, Options{Now: fixedNow, Logger: log.New(io.Discard, "", 0)})

	// then the guard refuses it as corrupt and leaves the files alone, so
	// that repairing the byte brings every record back.
	if !errors.Is(err, data.ErrCorrupt) {
		t.Fatalf("open = %v, want data.ErrCorrupt", err)
	}
	if tables, _ := filepath.Glob(filepath.Join(dbDir, "*.sst")); len(tables) != len(tablesBefore) || len(tables) == 0 {
		t.Fatalf("tables before open %v, after %v", tablesBefore, tables)
	}
	if after, _ := os.ReadFile(manifest); len(after) != len(b) {
		t.Fatalf("MANIFEST cut from %d to %d bytes", len(b), len(after))
	}
	if err := os.WriteFile(manifest, orig, 0o600); err != nil {
		t.Fatal(err)
	}
	if outcome, detail := checkFlipped(dataDir, keys, want); outcome != flipUnchanged {
		t.Fatalf("repaired store: %s %s", outcome, detail)
	}
}
