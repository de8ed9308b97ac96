package xlsx

import (
	"bytes"
	"runtime"
	"sync"
	"testing"

	"baomi/data"
	"baomi/data/datatest"
)

// largestRegister is the largest register Read accepts as Write exports
// it: MaxRows sheet rows less the title and header rows, rounded down.
const largestRegister = 199_990

var (
	largestOnce     sync.Once
	largestRows     []Row
	largestCarriers []data.Carrier
)

// largestPlanInput returns the parsed rows of the largest register and the
// carriers it was written from, made once per test binary.
func largestPlanInput(tb testing.TB) ([]Row, []data.Carrier) {
	tb.Helper()
	largestOnce.Do(func() {
		largestCarriers = datatest.Carriers(largestRegister)
		var buf bytes.Buffer
		if err := Write(&buf, "某局涉密载体台账", largestCarriers); err != nil {
			panic(err)
		}
		s, err := Read(bytes.NewReader(buf.Bytes()), "台账.xlsx")
		if err != nil {
			panic(err)
		}
		h, m := s.FindHeader()
		largestRows = s.Rows(h, m, testOptions)
	})
	return largestRows, largestCarriers
}

// BenchmarkPlan200k plans the largest register accepted (199,990 rows)
// into an empty register (every row new) and against itself (every row
// unchanged), reporting what the plan allocates.
func BenchmarkPlan200k(b *testing.B) {
	rows, carriers := largestPlanInput(b)
	for _, bc := range []struct {
		name     string
		existing map[string]data.Carrier
		op       string
	}{
		{"new", nil, OpImport},
		{"unchanged", byNumber(carriers), OpUnchanged},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				actions := Plan(rows, bc.existing)
				if len(actions) != largestRegister || actions[0].Op != bc.op {
					b.Fatalf("%d actions, first %s %s", len(actions), actions[0].Op, actions[0].Reason)
				}
			}
		})
	}
}

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 { b, _ := allocs(f); return b }

// mallocs returns how many heap allocations f makes.
func mallocs(f func()) uint64 { _, n := allocs(f); return n }

// allocs returns the bytes f allocates and how many allocations it makes.
func allocs(f func()) (bytes, count uint64) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc, after.Mallocs - before.Mallocs
}

// sampleRows returns the rows of an xlsx register of n sample carriers,
// and the carriers.
func sampleRows(t *testing.T, n int) ([]Row, []data.Carrier) {
	t.Helper()
	carriers := datatest.Carriers(n)
	var buf bytes.Buffer
	if err := Write(&buf, "某局涉密载体台账", carriers); err != nil {
		t.Fatal(err)
	}
	s, err := Read(bytes.NewReader(buf.Bytes()), "台账.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	h, m := s.FindHeader()
	return s.Rows(h, m, testOptions), carriers
}

// TestPlanOfNewRowsCopiesNeitherRowsNorCarriers guards the memory of the
// largest import: an action that copied its row and an empty registered
// carrier took about 1 KB a row (200 MB for 199,990 rows); one that points
// at them takes about 160 bytes.
func TestPlanOfNewRowsCopiesNeitherRowsNorCarriers(t *testing.T) {
	rows, carriers := sampleRows(t, 20_000)
	var actions []Action
	n := allocated(func() { actions = Plan(rows, nil) })
	if len(actions) != len(carriers) {
		t.Fatalf("%d actions for %d rows", len(actions), len(carriers))
	}
	for i, a := range actions {
		if a.Op != OpImport {
			t.Fatalf("row %d: %s %s", a.Row.Line, a.Op, a.Reason)
		}
		if a.Row.Carrier.Number != carriers[i].Number {
			t.Fatalf("action %d is row %s, want %s", i, a.Row.Carrier.Number, carriers[i].Number)
		}
	}
	if perRow := n / uint64(len(rows)); perRow > 300 {
		t.Errorf("Plan allocated %d bytes a row, want at most 300", perRow)
	}
}

// TestPlanOfUnchangedRowsAllocatesInBlocks guards the time of planning a
// register imported again: comparing every field as text (dates, numbers,
// line endings) and copying each registered carrier on its own took 3.4
// allocations a row, and BenchmarkPlan200k/unchanged 25-30 % longer once
// data.Carrier grew past a size class. The copies are made in blocks; each
// action still points at its own copy of its carrier.
func TestPlanOfUnchangedRowsAllocatesInBlocks(t *testing.T) {
	rows, carriers := sampleRows(t, 20_000)
	existing := byNumber(carriers)
	var actions []Action
	n := mallocs(func() { actions = Plan(rows, existing) })
	if len(actions) != len(carriers) {
		t.Fatalf("%d actions for %d rows", len(actions), len(carriers))
	}
	seen := make(map[*data.Carrier]bool, len(actions))
	for i, a := range actions {
		if a.Op != OpUnchanged {
			t.Fatalf("row %d: %s %s", a.Row.Line, a.Op, a.Reason)
		}
		if *a.Existing != carriers[i] || seen[a.Existing] {
			t.Fatalf("action %d points at %s (seen before: %v), want its own copy of %s",
				i, a.Existing.Number, seen[a.Existing], carriers[i].Number)
		}
		seen[a.Existing] = true
	}
	if limit := uint64(len(rows) / 20); n > limit {
		t.Errorf("Plan made %d allocations for %d unchanged rows, want at most %d", n, len(rows), limit)
	}
}
