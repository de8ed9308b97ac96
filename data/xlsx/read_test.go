package xlsx

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"baomi/data"
)

const csvRegister = "某局涉密载体台账\n序号,编号,名称,密级,收到日期,责任人\n1,BM-001,年度工作要点,机密★10年,2024.3.5,张三\n"

func TestReadCSVInEveryEncodingOfficesSave(t *testing.T) {
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(csvRegister)
	if err != nil {
		t.Fatal(err)
	}
	gb18030, err := simplifiedchinese.GB18030.NewEncoder().String(csvRegister)
	if err != nil {
		t.Fatal(err)
	}
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(csvRegister)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		in   string
	}{
		{"UTF-8", csvRegister},
		{"UTF-8 with BOM", "\ufeff" + csvRegister},
		{"GBK", gbk},
		{"GB18030", gb18030},
		{"UTF-16 with BOM", utf16},
		{"tab separated", strings.ReplaceAll(csvRegister, ",", "\t")},
		{"CRLF line ends", strings.ReplaceAll(csvRegister, "\n", "\r\n")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, h, rows := importRows(t, []byte(tt.in), "台账.csv", testOptions)
			if s.Cell(0, 0) != "某局涉密载体台账" {
				t.Errorf("title cell = %q", s.Cell(0, 0))
			}
			if h != 1 || len(rows) != 1 {
				t.Fatalf("header %d, %d rows", h, len(rows))
			}
			c := rows[0].Carrier
			if c.Number != "BM-001" || c.Title != "年度工作要点" || c.Level != "机密" || c.PeriodYears != 10 ||
				c.ReceivedOn != data.NewDate(2024, 3, 5) || c.Custodian != "张三" {
				t.Errorf("carrier = %+v", c)
			}
		})
	}
}

func TestReadPicksTheFirstVisibleWorksheetWithData(t *testing.T) {
	f := excelize.NewFile()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	// Sheet1 stays empty; 说明 is hidden and has data; 台账 is the register.
	_, err := f.NewSheet("说明")
	must(err)
	must(f.SetCellValue("说明", "A1", "填表说明"))
	must(f.SetSheetVisible("说明", false))
	_, err = f.NewSheet("台账")
	must(err)
	must(f.SetCellValue("台账", "A1", "编号"))
	var buf bytes.Buffer
	_, err = f.WriteTo(&buf)
	must(err)
	s, err := Read(&buf, "book.xlsx")
	must(err)
	if s.Name != "台账" {
		t.Errorf("read sheet %q, want 台账", s.Name)
	}
}

func TestReadFillsMergedCellsWithTheirValue(t *testing.T) {
	b := book(t, [][]any{
		{"某局涉密载体台账（2026年）"},
		{"编号", "名称", "来源", "责任人"},
		{"A-1", "甲", "市保密局", "张三"},
		{"A-2", "乙", nil, nil},
		{"A-3", "丙", nil, "李四"},
	}, "A1:D1", "C3:C5", "D3:D4")
	s, err := Read(bytes.NewReader(b), "merged.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	for j := range 4 {
		if got := s.Cell(0, j); got != "某局涉密载体台账（2026年）" {
			t.Errorf("title cell %d = %q", j, got)
		}
	}
	for i, want := range []string{"市保密局", "市保密局", "市保密局"} {
		if got := s.Cell(2+i, 2); got != want {
			t.Errorf("来源 on line %d = %q, want %q", i+3, got, want)
		}
	}
	if s.Cell(3, 3) != "张三" || s.Cell(4, 3) != "李四" {
		t.Errorf("责任人 = %q, %q", s.Cell(3, 3), s.Cell(4, 3))
	}
}

func TestReadShowsNumberCellsAsExcelDoes(t *testing.T) {
	f := excelize.NewFile()
	zeros, _ := f.NewStyle(&excelize.Style{CustomNumFmt: ptr("0000")})
	twoPlaces, _ := f.NewStyle(&excelize.Style{NumFmt: 2})
	_ = f.SetCellFloat("Sheet1", "A1", 12, -1, 64)
	_ = f.SetCellStyle("Sheet1", "A1", "A1", zeros)
	_ = f.SetCellFloat("Sheet1", "B1", 0.1+0.2, -1, 64)
	_ = f.SetCellFloat("Sheet1", "C1", 3, -1, 64)
	_ = f.SetCellStyle("Sheet1", "C1", "C1", twoPlaces)
	_ = f.SetCellInt("Sheet1", "D1", 20240001)
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	s, err := Read(&buf, "n.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(s.Cells[0], "|"); got != "0012|0.3|3.00|20240001" {
		t.Errorf("cells = %q, want 0012|0.3|3.00|20240001", got)
	}
}

func TestReadRefusesBadFilesWithAClearMessage(t *testing.T) {
	good := book(t, [][]any{{"编号", "名称"}, {"A-1", "甲"}})
	rnd := make([]byte, 4096)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range rnd {
		rnd[i] = byte(r.IntN(256))
	}
	tallCSV := strings.Repeat("x\n", MaxRows+1)
	tallBook := func() []byte {
		f := excelize.NewFile()
		defer f.Close()
		_ = f.SetCellValue("Sheet1", "A1", "编号")
		_ = f.SetCellValue("Sheet1", "A200001", "太远了")
		var buf bytes.Buffer
		_, _ = f.WriteTo(&buf)
		return buf.Bytes()
	}()
	tests := []struct {
		name, file string
		in         io.Reader
		want       string // part of data.Message(err)
	}{
		{"random bytes named xlsx", "台账.xlsx", bytes.NewReader(rnd), "不是有效的 .xlsx 文件"},
		{"random bytes starting like a zip", "台账.xlsx", bytes.NewReader(append([]byte("PK\x03\x04"), rnd...)), "不是有效的 .xlsx 文件"},
		{"truncated xlsx", "台账.xlsx", bytes.NewReader(good[:len(good)/2]), "不是有效的 .xlsx 文件"},
		{"empty xlsx", "台账.xlsx", bytes.NewReader(nil), "是空的"},
		{"empty csv", "台账.csv", strings.NewReader(""), "是空的"},
		{"xlsx named csv", "台账.csv", bytes.NewReader(good), "不是文本格式的 CSV"},
		{"random bytes named csv", "台账.csv", bytes.NewReader(rnd), "CSV"},
		{"csv with blank lines only", "台账.csv", strings.NewReader("\n\n,,\n"), "没有数据"},
		{"old xls", "台账.xls", bytes.NewReader(good), "另存为 .xlsx"},
		{"encrypted or old format named xlsx", "台账.xlsx", bytes.NewReader(append(append([]byte{}, oleMagic...), rnd...)), "已加密或是旧版 .xls"},
		{"other extension", "台账.docx", bytes.NewReader(good), "只能导入 .xlsx 或 .csv"},
		{"over 50 MB", "台账.csv", io.LimitReader(zeros{}, MaxFileSize+1), "超过 50 MB"},
		{"over 200,000 rows of csv", "台账.csv", strings.NewReader(tallCSV), "超过 200000 行"},
		{"over 200,000 rows of xlsx", "台账.xlsx", bytes.NewReader(tallBook), "超过 200000 行"},
		{"worksheet declaring 2 GB", "台账.xlsx", bytes.NewReader(bomb(t, good)), "工作表解压后超过 300 MB 上限"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Read(tt.in, tt.file)
			if err == nil {
				t.Fatalf("Read succeeded: %d rows", len(s.Cells))
			}
			if !errors.Is(err, data.ErrInvalid) {
				t.Errorf("error %v does not wrap data.ErrInvalid", err)
			}
			if msg := data.Message(err); !strings.Contains(msg, tt.want) {
				t.Errorf("message %q does not say %q", msg, tt.want)
			}
		})
	}
}

// zeros is an endless reader of '0' bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = '0'
	}
	return len(p), nil
}

func TestReadDateCellsWhateverTheirFormat(t *testing.T) {
	f := excelize.NewFile()
	day := time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC)
	formats := []struct {
		name  string
		style excelize.Style
	}{
		{"built-in 14", excelize.Style{NumFmt: 14}},
		{"Chinese long date", excelize.Style{CustomNumFmt: ptr(`yyyy"年"m"月"d"日"`)}},
		{"American m/d/yy", excelize.Style{CustomNumFmt: ptr("m/d/yy")}},
		{"d-mmm-yy", excelize.Style{CustomNumFmt: ptr("d-mmm-yy")}},
		{"with time", excelize.Style{NumFmt: 22}},
		{"DBNum Chinese digits", excelize.Style{CustomNumFmt: ptr(`[DBNum1][$-804]yyyy"年"m"月"d"日"`)}},
	}
	_ = f.SetSheetRow("Sheet1", "A1", &[]any{"编号", "名称", "密级", "责任人", "收到日期"})
	for i, ft := range formats {
		row := i + 2
		_ = f.SetSheetRow("Sheet1", cellName(1, row), &[]any{ft.name, "文件", "秘密", "张三"})
		id, err := f.NewStyle(&ft.style)
		if err != nil {
			t.Fatal(err)
		}
		_ = f.SetCellValue("Sheet1", cellName(5, row), day)
		_ = f.SetCellStyle("Sheet1", cellName(5, row), cellName(5, row), id)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	_, _, rows := importRows(t, buf.Bytes(), "dates.xlsx", testOptions)
	if len(rows) != len(formats) {
		t.Fatalf("%d rows", len(rows))
	}
	for _, r := range rows {
		if r.Carrier.ReceivedOn != data.NewDate(2024, 3, 5) || len(r.Problems) > 0 {
			t.Errorf("%s: 收到日期 %v, problems %v", r.Carrier.Number, r.Carrier.ReceivedOn, r.Problems)
		}
	}
}

func TestReadDateCellsOfA1904Workbook(t *testing.T) {
	f := excelize.NewFile()
	yes := true
	if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &yes}); err != nil {
		t.Fatal(err)
	}
	_ = f.SetSheetRow("Sheet1", "A1", &[]any{"编号", "名称", "密级", "责任人", "收到日期"})
	_ = f.SetSheetRow("Sheet1", "A2", &[]any{"A-1", "文件", "秘密", "张三", time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC)})
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	_, _, rows := importRows(t, buf.Bytes(), "mac.xlsx", testOptions)
	if got := rows[0].Carrier.ReceivedOn; got != data.NewDate(2024, 3, 5) {
		t.Errorf("收到日期 = %v, want 2024-03-05", got)
	}
}

func ptr[T any](v T) *T { return &v }

func cellName(col, row int) string {
	n, _ := excelize.CoordinatesToCellName(col, row)
	return n
}

// bomb returns the package b with its worksheet claiming to unpack to 2 GB.
func bomb(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		h := f.FileHeader
		if f.Name == "xl/worksheets/sheet1.xml" {
			h.UncompressedSize64 = 2 << 30
		}
		w, err := zw.CreateRaw(&h)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := f.OpenRaw()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(w, raw); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}
