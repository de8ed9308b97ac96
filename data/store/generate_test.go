package store

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"baomi/data"
)

func TestGeneratedRegisterIsValidAndVerifies(t *testing.T) {
	s := openTest(t, t.TempDir(), testKeys(t), false)
	defer s.Close()
	if err := s.SaveUnit(ctx, data.Unit{Name: "单位", Code: "GEN", Officer: "张"}); err != nil {
		t.Fatal(err)
	}
	if err := Generate(ctx, s, GenOptions{Carriers: 1500, Seed: 1}, nil); err != nil {
		t.Fatal(err)
	}
	rep, err := s.Verify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	list, _ := s.Carriers(ctx)
	states := map[string]int{}
	for _, c := range list {
		states[c.State]++
		if err := c.Validate(data.DefaultClassifications, data.DateOf(fixedNow())); err != nil {
			t.Fatalf("generated carrier %s invalid: %v", c.Number, err)
		}
	}
	events := rep.Records - len(list) - 1
	if len(list) != 1500 || events < 3000 || events > 6000 {
		t.Errorf("%d carriers, %d events", len(list), events)
	}
	for _, st := range []string{data.StateHeld, data.StateLent, data.StateDestroyed, data.StateHandedOver} {
		if states[st] == 0 {
			t.Errorf("no carrier in state %s: %v", st, states)
		}
	}
	t.Logf("states %v, %d events", states, events)
}

// benchStore returns the folder and keys of a generated store of n
// carriers, made once per size under the test cache directory
// (BAOMI_BENCH_DIR, default the system temp dir) and reused.
func benchStore(b *testing.B, n int) (string, Keys) {
	b.Helper()
	root := os.Getenv("BAOMI_BENCH_DIR")
	if root == "" {
		root = os.TempDir()
	}
	dir := filepath.Join(root, fmt.Sprintf("baomi-bench-%d", n))
	keys := Keys{Master: make([]byte, 32), Record: make([]byte, 16), Index: make([]byte, 32)}
	for i := range keys.Master {
		keys.Master[i] = byte(i)
	}
	for i := range keys.Record {
		keys.Record[i] = byte(i + 1)
	}
	for i := range keys.Index {
		keys.Index[i] = byte(i + 2)
	}
	if _, err := os.Stat(filepath.Join(dir, "ready")); err == nil {
		return dir, keys
	}
	os.RemoveAll(dir)
	start := time.Now()
	s, err := Open(dir, keys, Options{NoGuard: true, Operator: "生成器"})
	if err != nil {
		b.Fatal(err)
	}
	if err := s.SaveUnit(ctx, data.Unit{Name: "基准测试单位", Code: "BM", Officer: "生成器"}); err != nil {
		b.Fatal(err)
	}
	if err := Generate(ctx, s, GenOptions{Carriers: n, Seed: 42}, nil); err != nil {
		b.Fatal(err)
	}
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "ready"), nil, 0o600)
	b.Logf("generated %d carriers in %v", n, time.Since(start))
	return dir, keys
}

func benchSize() int {
	if n, err := strconv.Atoi(os.Getenv("BAOMI_BENCH_CARRIERS")); err == nil && n > 0 {
		return n
	}
	return 10000
}

// BenchmarkUnlockToFirstRows measures the data side of what the window
// waits for between the password's key derivation (a deliberate ≈0.6 s,
// measured by the vault benchmarks) and the first rows of the register:
// read the register snapshot, select the rows in 编号 order and read the
// first screenful. Issue #3's target for all of it is < 300 ms at 100,000
// carriers (BAOMI_BENCH_CARRIERS=100000); the window's part is
// BenchmarkPreviewShows100k in app/ui, and build/bench.sh times the real
// window. Alerts, the custodian list and the search texts follow in the
// background; the store's own checks (guard, open, Verify) run after the
// rows are shown.
func BenchmarkUnlockToFirstRows(b *testing.B) {
	dir, keys := benchStore(b, benchSize())
	ensureSnapshot(b, dir, keys)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		snap, err := ReadSnapshot(dir, keys)
		if err != nil {
			b.Fatal(err)
		}
		reg := data.NewRegister(snap.Carriers)
		rows := reg.Select(data.Filter{}, data.SortNumber, false)
		if rows.Len() != benchSize() {
			b.Fatalf("%d rows", rows.Len())
		}
		for r := 0; r < 40; r++ {
			_ = rows.At(r).Mark()
		}
	}
}

// BenchmarkAlertsAndCustodians measures what the register works out in
// the background right after the first rows: alerts and the custodian
// filter list.
func BenchmarkAlertsAndCustodians(b *testing.B) {
	dir, keys := benchStore(b, benchSize())
	ensureSnapshot(b, dir, keys)
	snap, err := ReadSnapshot(dir, keys)
	if err != nil {
		b.Fatal(err)
	}
	reg := data.NewRegister(snap.Carriers)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		reg.Alerts(data.Today(), data.DefaultReviewDays)
		reg.Custodians()
	}
}

// ensureSnapshot makes sure the generated store has a current register
// snapshot (a store generated before snapshots existed has none).
func ensureSnapshot(b *testing.B, dir string, keys Keys) {
	b.Helper()
	if _, err := ReadSnapshot(dir, keys); err == nil {
		return
	}
	s, err := Open(dir, keys, Options{NoGuard: true})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.Carriers(ctx); err != nil {
		b.Fatal(err)
	}
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkOpenAndReadRegister measures the checks that run behind the
// first rows, without Verify: the guard child, opening Badger and reading
// the register — from the snapshot when it is current (the usual case),
// by reading every record when it is not (after a crash, or a change made
// from the command line).
func BenchmarkOpenAndReadRegister(b *testing.B) {
	dir, keys := benchStore(b, benchSize())
	ensureSnapshot(b, dir, keys)
	for _, withSnapshot := range []bool{true, false} {
		name := "snapshot"
		if !withSnapshot {
			name = "records"
		}
		b.Run(name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				snap, err := ReadSnapshot(dir, keys)
				if err != nil {
					b.Fatal(err)
				}
				s, err := Open(dir, keys, Options{})
				if err != nil {
					b.Fatal(err)
				}
				if withSnapshot && !s.UseSnapshot(snap) {
					b.Fatal("snapshot not used")
				}
				list, err := s.Carriers(ctx)
				if err != nil || len(list) != benchSize() {
					b.Fatal(len(list), err)
				}
				if !withSnapshot {
					s.mu.Lock()
					s.cache.saved = s.head // nothing new to write
					s.mu.Unlock()
				}
				s.Close()
			}
		})
	}
}

// BenchmarkVerifyGenerated measures the full start-up Verify of the
// generated store.
func BenchmarkVerifyGenerated(b *testing.B) {
	dir, keys := benchStore(b, benchSize())
	s, err := Open(dir, keys, Options{NoGuard: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.Verify(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
