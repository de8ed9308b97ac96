package kit

import (
	"fmt"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2/dialog"

	"baomi/data"
)

// Autosave keeps the draft of an open form through a data.DraftKeeper, so
// that a window that dies while the form is open (a panic inside Fyne's
// own event handling, which no handler of ours can recover; a kill; a
// power cut) loses at most the last interval of typing. Every interval, on
// the UI goroutine, it takes the form's draft if the form changed since
// the last one, and writes it off the UI goroutine, one write at a time,
// the newest winning. Once the form is no longer shown without having been
// saved or cancelled (a lock removes every dialog), it writes the last
// changes and stops, keeping the draft for the next unlock. Discard, when
// the form is saved or cancelled, stops it and deletes the draft.
type Autosave struct {
	sh     Shell
	keeper data.DraftKeeper
	name   string
	draft  func() []byte // the form's draft, on the UI goroutine
	open   func() bool   // whether the form is still shown
	stop   chan struct{}

	dirty, stopped bool // UI goroutine only

	mu      sync.Mutex // guards what the writer takes
	pending []byte     // the newest draft not yet written
	del     bool       // delete the draft after pending
	writing bool       // a writer goroutine runs
}

// NewAutosave starts keeping the draft called name every interval while
// open reports the form shown; draft returns what to keep. Call it on the
// UI goroutine when the form is shown, and Changed on every change.
func NewAutosave(sh Shell, keeper data.DraftKeeper, name string, every time.Duration, draft func() []byte, open func() bool) *Autosave {
	a := &Autosave{sh: sh, keeper: keeper, name: name, draft: draft, open: open, stop: make(chan struct{})}
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				sh.Do(a.tick)
			case <-a.stop:
				return
			}
		}
	}()
	return a
}

// Changed records that the form changed; call it on the UI goroutine.
func (a *Autosave) Changed() { a.dirty = true }

// tick writes the draft if it changed, and stops once the form is gone.
func (a *Autosave) tick() {
	if a.stopped {
		return
	}
	if a.dirty {
		a.dirty = false
		var b []byte
		Guard(a.sh, "保存草稿", func() { b = a.draft() })
		if b != nil {
			a.write(b, false)
		}
	}
	if !a.open() {
		a.halt()
	}
}

// Discard stops keeping the draft and deletes it (the form was saved or
// cancelled); call it on the UI goroutine.
func (a *Autosave) Discard() {
	if a == nil {
		return
	}
	a.halt()
	a.write(nil, true)
}

func (a *Autosave) halt() {
	if !a.stopped {
		a.stopped = true
		close(a.stop)
	}
}

// write hands b (or the deletion) to the writer goroutine, starting it if
// none runs.
func (a *Autosave) write(b []byte, del bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if del {
		a.pending, a.del = nil, true
	} else {
		a.pending = b
	}
	if a.writing {
		return
	}
	a.writing = true
	go func() {
		for {
			a.mu.Lock()
			b, del := a.pending, a.del
			a.pending, a.del = nil, false
			if b == nil && !del {
				a.writing = false
				a.mu.Unlock()
				return
			}
			a.mu.Unlock()
			var err error
			if del {
				err = a.keeper.DeleteDraft(a.name)
			} else {
				err = a.keeper.SaveDraft(a.name, b)
			}
			if err != nil {
				a.sh.Logf("draft %s: %v", a.name, err)
			}
		}
	}()
}

// Guard runs fn, the handler of a step the officer started, on the UI
// goroutine. A panic in it is caught: logged with its stack, and told in a
// dialog, while the window and what is typed in its forms stay. (A panic
// inside Fyne's own event handling, outside our handlers, cannot be
// caught here; Autosave keeps the typing then.)
func Guard(sh Shell, what string, fn func()) {
	what = strings.TrimRight(strings.TrimPrefix(what, "正在"), "…") // a busy message names the step
	defer func() {
		if r := recover(); r != nil {
			sh.Logf("panic in %s: %v\n%s", what, r, debug.Stack())
			dialog.ShowInformation("程序出错", fmt.Sprintf("“%s”没有完成：程序内部出错，详情已记入日志。已填写的内容仍在，请重试；如再出错，请先保存或记下内容再重新打开程序。", what), sh.Window())
		}
	}()
	fn()
}
