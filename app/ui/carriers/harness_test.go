package carriers

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"baomi/app/ui/kit/kittest"
	"baomi/data"
	"baomi/data/workspace"
	"baomi/data/workspace/wstest"
)

// harness is the carrier register on a real, open workspace of the cheap
// test key derivation, shown in a test shell: the screens as the officer
// uses them, without the application around them.
type harness struct {
	sh      *kittest.Shell
	ws      *workspace.Workspace
	cs      *Screen
	changes int // calls of the screens' changed: the shell shows the new head then
}

// newHarness sets up a data folder holding carriers and shows its register.
func newHarness(t *testing.T, carriers ...data.Carrier) *harness {
	t.Helper()
	ws := wstest.Open(t, carriers, nil) // closed after the shell's cleanup, which waits for the screens' work
	h := &harness{sh: kittest.New(t, wstest.Unit), ws: ws}
	h.showCarriers(t)
	return h
}

// showCarriers builds the register page afresh, as the shell does when the
// officer navigates to it, and waits until it shows the register.
func (h *harness) showCarriers(t *testing.T) *Screen {
	t.Helper()
	h.cs = New(h.sh, h.ws, true, func() { h.changes++ }, h.fingerprint, nil)
	h.sh.Show(h.cs.Content())
	waitFor(t, "the register shown", func() bool { return !h.cs.Reading() })
	return h.cs
}

// stocktake builds the stocktake page, as navigating to 清点 does.
func (h *harness) stocktake() *Stocktake {
	st := NewStocktake(h.sh, h.ws, func() { h.changes++ }, h.fingerprint)
	h.sh.Show(st.Content())
	return st
}

func (h *harness) fingerprint() string { return h.ws.Head().Fingerprint() }

// lastPrint returns the path of the last document printed, "" if none.
func (h *harness) lastPrint() string {
	p := h.sh.Prints()
	if len(p) == 0 {
		return ""
	}
	return p[len(p)-1].Path
}

// waitFor runs queued UI work until cond holds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	kittest.WaitFor(t, what, cond)
}

// pump runs queued UI work for d.
func pump(d time.Duration) { kittest.Pump(d) }

// settle waits until the background work started by the last action (a
// save, a read through kit.InBackground, a register read) has handed its
// result to the UI goroutine.
func settle(t *testing.T, h *harness) {
	t.Helper()
	waitFor(t, "the background work to finish", func() bool { return !h.sh.Working() && !h.cs.Reading() })
}

// tapSettled taps b and waits until the work it started is shown.
func tapSettled(t *testing.T, h *harness, b fyne.Tappable) {
	t.Helper()
	test.Tap(b)
	settle(t, h)
}

// shot saves the window as name.png in $BAOMI_SHOTS, when set.
func shot(t *testing.T, h *harness, name string) {
	t.Helper()
	kittest.Shot(t, h.sh.Window(), name)
}

// overlayTexts returns the texts of the window's dialogs.
func overlayTexts(h *harness) string { return h.sh.OverlayTexts() }

// idle reports whether no background work is running or still to be shown.
func idle(h *harness) bool { return !h.sh.Working() && !h.cs.Reading() }

// fileOf returns a reader of the import dialog that reads text, as from a
// file the officer chose.
func fileOf(text string) func() ([]byte, error) {
	return func() ([]byte, error) { return []byte(text), nil }
}
