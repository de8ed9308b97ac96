package kit

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// Select is a drop-down list that opens its menu only while it is in a
// window. Fyne 2.7.1 builds the menu on the canvas the driver names for
// the list, and the desktop driver names none for a list that left the
// window between a tap and its menu (a form that rebuilt a row, a dialog
// closed under the pointer): NewPopUpMenu then panics in
// overlayRenderer.MinSize and the window dies with whatever was typed
// (Fyne issue 5965, fixed after 2.7.1 by pull request 6305). Tapped and
// the keys that open the menu (space, up, down) are the only ways
// widget.Select opens it; both are guarded here. Use it wherever a screen
// needs a drop-down list.
type Select struct {
	widget.Select
	onFocus func() // set by the FieldForm holding it
}

// NewSelect returns a Select of options with the placeholder "请选择";
// changed (which may be nil) is called with the option chosen.
func NewSelect(options []string, changed func(string)) *Select {
	s := &Select{}
	s.Options = options
	s.OnChanged = changed
	s.PlaceHolder = "请选择"
	s.ExtendBaseWidget(s)
	return s
}

// Tapped opens the menu, unless the list is in no window.
func (s *Select) Tapped(ev *fyne.PointEvent) {
	if !Attached(s) {
		return
	}
	s.Select.Tapped(ev)
}

// TypedKey handles a key; the keys that open the menu do nothing while the
// list is in no window, and Esc goes to Escape as in Entry.TypedKey (a
// focused widget.Select drops it).
func (s *Select) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyEscape:
		if c := fyne.CurrentApp().Driver().CanvasForObject(s); c != nil && Escape(c, ev) {
			return
		}
	case fyne.KeySpace, fyne.KeyUp, fyne.KeyDown:
		if !Attached(s) {
			return
		}
	}
	s.Select.TypedKey(ev)
}

// FocusGained marks the list focused and tells its form, which scrolls
// it into view.
func (s *Select) FocusGained() {
	s.Select.FocusGained()
	if s.onFocus != nil {
		s.onFocus()
	}
}

// Attached reports whether o is in a window, as the driver sees it: a
// pop-up for an object that is not has no canvas to go on.
func Attached(o fyne.CanvasObject) bool {
	return fyne.CurrentApp().Driver().CanvasForObject(o) != nil
}
