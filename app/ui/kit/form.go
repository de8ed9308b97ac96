package kit

import (
	"baomi/data"
	"errors"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
)

// field is one row of a fieldForm: a label, an input and the place where a
// problem with it is shown.
type field struct {
	label   string
	input   fyne.CanvasObject
	problem *widget.Label
}

// FieldForm lays out labelled inputs with a red problem line under each, so
// that a validation error appears beside the field it concerns. Its rows
// are made once: while the form is shown, hide and show them, never
// replace them, since a list taken out of the window between a tap and its
// menu crashed Fyne 2.7.1 (see Select).
type FieldForm struct {
	sh       Shell
	relayout func() // lays the screen out again once problems changed
	touch    func() // reports typing as activity
	fields   []*field
	byName   map[string]*field
	Grid     *fyne.Container
	// Changed, when set, is called on every change of an entry or a list
	// added to the form (an Autosave's Changed).
	Changed func()
}

// NewFieldForm returns an empty form for a screen of sh.
func NewFieldForm(sh Shell) *FieldForm {
	return &FieldForm{sh: sh, relayout: sh.Relayout, touch: sh.Touch, byName: map[string]*field{}, Grid: container.New(layout.NewFormLayout())}
}

// Add appends a row. Entries report changes to touch for the auto-lock;
// entries and lists report them to Changed; their own change handlers run
// under Guard.
func (f *FieldForm) Add(label string, input fyne.CanvasObject) {
	p := widget.NewLabel("")
	p.Importance = widget.DangerImportance
	p.Wrapping = fyne.TextWrapBreak
	p.Hide()
	fl := &field{label: label, input: input, problem: p}
	f.fields = append(f.fields, fl)
	f.byName[label] = fl
	if e, ok := input.(*widget.Entry); ok {
		prev := e.OnChanged
		e.OnChanged = func(s string) {
			f.touch()
			f.changed()
			if prev != nil {
				Guard(f.sh, label, func() { prev(s) })
			}
		}
	}
	if sel, ok := input.(*Select); ok {
		prev := sel.OnChanged
		sel.OnChanged = func(s string) {
			f.changed()
			if prev != nil {
				Guard(f.sh, label, func() { prev(s) })
			}
		}
	}
	f.Grid.Add(widget.NewLabel(label))
	f.Grid.Add(container.NewVBox(input, p))
}

func (f *FieldForm) changed() {
	if f.Changed != nil {
		f.Changed()
	}
}

// Show displays the problems of err on their fields, clears the others, and
// returns the problems that name no field of this form.
func (f *FieldForm) Show(errs data.FieldErrors) data.FieldErrors {
	var rest data.FieldErrors
	for _, fl := range f.fields {
		fl.problem.SetText("")
		fl.problem.Hide()
	}
	for _, e := range errs {
		fl, ok := f.byName[e.Field]
		if !ok {
			rest = append(rest, e)
			continue
		}
		text := e.Problem
		if fl.problem.Text != "" {
			text = fl.problem.Text + "；" + text
		}
		fl.problem.SetText(text)
		fl.problem.Show()
	}
	f.Grid.Refresh()
	if f.relayout != nil {
		f.relayout()
	}
	return rest
}

// Renamed returns errs with field names mapped through names (others kept),
// for forms that label a shared rule's field differently.
func Renamed(errs data.FieldErrors, names map[string]string) data.FieldErrors {
	out := make(data.FieldErrors, len(errs))
	for i, e := range errs {
		if n, ok := names[e.Field]; ok {
			e.Field = n
		}
		out[i] = e
	}
	return out
}

// Problem returns the Problem shown on label, for tests.
func (f *FieldForm) Problem(label string) string {
	if fl, ok := f.byName[label]; ok && fl.problem.Visible() {
		return fl.problem.Text
	}
	return ""
}

// ErrorLabel returns a hidden red label for messages.
func ErrorLabel() *widget.Label {
	l := widget.NewLabel("")
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapBreak
	l.Hide()
	return l
}

// ShowMessage sets a message label, shows or hides it, and lays the
// screen out again.
func ShowMessage(sh Shell, l *widget.Label, msg string) {
	l.SetText(msg)
	if msg == "" {
		l.Hide()
	} else {
		l.Show()
	}
	sh.Relayout()
}

// EntryReader reads dates and whole numbers typed into forms, collecting a
// FieldError for each one it cannot read.
type EntryReader struct{ Errs data.FieldErrors }

// Date reads 2026年11月28日 or 2026-11-28 (empty: the zero Date).
func (r *EntryReader) Date(field, s string) data.Date {
	d, err := data.ParseDate(s)
	if err != nil {
		r.Errs = append(r.Errs, data.FieldError{Field: field, Problem: "日期格式不对，应为 2026年11月28日 或 2026-11-28"})
	}
	return d
}

// Int reads a whole number, full-width digits and a trailing 年 allowed
// (empty: 0).
func (r *EntryReader) Int(field, s string) int {
	s = strings.TrimSuffix(strings.TrimSpace(data.HalfWidth(s)), "年")
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		r.Errs = append(r.Errs, data.FieldError{Field: field, Problem: "请填写整数"})
	}
	return n
}

// Saved shows on a form how its save went: nothing for nil, the fields
// marked for a data.FieldErrors, otherwise the error's Chinese message
// under the form (logged as what failed). It reports whether err is nil.
func Saved(sh Shell, form *FieldForm, message *widget.Label, what string, err error) bool {
	var fe data.FieldErrors
	switch {
	case err == nil:
		return true
	case errors.As(err, &fe):
		form.Show(fe)
		ShowMessage(sh, message, "请改正标红的项目。")
	default:
		form.Show(nil)
		sh.Logf("%s: %v", what, err)
		ShowMessage(sh, message, data.Message(err))
	}
	return false
}
