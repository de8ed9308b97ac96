package ui

import (
	"context"
	"time"
)

// busyDelay is how long work runs in the background before the window
// says it is busy. A save takes 2-3 ms (one durable write, measured with
// the AddCarrier benchmark); a dialog flashed for that long is noise, while
// a batch of hundreds of events or a write to a slow disk takes seconds.
const busyDelay = 300 * time.Millisecond

// InBackground runs work off the UI goroutine, so that no store read or
// write can freeze the window, and hands its result to done on the UI
// goroutine. While it runs the app is busy: a second InBackground does
// nothing, its done is never called (so a double click saves once),
// and after busyDelay a modal dialog with msg and a progress bar keeps the
// user from changing what the work is about.
func InBackground[T any](a *App, msg string, work func(ctx context.Context) (T, error), done func(T, error)) {
	if a.working {
		return
	}
	a.working = true
	finished := false
	var hide func()
	timer := time.AfterFunc(busyDelay, func() {
		a.Do(func() {
			if !finished && hide == nil {
				hide = a.Busy(msg)
			}
		})
	})
	go func() {
		v, err := work(bgctx)
		a.Do(func() {
			timer.Stop()
			finished, a.working = true, false
			if hide != nil {
				hide()
			}
			done(v, err)
		})
	}()
}
