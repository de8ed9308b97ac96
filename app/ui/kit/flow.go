package kit

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
)

// Flow lays its objects out left to right at their least sizes and starts
// a new line when the next would not fit, so that a row of buttons wraps
// in a narrow window instead of making the page (and so the window) wider
// than the screen: the register's print and batch buttons need about
// 1000 px in one line, the page beside the navigation list has about 900
// at 1024.
//
// Its least width is its widest object; its least height is that of the
// lines at the width it was last laid out at (one line before the first
// layout), so a window made narrower shows the extra line at the next
// layout.
type Flow struct {
	width *float32 // the width last laid out at
}

// NewFlow returns a container that lays objs out in a Flow.
func NewFlow(objs ...fyne.CanvasObject) *fyne.Container {
	return container.New(Flow{width: new(float32)}, objs...)
}

// MinSize returns the widest object's width and the height of the lines.
func (f Flow) MinSize(objs []fyne.CanvasObject) fyne.Size {
	w := float32(0)
	for _, o := range objs {
		if o.Visible() {
			w = max(w, o.MinSize().Width)
		}
	}
	width := *f.width
	if width <= 0 {
		width = 1 << 20 // before the first layout: one line
	}
	return fyne.NewSize(w, f.lines(objs, max(width, w), nil))
}

// Layout places the objects in lines of the given width.
func (f Flow) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	*f.width = size.Width
	f.lines(objs, size.Width, func(o fyne.CanvasObject, pos fyne.Position, s fyne.Size) {
		o.Move(pos)
		o.Resize(s)
	})
}

// lines lays the objects out in lines of width (placing them with place
// when not nil) and returns the height the lines take.
func (f Flow) lines(objs []fyne.CanvasObject, width float32, place func(fyne.CanvasObject, fyne.Position, fyne.Size)) float32 {
	pad := theme.Padding()
	x, y, lineH := float32(0), float32(0), float32(0)
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		m := o.MinSize()
		if x > 0 && x+m.Width > width {
			x, y, lineH = 0, y+lineH+pad, 0
		}
		if place != nil {
			place(o, fyne.NewPos(x, y), m)
		}
		x += m.Width + pad
		lineH = max(lineH, m.Height)
	}
	return y + lineH
}
