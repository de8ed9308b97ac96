package xlsx

import (
	"math"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// formatter turns the stored value of a number cell into the text a user
// sees: dates as 2024-03-05, General numbers rounded to 15 digits as Excel
// shows them, other number formats (0000, 0.00, 0"份") through excelize on
// a one-cell scratch workbook.
type formatter struct {
	styles   styleSheet
	date1904 bool
	formats  map[int]numFormat
	scratch  *excelize.File
	cache    map[[2]string]string
	// scratchCalls counts the values formatted through the scratch
	// workbook.
	scratchCalls int
}

// maxScratchFormats bounds the values formatted through excelize per
// Read, about 2 s of CPU.
const maxScratchFormats = 250_000

type numFormat struct {
	kind    int // fmtGeneral, fmtDate or fmtOther
	scratch int // style in the scratch workbook, for fmtOther
}

const (
	fmtGeneral = iota
	fmtDate
	fmtOther
)

func newFormatter(styles styleSheet, date1904 bool) *formatter {
	return &formatter{styles: styles, date1904: date1904, formats: map[int]numFormat{}, cache: map[[2]string]string{}}
}

// close releases the scratch workbook.
func (fm *formatter) close() {
	if fm.scratch != nil {
		_ = fm.scratch.Close()
		fm.scratch = nil
	}
}

// show returns the text of stored value v in style.
func (fm *formatter) show(style int, v string) string {
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return v
	}
	nf := fm.format(style)
	switch {
	case nf.kind == fmtDate && f >= 1:
		d, ok := serialDate(v, fm.date1904)
		if !ok {
			return v
		}
		text := d.String()
		if secs := math.Round((f - math.Floor(f)) * 86400); secs >= 1 && secs < 86400 {
			text += " " + strconv.Itoa(int(secs)/3600) + ":" + twoDigits(int(secs)/60%60)
		}
		return text
	case nf.kind == fmtGeneral:
		return general(f)
	}
	key := [2]string{strconv.Itoa(nf.scratch), v}
	if t, ok := fm.cache[key]; ok {
		return t
	}
	// Formatting through excelize costs about 8 µs a value; past
	// maxScratchFormats distinct values (a hostile sheet of 4 million
	// "0.00" cells took 34 s) the rest show as General does.
	if fm.scratchCalls >= maxScratchFormats {
		return general(f)
	}
	fm.scratchCalls++
	t := fm.scratchFormat(nf.scratch, f)
	if len(fm.cache) < 100_000 {
		fm.cache[key] = t
	}
	return t
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// general shows a number as Excel's General format does: at most 15
// significant digits.
func general(f float64) string {
	s := strconv.FormatFloat(f, 'f', -1, 64)
	digits := strings.TrimLeft(strings.TrimLeft(s, "-"), "0.")
	if len(strings.TrimRight(strings.Replace(digits, ".", "", 1), "0")) <= 15 {
		return s
	}
	return strconv.FormatFloat(f, 'G', 15, 64)
}

// format classifies a style of the source workbook, once.
func (fm *formatter) format(style int) numFormat {
	if nf, ok := fm.formats[style]; ok {
		return nf
	}
	nf := fm.classify(style)
	if len(fm.formats) < maxStyles {
		fm.formats[style] = nf
	}
	return nf
}

func (fm *formatter) classify(style int) (nf numFormat) {
	defer func() {
		if recover() != nil {
			nf = numFormat{kind: fmtGeneral}
		}
	}()
	id, code, ok := fm.styles.numFormat(style)
	if !ok {
		return numFormat{kind: fmtGeneral}
	}
	st := excelize.Style{NumFmt: id}
	if code != "" {
		st = excelize.Style{CustomNumFmt: &code}
	}
	switch {
	case code != "":
		if strings.EqualFold(code, "General") {
			return numFormat{kind: fmtGeneral}
		}
		if isDateCode(code) {
			return numFormat{kind: fmtDate}
		}
	case st.NumFmt == 0:
		return numFormat{kind: fmtGeneral}
	case isDateFormatID(st.NumFmt):
		return numFormat{kind: fmtDate}
	}
	if fm.scratch == nil {
		fm.scratch = excelize.NewFile(excelize.Options{CultureInfo: excelize.CultureNameZhCN})
		if fm.date1904 {
			yes := true
			_ = fm.scratch.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &yes})
		}
	}
	id, err := fm.scratch.NewStyle(&excelize.Style{NumFmt: st.NumFmt, CustomNumFmt: st.CustomNumFmt})
	if err != nil {
		return numFormat{kind: fmtGeneral}
	}
	return numFormat{kind: fmtOther, scratch: id}
}

// scratchFormat formats f with a scratch style through excelize.
func (fm *formatter) scratchFormat(style int, f float64) (text string) {
	defer func() {
		if recover() != nil {
			text = general(f)
		}
	}()
	const sheet, cell = "Sheet1", "A1"
	if fm.scratch.SetCellFloat(sheet, cell, f, -1, 64) != nil || fm.scratch.SetCellStyle(sheet, cell, cell, style) != nil {
		return general(f)
	}
	text, err := fm.scratch.GetCellValue(sheet, cell)
	if err != nil {
		return general(f)
	}
	return text
}

// isDateFormatID reports whether a built-in number format shows a date:
// the international ones and the Chinese/Japanese/Korean ones.
func isDateFormatID(id int) bool {
	return id >= 14 && id <= 22 || id >= 27 && id <= 36 || id >= 45 && id <= 47 || id >= 50 && id <= 58
}

// isDateCode reports whether a custom number format shows a date or time:
// its first section has y, m, d, h or s outside quotes, escapes and
// brackets (but [h] counts).
func isDateCode(code string) bool {
	if i := strings.IndexByte(code, ';'); i >= 0 {
		code = code[:i]
	}
	quoted, bracket := false, false
	for i := 0; i < len(code); i++ {
		ch := code[i]
		switch {
		case quoted:
			quoted = ch != '"'
		case ch == '"':
			quoted = true
		case ch == '\\' || ch == '_' || ch == '*':
			i++ // the next character is literal or padding
		case bracket:
			if ch == ']' {
				bracket = false
			} else if ch == 'h' || ch == 'H' {
				return true
			}
		case ch == '[':
			bracket = true
		case strings.IndexByte("yYmMdDhHsS", ch) >= 0:
			return true
		}
	}
	return false
}
