package kit

import (
	"image/color"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Column is one column of a RowTable.
type Column struct {
	Title string
	Width float32 // the width it starts at; for the Fill column the least width
	Fill  bool    // the column takes the width the others leave (one per table)
}

// Cell is what a RowTable shows in one cell: its text (cut with "…" to
// the column's width) and its colour (widget.WarningImportance for a lent
// carrier's status, widget.DangerImportance for an overdue one).
type Cell struct {
	Text       string
	Importance widget.Importance
}

// RowTable is a register table whose unit is the row: a tap selects and
// highlights the whole row, Up and Down move the selection, a double click
// or Enter activates the row (opens it), a right click selects it and asks
// for its menu. Texts too wide for their column end in "…". The Fill
// column takes the width the others leave, so the table follows the
// window; a column the officer widens or narrows by dragging its header's
// edge keeps that width in the app's preferences (widths only: no data).
//
// Scrolling the table counts as activity for the auto-lock (see
// NewTextTable).
type RowTable struct {
	widget.Table

	// OnRowSelected is called with the row (and the column tapped, -1 for
	// a key) when a row becomes the selected one.
	OnRowSelected func(row, col int)
	// OnActivated is called with the row double-clicked or the selected
	// row when Enter is pressed.
	OnActivated func(row int)
	// OnMenu is called with the row right-clicked (already selected) and
	// where, for a pop-up menu.
	OnMenu func(row int, at fyne.Position)

	sh       Shell
	name     string
	cols     []Column
	widths   []float32 // the fixed columns' widths; the Fill column's least width
	rows     func() int
	cell     func(row, col int) Cell
	selected int
	width    float32   // the width last fitted to
	cur      []float32 // the widths fit gave the columns
	scale    float32   // how far fit narrowed them
	headers  map[*widget.Label]int
	fitter   *ellipsis
}

// NewRowTable returns a RowTable of cols; name keys the remembered column
// widths ("" remembers none), rows gives the row count and cell a cell.
func NewRowTable(sh Shell, name string, cols []Column, rows func() int, cell func(row, col int) Cell) *RowTable {
	t := &RowTable{sh: sh, name: name, cols: cols, rows: rows, cell: cell, selected: -1, scale: 1,
		headers: map[*widget.Label]int{}, fitter: newEllipsis()}
	t.ExtendBaseWidget(t)
	t.widths = make([]float32, len(cols))
	for i, c := range cols {
		t.widths[i] = c.Width
		if w := t.remembered(i); w > 0 {
			t.widths[i] = w
		}
	}
	prevRow, firstRow := -1, -1 // as in NewTextTable: a scroll shows another first row
	t.Length = func() (int, int) {
		// see NewTextTable: no height, no rows (Fyne 2.7.1 would make a
		// divider for every row)
		if t.Size().Height <= 0 {
			return 0, len(cols)
		}
		return rows(), len(cols)
	}
	t.CreateCell = func() fyne.CanvasObject {
		l := widget.NewLabel("")
		// Clip, not Fyne's ellipsis (≈0.4 ms a cell, see NewTextTable):
		// the text is cut to the column beforehand by measured rune widths.
		l.Truncation = fyne.TextTruncateClip
		bg := canvas.NewRectangle(color.Transparent)
		return container.New(cellLayout{}, bg, l)
	}
	t.UpdateCell = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col == 0 {
			if id.Row < prevRow || prevRow < 0 {
				if firstRow >= 0 && id.Row != firstRow {
					sh.Touch()
				}
				firstRow = id.Row
			}
			prevRow = id.Row
		}
		if id.Row >= rows() {
			return
		}
		objs := o.(*fyne.Container).Objects
		bg, l := objs[0].(*canvas.Rectangle), objs[1].(*widget.Label)
		var fill color.Color = color.Transparent
		if id.Row == t.selected {
			fill = theme.Color(theme.ColorNameSelection)
		}
		if bg.FillColor != fill {
			bg.FillColor = fill
			bg.Refresh()
		}
		c := t.cell(id.Row, id.Col)
		text := t.fitter.fit(c.Text, t.colWidth(id.Col)-2*theme.InnerPadding())
		if l.Text != text || l.Importance != c.Importance {
			l.Text, l.Importance = text, c.Importance
			l.Refresh()
		}
	}
	t.ShowHeaderRow = true
	t.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < len(cols) {
			l := o.(*widget.Label)
			t.headers[l] = id.Col
			l.SetText(cols[id.Col].Title)
		}
	}
	t.Table.OnSelected = func(id widget.TableCellID) {
		// Fyne marks the one cell; the row is ours to mark
		t.Table.UnselectAll()
		t.selectRow(id.Row, id.Col)
	}
	for i, w := range t.widths {
		t.SetColumnWidth(i, w)
	}
	return t
}

// Selected returns the selected row, -1 for none.
func (t *RowTable) Selected() int { return t.selected }

// SelectRow makes row the selected one and scrolls to it.
func (t *RowTable) SelectRow(row int) {
	if row < 0 || row >= t.rows() {
		return
	}
	t.ScrollTo(widget.TableCellID{Row: row})
	t.selectRow(row, -1)
}

// UnselectRow leaves no row selected.
func (t *RowTable) UnselectRow() {
	t.Table.UnselectAll()
	if t.selected >= 0 {
		t.selected = -1
		t.Refresh()
	}
}

func (t *RowTable) selectRow(row, col int) {
	t.selected = row
	t.Refresh()
	if t.OnRowSelected != nil {
		t.OnRowSelected(row, col)
	}
}

// DoubleTapped selects the row under the pointer and activates it.
func (t *RowTable) DoubleTapped(e *fyne.PointEvent) {
	t.Table.Tapped(e)
	if t.selected >= 0 && t.OnActivated != nil {
		t.OnActivated(t.selected)
	}
}

// TappedSecondary selects the row under the pointer and asks for its menu.
func (t *RowTable) TappedSecondary(e *fyne.PointEvent) {
	t.Table.Tapped(e)
	if t.selected >= 0 && t.OnMenu != nil {
		t.OnMenu(t.selected, e.AbsolutePosition)
	}
}

// TypedKey moves the selected row with Up and Down and activates it with
// Enter; other keys work as in a Table.
func (t *RowTable) TypedKey(e *fyne.KeyEvent) {
	switch e.Name {
	case fyne.KeyUp, fyne.KeyDown:
		row := t.selected
		if e.Name == fyne.KeyUp {
			row--
		} else {
			row++
		}
		if row < 0 || row >= t.rows() {
			return
		}
		t.SelectRow(row)
	case fyne.KeyReturn, fyne.KeyEnter:
		if t.selected >= 0 && t.selected < t.rows() && t.OnActivated != nil {
			t.OnActivated(t.selected)
		}
	default:
		t.Table.TypedKey(e)
	}
}

// Resize fits the columns to the width: the Fill column takes what the
// others leave.
func (t *RowTable) Resize(s fyne.Size) {
	t.fit(s.Width)
	t.Table.Resize(s)
}

// DragEnd ends a drag of a header's edge and remembers the column's new
// width.
func (t *RowTable) DragEnd() {
	t.Table.DragEnd()
	// Fyne keeps the widths to itself; its header cells are laid out at
	// their column's width
	for l, col := range t.headers {
		if w := l.Size().Width; l.Visible() && w > 0 && w != t.colWidth(col) {
			if t.cols[col].Fill {
				w = min(w, t.cols[col].Width*3) // its least width: it still takes the rest
			}
			w /= t.scale // fit narrows it again as much
			t.widths[col] = w
			t.remember(col, w)
			break
		}
	}
	t.fit(t.width)
	t.Refresh()
}

// ColumnWidth returns the width column col has now.
func (t *RowTable) ColumnWidth(col int) float32 { return t.colWidth(col) }

func (t *RowTable) colWidth(col int) float32 {
	if t.cur == nil {
		return t.widths[col]
	}
	return t.cur[col]
}

// leastScale is how far fit narrows every column when the table is
// narrower than their widths: at 1024 px beside the navigation list the
// register's table is about 880 px wide, and 状态 must stay in sight; a
// text cut shorter ends in "…".
const leastScale = 0.7

// fillGives is how much of its width the Fill column gives up before the
// others narrow: the register's 载体类型 and 收到日期 are short texts that
// should stay whole at 1024 px.
const fillGives = 0.4

// fit sets the column widths for a table total wide: the columns at their
// widths and the Fill column taking what they leave; if that is less than
// its least width, every column narrowed in proportion (down to
// leastScale, after that the table scrolls sideways).
func (t *RowTable) fit(total float32) {
	t.width = total
	// a divider after each column; the vertical scroll bar overlays the last
	room := total - float32(len(t.cols))*theme.Padding() - theme.ScrollBarSize()
	sum, fill := float32(0), -1
	for i, c := range t.cols {
		sum += t.widths[i]
		if c.Fill {
			fill = i
		}
	}
	if t.cur == nil {
		t.cur = make([]float32, len(t.cols))
	}
	copy(t.cur, t.widths)
	// short of room, the Fill column gives up to fillGives of its width
	// first (a long 名称 ends in "…" anyway), then all narrow in proportion
	if fill >= 0 {
		t.cur[fill] += max(room-sum, -t.widths[fill]*fillGives)
	}
	need := sum // the columns' width now
	if fill >= 0 {
		need += t.cur[fill] - t.widths[fill]
	}
	scale := float32(1)
	if need > room && need > 0 {
		scale = max(leastScale, room/need)
	}
	t.scale = scale
	for i := range t.cur {
		t.cur[i] *= scale
	}
	for i, w := range t.cur {
		t.SetColumnWidth(i, w)
	}
}

func (t *RowTable) prefKey(col int) string {
	return "table." + t.name + ".width." + t.cols[col].Title
}

func (t *RowTable) remembered(col int) float32 {
	if t.name == "" || fyne.CurrentApp() == nil {
		return 0
	}
	return float32(fyne.CurrentApp().Preferences().Float(t.prefKey(col)))
}

func (t *RowTable) remember(col int, w float32) {
	if t.name == "" || fyne.CurrentApp() == nil {
		return
	}
	fyne.CurrentApp().Preferences().SetFloat(t.prefKey(col), float64(w))
}

// InPage returns t ready to lay out in a page: in a theme that draws no
// hover colour, because Fyne marks the one cell under the pointer and the
// focused cell with it, which reads as a selected cell beside the
// selected row.
func (t *RowTable) InPage() fyne.CanvasObject { return container.NewThemeOverride(t, noHover{}) }

// noHover is the app's theme without the hover colour.
type noHover struct{}

func (noHover) th() fyne.Theme { return fyne.CurrentApp().Settings().Theme() }

func (n noHover) Color(name fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if name == theme.ColorNameHover {
		return color.Transparent
	}
	return n.th().Color(name, v)
}

func (n noHover) Font(s fyne.TextStyle) fyne.Resource { return n.th().Font(s) }

func (n noHover) Icon(name fyne.ThemeIconName) fyne.Resource { return n.th().Icon(name) }

func (n noHover) Size(name fyne.ThemeSizeName) float32 { return n.th().Size(name) }

// cellLayout lays a cell's label over the cell and its background over
// the gaps around it too, so that a selected row is one band of colour.
type cellLayout struct{}

func (cellLayout) MinSize(objs []fyne.CanvasObject) fyne.Size { return objs[1].MinSize() }

func (cellLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	gap := theme.Padding()
	objs[0].Move(fyne.NewPos(-gap/2, -gap/2))
	objs[0].Resize(size.AddWidthHeight(gap, gap))
	objs[1].Move(fyne.NewPos(0, 0))
	objs[1].Resize(size)
}

// ellipsis cuts texts to a width with "…" by adding up rune widths
// measured once each: every Han character is as wide as any other, so
// the register's thousands of distinct characters cost one measurement.
type ellipsis struct {
	widths map[rune]float32
	han    float32
	dots   float32
}

func newEllipsis() *ellipsis { return &ellipsis{widths: map[rune]float32{}} }

func (e *ellipsis) runeWidth(r rune) float32 {
	if unicode.Is(unicode.Han, r) {
		if e.han == 0 {
			e.han = e.measure('国')
		}
		return e.han
	}
	w, ok := e.widths[r]
	if !ok {
		w = e.measure(r)
		e.widths[r] = w
	}
	return w
}

func (e *ellipsis) measure(r rune) float32 {
	return fyne.MeasureText(string(r), theme.TextSize(), fyne.TextStyle{}).Width
}

// fit returns s, or its longest beginning that fits width with "…" added.
func (e *ellipsis) fit(s string, width float32) string {
	if width <= 0 || s == "" {
		return s
	}
	if e.dots == 0 {
		e.dots = e.measure('…')
	}
	sum, cut := float32(0), 0
	for i, r := range s {
		w := e.runeWidth(r)
		if sum+e.dots <= width {
			cut = i
		}
		sum += w
		if sum > width {
			return s[:cut] + "…"
		}
	}
	return s
}
