package kit

import (
	"fyne.io/fyne/v2"
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
