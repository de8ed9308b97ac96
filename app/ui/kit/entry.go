package kit

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// Entry is a text entry that tells the FieldForm holding it when it gains
// the focus, so that the form scrolls it into view: Tab moves the focus
// through every field of a form, also to those below the fold, and Fyne
// 2.7.1 does not scroll a container.Scroll to the focused object. Use it
// for every text field of a form.
type Entry struct {
	widget.Entry
	onFocus func()
}

// NewEntry returns a one-line Entry.
func NewEntry() *Entry {
	e := &Entry{}
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip) // as widget.NewEntry
	e.ExtendBaseWidget(e)
	return e
}

// NewMultiLineEntry returns an Entry for several lines of text.
func NewMultiLineEntry() *Entry {
	e := &Entry{}
	e.MultiLine = true
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip) // as widget.NewMultiLineEntry
	e.ExtendBaseWidget(e)
	return e
}

// FocusGained shows the cursor and tells the form.
func (e *Entry) FocusGained() {
	e.Entry.FocusGained()
	if e.onFocus != nil {
		e.onFocus()
	}
}

// TypedKey hands Esc to Escape, so that Esc closes the dialog holding the
// entry (a form's 取消) with the cursor in it: Fyne gives every key to the
// focused widget, and widget.Entry keeps Esc to itself, so the window's key
// handler never saw it. A dialog Esc does not close (a busy one) leaves
// the key to the entry.
func (e *Entry) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyEscape {
		if c := fyne.CurrentApp().Driver().CanvasForObject(e); c != nil && Escape(c, ev) {
			return
		}
	}
	e.Entry.TypedKey(ev)
}

// TypedShortcut hands Ctrl (or another modifier) and a letter to the
// window, whose shortcuts (Ctrl+L 锁定, Ctrl+N 登记 …) then work with the
// cursor in the entry: Fyne gives a focused entry every shortcut typed in
// it, and widget.Entry drops those it does not know. The entry's own
// (copy, paste, cut, select all, undo, redo; Ctrl and an arrow, Backspace
// or Delete) stay with it: the drivers deliver the first as their own
// shortcut types, and the others are not letters.
func (e *Entry) TypedShortcut(sc fyne.Shortcut) {
	if cs, ok := sc.(*desktop.CustomShortcut); ok && len(cs.KeyName) == 1 && cs.KeyName >= fyne.KeyA && cs.KeyName <= fyne.KeyZ {
		if c, ok := fyne.CurrentApp().Driver().CanvasForObject(e).(fyne.Shortcutable); ok {
			c.TypedShortcut(sc)
			return
		}
	}
	e.Entry.TypedShortcut(sc)
}

// TappedSecondary opens the entry's menu (cut, copy, paste), unless the
// entry is in no window: widget.Entry builds the menu on the canvas the
// driver names for it, none for an entry that left the window between the
// right click and its menu, and Fyne 2.7.1 then panics as in issue 5965
// (see Select).
func (e *Entry) TappedSecondary(ev *fyne.PointEvent) {
	if !Attached(e) {
		return
	}
	e.Entry.TappedSecondary(ev)
}

// entryOf returns the widget.Entry in o (a widget.Entry or an Entry), or
// nil.
func entryOf(o fyne.CanvasObject) *widget.Entry {
	switch e := o.(type) {
	case *widget.Entry:
		return e
	case *Entry:
		return &e.Entry
	}
	return nil
}
