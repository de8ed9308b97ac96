package kit

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

func TestFlowWrapsAtTheWidthItIsGiven(t *testing.T) {
	test.NewTempApp(t)
	box := func() fyne.CanvasObject {
		r := canvas.NewRectangle(nil)
		r.SetMinSize(fyne.NewSize(100, 30))
		return r
	}
	pad := theme.Padding()
	tests := []struct {
		name   string
		width  float32
		lines  int
		height float32
	}{
		{"wide: one line", 4*100 + 3*pad, 1, 30},
		{"room for two a line", 2*100 + pad + 10, 2, 2*30 + pad},
		{"room for one: a line each", 120, 4, 4*30 + 3*pad},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			objs := []fyne.CanvasObject{box(), box(), box(), box()}
			c := NewFlow(objs...)
			c.Resize(fyne.NewSize(tt.width, 200))
			ys := map[float32]bool{}
			for _, o := range objs {
				ys[o.Position().Y] = true
				if o.Position().X+o.Size().Width > tt.width {
					t.Errorf("an object ends at %.0f, past %.0f", o.Position().X+o.Size().Width, tt.width)
				}
			}
			if len(ys) != tt.lines {
				t.Errorf("%d lines, want %d", len(ys), tt.lines)
			}
			if m := c.MinSize(); m.Width != 100 || m.Height != tt.height {
				t.Errorf("least size %v, want 100 × %.0f", m, tt.height)
			}
		})
	}
}
