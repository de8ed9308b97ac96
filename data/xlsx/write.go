package xlsx

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"baomi/data"
)

// SheetName is the name of the worksheet Write creates.
const SheetName = "涉密载体台账"

// exportColumn is one column of an exported register.
type exportColumn struct {
	header string
	width  float64
	value  func(i int, c *data.Carrier) any
}

// dateFormat shows a date cell as 2026年11月28日.
const dateFormat = `[$-804]yyyy"年"m"月"d"日"`

var exportColumns = []exportColumn{
	{"序号", 6, func(i int, _ *data.Carrier) any { return i + 1 }},
	{data.FieldNumber, 18, func(_ int, c *data.Carrier) any { return c.Number }},
	{data.FieldTitle, 36, func(_ int, c *data.Carrier) any { return c.Title }},
	{data.FieldKind, 10, func(_ int, c *data.Carrier) any { return c.Kind }},
	{data.FieldLevel, 7, func(_ int, c *data.Carrier) any { return c.Level }},
	{"标志", 20, func(_ int, c *data.Carrier) any { return c.Mark() }},
	{data.FieldPeriod, 16, func(_ int, c *data.Carrier) any { return periodText(c) }},
	{data.FieldSource, 20, func(_ int, c *data.Carrier) any { return c.Source }},
	{data.FieldDocNumber, 18, func(_ int, c *data.Carrier) any { return c.DocNumber }},
	{data.FieldReceivedOn, 16, func(_ int, c *data.Carrier) any { return c.ReceivedOn }},
	{data.FieldCopies, 6, func(_ int, c *data.Carrier) any { return c.Copies }},
	{data.FieldCopyNumbers, 8, func(_ int, c *data.Carrier) any { return c.CopyNumbers }},
	{data.FieldPages, 11, func(_ int, c *data.Carrier) any { return c.Pages }},
	{data.FieldScope, 16, func(_ int, c *data.Carrier) any { return c.Scope }},
	{data.FieldCustodian, 10, func(_ int, c *data.Carrier) any { return c.Custodian }},
	{data.FieldLocation, 14, func(_ int, c *data.Carrier) any { return c.Location }},
	{data.FieldModel, 14, func(_ int, c *data.Carrier) any { return c.Model }},
	{data.FieldSerial, 18, func(_ int, c *data.Carrier) any { return c.Serial }},
	{"状态", 8, func(_ int, c *data.Carrier) any { return c.State }},
	{data.FieldNote, 24, func(_ int, c *data.Carrier) any { return c.Note }},
}

// periodText is the 保密期限 cell: 20年, 2030年12月31日 or the condition.
func periodText(c *data.Carrier) string {
	switch {
	case c.PeriodYears > 0:
		return strconv.Itoa(c.PeriodYears) + "年"
	case !c.DeclassifyOn.IsZero():
		return c.DeclassifyOn.Chinese()
	}
	return c.DeclassifyCondition
}

// excelEpoch is day 0 of Excel's 1900 date system for days after
// 1 March 1900.
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// serial returns d as an Excel serial day number.
func serial(d data.Date) int {
	return int(d.Time().Sub(excelEpoch).Hours() / 24)
}

// Write exports carriers as an .xlsx register: a merged title row, a bold
// bordered header row with the common Chinese headers (frozen, and repeated
// on every printed page), one row per carrier, dates as real date cells
// shown as 2026年11月28日. The file imports back unchanged (Read, FindHeader,
// Rows, Plan).
func Write(w io.Writer, title string, carriers []data.Carrier) (err error) {
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("close workbook: %w", cerr)
		}
	}()
	if err := f.SetSheetName(f.GetSheetName(0), SheetName); err != nil {
		return fmt.Errorf("name sheet: %w", err)
	}
	lastCol, err := excelize.ColumnNumberToName(len(exportColumns))
	if err != nil {
		return fmt.Errorf("last column: %w", err)
	}
	if err := pageSetup(f); err != nil {
		return err
	}
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(SheetName)
	if err != nil {
		return fmt.Errorf("stream writer: %w", err)
	}
	for i, col := range exportColumns {
		if err := sw.SetColWidth(i+1, i+1, col.width); err != nil {
			return fmt.Errorf("column width: %w", err)
		}
	}
	if err := sw.SetPanes(&excelize.Panes{
		Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A3", ActiveCell: "A3", Pane: "bottomLeft"}},
	}); err != nil {
		return fmt.Errorf("freeze header: %w", err)
	}
	row := make([]any, len(exportColumns))
	row[0] = excelize.Cell{StyleID: st.title, Value: title}
	for i := 1; i < len(row); i++ {
		row[i] = excelize.Cell{StyleID: st.title}
	}
	if err := sw.SetRow("A1", row, excelize.RowOpts{Height: 32}); err != nil {
		return fmt.Errorf("title row: %w", err)
	}
	if err := sw.MergeCell("A1", lastCol+"1"); err != nil {
		return fmt.Errorf("merge title: %w", err)
	}
	for i, col := range exportColumns {
		row[i] = excelize.Cell{StyleID: st.header, Value: col.header}
	}
	if err := sw.SetRow("A2", row, excelize.RowOpts{Height: 22}); err != nil {
		return fmt.Errorf("header row: %w", err)
	}
	cells := make([]excelize.Cell, len(exportColumns))
	for i := range cells {
		row[i] = &cells[i]
	}
	for i := range carriers {
		c := &carriers[i]
		for j, col := range exportColumns {
			cells[j] = excelize.Cell{StyleID: st.text}
			switch v := col.value(i, c).(type) {
			case data.Date:
				cells[j].StyleID = st.date
				if !v.IsZero() {
					cells[j].Value = serial(v)
				}
			case int:
				cells[j].StyleID, cells[j].Value = st.number, v
			case string:
				if v != "" {
					cells[j].Value = v
				}
			}
		}
		if err := sw.SetRow("A"+strconv.Itoa(i+3), row); err != nil {
			return fmt.Errorf("row %d: %w", i+3, err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("flush sheet: %w", err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("write workbook: %w", err)
	}
	return nil
}

// pageSetup prints the register on landscape A4, fitted to the page width,
// with the title and header rows on every page.
func pageSetup(f *excelize.File) error {
	landscape, a4, fitWidth, fitHeight := "landscape", 9, 1, 0
	if err := f.SetPageLayout(SheetName, &excelize.PageLayoutOptions{
		Orientation: &landscape, Size: &a4, FitToWidth: &fitWidth, FitToHeight: &fitHeight,
	}); err != nil {
		return fmt.Errorf("page layout: %w", err)
	}
	fit := true
	if err := f.SetSheetProps(SheetName, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return fmt.Errorf("sheet properties: %w", err)
	}
	if err := f.SetDefinedName(&excelize.DefinedName{
		Name: "_xlnm.Print_Titles", RefersTo: "'" + SheetName + "'!$1:$2", Scope: SheetName,
	}); err != nil {
		return fmt.Errorf("print titles: %w", err)
	}
	return nil
}

type styles struct{ title, header, text, date, number int }

func newStyles(f *excelize.File) (styles, error) {
	border := []excelize.Border{
		{Type: "left", Color: "000000", Style: 1}, {Type: "top", Color: "000000", Style: 1},
		{Type: "right", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1},
	}
	font := &excelize.Font{Family: "宋体", Size: 10.5}
	center := &excelize.Alignment{Horizontal: "center", Vertical: "center"}
	left := &excelize.Alignment{Vertical: "center"}
	dateFmt := dateFormat
	var st styles
	for _, s := range []struct {
		id    *int
		style excelize.Style
	}{
		{&st.title, excelize.Style{Font: &excelize.Font{Family: "黑体", Size: 16, Bold: true}, Alignment: center}},
		{&st.header, excelize.Style{Font: &excelize.Font{Family: "黑体", Size: 10.5, Bold: true}, Border: border,
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E7E6E6"}}}},
		{&st.text, excelize.Style{Font: font, Border: border, Alignment: left}},
		{&st.date, excelize.Style{Font: font, Border: border, Alignment: center, CustomNumFmt: &dateFmt}},
		{&st.number, excelize.Style{Font: font, Border: border, Alignment: center}},
	} {
		id, err := f.NewStyle(&s.style)
		if err != nil {
			return st, fmt.Errorf("style: %w", err)
		}
		*s.id = id
	}
	return st, nil
}
