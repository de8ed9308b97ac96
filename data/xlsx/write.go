package xlsx

import (
	"archive/zip"
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"baomi/data"
)

// SheetName is the name of the worksheet Write creates.
const SheetName = "涉密载体台账"

// exportColumn is one column of an exported register of T (a carrier, a
// person).
type exportColumn[T any] struct {
	header string
	width  float64
	value  func(i int, x *T) any
}

// dateFormat shows a date cell as 2026年11月28日.
const dateFormat = `[$-804]yyyy"年"m"月"d"日"`

var exportColumns = []exportColumn[data.Carrier]{
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
//
// Nothing is written anywhere but w: excelize lays out the workbook with
// the title and header rows (a few kilobytes in memory), and the carrier
// rows are streamed into its worksheet part here. excelize's StreamWriter,
// used before, spilled every sheet over 16 MiB (about 45,000 carriers) to
// a plain-text file in $TMPDIR, which a crash would leave behind.
func Write(w io.Writer, title string, carriers []data.Carrier) error {
	return writeBook(w, SheetName, title, exportColumns, carriers)
}

// writeBook writes items as an .xlsx register in the layout Write
// describes: a sheet named sheet, the merged title, the header row of cols
// and one row per item.
func writeBook[T any](w io.Writer, sheet, title string, cols []exportColumn[T], items []T) (err error) {
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("close workbook: %w", cerr)
		}
	}()
	st, err := layout(f, sheet, title, cols)
	if err != nil {
		return err
	}
	var skeleton bytes.Buffer
	if _, err := f.WriteTo(&skeleton); err != nil {
		return fmt.Errorf("write workbook: %w", err)
	}
	zr, err := zip.NewReader(bytes.NewReader(skeleton.Bytes()), int64(skeleton.Len()))
	if err != nil {
		return fmt.Errorf("read workbook back: %w", err)
	}
	zw := zip.NewWriter(w)
	found := false
	for _, part := range zr.File {
		if part.Name != sheetPart {
			if err := zw.Copy(part); err != nil {
				return fmt.Errorf("copy %s: %w", part.Name, err)
			}
			continue
		}
		found = true
		if err := writeSheet(zw, part, st, cols, items); err != nil {
			return err
		}
	}
	if !found {
		return fmt.Errorf("workbook has no %s", sheetPart)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("write workbook: %w", err)
	}
	return nil
}

// sheetPart is the part of the only worksheet of a new excelize workbook.
const sheetPart = "xl/worksheets/sheet1.xml"

// layout names the sheet and sets its columns, panes, page setup, styles,
// and its merged title and header rows.
func layout[T any](f *excelize.File, sheet, title string, cols []exportColumn[T]) (styles, error) {
	if err := f.SetSheetName(f.GetSheetName(0), sheet); err != nil {
		return styles{}, fmt.Errorf("name sheet: %w", err)
	}
	lastCol, err := excelize.ColumnNumberToName(len(cols))
	if err != nil {
		return styles{}, fmt.Errorf("last column: %w", err)
	}
	if err := pageSetup(f, sheet); err != nil {
		return styles{}, err
	}
	st, err := newStyles(f)
	if err != nil {
		return st, err
	}
	for i, col := range cols {
		name, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheet, name, name, col.width); err != nil {
			return st, fmt.Errorf("column width: %w", err)
		}
	}
	if err := f.SetPanes(sheet, &excelize.Panes{
		Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A3", ActiveCell: "A3", Pane: "bottomLeft"}},
	}); err != nil {
		return st, fmt.Errorf("freeze header: %w", err)
	}
	headers := make([]any, len(cols))
	for i, col := range cols {
		headers[i] = col.header
	}
	for _, r := range []struct {
		row    int
		values []any
		style  int
		height float64
	}{
		{1, []any{title}, st.title, 32},
		{2, headers, st.header, 22},
	} {
		cell := "A" + strconv.Itoa(r.row)
		if err := f.SetSheetRow(sheet, cell, &r.values); err != nil {
			return st, fmt.Errorf("row %d: %w", r.row, err)
		}
		if err := f.SetCellStyle(sheet, cell, lastCol+strconv.Itoa(r.row), r.style); err != nil {
			return st, fmt.Errorf("row %d style: %w", r.row, err)
		}
		if err := f.SetRowHeight(sheet, r.row, r.height); err != nil {
			return st, fmt.Errorf("row %d height: %w", r.row, err)
		}
	}
	if err := f.MergeCell(sheet, "A1", lastCol+"1"); err != nil {
		return st, fmt.Errorf("merge title: %w", err)
	}
	return st, nil
}

// writeSheet writes the worksheet part of the skeleton with a row per item
// added after its title and header rows.
func writeSheet[T any](zw *zip.Writer, part *zip.File, st styles, cols []exportColumn[T], items []T) error {
	rc, err := part.Open()
	if err != nil {
		return fmt.Errorf("open %s: %w", part.Name, err)
	}
	x, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		return fmt.Errorf("read %s: %w", part.Name, err)
	}
	end := bytes.Index(x, []byte("</sheetData>"))
	if end < 0 {
		return fmt.Errorf("%s has no sheet data", part.Name)
	}
	lastCol, _ := excelize.ColumnNumberToName(len(cols))
	head, err := setDimension(x[:end], "A1:"+lastCol+strconv.Itoa(len(items)+2))
	if err != nil {
		return fmt.Errorf("%s: %w", part.Name, err)
	}
	h := part.FileHeader
	h.CRC32, h.CompressedSize64, h.UncompressedSize64, h.Method = 0, 0, 0, zip.Deflate
	pw, err := zw.CreateHeader(&h)
	if err != nil {
		return fmt.Errorf("create %s: %w", part.Name, err)
	}
	bw := bufio.NewWriterSize(pw, 64<<10)
	bw.Write(head)
	var buf []byte
	for i := range items {
		buf = appendRow(buf[:0], i, &items[i], st, cols)
		if _, err := bw.Write(buf); err != nil {
			return fmt.Errorf("row %d: %w", i+3, err)
		}
	}
	bw.Write(x[end:])
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", part.Name, err)
	}
	return nil
}

// setDimension returns the worksheet XML head with the used range its
// dimension element states set to ref (excelize writes "A1" there).
func setDimension(head []byte, ref string) ([]byte, error) {
	const key = `<dimension ref="`
	i := bytes.Index(head, []byte(key))
	if i < 0 {
		return nil, fmt.Errorf("no dimension element")
	}
	start := i + len(key)
	n := bytes.IndexByte(head[start:], '"')
	if n < 0 {
		return nil, fmt.Errorf("unterminated dimension element")
	}
	out := make([]byte, 0, len(head)+len(ref))
	out = append(out, head[:start]...)
	out = append(out, ref...)
	return append(out, head[start+n:]...), nil
}

// appendRow appends the XML of item x's row (sheet row i+3): every cell
// styled, strings inline, dates as serial numbers, numbers as numbers,
// empty values as empty styled cells so the borders show.
func appendRow[T any](b []byte, i int, x *T, st styles, cols []exportColumn[T]) []byte {
	line := strconv.Itoa(i + 3)
	b = append(b, `<row r="`...)
	b = append(b, line...)
	b = append(b, `">`...)
	for j, col := range cols {
		b = append(b, `<c r="`...)
		b = append(b, columnName(j)...)
		b = append(b, line...)
		b = append(b, `" s="`...)
		switch v := col.value(i, x).(type) {
		case data.Date:
			b = strconv.AppendInt(b, int64(st.date), 10)
			if v.IsZero() {
				b = append(b, `"/>`...)
				continue
			}
			b = append(b, `"><v>`...)
			b = strconv.AppendInt(b, int64(serial(v)), 10)
			b = append(b, `</v></c>`...)
		case int:
			b = strconv.AppendInt(b, int64(st.number), 10)
			b = append(b, `"><v>`...)
			b = strconv.AppendInt(b, int64(v), 10)
			b = append(b, `</v></c>`...)
		case float64:
			b = strconv.AppendInt(b, int64(st.number), 10)
			b = append(b, `"><v>`...)
			b = strconv.AppendFloat(b, v, 'f', -1, 64)
			b = append(b, `</v></c>`...)
		case string:
			b = strconv.AppendInt(b, int64(st.text), 10)
			if v == "" {
				b = append(b, `"/>`...)
				continue
			}
			b = append(b, `" t="inlineStr"><is>`...)
			if strings.TrimSpace(v) != v || strings.ContainsAny(v, "\t\n\r") {
				b = append(b, `<t xml:space="preserve">`...)
			} else {
				b = append(b, `<t>`...)
			}
			b = appendCellText(b, v)
			b = append(b, `</t></is></c>`...)
		}
	}
	return append(b, `</row>`...)
}

// columnNames are the letters of the first columns, enough for every
// export's columns.
var columnNames = func() []string {
	names := make([]string, 64)
	for i := range names {
		names[i], _ = excelize.ColumnNumberToName(i + 1)
	}
	return names
}()

// columnName returns the letters of column j (0 is A).
func columnName(j int) string {
	if j < len(columnNames) {
		return columnNames[j]
	}
	name, _ := excelize.ColumnNumberToName(j + 1)
	return name
}

// appendCellText appends s escaped for a cell's XML text: the XML
// specials as references, characters XML cannot hold as Office's _xHHHH_
// escapes (and a literal _xHHHH_ with its underscore escaped, _x005F_), so
// that Read gives s back.
func appendCellText(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '&':
			b = append(b, "&amp;"...)
		case r == '<':
			b = append(b, "&lt;"...)
		case r == '>':
			b = append(b, "&gt;"...)
		case r == utf8.RuneError && size == 1:
			b = utf8.AppendRune(b, utf8.RuneError)
		case r < 0x20 && r != '\t' && r != '\n', r == 0xFFFE, r == 0xFFFF:
			b = fmt.Appendf(b, "_x%04X_", r)
		case r == '_' && i+7 <= len(s) && s[i+1] == 'x' && s[i+6] == '_' && isHex4([]byte(s[i+2:i+6])):
			b = append(b, "_x005F_"...)
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return b
}

// pageSetup prints the register on landscape A4, fitted to the page width,
// with the title and header rows on every page.
func pageSetup(f *excelize.File, sheet string) error {
	landscape, a4, fitWidth, fitHeight := "landscape", 9, 1, 0
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{
		Orientation: &landscape, Size: &a4, FitToWidth: &fitWidth, FitToHeight: &fitHeight,
	}); err != nil {
		return fmt.Errorf("page layout: %w", err)
	}
	fit := true
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return fmt.Errorf("sheet properties: %w", err)
	}
	if err := f.SetDefinedName(&excelize.DefinedName{
		Name: "_xlnm.Print_Titles", RefersTo: "'" + sheet + "'!$1:$2", Scope: sheet,
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
