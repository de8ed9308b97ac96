package kit

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
)

// NewWrapRow returns a row of groups (buttons, or a label with its list)
// that wraps onto further rows when the width runs out, so that a toolbar
// fits a 1024-pixel screen instead of widening the window. It asks only
// for the width of its widest group; its height is the rows of its last
// layout, and Fyne lays its parent out again when that changes.
func NewWrapRow(groups ...fyne.CanvasObject) *fyne.Container {
	return container.New(&wrapLayout{rows: 1}, groups...)
}

// wrapLayout is NewWrapRow's layout. Unlike Fyne's RowWrapLayout it never
// reports the width of a whole row as its minimum (that would keep the
// window from being made narrower again), and before its first layout it
// asks for one row, not one row per object.
type wrapLayout struct {
	rows int // rows at the last layout
}

func (l *wrapLayout) rowHeight(objects []fyne.CanvasObject) (w, h float32) {
	for _, o := range objects {
		if o.Visible() {
			s := o.MinSize()
			w, h = max(w, s.Width), max(h, s.Height)
		}
	}
	return w, h
}

// MinSize is the widest group by the rows of the last layout.
func (l *wrapLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	w, h := l.rowHeight(objects)
	if h == 0 {
		return fyne.Size{}
	}
	pad := theme.Padding()
	return fyne.NewSize(w, float32(l.rows)*h+float32(l.rows-1)*pad)
}

// Layout places the groups left to right at their minimum size, starting
// a new row where the next one would not fit.
func (l *wrapLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	_, h := l.rowHeight(objects)
	pad := theme.Padding()
	x, y, rows, first := float32(0), float32(0), 1, true
	for _, o := range objects {
		if !o.Visible() {
			continue
		}
		s := o.MinSize()
		if !first && x+s.Width > size.Width {
			x, y, rows = 0, y+h+pad, rows+1
		}
		first = false
		o.Resize(fyne.NewSize(s.Width, h))
		o.Move(fyne.NewPos(x, y))
		x += s.Width + pad
	}
	l.rows = rows
}
