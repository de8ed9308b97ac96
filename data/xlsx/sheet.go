package xlsx

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"
)

// sheetParser builds a Sheet from the tokens of a worksheet part: the
// stored value of each cell (the shared string, the inline string, the
// number as stored), number cells shown as Excel shows them (dates as
// 2024-03-05, 0000 as 0012) with the stored value kept in raw, and the
// merged ranges.
type sheetParser struct {
	s      *Sheet
	sst    *sharedStrings
	fm     *formatter
	merges []mergeRange

	row, col int // current row (1-based) and column (0-based)
	// the cell being read
	inCell, inV, inIS, inT bool
	depthRPh               int
	typ                    []byte
	style                  int
	v, is                  []byte
	hasIS                  bool
	// the row being read
	cells, raws []string
	hasRaw      bool
	// totals against the caps
	nCells, nText int
}

// mergeRange is a merged range, 0-based and inclusive.
type mergeRange struct{ r1, c1, r2, c2 int }

var errBadSharedIndex = errors.New("shared string index out of range")

// token handles one token of the worksheet.
func (p *sheetParser) token(l *lexer) error {
	switch l.kind {
	case tokStart:
		return p.start(l)
	case tokEnd:
		return p.end(l.name)
	case tokText:
		switch {
		case p.inV:
			if len(p.v)+len(l.data) > 4*MaxCellChars {
				return p.tooLong()
			}
			p.v = append(p.v, l.data...)
		case p.inT && p.depthRPh == 0:
			if len(p.is)+len(l.data) > 4*MaxCellChars {
				return p.tooLong()
			}
			p.is = append(p.is, l.data...)
		}
	}
	return nil
}

func (p *sheetParser) tooLong() error {
	return limitf("文件的工作表“%s”第 %d 行有单元格超过 %d 个字符的上限（Excel 单元格的上限），无法导入。", p.s.Name, p.row, MaxCellChars)
}

func (p *sheetParser) start(l *lexer) error {
	switch string(l.name) {
	case "row":
		if err := p.flush(); err != nil {
			return err
		}
		if r, ok := attrInt(l.attrs, "r"); ok && r > 0 {
			p.row = r
		} else {
			p.row++
		}
		p.col = -1
	case "c":
		if c, _, ok := cellRef(attr(l.attrs, "r")); ok {
			p.col = c
		} else {
			p.col++
		}
		if p.row == 0 {
			p.row = 1
		}
		if l.selfClosing {
			return nil
		}
		p.inCell, p.hasIS = true, false
		p.v, p.is = p.v[:0], p.is[:0]
		t, _ := attrBytes(l.attrs, "t")
		p.typ = append(p.typ[:0], t...)
		p.style, _ = attrInt(l.attrs, "s")
	case "v":
		p.inV = p.inCell && !l.selfClosing
	case "is":
		p.inIS, p.hasIS = p.inCell && !l.selfClosing, p.inCell
	case "t":
		p.inT = p.inIS && !l.selfClosing
	case "rPh":
		if p.inIS && !l.selfClosing {
			p.depthRPh++
		}
	case "mergeCell":
		a, b, ok := strings.Cut(attr(l.attrs, "ref"), ":")
		if !ok {
			return nil
		}
		c1, r1, ok1 := cellRef(a)
		c2, r2, ok2 := cellRef(b)
		if ok1 && ok2 && r1 > 0 && r2 >= r1 && c2 >= c1 {
			if len(p.merges) >= maxMerges {
				return limitf("文件的工作表“%s”中合并单元格超过 %d 处的上限，无法导入。", p.s.Name, maxMerges)
			}
			p.merges = append(p.merges, mergeRange{r1 - 1, c1, r2 - 1, c2})
		}
	}
	return nil
}

func (p *sheetParser) end(name []byte) error {
	switch string(name) {
	case "v":
		p.inV = false
	case "t":
		p.inT = false
	case "rPh":
		p.depthRPh = max(0, p.depthRPh-1)
	case "is":
		p.inIS = false
	case "c":
		if p.inCell {
			p.inCell = false
			return p.cell()
		}
	case "row", "sheetData":
		return p.flush()
	}
	return nil
}

// cell stores the cell just read in the current row, as excelize's
// RawCellValue did: shared and inline strings unescaped, other values as
// stored, numbers then formatted.
func (p *sheetParser) cell() error {
	if p.col < 0 || p.col >= MaxColumns {
		return nil
	}
	var v string
	number, shared := false, false
	switch string(p.typ) {
	case "s":
		if len(bytes.TrimSpace(p.v)) == 0 {
			break
		}
		i, err := strconv.Atoi(string(bytes.TrimSpace(p.v)))
		s, ok := p.sst.at(i)
		if err != nil || !ok {
			return errBadSharedIndex
		}
		v, shared = s, true // shares the table's bytes: no text counted
	case "inlineStr":
		if p.hasIS {
			v = p.text(unescapeBstr(p.is))
		} else {
			v = p.text(p.v)
		}
	case "", "n":
		number = true
		v = p.text(p.v)
	default: // str, b, e, d
		v = p.text(p.v)
	}
	// Shared strings were checked once when read; counting the runes of
	// each reference again took 54 s for 4 million references to 32,000-
	// character strings.
	if !shared && len(v) > MaxCellChars && utf8.RuneCountInString(v) > MaxCellChars {
		return p.tooLong()
	}
	if p.nText > MaxTextBytes {
		return textTooLarge()
	}
	if v == "" {
		return nil
	}
	for len(p.cells) <= p.col {
		p.cells = append(p.cells, "")
		p.raws = append(p.raws, "")
	}
	p.cells[p.col], p.raws[p.col] = v, v
	if number && (p.style > 0 || strings.ContainsAny(v, ".Ee")) && p.fm != nil {
		if shown := p.fm.show(p.style, v); shown != v {
			p.cells[p.col], p.hasRaw = shown, true
		}
	}
	return nil
}

// text returns b as a string, counting it against MaxTextBytes.
func (p *sheetParser) text(b []byte) string {
	p.nText += len(b)
	return string(b)
}

// flush stores the row read into the grid.
func (p *sheetParser) flush() error {
	n := len(p.cells)
	for n > 0 && strings.TrimSpace(p.cells[n-1]) == "" {
		n--
	}
	cells, raws, hasRaw := p.cells[:n], p.raws[:n], p.hasRaw
	p.cells, p.raws, p.hasRaw = p.cells[:0], p.raws[:0], false
	if n == 0 {
		return nil
	}
	if p.row > MaxRows {
		return limitf("文件的工作表“%s”超过 %d 行，无法导入。请拆分成几个文件后分别导入。", p.s.Name, MaxRows)
	}
	p.nCells += n
	if p.nCells > MaxCells {
		return limitf("文件的工作表“%s”超过 %d 个单元格的上限，无法导入。请拆分成几个文件后分别导入。", p.s.Name, MaxCells)
	}
	i := p.row - 1
	s := p.s
	for len(s.Cells) <= i {
		s.Cells = append(s.Cells, nil)
	}
	if s.Cells[i] != nil { // a row listed twice: merge cell by cell
		for j := range cells {
			if cells[j] != "" {
				s.set(i, j, cells[j], raws[j])
			}
		}
		return nil
	}
	s.Cells[i] = append([]string(nil), cells...)
	if hasRaw {
		for len(s.raw) <= i {
			s.raw = append(s.raw, nil)
		}
		s.raw[i] = append([]string(nil), raws...)
	}
	return nil
}

// unescapeBstr decodes the _xHHHH_ escapes Office uses for characters XML
// cannot hold (_x000D_ is a carriage return, _x005F_ an underscore), as
// excelize did.
func unescapeBstr(b []byte) []byte {
	if bytes.Index(b, []byte("_x")) < 0 {
		return b
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] == '_' && i+6 < len(b) && b[i+1] == 'x' && b[i+6] == '_' {
			if n, err := strconv.ParseUint(string(b[i+2:i+6]), 16, 16); err == nil && isHex4(b[i+2:i+6]) {
				out = utf8.AppendRune(out, rune(n))
				i += 6
				continue
			}
		}
		out = append(out, b[i])
	}
	return out
}

// attrInt returns the attribute key as a non-negative number below 10⁹,
// without allocating (strconv.Atoi allocates an error for every cell
// without the attribute).
func attrInt(attrs []byte, key string) (int, bool) {
	v, ok := attrBytes(attrs, key)
	if !ok || len(v) == 0 || len(v) > 9 {
		return 0, false
	}
	n := 0
	for _, ch := range v {
		if ch < '0' || ch > '9' {
			return 0, false
		}
		n = n*10 + int(ch-'0')
	}
	return n, true
}

func isHex4(b []byte) bool {
	for _, ch := range b {
		if !(ch >= '0' && ch <= '9' || ch >= 'a' && ch <= 'f' || ch >= 'A' && ch <= 'F') {
			return false
		}
	}
	return true
}

func utf8RuneCount(b []byte) int { return utf8.RuneCount(b) }

// cellRef reads a reference like AB12 into a 0-based column and a 1-based
// row; a reference without row (AB) gives row 0.
func cellRef(ref string) (col, row int, ok bool) {
	ref = strings.ReplaceAll(ref, "$", "")
	i := 0
	for i < len(ref) && i < 3 && (ref[i] >= 'A' && ref[i] <= 'Z' || ref[i] >= 'a' && ref[i] <= 'z') {
		c := int(ref[i]|0x20) - 'a' + 1
		col = col*26 + c
		i++
	}
	if i == 0 {
		return 0, 0, false
	}
	if i < len(ref) {
		r, err := strconv.Atoi(ref[i:])
		if err != nil || r < 1 || r > 1_048_576 {
			return 0, 0, false
		}
		row = r
	}
	return col - 1, row, true
}
