package pdf

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"baomi/data"
)

// RegisterDoc is what the printed carrier register (涉密载体台账) shows.
type RegisterDoc struct {
	Unit        string         // 单位, printed at the top
	Title       string         // e.g. "涉密载体台账"; "" prints that
	Filter      string         // description of the current filter; "" means all carriers
	Carriers    []data.Carrier // the rows, in print order
	Printed     data.Date      // 打印日期
	Fingerprint string         // 台账校验码 (the audit-chain head), in every page's footer
	// Classified prints the highest 密级 among the carriers at the top left
	// of every page, where GB/T 9704 puts the mark of a classified
	// document: a register listing classified titles is kept as one.
	Classified bool
	Fonts      *Fonts // nil: DefaultFonts()
}

// registerColumns are the register's columns on landscape A4 (273 mm).
var registerColumns = []column{
	{"序号", 10, centre, whole}, {"编号", 26, left, whole}, {"名称", 46, left, lends}, {"类型", 20, centre, wraps},
	{"标志", 36, left, lends}, {"份数", 10, centre, whole}, {"来源", 29, left, lends}, {"收到日期", 20, centre, whole},
	{"责任人", 16, centre, wraps}, {"存放位置", 20, left, lends}, {"状态", 13, centre, wraps}, {"备注", 27, left, lends},
}

// Register writes the carrier register for d.Carriers as a landscape A4
// PDF: the unit, title, filter and print date at the top, a table whose
// header row repeats on every page and whose rows grow with their wrapped
// cells, "第 n 页 共 N 页" and the 台账校验码 in every footer, and lines for
// the signatures of 保管人 and 保密办 at the end. When some character could
// not be drawn the PDF is still written in full and the error wraps a
// *MissingGlyphsError (see IsMissingGlyphs).
func Register(w io.Writer, d RegisterDoc) error {
	title := d.Title
	if title == "" {
		title = "涉密载体台账"
	}
	doc, err := newDoc(d.Fonts, true, title)
	if err != nil {
		return fmt.Errorf("register: %w", err)
	}
	s := newSheet(doc, registerColumns, 12, 11, 15)
	mark := ""
	if d.Classified {
		mark = highestLevel(d.Carriers)
	}
	if d.Fingerprint != "" {
		s.footLeft = "台账校验码：" + d.Fingerprint
	}
	s.head = func(n int) (float64, error) {
		return s.documentHead(n, headInfo{
			mark: mark, title: title, unit: d.Unit, printed: d.Printed,
			dateLabel: "打印日期", scope: d.Filter, scopeLabel: "范围", allScope: "全部载体",
		})
	}
	rows := make([][]string, len(d.Carriers))
	for i, c := range d.Carriers {
		rows[i] = registerCells(i, c)
	}
	if err := s.table(rows); err != nil {
		return fmt.Errorf("register: %w", err)
	}
	if len(d.Carriers) == 0 {
		if err := s.row("", "", "（无符合条件的载体）"); err != nil {
			return fmt.Errorf("register: %w", err)
		}
	}
	y, err := s.space(24)
	if err != nil {
		return fmt.Errorf("register: %w", err)
	}
	copies := 0
	for _, c := range d.Carriers {
		copies += c.Copies
	}
	if _, err := s.text(s.left, y+7, Song, 10, fmt.Sprintf("本台账共 %d 件载体，%d 份。", len(d.Carriers), copies)); err != nil {
		return fmt.Errorf("register: %w", err)
	}
	if _, err := s.signature(s.left, y+18, "保管人（签字）", "", 10.5, 0); err != nil {
		return fmt.Errorf("register: %w", err)
	}
	if _, err := s.signature(s.left+s.tableWidth/2+4, y+18, "保密办（签字）", "", 10.5, 0); err != nil {
		return fmt.Errorf("register: %w", err)
	}
	if err := s.numberPages(); err != nil {
		return fmt.Errorf("register: %w", err)
	}
	return doc.finish(w, "register")
}

// registerCells returns the cells of row i for carrier c.
func registerCells(i int, c data.Carrier) []string {
	copies := ""
	if c.Copies > 0 {
		copies = strconv.Itoa(c.Copies)
	}
	source := c.Source
	if c.DocNumber != "" {
		source = joinNonEmpty("\n", source, c.DocNumber)
	}
	state := c.State
	if c.State == data.StateLent && c.Borrower != "" {
		state += "\n" + c.Borrower
	}
	if c.Missing {
		state = joinNonEmpty("\n", state, "清点未见")
	}
	note := c.Note
	if c.Model != "" || c.Serial != "" {
		note = joinNonEmpty("；", strings.TrimSpace(c.Model+" "+c.Serial), note)
	}
	return []string{strconv.Itoa(i + 1), c.Number, c.Title, c.Kind, c.Mark(), copies, source,
		c.ReceivedOn.String(), c.Custodian, c.Location, state, note}
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

// highestLevel returns the highest 密级 among carriers by the order of
// data.DefaultClassifications (levels outside it rank lowest), or "涉密".
func highestLevel(carriers []data.Carrier) string {
	rank := func(level string) int {
		for i, l := range data.DefaultClassifications {
			if l.Name == level {
				return len(data.DefaultClassifications) - i
			}
		}
		return 0
	}
	best, bestRank := "", -1
	for _, c := range carriers {
		if r := rank(c.Level); c.Level != "" && r > bestRank {
			best, bestRank = c.Level, r
		}
	}
	if best == "" {
		return "涉密"
	}
	return best
}

// headInfo is the top of a listing's pages.
type headInfo struct {
	mark       string // 密级 mark at the top left, or ""
	title      string
	unit       string
	printed    data.Date
	dateLabel  string // 打印日期, 销毁日期 …
	extra      string // more text after the unit on the first page
	scope      string // 范围 …, wrapped below the unit line
	scopeLabel string
	allScope   string // printed when scope is ""
}

// documentHead draws the head of page n: on the first page the mark, the
// centred title, the unit and date line and the scope; on later pages one
// line naming the unit and title (续) with the date. It returns where the
// table starts.
func (s *sheet) documentHead(n int, h headInfo) (float64, error) {
	y := s.top
	x := s.left
	width := s.tableWidth
	if h.mark != "" {
		w, err := s.text(s.left, y+4.5, Hei, 13, h.mark)
		if err != nil {
			return 0, err
		}
		if n > 1 {
			x += w + 6
			width -= w + 6
		}
	}
	date := ""
	if !h.printed.IsZero() {
		date = h.dateLabel + "：" + h.printed.Chinese()
	}
	if n > 1 {
		head := strings.TrimSpace(h.unit + "　" + h.title + "（续）")
		dw := s.width(Song, 9, date) + 4
		if err := s.textIn(x, width-dw, y+4, Song, 9, s.truncate(Song, 9, head, width-dw), left); err != nil {
			return 0, err
		}
		if err := s.textIn(x, width, y+4, Song, 9, date, right); err != nil {
			return 0, err
		}
		return y + 7, nil
	}
	// First page: the title may wrap when very long.
	titleLines := s.wrap(Hei, 16, h.title, s.tableWidth-60)
	for i, l := range titleLines {
		if err := s.textIn(s.left, s.tableWidth, y+6+float64(i)*7.5, Hei, 16, l, centre); err != nil {
			return 0, err
		}
	}
	y += 6 + float64(len(titleLines)-1)*7.5 + 7.5
	unit := ""
	if h.unit != "" {
		unit = "单位：" + h.unit
	}
	unit = joinNonEmpty("　　", unit, h.extra)
	dw := s.width(Song, 10, date) + 6
	for _, l := range s.wrap(Song, 10, unit, s.tableWidth-dw) {
		if err := s.textIn(s.left, s.tableWidth, y, Song, 10, l, left); err != nil {
			return 0, err
		}
		if date != "" {
			if err := s.textIn(s.left, s.tableWidth, y, Song, 10, date, right); err != nil {
				return 0, err
			}
			date = ""
		}
		y += 5
	}
	if unit == "" {
		if err := s.textIn(s.left, s.tableWidth, y, Song, 10, date, right); err != nil {
			return 0, err
		}
		y += 5
	}
	if h.scopeLabel != "" {
		scope := h.scope
		if scope == "" {
			scope = h.allScope
		}
		for _, l := range s.wrap(Song, 10, h.scopeLabel+"："+scope, s.tableWidth) {
			if err := s.textIn(s.left, s.tableWidth, y, Song, 10, l, left); err != nil {
				return 0, err
			}
			y += 5
		}
	}
	return y - 2, nil
}
