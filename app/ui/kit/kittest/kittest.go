// Package kittest drives Baomi's screens in tests on Fyne's test driver: a
// queue standing for the UI goroutine that the test goroutine runs, and a
// Shell (the window around a feature screen) that records what it is asked
// to print. It is imported by tests only.
package kittest

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"baomi/app/theme"
	"baomi/app/ui/kit"
	"baomi/data"
	"baomi/data/safefile"
)

// queue holds what background work hands to the UI goroutine. The tests
// run it on the test goroutine, in WaitFor and Pump, as Fyne's event loop
// would run it on the main goroutine: widgets are only ever touched by one
// goroutine.
var _ kit.Shell = (*Shell)(nil)

var queue = make(chan func(), 1024)

// Do queues fn for the UI goroutine; it is what a Shell's and an App's Do
// are in tests.
func Do(fn func()) { queue <- fn }

// RunQueued runs what is queued for the UI until nothing is left.
func RunQueued() {
	for {
		select {
		case fn := <-queue:
			fn()
		default:
			return
		}
	}
}

// WaitFor runs queued UI work until cond holds, failing after 10 s.
func WaitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for RunQueued(); !cond(); RunQueued() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		select {
		case fn := <-queue:
			fn()
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// Pump runs queued UI work for d.
func Pump(d time.Duration) {
	end := time.After(d)
	for {
		select {
		case fn := <-queue:
			fn()
		case <-end:
			return
		}
	}
}

// Printed is a document a screen printed through the Shell.
type Printed struct {
	// Name is the file name the screen gave.
	Name string
	// Path is where the test shell wrote it.
	Path string
	// Rows is how many carriers the screen said it lists.
	Rows int
}

// Shell is a kit.Shell on Fyne's test driver, for testing a feature screen
// without the application around it. Its background work runs through
// kit.Worker as the application's does; its Do is the test queue.
type Shell struct {
	worker  kit.Worker
	win     fyne.Window
	unit    data.Unit
	dir     string
	touches atomic.Int64

	mu      sync.Mutex
	printed []Printed
	logs    []string
}

// New returns a Shell whose window (1100 × 720, Baomi's theme) belongs to a
// test app removed when t ends, working for unit.
func New(t testing.TB, unit data.Unit) *Shell {
	t.Helper()
	fa := test.NewTempApp(t)
	fa.Settings().SetTheme(theme.New())
	s := &Shell{win: fa.NewWindow("保密工作台"), unit: unit, dir: t.TempDir()}
	s.win.Resize(fyne.NewSize(1100, 720))
	s.win.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) { s.Touch(); kit.Escape(s.win.Canvas(), ev) }) // as the application's window
	s.worker = kit.Worker{Do: Do, Busy: s.Busy}
	t.Cleanup(func() {
		// work still running hands its result to the queue: let it finish
		// before the window goes
		WaitFor(t, "background work to end", func() bool { return !s.Working() })
		s.win.Close()
	})
	return s
}

// Show puts o in the window, as the shell shows a feature's page.
func (s *Shell) Show(o fyne.CanvasObject) { s.win.SetContent(o); s.win.Show() }

// Window returns the test window.
func (s *Shell) Window() fyne.Window { return s.win }

// Touch counts user activity.
func (s *Shell) Touch() { s.touches.Add(1) }

// Touches returns how often Touch was called.
func (s *Shell) Touches() int64 { return s.touches.Load() }

// Do queues fn for the test goroutine.
func (s *Shell) Do(fn func()) { Do(fn) }

// Background runs work through kit.Worker, as the application does.
func (s *Shell) Background(msg string, work func(ctx context.Context) error, done func(error)) {
	s.worker.Background(msg, work, done)
}

// Working reports whether background work is running or its result still
// to be handed back.
func (s *Shell) Working() bool { return s.worker.Working() }

// Relayout refreshes the window's content and its overlays.
func (s *Shell) Relayout() {
	if c := s.win.Content(); c != nil {
		c.Refresh()
	}
	for _, o := range s.win.Canvas().Overlays().List() {
		o.Refresh()
	}
}

// Logf records a log line (Logs returns them).
func (s *Shell) Logf(format string, v ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.logs = append(s.logs, strings.TrimSpace(fmt.Sprintf(format, v...)))
}

// Logs returns the lines logged so far.
func (s *Shell) Logs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.logs...)
}

// Unit returns the unit the shell was made for.
func (s *Shell) Unit() data.Unit { return s.unit }

// Busy shows the busy dialog the application shows.
func (s *Shell) Busy(msg string) func() { return kit.ShowBusy(s.win, msg) }

// Print builds the document off the test goroutine and writes it to a
// temporary file (Prints lists them), as the application does before it
// opens the system viewer.
func (s *Shell) Print(name string, rows int, build func(w io.Writer) error) {
	go func() {
		var buf bytes.Buffer
		err := build(&buf)
		p := filepath.Join(s.dir, name)
		if err == nil {
			err = safefile.Write(p, buf.Bytes(), 0o600)
		}
		Do(func() {
			if err != nil {
				s.Logf("print %s: %v", name, err)
				return
			}
			s.mu.Lock()
			s.printed = append(s.printed, Printed{Name: name, Path: p, Rows: rows})
			s.mu.Unlock()
		})
	}()
}

// Prints returns the documents printed so far, oldest first.
func (s *Shell) Prints() []Printed {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Printed(nil), s.printed...)
}

// Settle waits until no background work is running or still to be shown.
func (s *Shell) Settle(t testing.TB) {
	t.Helper()
	WaitFor(t, "the background work to finish", func() bool { return !s.Working() })
}

// TapSettled taps b and waits until the background work it started has
// handed its result to the UI goroutine.
func (s *Shell) TapSettled(t testing.TB, b fyne.Tappable) {
	t.Helper()
	test.Tap(b)
	s.Settle(t)
}

// OverlayTexts returns the texts of every label in the window's overlays
// (dialogs), one per line.
func (s *Shell) OverlayTexts() string { return OverlayTexts(s.win) }

// OverlayTexts returns the texts of every label in w's overlays.
func OverlayTexts(w fyne.Window) string {
	var b strings.Builder
	for _, o := range w.Canvas().Overlays().List() {
		b.WriteString(LabelText(o))
	}
	return b.String()
}

// LabelText returns the text of every label under o, one per line.
func LabelText(o fyne.CanvasObject) string {
	var b strings.Builder
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *widget.Label:
			b.WriteString(v.Text + "\n")
			return
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c)
			}
			return
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(v).Objects() {
				walk(c)
			}
		}
	}
	walk(o)
	return b.String()
}

// Shot saves w as name.png in $BAOMI_SHOTS, when set, for a person to look
// at.
func Shot(t testing.TB, w fyne.Window, name string) {
	t.Helper()
	dir := os.Getenv("BAOMI_SHOTS")
	if dir == "" {
		return
	}
	f, err := os.Create(filepath.Join(dir, name+".png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, w.Canvas().Capture()); err != nil {
		t.Fatal(err)
	}
}

// Find returns the first object of type T under o, in the order a screen
// lays them out (a form's scroller, a page's search box or table), looking
// into containers and widgets' renderers.
func Find[T fyne.CanvasObject](o fyne.CanvasObject) (T, bool) {
	if v, ok := o.(T); ok {
		return v, true
	}
	var kids []fyne.CanvasObject
	switch v := o.(type) {
	case *fyne.Container:
		kids = v.Objects
	case fyne.Widget:
		kids = test.WidgetRenderer(v).Objects()
	}
	for _, c := range kids {
		if v, ok := Find[T](c); ok {
			return v, true
		}
	}
	var zero T
	return zero, false
}
