package ui

import (
	"errors"
	"strconv"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"baomi/data"
)

func Itoa(n int) string { return strconv.Itoa(n) }

// NewModal returns a modal pop-up over w's canvas.
func NewModal(w fyne.Window, content fyne.CanvasObject) *widget.PopUp {
	return widget.NewModalPopUp(content, w.Canvas())
}

// field is one row of a fieldForm: a label, an input and the place where a
// problem with it is shown.
type field struct {
	label   string
	input   fyne.CanvasObject
	problem *widget.Label
}

// FieldForm lays out labelled inputs with a red problem line under each, so
// that a validation error appears beside the field it concerns.
type FieldForm struct {
	relayout func() // lays the screen out again once problems changed
	touch    func() // reports typing as activity
	fields   []*field
	byName   map[string]*field
	Grid     *fyne.Container
}

func (a *App) NewFieldForm() *FieldForm {
	return &FieldForm{relayout: a.Relayout, touch: a.Touch, byName: map[string]*field{}, Grid: container.New(layout.NewFormLayout())}
}

// Add appends a row. Entries report changes to touch for the auto-lock.
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
			if prev != nil {
				prev(s)
			}
		}
	}
	f.Grid.Add(widget.NewLabel(label))
	f.Grid.Add(container.NewVBox(input, p))
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

// newPasswordNames labels the password rule's fields on forms that set a
// new password.
var newPasswordNames = map[string]string{data.FieldPassword: "新密码", data.FieldPassword2: "确认新密码"}

// Problem returns the Problem shown on label, for tests.
func (f *FieldForm) Problem(label string) string {
	if fl, ok := f.byName[label]; ok && fl.problem.Visible() {
		return fl.problem.Text
	}
	return ""
}

// idleTimer calls onIdle once no activity was seen for its duration. The
// timer re-checks the last activity when it fires, so a touch that races
// with the firing still postpones the lock.
type idleTimer struct {
	mu     sync.Mutex
	d      time.Duration
	t      *time.Timer
	last   time.Time
	onIdle func()
}

func newIdleTimer(onIdle func()) *idleTimer { return &idleTimer{onIdle: onIdle} }

// start arms the timer for d; d <= 0 disables auto-lock.
func (i *idleTimer) start(d time.Duration) {
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.t != nil {
		i.t.Stop()
		i.t = nil
	}
	i.d, i.last = d, time.Now()
	if d > 0 {
		i.t = time.AfterFunc(d, i.fire)
	}
}

func (i *idleTimer) fire() {
	i.mu.Lock()
	if i.t == nil {
		i.mu.Unlock()
		return
	}
	if rest := i.d - time.Since(i.last); rest > 0 {
		i.t.Reset(rest)
		i.mu.Unlock()
		return
	}
	i.t = nil
	i.mu.Unlock()
	i.onIdle()
}

// touch records activity now.
func (i *idleTimer) touch() {
	i.mu.Lock()
	i.last = time.Now()
	i.mu.Unlock()
}

// idle reports whether the timer is armed and no activity was seen for its
// whole duration.
func (i *idleTimer) idle() bool {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.d > 0 && time.Since(i.last) >= i.d
}

func (i *idleTimer) stop() {
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.t != nil {
		i.t.Stop()
		i.t = nil
	}
}

// activityCatcher lies under a screen's content and sees the mouse move
// wherever no widget takes the event, reporting it as activity.
type activityCatcher struct {
	widget.BaseWidget
	content fyne.CanvasObject
	touch   func()
}

var _ desktop.Hoverable = (*activityCatcher)(nil)

func newActivityCatcher(content fyne.CanvasObject, touch func()) *activityCatcher {
	c := &activityCatcher{content: content, touch: touch}
	c.ExtendBaseWidget(c)
	return c
}

func (c *activityCatcher) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(c.content)
}

func (c *activityCatcher) MouseIn(*desktop.MouseEvent)    { c.touch() }
func (c *activityCatcher) MouseMoved(*desktop.MouseEvent) { c.touch() }
func (c *activityCatcher) MouseOut()                      {}

// Button returns a Button whose tap also counts as activity.
func (a *App) Button(label string, fn func()) *widget.Button {
	return widget.NewButton(label, func() { a.Touch(); fn() })
}

// Heading returns a bold, centred label.
func Heading(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameHeadingText
	return l
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
func (a *App) ShowMessage(l *widget.Label, msg string) {
	l.SetText(msg)
	if msg == "" {
		l.Hide()
	} else {
		l.Show()
	}
	a.Relayout()
}

// NewTextTable returns a table of truncating labels with a bold header row:
// rows gives the row count, cell the text of a cell, headers and widths the
// columns.
//
// Scrolling the table counts as activity for the auto-lock: the wheel's
// events go to the table's own scroller, which the activity catcher does
// not see, but a scroll makes the table show another first row.
func (a *App) NewTextTable(headers []string, widths []float32, rows func() int, cell func(row, col int) string) *widget.Table {
	var t *widget.Table
	prevRow, firstRow := -1, -1 // the last row updated; the first row of the last pass over the visible rows
	t = widget.NewTable(
		func() (int, int) {
			// Fyne 2.7.1 makes a row divider for every row when a table is
			// laid out before it has a height (visibleRowHeights then
			// returns all rows), and walks them all on every later layout:
			// 100,000 separators for the register. No height, no rows.
			if t.Size().Height <= 0 {
				return 0, len(headers)
			}
			return rows(), len(headers)
		},
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			// Clip, not ellipsis: Fyne shapes an ellipsised text with a
			// new HarfBuzz font each time (≈0.4 ms a cell with the CJK
			// font), which made every scroll step and keystroke redo it
			// for all visible cells. The detail view shows whole texts.
			l.Truncation = fyne.TextTruncateClip
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			if id.Col == 0 {
				if id.Row < prevRow || prevRow < 0 { // a new pass starts at the first visible row
					if firstRow >= 0 && id.Row != firstRow {
						a.Touch()
					}
					firstRow = id.Row
				}
				prevRow = id.Row
			}
			if id.Row < rows() {
				if l, v := o.(*widget.Label), cell(id.Row, id.Col); l.Text != v {
					l.SetText(v)
				}
			}
		})
	t.ShowHeaderRow = true
	t.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < len(headers) {
			o.(*widget.Label).SetText(headers[id.Col])
		}
	}
	for i, w := range widths {
		t.SetColumnWidth(i, w)
	}
	return t
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
func (a *App) Saved(form *FieldForm, message *widget.Label, what string, err error) bool {
	var fe data.FieldErrors
	switch {
	case err == nil:
		return true
	case errors.As(err, &fe):
		form.Show(fe)
		a.ShowMessage(message, "请改正标红的项目。")
	default:
		form.Show(nil)
		a.log.Printf("%s: %v", what, err)
		a.ShowMessage(message, data.Message(err))
	}
	return false
}
