package carriers

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"baomi/app/ui/kit/kittest"
)

// TestDetachedLevelSelectTapOpensNothingAndAttachedOneOpensItsMenu is
// issue #9 item 1 (Fyne issue 5965): a 密级 list tapped after it left the
// window (a form that rebuilt part of itself between the tap and the
// pop-up) panicked in NewPopUpMenu with a nil canvas and took the window
// and the typed form with it.
func TestDetachedLevelSelectTapOpensNothingAndAttachedOneOpensItsMenu(t *testing.T) {
	h := newHarness(t)
	kittest.DetachAware(t)
	tapSettled(t, h, h.cs.add)
	f := h.cs.form
	overlays := func() int { return len(h.sh.Window().Canvas().Overlays().List()) }
	formOnly := overlays()

	// when the 密级 list is tapped while attached, its menu opens
	test.Tap(f.level)
	if overlays() != formOnly+1 {
		t.Fatalf("attached tap: %d overlays, want the form and the menu (%d)", overlays(), formOnly+1)
	}
	h.sh.Window().Canvas().Overlays().Remove(h.sh.Window().Canvas().Overlays().Top())

	// when the row holding it is rebuilt, the old list is out of the window
	row := findParent(t, f.form.Grid, f.level)
	kept := row.Objects
	row.Objects = []fyne.CanvasObject{container.NewStack()}
	row.Refresh()
	test.Tap(f.level) // panicked in overlayRenderer.MinSize before
	if overlays() != formOnly {
		t.Errorf("detached tap: %d overlays, want only the form (%d)", overlays(), formOnly)
	}
	row.Objects = kept
	row.Refresh()
}

// findParent returns the container under root whose Objects hold o.
func findParent(t *testing.T, root *fyne.Container, o fyne.CanvasObject) *fyne.Container {
	t.Helper()
	var walk func(c *fyne.Container) *fyne.Container
	walk = func(c *fyne.Container) *fyne.Container {
		for _, child := range c.Objects {
			if child == o {
				return c
			}
			if cc, ok := child.(*fyne.Container); ok {
				if p := walk(cc); p != nil {
					return p
				}
			}
		}
		return nil
	}
	p := walk(root)
	if p == nil {
		t.Fatal("the widget is not in the form")
	}
	return p
}
