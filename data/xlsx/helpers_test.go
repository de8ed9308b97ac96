package xlsx

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/xuri/excelize/v2"

	"baomi/data"
)

// testToday is the day rows are checked against in tests.
var testToday = data.NewDate(2026, 12, 31)

var testOptions = Options{Today: testToday}

// book builds an .xlsx from rows of cell values (row 1 first) with the given
// merged ranges ("A1:D1").
func book(t testing.TB, rows [][]any, merges ...string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range merges {
		var a, b string
		if _, err := fmt.Sscanf(m, "%2s:%s", &a, &b); err != nil {
			t.Fatal(err)
		}
		if err := f.MergeCell("Sheet1", a, b); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// importRows runs Read, FindHeader and Rows.
func importRows(t testing.TB, b []byte, name string, opt Options) (*Sheet, int, []Row) {
	t.Helper()
	s, err := Read(bytes.NewReader(b), name)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	h, m := s.FindHeader()
	return s, h, s.Rows(h, m, opt)
}

// dataRows returns the rows not skipped.
func dataRows(rows []Row) []Row {
	var out []Row
	for _, r := range rows {
		if !r.Skip {
			out = append(out, r)
		}
	}
	return out
}

func byNumber(cs []data.Carrier) map[string]data.Carrier {
	m := make(map[string]data.Carrier, len(cs))
	for _, c := range cs {
		m[c.Number] = c
	}
	return m
}
