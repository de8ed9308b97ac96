package xlsx

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"baomi/data"
	"baomi/data/datatest"
)

func TestReadParsesWhatOfficeWritesInAWorksheet(t *testing.T) {
	var reg bytes.Buffer
	if err := Write(&reg, "台账", nil); err != nil {
		t.Fatal(err)
	}
	// Write's styles: 3 is text, 4 the date format, 5 a plain number.
	x := xmlHead + `<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><!-- <x:c r="Z9" s="9"><x:v>1</x:v></x:c> -->` +
		`<x:sheetData><?pi <row r="7"><c><v>9</v></c></row> ?><x:row r="2"><x:c r="A2" s="4"><x:v>45356</x:v></x:c>` +
		`<x:c r="B2" t="inlineStr"><x:is><x:r><x:t>甲&amp;乙</x:t></x:r><x:r><x:t xml:space="preserve"> &#x4E19;&#19969;</x:t></x:r>` +
		`<x:rPh sb="0" eb="1"><x:t>ジャ</x:t></x:rPh></x:is></x:c>` +
		`<x:c r="C2"><x:v>0.30000000000000004</x:v></x:c><x:c r="D2" t="str"><x:f>A1</x:f><x:v>公式&lt;值&gt;</x:v></x:c>` +
		`<x:c r="E2" s="5"/><x:c r="F2" t="inlineStr"><x:is><x:t><![CDATA[<原样>&amp;]]></x:t></x:is></x:c></x:row>` +
		`<x:row><x:c t="inlineStr"><x:is><x:t>第一行_x000D_&#13;` + "\r\n" + `第二行 _x005F_x0041_</x:t></x:is></x:c><x:c t="b"><x:v>1</x:v></x:c>` +
		`<x:c r="$AA3" s="0" t="n"><x:v>1E3</x:v></x:c></x:row>` +
		`</x:sheetData><x:mergeCells count="3"><x:mergeCell ref="B2:C2"/><x:mergeCell ref='B3:C3'/><x:mergeCell ref="B2:A1"/></x:mergeCells></x:worksheet>`
	b, err := replacePart(reg.Bytes(), "xl/worksheets/sheet1.xml", []byte(x))
	if err != nil {
		t.Fatal(err)
	}
	s, err := Read(bytes.NewReader(b), "台账.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		row, col  int
		want, raw string
	}{
		{"date cell shown as a date, serial kept", 1, 0, "2024-03-05", "45356"},
		{"rich text runs joined, references decoded, phonetic run left out", 1, 1, "甲&乙 丙丁", "甲&乙 丙丁"},
		{"merged range filled from its top-left cell", 1, 2, "甲&乙 丙丁", "甲&乙 丙丁"},
		{"formula's cached string", 1, 3, "公式<值>", "公式<值>"},
		{"styled empty cell", 1, 4, "", ""},
		{"CDATA kept as written", 1, 5, "<原样>&amp;", "<原样>&amp;"},
		{"Office escapes and line ends", 2, 0, "第一行\r\r\n第二行 _x0041_", "第一行\r\r\n第二行 _x0041_"},
		{"boolean as stored, merged to the right", 2, 2, "1", "1"},
		{"number General shows", 2, 26, "1000", "1E3"},
		{"nothing from comments or processing instructions", 6, 0, "", ""},
		{"nothing from comments", 8, 25, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := s.Cell(tt.row, tt.col); got != tt.want {
				t.Errorf("cell = %q, want %q", got, tt.want)
			}
			if got := s.rawCell(tt.row, tt.col); got != tt.raw {
				t.Errorf("stored value = %q, want %q", got, tt.raw)
			}
		})
	}
	if len(s.Cells) != 3 || s.Cell(0, 0) != "" {
		t.Errorf("%d rows, first %q; want 3 rows, the first empty", len(s.Cells), s.Cells[0])
	}
}

func TestReadRefusesMalformedWorksheets(t *testing.T) {
	var reg bytes.Buffer
	if err := Write(&reg, "台账", datatest.Carriers(1)); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, sheet string
	}{
		{"DOCTYPE, which OOXML forbids", `<!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet><sheetData/></worksheet>`},
		{"unclosed tag", `<worksheet><sheetData><row><c`},
		{"unclosed comment", `<worksheet><!-- <sheetData>`},
		{"unclosed CDATA", `<worksheet><sheetData><row><c t="inlineStr"><is><t><![CDATA[x`},
		{"shared string index out of range", `<worksheet><sheetData><row><c t="s"><v>99</v></c></row></sheetData></worksheet>`},
		{"text after the root", `<worksheet/>junk`},
		{"tag over 64 KiB", `<worksheet a="` + strings.Repeat("x", 70_000) + `"/>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := replacePart(reg.Bytes(), "xl/worksheets/sheet1.xml", []byte(tt.sheet))
			if err != nil {
				t.Fatal(err)
			}
			_, err = Read(bytes.NewReader(b), "台账.xlsx")
			if !errors.Is(err, data.ErrInvalid) || !strings.Contains(data.Message(err), "不是有效的 .xlsx 文件") {
				t.Errorf("Read: %v (%s), want the file refused as damaged", err, data.Message(err))
			}
		})
	}
}

// The lexer reads tokens across its buffer's boundaries the same as
// within it.
func TestLexerReadsTokensAcrossBufferBoundaries(t *testing.T) {
	unit := `<c r="A1" s='2' note="a>b"><!-- c > d -- e --><?p ?x>?><v>1&amp;2</v><![CDATA[x]]y]]></c>`
	var in strings.Builder
	in.WriteString("<root>")
	for in.Len() < 3*lexBuffer {
		in.WriteString(unit)
		in.WriteString(strings.Repeat(" ", in.Len()%97))
	}
	in.WriteString("</root>")
	l := newLexer(strings.NewReader(in.String()))
	var got []string
	for {
		if err := l.next(); err != nil {
			t.Fatal(err)
		}
		if l.kind == tokEOF {
			break
		}
		switch l.kind {
		case tokStart:
			got = append(got, "<"+string(l.name)+" "+attr(l.attrs, "note"))
		case tokEnd:
			got = append(got, "/"+string(l.name))
		case tokText:
			if strings.TrimSpace(string(l.data)) != "" {
				got = append(got, string(l.data))
			}
		}
	}
	want := "<c a>b|<v |1&2|/v|x]]y|/c"
	units := 0
	joined := strings.Join(got[1:len(got)-1], "|")
	for _, u := range strings.Split(joined, "|<c a>b|") {
		units++
		if u = strings.TrimPrefix(u, "<c a>b|"); "<c a>b|"+u != want && u != want[len("<c a>b|"):] {
			t.Fatalf("unit %d = %q, want %q", units, u, want)
		}
	}
	if units < 3*lexBuffer/len(unit)/2 {
		t.Errorf("%d units read", units)
	}
}

func TestSharedStringsKeepEveryEntryAcrossBlocks(t *testing.T) {
	sst := &sharedStrings{}
	var want []string
	for i := range 200 {
		v := strings.Repeat(string(rune('一'+i)), (i*3001)%MaxCellChars) // up to 96 KiB each
		if i%7 == 0 {
			v = ""
		}
		want = append(want, v)
		if err := addShared(sst, []byte(v)); err != nil {
			t.Fatal(err)
		}
	}
	sst.done()
	if len(sst.blocks) < 2 {
		t.Fatalf("%d blocks; the test needs several", len(sst.blocks))
	}
	for i, w := range want {
		if got, ok := sst.at(i); !ok || got != w {
			t.Errorf("entry %d: %d bytes, %v; want %d bytes", i, len(got), ok, len(w))
		}
	}
	if _, ok := sst.at(len(want)); ok {
		t.Error("entry past the end found")
	}
}
