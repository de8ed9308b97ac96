package kit

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
)

func TestWrapRowWrapsWhenNarrowAndAsksOnlyForItsWidestGroup(t *testing.T) {
	box := func() fyne.CanvasObject {
		r := canvas.NewRectangle(nil)
		r.SetMinSize(fyne.NewSize(100, 30))
		return r
	}
	for _, tc := range []struct {
		name   string
		width  float32
		rows   int
		lastAt fyne.Position
	}{
		{"wide enough for one row", 500, 1, fyne.NewPos(3*(100+4), 0)},
		{"two per row", 250, 2, fyne.NewPos(100+4, 30+4)},
		{"one per row", 120, 4, fyne.NewPos(0, 3*(30+4))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			objs := []fyne.CanvasObject{box(), box(), box(), box()}
			c := NewWrapRow(objs...)
			if got := c.MinSize(); got != fyne.NewSize(100, 30) {
				t.Errorf("before layout MinSize = %v, want one row of the widest group", got)
			}
			c.Resize(fyne.NewSize(tc.width, 500))
			if got := objs[3].Position(); got != tc.lastAt {
				t.Errorf("last group at %v, want %v", got, tc.lastAt)
			}
			want := fyne.NewSize(100, float32(tc.rows)*30+float32(tc.rows-1)*4)
			if got := c.MinSize(); got != want {
				t.Errorf("after layout MinSize = %v, want %v (%d rows, never a whole row's width)", got, want, tc.rows)
			}
		})
	}
}
