package store

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"

	"baomi/data"
)

// registerOf returns every carrier of s by id.
func registerOf(t *testing.T, s *Store) map[string]data.Carrier {
	t.Helper()
	list, err := s.Carriers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	m := make(map[string]data.Carrier, len(list))
	for _, c := range list {
		m[c.ID] = c
	}
	return m
}

// journalKeys counts the import journal records left in s.
func journalKeys(t *testing.T, s *Store) int {
	t.Helper()
	n := 0
	err := s.db.View(func(txn *badger.Txn) error {
		p := []byte(prefixJournal)
		it := txn.NewIterator(badger.IteratorOptions{Prefix: p})
		defer it.Close()
		for it.Seek(p); it.ValidForPrefix(p); it.Next() {
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// importBatch returns adds numbered <prefix>-nnnnn and, for every carrier
// in base, an update that renames it and moves it.
func importBatch(prefix string, adds int, base map[string]data.Carrier) (a, u []data.Carrier) {
	a = manyCarriers(prefix, adds)
	for _, c := range base {
		c.Number, c.Location = prefix+"-改-"+c.Number, prefix+"号柜"
		u = append(u, c)
	}
	return a, u
}

func sameRegister(t *testing.T, what string, got, want map[string]data.Carrier) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d carriers, want %d", what, len(got), len(want))
	}
	for id, w := range want {
		if g, ok := got[id]; !ok || !sameJSON(g, w) {
			t.Errorf("%s: carrier %s is %+v, want %+v", what, w.Number, g, w)
			return
		}
	}
}

// A failure half way (here: the import is cancelled after two of its five
// chunks) undoes the chunks already written at once, each undo audited
// under the system's name, and the store verifies.
func TestAllOrNothingImportThatFailsHalfWayUndoesWhatItWrote(t *testing.T) {
	s := openTest(t, t.TempDir(), testKeys(t), false)
	defer s.Close()
	if _, _, err := s.Import(ctx, manyCarriers("BASE", 300), nil, false, nil); err != nil {
		t.Fatal(err)
	}
	before := registerOf(t, s)
	head := s.Head()
	adds, updates := importBatch("NEW", 1000, before) // 1,300 carriers: 6 chunks or more, updates last
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// cancelled once two chunks are in
	var calls, written int
	_, _, err := s.Import(cctx, adds, updates, true, func(done, total int) {
		if calls++; calls == 2 {
			written = done
			cancel()
		}
	})
	if want := fmt.Sprintf("已撤销已写入的 %d 条", written); !errors.Is(err, context.Canceled) || written == 0 || !strings.Contains(data.Message(err), want) {
		t.Fatalf("import: %v (%s), want it cancelled and the %d written undone", err, data.Message(err), written)
	}
	sameRegister(t, "after the failed import", registerOf(t, s), before)
	for _, n := range []string{"NEW-00000", "NEW-00499", "NEW-00999"} {
		if c, err := s.CarrierByNumber(ctx, n); !errors.Is(err, data.ErrNotFound) {
			t.Errorf("编号 %s still leads to %+v, %v", n, c, err)
		}
	}
	if n := journalKeys(t, s); n != 0 {
		t.Errorf("%d journal records left", n)
	}
	if s.Head().Seq <= head.Seq {
		t.Fatalf("head %v: the import and its undo left no audit entries", s.Head())
	}
	s.db.View(func(txn *badger.Txn) error {
		if e := readEntry(t, s, txn, s.Head().Seq); e.Operator != rollbackOperator || e.Action != ActionDelete {
			t.Errorf("last audit entry %+v, want a deletion by %s", e, rollbackOperator)
		}
		return nil
	})
	if _, err := s.Verify(ctx); err != nil {
		t.Fatalf("verify: %v", err)
	}
	// and the same import then goes in whole
	res, _, err := s.Import(ctx, adds, updates, true, nil)
	if err != nil || res.Added != 1000 || res.Updated != 300 || journalKeys(t, s) != 0 {
		t.Fatalf("import again: %+v, %v, %d journal records", res, err, journalKeys(t, s))
	}
	if c, err := s.CarrierByNumber(ctx, "NEW-改-BASE-00007"); err != nil || c.Location != "NEW号柜" {
		t.Errorf("renamed carrier: %+v, %v", c, err)
	}
	if _, err := s.Verify(ctx); err != nil {
		t.Fatalf("verify: %v", err)
	}
}

// Without all or nothing every chunk written stays: a cancelled import
// keeps the chunks before the cancel.
func TestImportWithoutAllOrNothingKeepsTheChunksItWrote(t *testing.T) {
	s := openTest(t, t.TempDir(), testKeys(t), false)
	defer s.Close()
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var calls, written int
	_, _, err := s.Import(cctx, manyCarriers("N", 1000), nil, false, func(done, total int) {
		if calls++; calls == 2 {
			written = done
			cancel()
		}
	})
	if want := fmt.Sprintf("前 %d 条已导入，其余 %d 条未导入", written, 1000-written); !errors.Is(err, context.Canceled) || written == 0 || !strings.Contains(data.Message(err), want) {
		t.Fatalf("import: %v (%s), want it cancelled and the %d written said", err, data.Message(err), written)
	}
	if got := len(registerOf(t, s)); got != written {
		t.Errorf("%d carriers kept, want the %d of the two chunks written", got, written)
	}
	if n := journalKeys(t, s); n != 0 {
		t.Errorf("%d journal records written by an import that is not all or nothing", n)
	}
}

// Environment of the importing child of the kill loop.
const (
	importChildEnv  = "BAOMI_IMPORT_CHILD" // data folder; its presence makes the child
	importModeEnv   = "BAOMI_IMPORT_MODE"  // "import", or "open" to open (and roll back) only
	importRoundEnv  = "BAOMI_IMPORT_ROUND"
	importAddsCount = 2000
	importBaseCount = 300
)

// TestImportKillChildHelper is not a test on its own: it is the process
// that TestKilledAllOrNothingImportLeavesAllOrNothing starts and kills.
// It prints OPENED <carriers rolled back>, then (mode import) START, one
// CHUNK <done> per chunk written and ACK once the import returned.
func TestImportKillChildHelper(t *testing.T) {
	dir := os.Getenv(importChildEnv)
	if dir == "" {
		t.Skip("helper process of TestKilledAllOrNothingImportLeavesAllOrNothing")
	}
	os.Exit(runImportChild(dir, os.Stdout))
}

func runImportChild(dir string, out io.Writer) int {
	say := func(f string, a ...any) { fmt.Fprintf(out, f+"\n", a...) }
	keys, err := decodeCrashKeys(os.Getenv(crashKeysEnv))
	if err != nil {
		say("ERR keys: %v", err)
		return 1
	}
	s, err := Open(dir, keys, Options{Operator: "导入进程", NoGuard: true, Now: fixedNow, Logger: log.New(os.Stderr, "", 0)})
	if err != nil {
		say("ERR open: %v", err)
		return 1
	}
	say("OPENED %d", s.RolledBackImport())
	if os.Getenv(importModeEnv) == "open" {
		s.Close()
		return 0
	}
	list, err := s.Carriers(ctx)
	if err != nil {
		say("ERR list: %v", err)
		return 1
	}
	base := map[string]data.Carrier{}
	for _, c := range list {
		if c.Note == "base" {
			base[c.ID] = c
		}
	}
	adds, updates := importBatch("R"+os.Getenv(importRoundEnv), importAddsCount, base)
	for i := range updates {
		updates[i].Number = base[updates[i].ID].Number // keep the 编号: later rounds update the same carriers
	}
	say("START")
	_, _, err = s.Import(ctx, adds, updates, true, func(done, total int) { say("CHUNK %d", done) })
	if err != nil {
		say("ERR import: %v", err)
		return 1
	}
	say("ACK")
	s.Close()
	return 0
}

// runImportKillChild starts the child in mode on dataDir and kills it when
// killAt, told each line it printed and the time since the start, says so,
// or killAfter after the start if that is not 0; it returns the lines.
func runImportKillChild(t *testing.T, dataDir string, keys Keys, round int, mode string, killAfter time.Duration,
	killAt func(line string, since time.Duration) bool) []string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestImportKillChildHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), importChildEnv+"="+dataDir, importModeEnv+"="+mode,
		importRoundEnv+"="+strconv.Itoa(round), crashKeysEnv+"="+encodeCrashKeys(keys))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var lines []string
	killed := false
	timer := time.AfterFunc(60*time.Second, func() { cmd.Process.Kill() })
	defer timer.Stop()
	if killAfter > 0 {
		k := time.AfterFunc(killAfter, func() { cmd.Process.Kill() })
		defer k.Stop()
	}
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		line := sc.Text()
		lines = append(lines, line)
		if strings.HasPrefix(line, "ERR ") {
			t.Errorf("round %d: child: %s\n%s", round, line, stderr.String())
		}
		if !killed && killAt(line, time.Since(start)) {
			killed = cmd.Process.Kill() == nil
		}
	}
	cmd.Wait()
	return lines
}

// An all-or-nothing import killed with SIGKILL at a random chunk leaves,
// after the next open, either all its carriers (new and updated) or none,
// earlier data intact and a store that verifies. In half the rounds where
// it did not finish, the process that opens after the kill, and so rolls
// back, is itself killed a random moment after it starts, so that a
// rollback cut short is taken up again. BAOMI_IMPORT_KILL_ROUNDS=n runs n
// rounds (default 5, 3 with -short).
func TestKilledAllOrNothingImportLeavesAllOrNothing(t *testing.T) {
	if os.Getenv(crashChildEnv) != "" {
		t.Skip("inside a crash child")
	}
	rounds := 5
	if testing.Short() {
		rounds = 3
	}
	if v := os.Getenv("BAOMI_IMPORT_KILL_ROUNDS"); v != "" {
		rounds, _ = strconv.Atoi(v)
	}
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 1))
	t.Logf("%d rounds, seed %d", rounds, seed)
	dataDir := t.TempDir()
	keys := testKeys(t)
	s := openTest(t, dataDir, keys, false)
	base := manyCarriers("BASE", importBaseCount)
	for i := range base {
		base[i].Note = "base"
	}
	if _, _, err := s.Import(ctx, base, nil, false, nil); err != nil {
		t.Fatal(err)
	}
	model := registerOf(t, s)
	s.Close()
	// as many chunks as Import makes of one round's rows (round numbers
	// change the rows' sizes by a byte or two)
	adds, updates := importBatch("R1", importAddsCount, model)
	rows := append(adds, updates...)
	chunks := len(importChunks(len(rows), func(i int) int { return rowCost(rows[i], i >= len(adds)) }))
	var none, all, rolledBack, undoKilled int
	var maxUndo time.Duration
	for round := 1; round <= rounds; round++ {
		// kill after a random number of chunks (0 to all), a random
		// 0–40 ms later
		after := rng.IntN(chunks + 1)
		wait := time.Duration(rng.IntN(40)) * time.Millisecond
		var sawChunks int
		var chunkAt time.Duration = -1
		lines := runImportKillChild(t, dataDir, keys, round, "import", 0, func(line string, since time.Duration) bool {
			if line == "START" && after == 0 {
				chunkAt = since
			}
			if strings.HasPrefix(line, "CHUNK ") {
				if sawChunks++; sawChunks == after {
					chunkAt = since
				}
			}
			return chunkAt >= 0 && since >= chunkAt+wait
		})
		acked, written := false, 0
		for _, l := range lines {
			acked = acked || l == "ACK"
			if n, ok := strings.CutPrefix(l, "CHUNK "); ok {
				written, _ = strconv.Atoi(n)
			}
		}
		undoChild := !acked && rng.IntN(2) == 0
		if undoChild {
			// the next open, which rolls back, killed 100–1500 ms after it
			// starts (undoing 2,300 carriers took 0.9 s in process, and
			// the child needs a few hundred ms to start and open)
			killAfter := time.Duration(100+rng.IntN(1400)) * time.Millisecond
			opened := time.Duration(-1)
			runImportKillChild(t, dataDir, keys, round, "open", killAfter, func(line string, since time.Duration) bool {
				if strings.HasPrefix(line, "OPENED") {
					opened = since
				}
				return false
			})
			if opened >= 0 {
				t.Logf("round %d: the rollback open was not killed: it opened after %v", round, opened.Round(time.Millisecond))
			}
		}
		t0 := time.Now()
		// the guard (a full checksum read in a child) only in the last
		// round: the kill loop of crash_test.go checks it after every kill
		s, err := Open(dataDir, keys, Options{Operator: "检查", Now: fixedNow, Logger: log.New(io.Discard, "", 0), NoGuard: round < rounds})
		if err != nil {
			t.Fatalf("round %d: reopen: %v", round, err)
		}
		if s.RolledBackImport() > 0 {
			maxUndo = max(maxUndo, time.Since(t0))
		}
		if undoChild && s.RolledBackImport() > 0 && s.RolledBackImport() < written {
			undoKilled++ // the killed open had undone some chunks, not all
		}
		got := registerOf(t, s)
		prefix := fmt.Sprintf("R%d-", round)
		var added, moved int
		for _, c := range got {
			if strings.HasPrefix(c.Number, prefix) {
				added++
			}
			if c.Note == "base" && c.Location == fmt.Sprintf("R%d号柜", round) {
				moved++
			}
		}
		switch {
		case added == 0 && moved == 0 && !acked:
			none++
			rolledBack += s.RolledBackImport()
			sameRegister(t, fmt.Sprintf("round %d (none)", round), got, model)
		case added == importAddsCount && moved == importBaseCount:
			all++
			for id, c := range got {
				if _, known := model[id]; !known || c.Note == "base" {
					model[id] = c
				}
			}
			sameRegister(t, fmt.Sprintf("round %d (all)", round), got, model)
		default:
			t.Errorf("round %d (killed after %d chunks + %v, acked %v): %d of %d added and %d of %d updated are there",
				round, after, wait, acked, added, importAddsCount, moved, importBaseCount)
		}
		if n := journalKeys(t, s); n != 0 {
			t.Errorf("round %d: %d journal records left after open", round, n)
		}
		if _, err := s.Verify(ctx); err != nil {
			t.Errorf("round %d: verify: %v", round, err)
		}
		s.Close()
		if t.Failed() {
			t.Fatalf("stopping after round %d", round)
		}
	}
	t.Logf("%d rounds: %d ended with none of the import (%d carriers rolled back at open), %d with all of it; "+
		"%d rollbacks were killed part way and finished by the next open; slowest open with a rollback %v",
		rounds, none, rolledBack, all, undoKilled, maxUndo.Round(time.Millisecond))
}

// longest returns c with every text field at the longest Validate allows.
func longest(c data.Carrier, fill string) data.Carrier {
	r := func(n int) string { return strings.Repeat(fill, n) }
	c.Title, c.Note = r(200), r(1000)
	c.Source, c.DocNumber, c.CopyNumbers, c.Pages, c.Scope, c.Custodian, c.Location = r(100), r(100), r(100), r(100), r(100), r(100), r(100)
	return c
}

// Badger refuses a transaction over 1.26 MB; 250 carriers with every field
// at its longest (and an all-or-nothing update's journal of the values it
// replaces) are more than that, so chunks are cut by size as well.
func TestImportOfTheLongestRowsFitsBadgersTransactions(t *testing.T) {
	for _, allOrNothing := range []bool{false, true} {
		t.Run(fmt.Sprintf("all or nothing %v", allOrNothing), func(t *testing.T) {
			s := openTest(t, t.TempDir(), testKeys(t), false)
			defer s.Close()
			adds := manyCarriers("L", 600)
			for i := range adds {
				adds[i] = longest(adds[i], "长")
			}
			if res, _, err := s.Import(ctx, adds, nil, allOrNothing, nil); err != nil || res.Added != 600 {
				t.Fatalf("add 600 of the longest: %+v, %v", res, err)
			}
			list, err := s.Carriers(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for i := range list {
				list[i] = longest(list[i], "改")
			}
			if res, _, err := s.Import(ctx, nil, list, allOrNothing, nil); err != nil || res.Updated != 600 {
				t.Fatalf("update 600 to the longest: %+v, %v", res, err)
			}
			if n := journalKeys(t, s); n != 0 {
				t.Errorf("%d journal records left", n)
			}
			if _, err := s.Verify(ctx); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// A carrier changed by hand while an all-or-nothing import ran keeps that
// change when the import is undone; the other updated carriers go back.
func TestUndoingAnImportKeepsACarrierEditedMeanwhile(t *testing.T) {
	s := openTest(t, t.TempDir(), testKeys(t), false)
	defer s.Close()
	if _, _, err := s.Import(ctx, manyCarriers("E", 600), nil, false, nil); err != nil {
		t.Fatal(err)
	}
	before := registerOf(t, s)
	_, updates := importBatch("X", 0, before)
	sort.Slice(updates, func(i, j int) bool { return updates[i].Number < updates[j].Number })
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var edited data.Carrier
	first := true
	_, _, err := s.Import(cctx, nil, updates, true, func(done, total int) {
		if !first {
			return
		}
		first = false
		// the first chunk is in: someone edits one of its carriers an hour later
		s.opts.Now = func() time.Time { return fixedNow().Add(time.Hour) }
		c, err := s.Carrier(ctx, updates[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		c.Custodian = "王五"
		if edited, err = s.UpdateCarrier(ctx, c); err != nil {
			t.Fatal(err)
		}
		cancel()
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("import: %v, want it cancelled", err)
	}
	want := before
	want[edited.ID] = edited
	sameRegister(t, "after the undo", registerOf(t, s), want)
	if _, err := s.Verify(ctx); err != nil {
		t.Fatal(err)
	}
}
