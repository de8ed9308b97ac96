package ui

import (
	"context"

	"baomi/app/ui/kit"
	"baomi/data"
)

// The feature screens see the window through kit.Shell, which App
// provides.
var _ kit.Shell = (*App)(nil)

// Busy shows msg with an endless progress bar in a modal dialog and
// returns the function that hides it.
func (a *App) Busy(msg string) func() { return kit.ShowBusy(a.win, msg) }

// Logf records internal detail in the log.
func (a *App) Logf(format string, v ...any) { a.log.Printf(format, v...) }

// Unit returns the unit whose data is open.
func (a *App) Unit() data.Unit { return a.unit }

// Background runs work off the UI goroutine, one job at a time for the
// whole window (kit.Worker).
func (a *App) Background(msg string, work func(ctx context.Context) error, done func(error)) {
	a.worker.Background(msg, work, done)
}

// Working reports whether background work is running or its result still
// to be shown.
func (a *App) Working() bool { return a.worker.Working() }
