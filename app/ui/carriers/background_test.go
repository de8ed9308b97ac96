package carriers

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"baomi/app/ui/kit"
	"baomi/data"
)

// slowCarriers is a carrier service whose AddCarrier waits for release:
// a disk that takes its time.
type slowCarriers struct {
	data.CarrierService
	calls   atomic.Int32
	started chan struct{}
	release chan struct{}
	done    atomic.Bool
}

func (s *slowCarriers) AddCarrier(ctx context.Context, c data.Carrier) (data.Carrier, error) {
	if s.calls.Add(1) == 1 {
		close(s.started)
	}
	<-s.release
	defer s.done.Store(true)
	return s.CarrierService.AddCarrier(ctx, c)
}

// Given a store that takes seconds to save, when the officer saves a new
// carrier, then the window keeps answering while it saves: the tap
// returns at once, a search typed meanwhile is shown, the window says it
// is saving, and a second tap of 保存 saves nothing more. Once the save
// is done the form closes and the carrier is listed.
func TestTheWindowAnswersWhileASlowSaveRuns(t *testing.T) {
	h := newHarness(t)
	cs := h.cs
	slow := &slowCarriers{CarrierService: cs.svc, started: make(chan struct{}), release: make(chan struct{})}
	cs.svc = slow
	var once sync.Once
	release := func() { once.Do(func() { close(slow.release) }) }
	// on code that saves on the UI goroutine the tap below would never
	// return: the store lets it go after 3 s, and the test then fails
	go func() { time.Sleep(3 * time.Second); release() }()
	defer release()

	tapSettled(t, h, cs.add)
	f := cs.form
	f.number.SetText("CZJ-2026-0001")
	test.Type(f.title, "关于做好年度保密自查工作的通知")
	f.kind.SetSelected(data.KindPaper)
	f.level.SetSelected("机密")
	f.received.SetText("2026.3.5")
	test.Type(f.custodian, "李四")
	test.Tap(f.ok)
	if slow.done.Load() {
		t.Fatal("the tap of 保存 returned only after the store had saved: the save ran on the UI goroutine")
	}
	select {
	case <-slow.started:
	case <-time.After(2 * time.Second):
		t.Fatal("the save did not start")
	}
	// the window answers: a search typed now is shown
	test.Type(cs.search, "不存在的载体")
	waitFor(t, "the search to be shown while saving", func() bool { return cs.shown.Len() == 0 && cs.pending == 0 })
	// and says it is saving once it takes longer than kit.BusyDelay
	pump(kit.BusyDelay + 200*time.Millisecond)
	if !strings.Contains(overlayTexts(h), "正在保存") {
		t.Errorf("no busy dialog while saving; overlays: %q", overlayTexts(h))
	}
	shot(t, h, "slow-save-busy")
	// a second tap saves nothing more
	test.Tap(f.ok)
	release()
	waitFor(t, "the save to finish", func() bool { return !h.sh.Working() })
	if f.popup.Visible() {
		t.Errorf("form still open after the save: %q", f.message.Text)
	}
	if strings.Contains(overlayTexts(h), "正在保存") {
		t.Error("the busy dialog stayed after the save")
	}
	if n := slow.calls.Load(); n != 1 {
		t.Errorf("AddCarrier called %d times, want 1", n)
	}
	cs.search.SetText("")
	waitFor(t, "the new carrier to be listed", func() bool { return cs.shown.Len() == 1 && cs.pending == 0 })
}
