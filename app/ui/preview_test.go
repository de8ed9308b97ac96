package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"baomi/app/ui/kit"
	"baomi/app/ui/kit/kittest"
	"baomi/data"
	"baomi/data/workspace"
)

// folderWithRegister sets up a folder with n carriers, read once by a
// session as the window does, so that closing left a register snapshot.
func folderWithRegister(t *testing.T, n int) string {
	t.Helper()
	dir := setUpFolder(t)
	ws, err := workspace.Unlock(dir, testPassword, testWS)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		if _, err := ws.AddCarrier(context.Background(), data.Carrier{Number: fmt.Sprintf("CZJ-2026-%04d", i+1),
			Title: "关于保密检查的通知", Kind: data.KindPaper, Level: "秘密", PeriodYears: 10,
			ReceivedOn: data.NewDate(2026, 1, 5), Copies: 1, Custodian: "李四"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := ws.Carriers(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := ws.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

// holdOpen makes the app stop before it opens the store, after the
// preview, until the returned function is called.
func holdOpen(a *App) (release func()) {
	gate := make(chan struct{})
	a.beforeOpen = func() { <-gate }
	return func() { close(gate) }
}

// unlockHeld starts an app on dir held before the store's checks, types
// the password and waits for the register of the last session.
func unlockHeld(t *testing.T, dir string) (a *App, release func()) {
	t.Helper()
	a = newTestApp(t, dir)
	release = holdOpen(a)
	test.Type(a.unlock.password, testPassword)
	test.Tap(a.unlock.unlock)
	waitFor(t, "preview", func() bool { return a.main != nil })
	return a, release
}

func TestUnlockShowsTheLastRegisterAtOnceReadOnlyUntilChecked(t *testing.T) {
	// given a folder whose last session left its register
	dir := folderWithRegister(t, 3)
	// when the officer unlocks and the store's checks have not finished
	a, release := unlockHeld(t, dir)
	// then the register is there to read (the carriers package tests that
	// it is read-only until it goes live), and the checks' progress shows
	cs := a.main.carriers
	if a.main.svc != nil || cs.Live() || cs.Rows() != 3 {
		t.Fatalf("preview: live %v, %d rows", cs.Live(), cs.Rows())
	}
	if !a.main.checkBox.Visible() {
		t.Error("checking progress hidden")
	}
	navTo(t, a, "设置")
	if a.main.settings != nil {
		t.Error("settings built before the store was checked")
	}
	navTo(t, a, "载体台账")
	cs = a.main.carriers
	// when the checks finish
	release()
	waitLive(t, a)
	// then everything works, on the same register
	if !cs.Live() || a.main.checkBox.Visible() || cs.Rows() != 3 {
		t.Fatalf("after the checks: live %v, %d rows", cs.Live(), cs.Rows())
	}
	if !strings.Contains(a.main.status.Text, "审计链 #") {
		t.Errorf("status %q", a.main.status.Text)
	}
}

func TestLockWhileCheckingClosesTheStoreAndUnlocksAgain(t *testing.T) {
	a, release := unlockHeld(t, folderWithRegister(t, 2))
	// when the officer locks before the checks are done
	a.Lock()
	release()
	pump(300e6)
	// then the unlock screen stays, and the store opened behind it is closed
	if a.main != nil || a.workspace() != nil || a.unlock == nil {
		t.Fatal("the abandoned unlock came back")
	}
	a.beforeOpen = nil
	test.Type(a.unlock.password, testPassword)
	test.Tap(a.unlock.unlock)
	waitLive(t, a)
	if a.main.carriers.Rows() != 2 {
		t.Errorf("%d rows", a.main.carriers.Rows())
	}
}

func TestChangeMadeElsewhereSkipsTheStalePreview(t *testing.T) {
	// given a change made after the register was last shown (from the
	// command line, which never reads the whole register)
	dir := folderWithRegister(t, 2)
	ws, err := workspace.Unlock(dir, testPassword, testWS)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ws.AddCarrier(context.Background(), data.Carrier{Number: "CLI-1", Title: "命令行登记", Kind: data.KindDisc,
		Level: "机密", PeriodYears: 20, ReceivedOn: data.NewDate(2026, 2, 1), Copies: 1, Custodian: "王五"}); err != nil {
		t.Fatal(err)
	}
	ws.Close()
	a := newTestApp(t, dir)
	release := holdOpen(a)
	test.Type(a.unlock.password, testPassword)
	test.Tap(a.unlock.unlock)
	// then no outdated register is shown: a progress dialog waits for the checks
	waitFor(t, "progress dialog", func() bool { return len(a.win.Canvas().Overlays().List()) > 0 })
	if a.main != nil {
		t.Fatal("a stale register was shown")
	}
	release()
	waitLive(t, a)
	if n := a.main.carriers.Rows(); n != 3 {
		t.Errorf("%d rows, want 3", n)
	}
	if len(a.win.Canvas().Overlays().List()) != 0 {
		t.Error("progress dialog left open")
	}
}

func TestBreakFoundBehindThePreviewEndsOnTheProblemScreen(t *testing.T) {
	// given a register snapshot, and a carrier deleted behind Baomi's back
	dir := folderWithRegister(t, 2)
	ws, err := workspace.Unlock(dir, testPassword, testWS)
	if err != nil {
		t.Fatal(err)
	}
	list, _ := ws.Carriers(context.Background())
	ws.Close()
	deleteRecordBehindBaomi(t, dir, list[0].ID)
	// then the snapshot (sealed, at the anchored head) is shown first …
	a, release := unlockHeld(t, dir)
	release()
	// … and gives way to the problem screen when Verify finds the break
	waitFor(t, "problem screen", func() bool { return a.problem != nil })
	if a.main != nil || a.workspace() != nil {
		t.Error("main window kept on a broken store")
	}
	if d := a.problem.detail.Text; !strings.Contains(d, "已不存在") {
		t.Errorf("problem text = %q", d)
	}
}

func TestScrollingTheRegisterPostponesTheAutoLock(t *testing.T) {
	dir := folderWithRegister(t, 80)
	a := newTestApp(t, dir)
	test.Type(a.unlock.password, testPassword)
	test.Tap(a.unlock.unlock)
	waitLive(t, a)
	a.cfg.IdleUnit = 30 * time.Millisecond // 10 minutes = 300 ms
	a.restartIdle()
	table, ok := kittest.Find[*kit.RowTable](a.main.carriers.Content())
	if !ok {
		t.Fatal("the register's table not found")
	}
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(table).Add(fyne.NewPos(300, 120))
	// when the officer only scrolls the register with the wheel
	for i := 0; i < 8; i++ {
		pump(60 * time.Millisecond)
		dy := float32(-120)
		if i%4 == 3 {
			dy = 360 // and back up now and then
		}
		test.Scroll(a.win.Canvas(), pos, 0, dy)
	}
	pump(60 * time.Millisecond)
	// then Baomi does not lock under the officer's eyes
	if a.workspace() == nil {
		t.Fatal("locked while the register was being scrolled")
	}
	// and once scrolling stops, it does lock
	waitFor(t, "auto-lock", func() bool { return a.workspace() == nil })
}
