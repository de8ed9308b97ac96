package pdf

import (
	"fmt"
	"math"
	"strings"
)

// column is one column of a printed table.
type column struct {
	title string
	width float64 // mm, before fitColumns
	align align
	fit   fit
}

// fit says how a column's cells meet its width.
type fit int

const (
	// wraps: a cell wraps to the column's width (short words, names).
	wraps fit = iota
	// whole: a line of a cell never breaks (编号, dates, counts): fitColumns
	// widens the column to its widest line, taking the room from the
	// lends columns, and a line still too wide is printed smaller.
	whole
	// lends: running text (名称, 标志, 备注 …) that wraps and gives up to
	// half its width to whole columns.
	lends
)

// Bounds of fitColumns: a lends column keeps at least lendFloor of its
// width, and a whole cell is printed no smaller than minWholeSize pt. With
// them a 编号 of 64 runes (data.Carrier's limit) never breaks in the
// register: even 64 full-width runes are 90 mm at 4 pt, and the lends
// columns give the 编号 column 81 mm on top of its 26.
const (
	lendFloor    = 0.5
	minWholeSize = 4.0
)

// sheet lays out a paginated document around one table: a head drawn on
// every page by the caller, a header row repeated on every page, rows whose
// height grows with their wrapped cells (a row taller than a page continues
// on the next), and a footer with "第 n 页 共 N 页" written once the page
// count is known.
type sheet struct {
	*doc
	left, top, bottom float64 // margins, mm
	cols              []column
	tableWidth        float64

	bodySize, headSize float64 // pt
	lh, padX, padY     float64 // line height and cell padding, mm

	// head draws the top of page n (from 1) and returns the y where the
	// table starts.
	head func(n int) (float64, error)
	// footLeft is printed at the left of every page's footer.
	footLeft string

	pages     int
	y         float64 // where the next row goes
	tableTop  float64 // top of this page's header row
	firstRowY float64 // top of this page's first row
	inTable   bool    // the header row is drawn on this page
	lines     [][]string
	sizes     []float64 // pt, per column of the current row
}

// newSheet prepares a sheet on d with (a copy of) cols; margins in mm.
func newSheet(d *doc, cols []column, left, top, bottom float64) *sheet {
	s := &sheet{doc: d, cols: append([]column(nil), cols...), left: left, top: top, bottom: d.h - bottom,
		bodySize: 9, headSize: 9.5, lh: 4.3, padX: 1.2, padY: 1.1}
	for _, c := range cols {
		s.tableWidth += c.width
	}
	s.lines = make([][]string, len(cols))
	s.sizes = make([]float64, len(cols))
	return s
}

// table fits the columns to rows (fitColumns) and adds them.
func (s *sheet) table(rows [][]string) error {
	s.fitColumns(rows)
	for _, r := range rows {
		if err := s.row(r...); err != nil {
			return err
		}
	}
	return nil
}

// fitColumns widens every whole column to its widest line among rows (in
// the body font), taking the room from the lends columns so that the table
// keeps its width. It takes first what a lends column does not use (its
// widest line is narrower), then from the lends columns whose text wraps
// anyway, then from the others, each down to lendFloor of its width and in
// proportion to what it can give. It works on the whole document, not page
// by page, so that the columns line up on every page. When the lends
// columns cannot give enough, the whole columns share what they give in
// proportion to their need, and row prints a line still too wide in a
// smaller size.
func (s *sheet) fitColumns(rows [][]string) {
	widest := func(i int) float64 {
		w := 0.0
		for _, r := range rows {
			if i < len(r) {
				for _, l := range strings.Split(r[i], "\n") {
					w = max(w, s.width(Song, s.bodySize, l))
				}
			}
		}
		return w + 2*s.padX
	}
	need := make([]float64, len(s.cols))
	deficit := 0.0
	for i, c := range s.cols {
		if c.fit == whole {
			// slack: Wrap adds the same advances, maybe in another order
			const slack = 0.01
			need[i] = max(0, widest(i)+slack-c.width)
			deficit += need[i]
		}
	}
	if deficit == 0 {
		return
	}
	used := make([]float64, len(s.cols)) // lends columns: widest line
	floor := make([]float64, len(s.cols))
	for i, c := range s.cols {
		if c.fit == lends {
			used[i], floor[i] = widest(i), c.width*lendFloor
		}
	}
	stages := []func(i int, w float64) float64{
		func(i int, w float64) float64 { return w - max(used[i], floor[i]) }, // room it does not use
		func(i int, w float64) float64 { // text that wraps anyway
			if used[i] > w {
				return w - floor[i]
			}
			return 0
		},
		func(i int, w float64) float64 { return w - floor[i] },
	}
	left := deficit
	for _, room := range stages {
		can := make([]float64, len(s.cols))
		total := 0.0
		for i, c := range s.cols {
			if c.fit == lends {
				can[i] = max(0, room(i, c.width))
				total += can[i]
			}
		}
		if total <= 0 {
			continue
		}
		take := min(left, total)
		for i := range s.cols {
			s.cols[i].width -= can[i] * take / total
		}
		if left -= take; left <= 0 {
			break
		}
	}
	got := deficit - max(0, left)
	for i := range s.cols {
		s.cols[i].width += need[i] * got / deficit
	}
}

// newPage closes the current page's table and starts a page with its head;
// withTable also draws the header row.
func (s *sheet) newPage(withTable bool) error {
	s.closeTable()
	s.pdf.AddPage()
	s.pages++
	y := s.top
	if s.head != nil {
		var err error
		if y, err = s.head(s.pages); err != nil {
			return err
		}
	}
	s.y = y
	if withTable {
		return s.headerRow()
	}
	return nil
}

// headerRow draws the column titles, shaded, in 黑.
func (s *sheet) headerRow() error {
	s.tableTop = s.y
	s.inTable = true
	n := 1
	titles := make([][]string, len(s.cols))
	for i, c := range s.cols {
		titles[i] = s.wrap(Hei, s.headSize, c.title, c.width-2*s.padX)
		n = max(n, len(titles[i]))
	}
	h := float64(n)*s.lh + 2*s.padY
	s.pdf.SetFillColor(230, 230, 230)
	s.pdf.RectFromUpperLeftWithStyle(s.left, s.y, s.tableWidth, h, "F")
	s.pdf.SetFillColor(0, 0, 0)
	x := s.left
	for i, c := range s.cols {
		top := s.y + s.padY + float64(n-len(titles[i]))*s.lh/2
		for j, l := range titles[i] {
			if err := s.textIn(x+s.padX, c.width-2*s.padX, baseline(top+float64(j)*s.lh, s.lh, s.headSize), Hei, s.headSize, l, centre); err != nil {
				return err
			}
		}
		x += c.width
	}
	s.line(s.left, s.y, s.left+s.tableWidth, s.y, 0.5)
	s.y += h
	s.firstRowY = s.y
	s.line(s.left, s.y, s.left+s.tableWidth, s.y, 0.35)
	return nil
}

// closeTable draws the vertical rules and the frame of this page's table.
func (s *sheet) closeTable() {
	if !s.inTable {
		return
	}
	s.inTable = false
	x := s.left
	s.line(x, s.tableTop, x, s.y, 0.5)
	for _, c := range s.cols[:len(s.cols)-1] {
		x += c.width
		s.line(x, s.tableTop, x, s.y, 0.2)
	}
	s.line(s.left+s.tableWidth, s.tableTop, s.left+s.tableWidth, s.y, 0.5)
	s.line(s.left, s.y, s.left+s.tableWidth, s.y, 0.5)
}

// row adds a table row; cells are wrapped to their columns.
func (s *sheet) row(cells ...string) error {
	if !s.inTable {
		if err := s.newPage(true); err != nil {
			return err
		}
	}
	n := 1
	for i, c := range s.cols {
		text := ""
		if i < len(cells) {
			text = cells[i]
		}
		s.sizes[i] = s.bodySize
		if c.fit == whole {
			s.sizes[i] = s.wholeSize(text, c.width-2*s.padX)
		}
		s.lines[i] = s.wrap(Song, s.sizes[i], text, c.width-2*s.padX)
		n = max(n, len(s.lines[i]))
	}
	for done := 0; done < n; {
		fit := int(math.Floor((s.bottom - s.y - 2*s.padY) / s.lh))
		if fit < n-done && s.y > s.firstRowY+1e-6 {
			// Not enough room: the row moves to a new page; on a fresh
			// page a row taller than the page is split.
			if err := s.newPage(true); err != nil {
				return err
			}
			continue
		}
		take := max(1, min(fit, n-done))
		if err := s.drawRowPart(done, take); err != nil {
			return err
		}
		done += take
	}
	return nil
}

// wholeSize returns the body size, or the largest size in 0.25 pt steps
// down to minWholeSize at which every line of text fits in w mm.
func (s *sheet) wholeSize(text string, w float64) float64 {
	size := s.bodySize
	for _, l := range strings.Split(text, "\n") {
		if lw := s.width(Song, size, l); lw > w {
			size = max(minWholeSize, math.Floor(size*w/lw*4)/4)
		}
	}
	return size
}

// drawRowPart draws lines [from, from+k) of every cell of the current row.
func (s *sheet) drawRowPart(from, k int) error {
	x := s.left
	for i, c := range s.cols {
		for j := from; j < from+k && j < len(s.lines[i]); j++ {
			y := baseline(s.y+s.padY+float64(j-from)*s.lh, s.lh, s.sizes[i])
			if err := s.textIn(x+s.padX, c.width-2*s.padX, y, Song, s.sizes[i], s.lines[i][j], c.align); err != nil {
				return err
			}
		}
		x += c.width
	}
	s.y += float64(k)*s.lh + 2*s.padY
	s.line(s.left, s.y, s.left+s.tableWidth, s.y, 0.2)
	return nil
}

// space makes sure h mm remain below the table on this page (else starts a
// new page without a table) and closes the table; it returns the y where
// the caller may draw.
func (s *sheet) space(h float64) (float64, error) {
	s.closeTable()
	if s.pages == 0 || s.y+h > s.bottom {
		if err := s.newPage(false); err != nil {
			return 0, err
		}
	}
	return s.y, nil
}

// numberPages writes the footer of every page: footLeft at the left and
// "第 n 页 共 N 页" at the right, below the bottom margin.
func (s *sheet) numberPages() error {
	s.closeTable()
	y := s.bottom + 7
	for n := 1; n <= s.pages; n++ {
		if err := s.pdf.SetPage(n); err != nil {
			return fmt.Errorf("page %d: %w", n, err)
		}
		if s.footLeft != "" {
			if err := s.textIn(s.left, s.tableWidth, y, Song, 8, s.footLeft, left); err != nil {
				return err
			}
		}
		if err := s.textIn(s.left, s.tableWidth, y, Song, 9, fmt.Sprintf("第 %d 页 共 %d 页", n, s.pages), right); err != nil {
			return err
		}
	}
	return nil
}

// signature draws "label：" with a line to sign on, the printed name (when
// known) in a slot of slot mm, and a date line "年 月 日", from x on
// baseline y. Lines drawn with the same label width and slot align. It
// returns the x after the last mark.
func (s *sheet) signature(x, y float64, label, name string, size, slot float64) (float64, error) {
	w, err := s.text(x, y, Hei, size, label+"：")
	if err != nil {
		return 0, err
	}
	x += w
	s.line(x+1, y+1, x+40, y+1, 0.3)
	x += 42
	if name != "" && slot > 0 {
		name = "（" + name + "）"
		ns := s.fit(Song, name, slot, size-1, 7)
		if err := s.textIn(x, slot, y, Song, ns, s.truncate(Song, ns, name, slot), left); err != nil {
			return 0, err
		}
	}
	x += slot
	w, err = s.text(x, y, Hei, size, "日期：")
	if err != nil {
		return 0, err
	}
	x += w
	for _, part := range []struct {
		blank float64
		unit  string
	}{{14, "年"}, {9, "月"}, {9, "日"}} {
		s.line(x+0.5, y+1, x+part.blank, y+1, 0.3)
		x += part.blank + 0.5
		w, err := s.text(x, y, Hei, size, part.unit)
		if err != nil {
			return 0, err
		}
		x += w
	}
	return x, nil
}
