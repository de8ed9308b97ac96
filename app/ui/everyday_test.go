package ui

import (
	"context"
	"fmt"
	"io"
	"log"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"baomi/app/ui/kit/kittest"
	"baomi/app/version"
	"baomi/data"
	"baomi/data/workspace"
)

// unlocked returns an App on a set-up folder, unlocked, its main window
// working on the checked store.
func unlocked(t *testing.T) *App {
	t.Helper()
	a := newTestApp(t, setUpFolder(t))
	test.Type(a.unlock.password, testPassword)
	test.Tap(a.unlock.unlock)
	waitLive(t, a)
	return a
}

// Given the settings page at a hand-over, when the officer's name and the
// superior are changed and confirmed, then the confirmation named each
// change and who records it, the store has the new unit under one more
// audit entry, later entries name the new officer, and the status bar
// shows the new officer at once.
func TestUnitEditedInSettingsIsAuditedAndShownInTheStatusBar(t *testing.T) {
	a := unlocked(t)
	ws := a.workspace()
	oldOfficer := a.unit.Officer
	navTo(t, a, "设置")
	s := a.main.settings
	// an empty officer is refused on its field, with nothing saved
	s.officer.SetText(" ")
	test.Tap(s.unitBtn)
	if p := s.unitForm.Problem(data.FieldOfficer); p != "必须填写" {
		t.Fatalf("empty officer: problem %q", p)
	}
	if s.unitConfirm != nil {
		t.Fatal("an invalid unit was offered for confirmation")
	}
	before := ws.Head()
	s.officer.SetText("李新")
	s.superior.SetText("某市国家保密局（新）")
	test.Tap(s.unitBtn)
	if s.unitConfirm == nil || !s.unitConfirm.Visible() {
		t.Fatal("no confirmation before changing the unit")
	}
	confirm := kittest.LabelText(s.unitConfirm.Content)
	for _, want := range []string{"保密员：" + oldOfficer + " → 李新", "上级单位：", "操作人“" + oldOfficer + "”"} {
		if !strings.Contains(confirm, want) {
			t.Errorf("confirmation %q lacks %q", confirm, want)
		}
	}
	if strings.Contains(confirm, data.FieldUnitName+"：") {
		t.Errorf("confirmation lists an unchanged field: %q", confirm)
	}
	a.win.Resize(DefaultSize)
	kittest.Shot(t, a.win, "settings-unit-confirm")
	tapSettled(t, a, s.unitGo)
	kittest.Shot(t, a.win, "settings-unit-saved")
	u, err := ws.Unit(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if u.Officer != "李新" || u.Superior != "某市国家保密局（新）" || u.CreatedAt.IsZero() {
		t.Errorf("stored unit %+v", u)
	}
	if after := ws.Head(); after.Seq != before.Seq+1 {
		t.Errorf("audit head went from #%d to #%d, want one entry for the unit", before.Seq, after.Seq)
	}
	if !strings.Contains(s.unitMsg.Text, "已保存") || !strings.Contains(s.unitMsg.Text, "保密员："+oldOfficer+" → 李新") {
		t.Errorf("result message %q", s.unitMsg.Text)
	}
	if ws.Operator() != "李新" {
		t.Errorf("later audit entries name %q, want the new officer", ws.Operator())
	}
	if !strings.Contains(a.main.status.Text, "保密员：李新") {
		t.Errorf("status bar %q does not show the new officer", a.main.status.Text)
	}
	if _, err := ws.Store.Verify(context.Background()); err != nil {
		t.Errorf("verify after the change: %v", err)
	}
}

// Given the settings page, the 关于 card names the version `baomi version`
// prints.
func TestSettingsAboutShowsTheVersion(t *testing.T) {
	a := unlocked(t)
	navTo(t, a, "设置")
	if got := a.main.settings.about.Text; !strings.Contains(got, "版本 "+version.String()) {
		t.Errorf("关于 = %q, want the version %q", got, version.String())
	}
}

// Given a folder, the unlock screen names the data folder it opens (the
// unit is inside the encrypted store), and after the window locked itself
// it also names the unit and says after how many idle minutes; a lock by
// hand says nothing of the kind.
func TestUnlockScreenSaysWhatItOpensAndThatItLockedItself(t *testing.T) {
	dir := setUpFolder(t)
	a := newTestApp(t, dir)
	if got := a.unlock.opens.Text; got != "数据目录："+dir {
		t.Errorf("first unlock screen says %q, want only the data folder", got)
	}
	if a.unlock.why.Visible() {
		t.Errorf("first unlock screen says it locked itself: %q", a.unlock.why.Text)
	}
	a.cfg.IdleUnit = 20 * time.Millisecond // 10 "minutes" = 200 ms
	test.Type(a.unlock.password, testPassword)
	test.Tap(a.unlock.unlock)
	waitLive(t, a)
	unit := a.unit.Name
	waitFor(t, "auto-lock", func() bool { return a.workspace() == nil && a.main == nil })
	if !a.unlock.why.Visible() || a.unlock.why.Text != "已在 10 分钟无操作后自动锁定。" {
		t.Errorf("after auto-lock the screen says %q (shown %v)", a.unlock.why.Text, a.unlock.why.Visible())
	}
	if got := a.unlock.opens.Text; !strings.Contains(got, "单位："+unit) || !strings.Contains(got, dir) {
		t.Errorf("after auto-lock the screen says it opens %q, want %s and %s", got, unit, dir)
	}
	kittest.Shot(t, a.win, "unlock-autolocked")
	// a lock by hand after the next unlock says nothing about idleness
	a.cfg.IdleUnit = time.Hour
	test.Type(a.unlock.password, testPassword)
	test.Tap(a.unlock.unlock)
	waitLive(t, a)
	a.Lock()
	if a.unlock.why.Visible() {
		t.Errorf("a lock by hand says %q", a.unlock.why.Text)
	}
}

// Given a wrong password and its delay, when the wait is over, then the
// message no longer says "请 N 秒后再试" and 解锁 works again.
func TestRetryMessageClearsWhenTheWaitIsOver(t *testing.T) {
	a := newTestApp(t, setUpFolder(t))
	a.cfg.FailDelay = func(int) time.Duration { return 1200 * time.Millisecond }
	test.Type(a.unlock.password, "wrong-password-1")
	test.Tap(a.unlock.unlock)
	waitFor(t, "refusal", func() bool { return strings.Contains(a.unlock.message.Text, "密码不正确") })
	if !strings.Contains(a.unlock.message.Text, "请 2 秒后再试") || !a.unlock.unlock.Disabled() {
		t.Fatalf("refusal says %q (解锁 disabled %v)", a.unlock.message.Text, a.unlock.unlock.Disabled())
	}
	waitFor(t, "the count to reach 1 s", func() bool { return strings.Contains(a.unlock.message.Text, "请 1 秒后再试") })
	waitFor(t, "the wait to end", func() bool { return !a.unlock.unlock.Disabled() })
	if got := a.unlock.message.Text; strings.Contains(got, "秒后再试") || !strings.Contains(got, "现在可以再试") {
		t.Errorf("after the wait the message says %q", got)
	}
}

// Given the setup form filled in, when 创建并进入 is tapped, then while the
// keys are derived a dialog gives the estimate and a bar that moves, and
// it goes away when the recovery code is shown.
func TestSetupShowsTheEstimateAndProgressWhileDerivingKeys(t *testing.T) {
	a := newTestApp(t, filepath.Join(t.TempDir(), "data"))
	release := make(chan struct{})
	a.setupStore = func(dir string, u data.Unit, pw string, cfg workspace.Config) (*workspace.Workspace, string, error) {
		<-release
		return workspace.Setup(dir, u, pw, cfg)
	}
	s := a.setup
	test.Type(s.name, "某市财政局")
	test.Type(s.code, "CZJ")
	test.Type(s.officer, "张保密")
	test.Type(s.password, testPassword)
	test.Type(s.again, testPassword)
	test.Tap(s.create)
	if s.progress == nil || !s.progress.Visible() {
		close(release)
		t.Fatal("no progress while the keys are derived")
	}
	if got := kittest.LabelText(s.progress.Content); !strings.Contains(got, "正在生成密钥") || !strings.Contains(got, "约 3 秒") {
		t.Errorf("progress says %q", got)
	}
	waitFor(t, "the bar to move", func() bool { return s.progressBar.Value > 0 })
	kittest.Shot(t, a.win, "setup-deriving")
	close(release)
	waitFor(t, "the recovery code", func() bool { return a.recovery != nil })
	if s.progress.Visible() {
		t.Error("progress still shown over the recovery code")
	}
	fits(t, a, "恢复码")
	kittest.Shot(t, a.win, "recovery-1024x700")
}

func TestEstimatedProgressReachesNinetyPercentAtTheEstimateAndNeverFinishes(t *testing.T) {
	est := 3 * time.Second
	for _, tc := range []struct {
		name     string
		elapsed  time.Duration
		min, max float64
	}{
		{"start", 0, 0, 0},
		{"half way", 1500 * time.Millisecond, 0.45, 0.45},
		{"at the estimate", est, 0.9, 0.9},
		{"twice the estimate", 2 * est, 0.95, 0.97},
		{"much later", 20 * est, 0.99, 0.99999999999},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if v := estimatedProgress(tc.elapsed, est); v < tc.min-1e-9 || v > tc.max+1e-9 || v >= 1 {
				t.Errorf("estimatedProgress(%v) = %v, want %v..%v and below 1", tc.elapsed, v, tc.min, tc.max)
			}
		})
	}
}

// outside lists the buttons and entries under o that are not wholly inside
// the window: clipped by a window too narrow for its content.
func outside(a *App, o fyne.CanvasObject) []string {
	size := a.win.Canvas().Size()
	d := a.fa.Driver()
	var out []string
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if !o.Visible() {
			return
		}
		switch v := o.(type) {
		case *widget.Button, *widget.Entry, *widget.Select, *widget.Check:
			p := d.AbsolutePositionForObject(o)
			if p.X < 0 || p.Y < 0 || p.X+o.Size().Width > size.Width+0.5 || p.Y+o.Size().Height > size.Height+0.5 {
				name := fmt.Sprintf("%T", o)
				if b, ok := v.(*widget.Button); ok {
					name = "button " + b.Text
				}
				out = append(out, fmt.Sprintf("%s at %v size %v", name, p, o.Size()))
			}
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c)
			}
		case *container.Scroll:
			return // what scrolls may lie below the fold
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(v).Objects() {
				walk(c)
			}
		}
	}
	walk(o)
	return out
}

// fits fails t unless the window's content asks for no more than
// DefaultSize and lays every button and entry inside the window.
func fits(t *testing.T, a *App, what string) {
	t.Helper()
	a.win.Resize(DefaultSize)
	a.win.Content().Refresh()
	if m := a.win.Content().MinSize(); m.Width > DefaultSize.Width || m.Height > DefaultSize.Height {
		t.Errorf("%s needs %v, more than %v", what, m, DefaultSize)
	}
	if out := outside(a, a.win.Content()); len(out) > 0 {
		t.Errorf("%s at %v clips: %s", what, DefaultSize, strings.Join(out, "; "))
	}
}

// Given a 1024×768 screen (a window of 1024×700), the unlock screen, the
// setup form, the register, the stocktake and the settings fit: no screen
// asks for more and no button is cut off.
func TestEveryScreenWorksAt1024x700(t *testing.T) {
	setup := newTestApp(t, filepath.Join(t.TempDir(), "data"))
	if got := setup.win.Canvas().Size(); got != DefaultSize {
		t.Errorf("a first start opens at %v, want %v", got, DefaultSize)
	}
	fits(t, setup, "首次设置")
	kittest.Shot(t, setup.win, "setup-1024x700")

	a := newTestApp(t, setUpFolder(t))
	fits(t, a, "解锁")
	kittest.Shot(t, a.win, "unlock-1024x700")
	test.Type(a.unlock.password, testPassword)
	test.Tap(a.unlock.unlock)
	waitLive(t, a)
	fits(t, a, "载体台账")
	kittest.Shot(t, a.win, "register-1024x700")
	navTo(t, a, "清点")
	fits(t, a, "清点")
	navTo(t, a, "设置")
	fits(t, a, "设置")
	kittest.Shot(t, a.win, "settings-1024x700")
}

// Given a window the officer resized, when Baomi is closed and started
// again, then it opens at that size; a size too small to use is not kept.
func TestWindowOpensAtTheRememberedSize(t *testing.T) {
	fa := test.NewTempApp(t)
	cfg := Config{Dir: setUpFolder(t), Workspace: testWS, Logger: log.New(io.Discard, "", 0), Do: kittest.Do}
	for _, tc := range []struct {
		name       string
		resize     fyne.Size
		nextOpenAt fyne.Size
	}{
		{"a larger window is kept", fyne.NewSize(1600, 900), fyne.NewSize(1600, 900)},
		{"a smaller one too", fyne.NewSize(900, 650), fyne.NewSize(900, 650)},
		{"a squeezed one is not", fyne.NewSize(300, 200), fyne.NewSize(900, 650)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := New(fa, cfg)
			a.Start()
			a.win.Resize(tc.resize)
			a.Shutdown()
			a.win.Close()
			b := New(fa, cfg)
			b.Start()
			defer b.Shutdown()
			if got := b.win.Canvas().Size(); got != tc.nextOpenAt {
				t.Errorf("opens at %v, want %v", got, tc.nextOpenAt)
			}
		})
	}
}
