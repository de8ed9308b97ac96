package xlsx

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"baomi/data"
	"baomi/data/datatest"
)

func TestWrittenRegisterImportsBackUnchanged(t *testing.T) {
	carriers := datatest.Carriers(200)
	for _, c := range carriers {
		if err := c.Validate(data.DefaultClassifications, testToday); err != nil {
			t.Fatalf("sample %s is not valid: %v", c.Number, err)
		}
	}
	var buf bytes.Buffer
	if err := Write(&buf, "某局涉密载体台账（2026年）", carriers); err != nil {
		t.Fatal(err)
	}
	_, h, rows := importRows(t, buf.Bytes(), "台账.xlsx", testOptions)
	if h != 1 {
		t.Errorf("header row = %d, want 1 (below the title)", h)
	}
	if got := len(dataRows(rows)); got != len(carriers) {
		t.Fatalf("%d data rows, want %d", got, len(carriers))
	}
	actions := Plan(rows, byNumber(carriers))
	for i, a := range actions {
		if a.Op != OpUnchanged {
			t.Errorf("line %d: %s (%s), want unchanged\nsheet: %+v\nstore: %+v", a.Row.Line, a.Op, a.Reason, a.Row.Carrier, carriers[i])
		}
	}
	if got, want := Summary(actions), "将导入 0 条，更新 0 条，无变化 200 条，拒绝 0 条"; got != want {
		t.Errorf("Summary = %q, want %q", got, want)
	}
	// Into an empty register every row is a clean import.
	for _, a := range Plan(rows, nil) {
		if a.Op != OpImport {
			t.Errorf("line %d into an empty register: %s (%s)", a.Row.Line, a.Op, a.Reason)
		}
	}
}

func TestWriteLayout(t *testing.T) {
	c := datatest.Carrier(0)
	var buf bytes.Buffer
	if err := Write(&buf, "某局涉密载体台账", []data.Carrier{c}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	merged, err := f.GetMergeCells(SheetName)
	if err != nil || len(merged) != 1 || merged[0].GetStartAxis() != "A1" || merged[0].GetEndAxis() != "T1" {
		t.Errorf("merged cells = %v, %v; want the title A1:T1", merged, err)
	}
	header, _ := f.GetRows(SheetName)
	want := "序号 编号 名称 载体类型 密级 标志 保密期限 来源 文号 收到日期 份数 份号 页数或容量 知悉范围 责任人 存放位置 设备型号 序列号 状态 备注"
	if got := strings.Join(header[1], " "); got != want {
		t.Errorf("header = %q\nwant     %q", got, want)
	}
	if got := header[2][5]; got != "机密★20年" {
		t.Errorf("标志 = %q", got)
	}
	if got, _ := f.GetCellValue(SheetName, "J3"); got != c.ReceivedOn.Chinese() {
		t.Errorf("收到日期 shows %q, want %q", got, c.ReceivedOn.Chinese())
	}
	panes, err := f.GetPanes(SheetName)
	if err != nil || !panes.Freeze || panes.YSplit != 2 {
		t.Errorf("panes = %+v, %v; want the two top rows frozen", panes, err)
	}
	styleID, _ := f.GetCellStyle(SheetName, "B2")
	style, err := f.GetStyle(styleID)
	if err != nil || style.Font == nil || !style.Font.Bold || len(style.Border) != 4 {
		t.Errorf("header style = %+v, %v; want bold with borders", style, err)
	}
	titles := ""
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm.Print_Titles" {
			titles = dn.RefersTo
		}
	}
	if titles != "'"+SheetName+"'!$1:$2" {
		t.Errorf("print titles = %q, want the title and header rows", titles)
	}
	if w, _ := f.GetColWidth(SheetName, "C"); w < 20 {
		t.Errorf("名称 column width %v, want a wide column", w)
	}
}

func TestWriteEmptyRegisterHasTheHeaderOnly(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, "台账", nil); err != nil {
		t.Fatal(err)
	}
	_, h, rows := importRows(t, buf.Bytes(), "empty.xlsx", testOptions)
	if h != 1 || len(rows) != 0 {
		t.Errorf("header %d, %d rows; want 1, 0", h, len(rows))
	}
}
