package kit_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"baomi/app/ui/kit"
	"baomi/app/ui/kit/kittest"
	"baomi/data/workspace/wstest"
)

// Given a job running in the background, a second job started meanwhile
// (a double click on 保存) is ignored, the first one's result reaches its
// done on the UI goroutine, and the window says it is busy only once the
// job took longer than BusyDelay.
func TestWorkerRunsOneJobAtATimeAndSaysItIsBusyOnlyWhenSlow(t *testing.T) {
	sh := kittest.New(t, wstest.Unit)
	release := make(chan struct{})
	var got []string
	kit.InBackground(sh, "正在保存……", func(context.Context) (string, error) {
		<-release
		return "first", nil
	}, func(v string, err error) { got = append(got, v) })
	secondRan := false
	kit.InBackground(sh, "正在保存……", func(context.Context) (string, error) {
		secondRan = true
		return "second", nil
	}, func(v string, err error) { got = append(got, v) })
	if !sh.Working() {
		t.Fatal("not working while a job runs")
	}
	kittest.Pump(kit.BusyDelay / 3)
	if strings.Contains(sh.OverlayTexts(), "正在保存") {
		t.Error("busy dialog shown before BusyDelay")
	}
	kittest.Pump(kit.BusyDelay)
	if !strings.Contains(sh.OverlayTexts(), "正在保存") {
		t.Errorf("no busy dialog after BusyDelay; overlays %q", sh.OverlayTexts())
	}
	close(release)
	kittest.WaitFor(t, "the job to end", func() bool { return !sh.Working() })
	kittest.Pump(50 * time.Millisecond)
	if secondRan || len(got) != 1 || got[0] != "first" {
		t.Errorf("second job ran %v; done got %v, want [first]", secondRan, got)
	}
	if strings.Contains(sh.OverlayTexts(), "正在保存") {
		t.Error("busy dialog stayed after the job")
	}
	// and the next job runs, its error handed back as it was
	boom := errors.New("disk full")
	var gotErr error
	kit.InBackground(sh, "正在保存……", func(context.Context) (int, error) { return 0, boom },
		func(_ int, err error) { gotErr = err })
	kittest.WaitFor(t, "the next job", func() bool { return !sh.Working() })
	if !errors.Is(gotErr, boom) {
		t.Errorf("error handed back = %v", gotErr)
	}
}
