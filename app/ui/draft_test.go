package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"baomi/data/workspace"
)

// Given a carrier form's draft left in the data folder by a window that
// died with the form open, when the officer next unlocks, then the window
// says what was left unsaved and offers to restore it (#9 item 1).
func TestUnlockOffersTheFormLeftUnsavedWhenTheWindowDied(t *testing.T) {
	dir := setUpFolder(t)
	ws, err := workspace.Unlock(dir, testPassword, testWS)
	if err != nil {
		t.Fatal(err)
	}
	draft := `{"saved":"2026-11-29T23:40:00+08:00","fields":{"编号":"CZJ-2026-0042","名称":"关于某工程的请示"}}`
	if err := ws.SaveDraft("carrier", []byte(draft)); err != nil {
		t.Fatal(err)
	}
	ws.Close()
	a := newTestApp(t, dir)
	test.Type(a.unlock.password, testPassword)
	test.Tap(a.unlock.unlock)
	waitLive(t, a)
	waitFor(t, "the offer of the unsaved form", func() bool { return strings.Contains(overlayTexts(a), "没有保存就关闭了") })
	if say := overlayTexts(a); !strings.Contains(say, "CZJ-2026-0042") || !strings.Contains(say, "关于某工程的请示") {
		t.Errorf("the offer says %q", say)
	}
}
