// Package kit holds what every feature screen of Baomi shares: the Shell
// a feature depends on (the window around it, which app/ui provides), the
// background helper every store call goes through, and the widgets forms
// and tables are made of. A feature package (carriers, and after it
// people, letters, activities, reports) imports kit and the data package
// of its domain, never the store, the vault or app/ui itself.
package kit

import (
	"context"
	"io"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"baomi/data"
)

// Shell is what a feature screen needs from the window around it. The
// application (app/ui) provides it; kittest provides one for tests.
type Shell interface {
	// Window returns the main window, for dialogs and focus.
	Window() fyne.Window
	// Touch records user activity, which postpones the auto-lock.
	Touch()
	// Do runs fn on the UI goroutine: results of work done elsewhere are
	// applied to widgets only through it.
	Do(fn func())
	// Relayout lays the current screen and its dialogs out again after a
	// message or a section appeared or disappeared, so nothing overlaps.
	Relayout()
	// Logf records internal detail that the user does not read.
	Logf(format string, v ...any)
	// Unit returns the unit whose data is open.
	Unit() data.Unit
	// Busy shows msg with an endless progress bar in a modal dialog and
	// returns the function that removes it.
	Busy(msg string) (hide func())
	// Background runs work off the UI goroutine and hands its error to
	// done on the UI goroutine, one job at a time (see InBackground).
	Background(msg string, work func(ctx context.Context) error, done func(error))
	// Print builds a document off the UI goroutine into a private
	// temporary folder (removed on lock and quit) and offers the officer
	// 打印 (the default printer), 另存为 PDF and 打开 (a PDF viewer); each
	// of them is recorded in the audit chain with name and rows, how many
	// carriers the document lists.
	Print(name string, rows int, build func(w io.Writer) error)
}

// BusyDelay is how long work runs in the background before the window
// says it is busy. A save takes 2-3 ms (one durable write, measured with
// the AddCarrier benchmark); a dialog flashed for that long is noise, while
// a batch of hundreds of events or a write to a slow disk takes seconds.
const BusyDelay = 300 * time.Millisecond

// Worker runs a Shell's background work one job at a time. Its zero value
// is not usable: Do and Busy must be set.
type Worker struct {
	// Do runs a function on the UI goroutine.
	Do func(func())
	// Busy shows the busy dialog and returns the function that hides it.
	Busy func(msg string) (hide func())

	working bool // touched on the UI goroutine only
}

// Working reports whether a job is running or its result still to be
// handed back. Call it on the UI goroutine.
func (w *Worker) Working() bool { return w.working }

// Background runs work off the UI goroutine, so that no store read or
// write can freeze the window, and hands its error to done on the UI
// goroutine. While it runs the window is busy: a second Background does
// nothing and its done is never called (so a double click saves once),
// and after BusyDelay a modal dialog with msg and a progress bar keeps the
// officer from changing what the work is about. Call it on the UI
// goroutine.
func (w *Worker) Background(msg string, work func(ctx context.Context) error, done func(error)) {
	if w.working {
		return
	}
	w.working = true
	finished := false
	var hide func()
	timer := time.AfterFunc(BusyDelay, func() {
		w.Do(func() {
			if !finished && hide == nil {
				hide = w.Busy(msg)
			}
		})
	})
	go func() {
		err := work(context.Background())
		w.Do(func() {
			timer.Stop()
			finished, w.working = true, false
			if hide != nil {
				hide()
			}
			done(err)
		})
	}()
}

// InBackground runs work through sh.Background and hands its value and
// error to done on the UI goroutine (a panic in done is caught by Guard).
// Every store call of a screen goes through it.
func InBackground[T any](sh Shell, msg string, work func(ctx context.Context) (T, error), done func(T, error)) {
	var v T // written by work, read by done after it: Do orders the two
	sh.Background(msg, func(ctx context.Context) error {
		var err error
		v, err = work(ctx)
		return err
	}, func(err error) { Guard(sh, msg, func() { done(v, err) }) })
}

// ShowBusy shows msg with an endless progress bar in a modal dialog over
// w and returns the function that removes it.
func ShowBusy(w fyne.Window, msg string) (hide func()) {
	bar := widget.NewProgressBarInfinite()
	d := NewModal(w, container.NewVBox(widget.NewLabel(msg), bar))
	OnEscape(d, nil) // the work goes on: Esc does not hide that it does
	d.Show()
	return func() { bar.Stop(); d.Hide() }
}

// WaitText stands for a page that needs the checked store.
const WaitText = "正在检查数据完整性（审计链和每一条记录），完成后即可使用。"
