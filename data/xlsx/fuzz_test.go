package xlsx

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"baomi/data"
	"baomi/data/datatest"
)

// checkImport runs the whole import on arbitrary input: it may refuse the
// file, with a Chinese message wrapping data.ErrInvalid, but never panic.
func checkImport(t *testing.T, b []byte, name string) {
	s, err := Read(bytes.NewReader(b), name)
	if err != nil {
		if !errors.Is(err, data.ErrInvalid) {
			t.Fatalf("error %v does not wrap data.ErrInvalid", err)
		}
		if msg := data.Message(err); msg == "" || msg == "输入有误。" {
			t.Fatalf("error %v has no clear message", err)
		}
		return
	}
	if len(s.Cells) == 0 || len(s.Cells) > MaxRows {
		t.Fatalf("%d rows", len(s.Cells))
	}
	h, m := s.FindHeader()
	rows := s.Rows(h, m, testOptions)
	_ = Summary(Plan(rows, nil))
	for c := range len(s.Cells[0]) + 1 {
		m[c] = fields[c%len(fields)].Key
	}
	_ = Plan(s.Rows(-1, m, testOptions), nil)
}

// FuzzRead feeds arbitrary bytes to the importer as .xlsx and as .csv.
func FuzzRead(f *testing.F) {
	var reg bytes.Buffer
	if err := Write(&reg, "台账", datatest.Carriers(5)); err != nil {
		f.Fatal(err)
	}
	messy := book(f, [][]any{
		{"某局涉密载体台账"}, {},
		{"序号", "编号", "名称", "密级", "收到日期", "份数"},
		{1, "A-1", "通知", "机密★10年", 45356, "2份"},
		{"合计"},
	}, "A1:F1")
	gbk, _ := simplifiedchinese.GBK.NewEncoder().String(csvRegister)
	for _, seed := range [][]byte{
		reg.Bytes(), messy, messy[:len(messy)/2], []byte(csvRegister), []byte(gbk),
		[]byte("\ufeff编号,名称\n\"A,1\",\"x\"\"y\"\n"), []byte("PK\x03\x04"), {0xd0, 0xcf, 0x11, 0xe0}, {},
	} {
		f.Add(seed, false)
		f.Add(seed, true)
	}
	f.Fuzz(func(t *testing.T, b []byte, asCSV bool) {
		name := "fuzz.xlsx"
		if asCSV {
			name = "fuzz.csv"
		}
		checkImport(t, b, name)
	})
}

// FuzzReadSheetXML puts arbitrary bytes in place of the worksheet of a
// valid workbook, so the fuzzer gets past the zip checksums into the XML
// lexer, the worksheet parser, number formatting and merged cells.
func FuzzReadSheetXML(f *testing.F) {
	var reg bytes.Buffer
	if err := Write(&reg, "台账", datatest.Carriers(3)); err != nil {
		f.Fatal(err)
	}
	sheet, err := zipPart(reg.Bytes(), "xl/worksheets/sheet1.xml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(sheet)
	f.Add([]byte(`<worksheet><sheetData><row r="1"><c r="A1" s="3"><v>45356</v></c><c t="s"><v>0</v></c></row>` +
		`<row><c r="C2" t="inlineStr"><is><t>编号</t></is></c><x:c s='2'><x:v>1.5E3</x:v></x:c></row></sheetData>` +
		`<mergeCells><mergeCell ref="A1:XFD1048576"/><mergeCell ref="B2:A1"/></mergeCells></worksheet>`))
	f.Fuzz(func(t *testing.T, x []byte) {
		b, err := replacePart(reg.Bytes(), "xl/worksheets/sheet1.xml", x)
		if err != nil {
			t.Fatal(err)
		}
		checkImport(t, b, "fuzz.xlsx")
	})
}

func zipPart(b []byte, name string) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, err
	}
	for _, f := range zr.File {
		if f.Name == name {
			rc, err := f.Open()
			if err != nil {
				return nil, err
			}
			defer rc.Close()
			return io.ReadAll(rc)
		}
	}
	return nil, fmt.Errorf("no part %s", name)
}

// replacePart returns the package b with the part name holding content.
func replacePart(b []byte, name string, content []byte) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		w, err := zw.Create(f.Name)
		if err != nil {
			return nil, err
		}
		if f.Name == name {
			_, err = w.Write(content)
		} else {
			var rc io.ReadCloser
			if rc, err = f.Open(); err == nil {
				_, err = io.Copy(w, rc)
				rc.Close()
			}
		}
		if err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
