package kit_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"baomi/app/ui/kit"
	"baomi/app/ui/kit/kittest"
	"baomi/data"
)

// TestAPanicInAHandlerIsToldAndLoggedAndTheWindowStays: a bug in one of
// our handlers (a button, the result of background work) must not take
// the window and the typed forms with it.
func TestAPanicInAHandlerIsToldAndLoggedAndTheWindowStays(t *testing.T) {
	cases := []struct {
		name string
		run  func(sh *kittest.Shell, boom func())
	}{
		{"button", func(sh *kittest.Shell, boom func()) {
			test.Tap(kit.Button(sh, "保存", boom))
		}},
		{"background result", func(sh *kittest.Shell, boom func()) {
			kit.InBackground(sh, "正在保存……", func(context.Context) (int, error) { return 0, nil },
				func(int, error) { boom() })
			sh.Settle(t)
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sh := kittest.New(t, data.Unit{})
			c.run(sh, func() { panic(errors.New("a bug")) })
			if say := sh.OverlayTexts(); !strings.Contains(say, "“保存”没有完成") {
				t.Errorf("the window says %q", say)
			}
			if logs := strings.Join(sh.Logs(), "\n"); !strings.Contains(logs, "panic in 保存: a bug") || !strings.Contains(logs, "goroutine") {
				t.Errorf("log %q lacks the panic and its stack", logs)
			}
		})
	}
}
