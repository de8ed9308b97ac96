package kit

import (
	"baomi/data"
	"errors"
	"image/color"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// field is one row of a FieldForm: a label, an input and the line under
// it where a problem with it is shown.
type field struct {
	label    string
	input    fyne.CanvasObject
	name     *widget.RichText // the label cell: the label, and * when required
	cell     *fyne.Container  // the input cell: the input over its problem line
	problem  *widget.Label
	wheel    *wheel // over an entry: hands the mouse wheel to the form
	required bool
}

// FieldForm lays out labelled inputs with a red problem line under each, so
// that a validation error appears beside the field it concerns. It is
// made to be moved through with the mouse and the keyboard:
//
//   - In its Scroller (a dialog) or the scroller given to InScroll (a
//     page), the mouse wheel scrolls the form also over an entry, and a
//     field that gains the focus (Tab, a click, a problem) is scrolled
//     into view.
//   - Show marks the fields named by a save's problems and puts the
//     focus on the first of them, scrolled into view; a field's problem
//     goes as soon as the field is changed.
//   - Every row keeps room for one line of problem, so rows do not move
//     under the pointer when problems appear or go.
//   - SetRequired marks fields with a red *; SetShown shows and hides
//     rows (fields that apply only to some kinds of record).
//
// Its rows are made once: while the form is shown, hide and show them,
// never replace them, since a list taken out of the window between a tap
// and its menu crashed Fyne 2.7.1 (see Select). Give it Entry and Select
// inputs: they tell the form when they gain the focus.
type FieldForm struct {
	sh       Shell
	relayout func() // lays the screen out again once problems changed
	touch    func() // reports typing as activity
	fields   []*field
	byName   map[string]*field
	scroll   *container.Scroll // set by Scroller or InScroll
	// Grid holds the rows. Show it, or the form's Scroller, in a screen.
	// A screen that scrolls Grid with other things calls InScroll.
	Grid *fyne.Container
	// Changed, when set, is called on every change of an entry or a list
	// added to the form (an Autosave's Changed).
	Changed func()
	// Fixed, when set, is called when the officer has changed every field
	// that showed a problem, e.g. to take away "请改正标红的项目。".
	Fixed func()
}

// NewFieldForm returns an empty form for a screen of sh.
func NewFieldForm(sh Shell) *FieldForm {
	return &FieldForm{sh: sh, relayout: sh.Relayout, touch: sh.Touch, byName: map[string]*field{}, Grid: container.New(layout.NewFormLayout())}
}

// Add appends a row. Entries report changes to touch for the auto-lock;
// entries and lists report them to Changed and take away the row's
// problem; their own change handlers run under Guard.
func (f *FieldForm) Add(label string, input fyne.CanvasObject) {
	p := widget.NewLabel("")
	p.Importance = widget.DangerImportance
	p.Wrapping = fyne.TextWrapBreak
	p.Hide()
	fl := &field{label: label, input: input, problem: p, name: widget.NewRichText()}
	fl.setName()
	f.fields = append(f.fields, fl)
	f.byName[label] = fl
	shown := input
	if e := entryOf(input); e != nil {
		prev := e.OnChanged
		e.OnChanged = func(s string) {
			f.touch()
			f.fitWheel(fl)
			f.fix(fl)
			f.changed()
			if prev != nil {
				Guard(f.sh, label, func() { prev(s) })
			}
		}
		// An entry holds a scroller of its own (for text wider or
		// longer than the entry) that takes every wheel event over it
		// and, with nothing to scroll, drops it: the form did not move
		// while the pointer was over any of its 19 entries. Fyne hands
		// the wheel to the last scrollable object under the pointer in
		// drawing order, so a transparent one laid over the entry gets
		// it and passes it on to the form. Taps, drags and the text
		// cursor still go to the entry. A multi-line entry whose lines
		// do not fit keeps the wheel for them (see fitWheel).
		fl.wheel = newWheel(f)
		shown = container.NewStack(input, fl.wheel)
	}
	switch in := input.(type) {
	case *Entry:
		in.onFocus = func() { f.scrollTo(fl) }
	case *Select:
		in.onFocus = func() { f.scrollTo(fl) }
		prev := in.OnChanged
		in.OnChanged = func(s string) {
			f.fix(fl)
			f.changed()
			if prev != nil {
				Guard(f.sh, label, func() { prev(s) })
			}
		}
	}
	f.fitWheel(fl)
	fl.cell = container.New(inputCell{}, shown, p)
	f.Grid.Add(fl.name)
	f.Grid.Add(fl.cell)
}

func (f *FieldForm) changed() {
	if f.Changed != nil {
		f.Changed()
	}
}

// setName shows the row's label, with a red * when the field is required.
func (fl *field) setName() {
	segs := []widget.RichTextSegment{&widget.TextSegment{Text: fl.label, Style: widget.RichTextStyleInline}}
	if fl.required {
		segs = append(segs, &widget.TextSegment{Text: " *", Style: widget.RichTextStyle{
			Inline: true, ColorName: theme.ColorNameError, TextStyle: fyne.TextStyle{Bold: true}}})
	}
	fl.name.Segments = segs
	fl.name.Refresh()
}

// Scroller returns the form in a vertical scroller at least min big, for a
// dialog whose form can be taller than the window. Use it instead of Grid.
func (f *FieldForm) Scroller(min fyne.Size) *container.Scroll {
	if f.scroll == nil {
		// room on the right for the scroll bar, which Fyne draws over the
		// content: it covered the entries' right edges (seen under Xvfb)
		bar := layout.NewCustomPaddedLayout(0, 0, 0, theme.ScrollBarSize())
		f.InScroll(container.NewVScroll(container.New(bar, f.Grid)))
	}
	f.scroll.SetMinSize(min)
	return f.scroll
}

// InScroll is for a form that is one part of a larger scroller s (a page
// with the form among other things): the wheel over its entries and a
// field that gains the focus scroll s. Use it or Scroller, not both.
func (f *FieldForm) InScroll(s *container.Scroll) {
	f.scroll = s
	for _, fl := range f.fields {
		f.fitWheel(fl)
	}
}

// fitWheel shows fl's wheel when the form has a scroller to pass the wheel
// to and fl's entry has nothing to scroll: one line, or lines that fit.
func (f *FieldForm) fitWheel(fl *field) {
	if fl.wheel == nil {
		return
	}
	e := entryOf(fl.input)
	pass := f.scroll != nil && (!e.MultiLine || linesFit(e))
	if pass != fl.wheel.Visible() {
		if pass {
			fl.wheel.Show()
		} else {
			fl.wheel.Hide()
		}
	}
}

// linesFit reports whether the lines of a multi-line entry fit its height
// (its height before it is laid out: the rows it shows at least).
func linesFit(e *widget.Entry) bool {
	h := e.Size().Height
	if h <= 0 {
		h = e.MinSize().Height
	}
	line := fyne.MeasureText("国", theme.TextSize(), fyne.TextStyle{}).Height + theme.LineSpacing()
	return float32(strings.Count(e.Text, "\n")+1)*line <= h-2*theme.InnerPadding()
}

// scrollTo scrolls the form's Scroller, if it has one, so that the row of
// fl is in view, moving it as little as needed.
func (f *FieldForm) scrollTo(fl *field) {
	if f.scroll == nil || !fl.cell.Visible() || !Attached(fl.cell) {
		return
	}
	// where the row is in the scroller's content, wherever the form is in it
	d := fyne.CurrentApp().Driver()
	top := d.AbsolutePositionForObject(fl.cell).Y - d.AbsolutePositionForObject(f.scroll).Y + f.scroll.Offset.Y
	bottom := top + fl.cell.Size().Height
	off, view := f.scroll.Offset.Y, f.scroll.Size().Height
	switch {
	case top < off:
		off = top
	case bottom > off+view:
		off = fyne.Min(top, bottom-view) // a row taller than the view shows its top
	default:
		return
	}
	f.scroll.ScrollToOffset(fyne.NewPos(f.scroll.Offset.X, off))
}

// SetRequired marks the fields labelled labels with a red * after their
// label, and no others. The labels come from the rules of the record
// (e.g. data.CarrierRequiredFields), so that the marks say what a save
// will ask for.
func (f *FieldForm) SetRequired(labels []string) {
	want := map[string]bool{}
	for _, l := range labels {
		want[l] = true
	}
	for _, fl := range f.fields {
		if fl.required != want[fl.label] {
			fl.required = want[fl.label]
			fl.setName()
		}
	}
}

// Required reports whether the field labelled label is marked required.
func (f *FieldForm) Required(label string) bool {
	fl, ok := f.byName[label]
	return ok && fl.required
}

// SetShown shows or hides the row of the field labelled label. A hidden
// row keeps its input and what was typed in it.
func (f *FieldForm) SetShown(label string, shown bool) {
	fl, ok := f.byName[label]
	if !ok || fl.cell.Visible() == shown {
		return
	}
	if shown {
		fl.name.Show()
		fl.cell.Show()
	} else {
		fl.name.Hide()
		fl.cell.Hide()
	}
	f.Grid.Refresh()
	if f.scroll != nil {
		f.scroll.Refresh()
	}
}

// Shown reports whether the row of the field labelled label is shown.
func (f *FieldForm) Shown(label string) bool {
	fl, ok := f.byName[label]
	return ok && fl.cell.Visible()
}

// Show displays the problems of err on their fields, clears the others, and
// returns the problems that name no field of this form. A row with a
// problem is shown; the first of them in the form gets the focus,
// scrolled into view.
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
		f.SetShown(fl.label, true)
	}
	f.Grid.Refresh()
	if f.scroll != nil {
		f.scroll.Refresh()
	}
	if f.relayout != nil {
		f.relayout()
	}
	for _, fl := range f.fields {
		if fl.problem.Visible() {
			f.focus(fl)
			break
		}
	}
	return rest
}

// focus puts the focus on fl's input, when it takes it, and scrolls it into
// view.
func (f *FieldForm) focus(fl *field) {
	f.scrollTo(fl)
	fo, ok := fl.input.(fyne.Focusable)
	if !ok {
		return
	}
	if c := fyne.CurrentApp().Driver().CanvasForObject(fl.input); c != nil {
		c.Focus(fo)
	}
}

// fix takes away fl's problem: the officer changed the field.
func (f *FieldForm) fix(fl *field) {
	if !fl.problem.Visible() {
		return
	}
	fl.problem.SetText("")
	fl.problem.Hide()
	fl.cell.Refresh()
	for _, o := range f.fields {
		if o.problem.Visible() {
			return
		}
	}
	if f.Fixed != nil {
		f.Fixed()
	}
}

// inputCell lays out an input with its problem line under it. The line
// keeps the height of one line of text while it is empty, so that a
// problem that appears or goes does not move the rows below it (a click
// landed on the wrong field when they moved); only a problem longer than a
// line makes its row taller. The problem label's padding above and below
// its text is taken out of the row: the text sits right under the input.
type inputCell struct{}

// problemLine returns the height a problem line takes in a row, and the
// padding of the label above and below its text.
func problemLine(problem fyne.CanvasObject) (line, pad float32) {
	pad = theme.InnerPadding()
	line = fyne.MeasureText("国", theme.TextSize(), fyne.TextStyle{}).Height
	if problem.Visible() {
		line = fyne.Max(line, problem.MinSize().Height-2*pad)
	}
	return line, pad
}

// MinSize is the input's over one line of problem.
func (inputCell) MinSize(objs []fyne.CanvasObject) fyne.Size {
	if len(objs) != 2 {
		return layout.NewStackLayout().MinSize(objs)
	}
	in, problem := objs[0].MinSize(), objs[1]
	line, _ := problemLine(problem)
	return fyne.NewSize(fyne.Max(in.Width, problem.MinSize().Width), in.Height+line)
}

// Layout puts the input at the top, as high as it needs, and the problem
// under it.
func (inputCell) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if len(objs) != 2 {
		layout.NewStackLayout().Layout(objs, size)
		return
	}
	in, problem := objs[0], objs[1]
	line, pad := problemLine(problem)
	h := fyne.Max(in.MinSize().Height, size.Height-line)
	in.Move(fyne.NewPos(0, 0))
	in.Resize(fyne.NewSize(size.Width, h))
	problem.Move(fyne.NewPos(0, h-pad))
	problem.Resize(fyne.NewSize(size.Width, line+2*pad))
}

// wheel lies over an entry of a FieldForm and hands the mouse
// wheel's events to the form's scroller.
type wheel struct {
	widget.BaseWidget
	f *FieldForm
}

func newWheel(f *FieldForm) *wheel {
	w := &wheel{f: f}
	w.ExtendBaseWidget(w)
	return w
}

// CreateRenderer draws nothing.
func (w *wheel) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(canvas.NewRectangle(color.Transparent))
}

// Scrolled scrolls the form.
func (w *wheel) Scrolled(ev *fyne.ScrollEvent) {
	if w.f.scroll != nil {
		w.f.scroll.Scrolled(ev)
	}
}

// KeepLine returns l in a box that keeps the height of one line of text
// while l is hidden or empty: a form's message under its rows, which would
// otherwise make the dialog taller, and so move it and every row, when it
// appears.
func KeepLine(l *widget.Label) fyne.CanvasObject { return container.New(keepLine{}, l) }

type keepLine struct{}

func (keepLine) MinSize(objs []fyne.CanvasObject) fyne.Size {
	one := fyne.MeasureText("国", theme.TextSize(), fyne.TextStyle{}).Height + 2*theme.InnerPadding()
	s := fyne.NewSize(0, one)
	for _, o := range objs {
		if o.Visible() {
			s = s.Max(o.MinSize())
		}
	}
	return s
}

func (keepLine) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

// RequiredNote returns the note that says what the red * of a form's
// labels means, for beside its buttons.
func RequiredNote() *widget.RichText {
	return widget.NewRichText(
		&widget.TextSegment{Text: "*", Style: widget.RichTextStyle{Inline: true, ColorName: theme.ColorNameError, TextStyle: fyne.TextStyle{Bold: true}}},
		&widget.TextSegment{Text: " 为必填项", Style: widget.RichTextStyleInline})
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
