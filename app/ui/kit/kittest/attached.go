package kittest

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// DetachAware makes the current app's driver answer CanvasForObject as
// Fyne's desktop (GLFW) driver does for an object that is in no window's
// content or overlays: nil. Fyne's test driver answers every object with
// the last window's canvas, so without this a test cannot see what a
// widget detached between a tap and its pop-up does on a desktop (Fyne
// issue 5965: Select.showPopUp then panics). It lasts until t ends; call
// it after the test app is made (New).
func DetachAware(t testing.TB) {
	t.Helper()
	inner := fyne.CurrentApp()
	fyne.SetCurrentApp(detachAwareApp{App: inner, d: detachAwareDriver{Driver: inner.Driver()}})
	t.Cleanup(func() { fyne.SetCurrentApp(inner) })
}

type detachAwareApp struct {
	fyne.App
	d detachAwareDriver
}

func (a detachAwareApp) Driver() fyne.Driver { return a.d }

type detachAwareDriver struct{ fyne.Driver }

// walking is set while CanvasForObject walks the windows (on the test
// goroutine only): a renderer the walk creates lays itself out and asks
// for its canvas again, which the test driver answers then.
var walking bool

// CanvasForObject returns the canvas of the window whose content or
// overlays hold o, nil when none does.
func (d detachAwareDriver) CanvasForObject(o fyne.CanvasObject) fyne.Canvas {
	if walking {
		return d.Driver.CanvasForObject(o)
	}
	walking = true
	defer func() { walking = false }()
	for _, w := range d.AllWindows() {
		c := w.Canvas()
		roots := append([]fyne.CanvasObject{c.Content()}, c.Overlays().List()...)
		for _, r := range roots {
			if holds(r, o) {
				return c
			}
		}
	}
	return nil
}

// holds reports whether o is root or under it.
func holds(root, o fyne.CanvasObject) bool {
	if root == nil {
		return false
	}
	if root == o {
		return true
	}
	var children []fyne.CanvasObject
	switch v := root.(type) {
	case *fyne.Container:
		children = v.Objects
	case fyne.Widget:
		children = test.WidgetRenderer(v).Objects()
	}
	for _, c := range children {
		if holds(c, o) {
			return true
		}
	}
	return false
}
