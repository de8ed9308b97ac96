package kit

import (
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

func Itoa(n int) string { return strconv.Itoa(n) }

// NewModal returns a modal pop-up over w's canvas, which Esc hides (see
// Escape; OnEscape changes what Esc does).
func NewModal(w fyne.Window, content fyne.CanvasObject) *widget.PopUp {
	box := &modalBox{content: content}
	box.ExtendBaseWidget(box)
	p := widget.NewModalPopUp(box, w.Canvas())
	box.close = p.Hide
	return p
}

// OnEscape makes Esc run fn on modal p (made by NewModal), e.g. a form's
// 取消; nil makes Esc leave p open (a busy dialog).
func OnEscape(p *widget.PopUp, fn func()) {
	if box, ok := p.Content.(*modalBox); ok {
		box.close = fn
	}
}

// Escape closes the dialog on top of canvas c when ev is Esc and the
// dialog was made by NewModal, and reports whether it did. The shell calls
// it from the window's key handler, which gets the keys no focused widget
// takes (an entry keeps Esc to itself).
func Escape(c fyne.Canvas, ev *fyne.KeyEvent) bool {
	if ev.Name != fyne.KeyEscape {
		return false
	}
	p, ok := c.Overlays().Top().(*widget.PopUp)
	if !ok || !p.Visible() {
		return false
	}
	box, ok := p.Content.(*modalBox)
	if !ok || box.close == nil {
		return false
	}
	box.close()
	return true
}

// modalBox holds a modal's content and what Esc does to it.
type modalBox struct {
	widget.BaseWidget
	content fyne.CanvasObject
	close   func()
}

func (b *modalBox) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(b.content) }

// Button returns a Button whose tap also counts as activity; a panic in
// fn is caught by Guard.
func Button(sh Shell, label string, fn func()) *widget.Button {
	return widget.NewButton(label, func() { sh.Touch(); Guard(sh, label, fn) })
}

// Heading returns a bold, centred label.
func Heading(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameHeadingText
	return l
}

// NewTextTable returns a table of labels cut with "…" to their column's
// width, with a bold header row:
// rows gives the row count, cell the text of a cell, headers and widths the
// columns.
//
// Scrolling the table counts as activity for the auto-lock: the wheel's
// events go to the table's own scroller, which the activity catcher does
// not see, but a scroll makes the table show another first row.
func NewTextTable(sh Shell, headers []string, widths []float32, rows func() int, cell func(row, col int) string) *widget.Table {
	var t *widget.Table
	prevRow, firstRow := -1, -1 // the last row updated; the first row of the last pass over the visible rows
	fitter := newEllipsis()
	t = widget.NewTable(
		func() (int, int) {
			// Fyne 2.7.1 makes a row divider for every row when a table is
			// laid out before it has a height (visibleRowHeights then
			// returns all rows), and walks them all on every later layout:
			// 100,000 separators for the register. No height, no rows.
			if t.Size().Height <= 0 {
				return 0, len(headers)
			}
			return rows(), len(headers)
		},
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			// Clip, not Fyne's ellipsis (the text is cut beforehand by
			// measured rune widths, see ellipsis): Fyne shapes an ellipsised text with a
			// new HarfBuzz font each time (≈0.4 ms a cell with the CJK
			// font), which made every scroll step and keystroke redo it
			// for all visible cells. The detail view shows whole texts.
			l.Truncation = fyne.TextTruncateClip
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			if id.Col == 0 {
				if id.Row < prevRow || prevRow < 0 { // a new pass starts at the first visible row
					if firstRow >= 0 && id.Row != firstRow {
						sh.Touch()
					}
					firstRow = id.Row
				}
				prevRow = id.Row
			}
			if id.Row < rows() {
				v := cell(id.Row, id.Col)
				if id.Col < len(widths) {
					v = fitter.fit(v, widths[id.Col]-2*theme.InnerPadding())
				}
				if l := o.(*widget.Label); l.Text != v {
					l.SetText(v)
				}
			}
		})
	t.ShowHeaderRow = true
	t.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < len(headers) {
			o.(*widget.Label).SetText(headers[id.Col])
		}
	}
	for i, w := range widths {
		t.SetColumnWidth(i, w)
	}
	return t
}

// Sized keeps o at least w wide; its height follows its content, so
// messages that appear later push the rest down instead of overlapping.
func Sized(o fyne.CanvasObject, w float32) fyne.CanvasObject {
	return container.New(MinWidth(w), o)
}

// MinWidth is minSize with only a width.
func MinWidth(w float32) MinSize { return MinSize{Width: w} }

// MinSize lays its objects over the whole area, at least the given size.
type MinSize fyne.Size

func (m MinSize) MinSize(objs []fyne.CanvasObject) fyne.Size {
	s := fyne.Size(m)
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return s
}

func (m MinSize) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func Wrapped(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}
