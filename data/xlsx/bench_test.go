package xlsx

import (
	"baomi/data/datatest"
	"bytes"
	"io"
	"testing"
)

// BenchmarkWrite100k exports 100,000 carriers (target: < 5 s).
func BenchmarkWrite100k(b *testing.B) {
	carriers := datatest.Carriers(100_000)
	b.ReportAllocs()
	for b.Loop() {
		if err := Write(io.Discard, "某局涉密载体台账", carriers); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkImport50k reads, maps, parses and plans a 50,000-row register
// against itself (target: < 10 s).
func BenchmarkImport50k(b *testing.B) {
	carriers := datatest.Carriers(50_000)
	var buf bytes.Buffer
	if err := Write(&buf, "某局涉密载体台账", carriers); err != nil {
		b.Fatal(err)
	}
	existing := byNumber(carriers)
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	for b.Loop() {
		s, err := Read(bytes.NewReader(buf.Bytes()), "台账.xlsx")
		if err != nil {
			b.Fatal(err)
		}
		h, m := s.FindHeader()
		actions := Plan(s.Rows(h, m, testOptions), existing)
		if len(actions) != len(carriers) || actions[0].Op != OpUnchanged {
			b.Fatalf("%d actions, first %+v", len(actions), actions[0])
		}
	}
}

// BenchmarkRead100k reads a 100,000-row register as Write exports it (113
// MB of worksheet XML, 9 MB of file), the size class of the largest
// registers offices keep.
func BenchmarkRead100k(b *testing.B) {
	var buf bytes.Buffer
	if err := Write(&buf, "某局涉密载体台账", datatest.Carriers(100_000)); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	for b.Loop() {
		s, err := Read(bytes.NewReader(buf.Bytes()), "台账.xlsx")
		if err != nil || len(s.Cells) != 100_002 {
			b.Fatal(err)
		}
	}
}
