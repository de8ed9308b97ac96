package xlsx

import (
	"bytes"
	"reflect"
	"testing"
)

func TestScanFindsNumberCellsAndMergedRanges(t *testing.T) {
	x := []byte(`<?xml version="1.0"?><worksheet xmlns:x="ns"><!-- <c r="Z9" s="9"><v>1</v></c> -->` +
		`<sheetData><row r="2"><c r="A2" s="3"><v>45356</v></c><c r="B2" t="s" s="4"><v>0</v></c>` +
		`<c r="C2"><v>0.30000000000000004</v></c><c r="D2"><v>12</v></c><c r="E2" s="5"/></row>` +
		`<row><c s='7'><v>1</v></c><x:c s="8"><x:v>2</x:v></x:c><c r="$AA3" s="0" t="n"><v>1E3</v></c></row>` +
		`</sheetData><mergeCells count="3"><mergeCell ref="A1:T1"/><x:mergeCell ref='C4:C6'/><mergeCell ref="B2:A1"/></mergeCells></worksheet>`)
	want := sheetScan{
		nums: []numCell{
			{1, 0, 3}, // A2 styled number
			{1, 2, 0}, // C2 a fraction General rounds
			{2, 0, 7}, // A3 by position
			{2, 1, 8}, // B3 with a namespace prefix
			{2, 26, 0},
		},
		merges: []mergeRange{{0, 0, 0, 19}, {3, 2, 5, 2}},
	}
	if got := scanSheet(x); !reflect.DeepEqual(got, want) {
		t.Errorf("scanSheet:\n got %+v\nwant %+v", got, want)
	}
}

func TestScanInChunksFindsWhatAWholeScanFinds(t *testing.T) {
	var reg bytes.Buffer
	if err := Write(&reg, "台账", sampleCarriers(300)); err != nil {
		t.Fatal(err)
	}
	x, err := zipPart(reg.Bytes(), "xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	x = append(x[:len(x)-len("</worksheet>")], []byte(`<!--`+string(bytes.Repeat([]byte("-"), 700))+`--></worksheet>`)...)
	whole := scanSheet(x)
	if len(whole.nums) < 900 || len(whole.merges) != 1 {
		t.Fatalf("whole scan: %d numbers, %d merges", len(whole.nums), len(whole.merges))
	}
	for _, chunk := range []int{2 * lookahead, 1000, 4096, 65536} {
		got, err := scanReader(bytes.NewReader(x), chunk)
		if err != nil || !reflect.DeepEqual(got, whole) {
			t.Errorf("chunk %d: %d numbers, %d merges, %v; want %d, %d", chunk, len(got.nums), len(got.merges), err, len(whole.nums), len(whole.merges))
		}
	}
}

func TestCellRef(t *testing.T) {
	tests := []struct {
		ref      string
		col, row int
		ok       bool
	}{
		{"A1", 0, 1, true}, {"T1", 19, 1, true}, {"AA10", 26, 10, true}, {"XFD1048576", 16383, 1048576, true},
		{"$B$3", 1, 3, true}, {"c", 2, 0, true}, {"", 0, 0, false}, {"1A", 0, 0, false},
		{"A0", 0, 0, false}, {"A1048577", 0, 0, false}, {"ABCD1", 0, 0, false}, {"A1x", 0, 0, false},
	}
	for _, tt := range tests {
		col, row, ok := cellRef(tt.ref)
		if col != tt.col || row != tt.row || ok != tt.ok {
			t.Errorf("cellRef(%q) = %d, %d, %v; want %d, %d, %v", tt.ref, col, row, ok, tt.col, tt.row, tt.ok)
		}
	}
}
