package kit

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// TestTheWheelOverAnEntryTakesNothingButTheWheel: the drivers give a
// pointer event to the last object under the pointer that handles it, and
// the wheel lies over its entry: any other handler on it would take the
// taps, the drags or the text cursor from the entry.
func TestTheWheelOverAnEntryTakesNothingButTheWheel(t *testing.T) {
	var w any = newWheel(&FieldForm{})
	if _, ok := w.(fyne.Scrollable); !ok {
		t.Fatal("the wheel is not Scrollable")
	}
	checks := []struct {
		name string
		is   bool
	}{
		{"Tappable", is[fyne.Tappable](w)},
		{"DoubleTappable", is[fyne.DoubleTappable](w)},
		{"SecondaryTappable", is[fyne.SecondaryTappable](w)},
		{"Draggable", is[fyne.Draggable](w)},
		{"Focusable", is[fyne.Focusable](w)},
		{"Mouseable", is[desktop.Mouseable](w)},
		{"Hoverable", is[desktop.Hoverable](w)},
		{"Cursorable", is[desktop.Cursorable](w)},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			if c.is {
				t.Errorf("the wheel is %s: it takes that from the entry under it", c.name)
			}
		})
	}
}

func is[T any](v any) bool {
	_, ok := v.(T)
	return ok
}
