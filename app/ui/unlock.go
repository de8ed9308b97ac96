package ui

import (
	"errors"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"baomi/app/ui/kit"
	"baomi/data"
	"baomi/data/workspace"
)

// unlockScreen asks for the password, or for the recovery code and a new
// password when the password is forgotten. After a wrong password it
// refuses further tries for a growing delay.
type unlockScreen struct {
	app     *App
	content fyne.CanvasObject

	password *widget.Entry
	unlock   *widget.Button
	message  *widget.Label
	forgot   *widget.Button

	recoverBox          *fyne.Container
	code, newPw, again2 *widget.Entry
	recoverForm         *kit.FieldForm
	recoverBtn          *widget.Button

	waitUntil time.Time
	failText  string // what the last refusal said before its "请 N 秒后再试"
	opens     *widget.Label
	why       *widget.Label // why the window is locked: after N idle minutes
}

// opensText says what the unlock screen opens. Before the first unlock
// nothing but the folder is known: the unit is inside the encrypted store
// and its snapshot, and the vault file holds only wrapped keys. After a
// lock in the same session the unit read at unlock is still known.
func opensText(u data.Unit, dir string) string {
	if u.Name == "" {
		return "数据目录：" + dir
	}
	return "单位：" + u.Name + "\n数据目录：" + dir
}

// lockedText says why the window is locked; "" after a start or a lock by
// hand.
func lockedText(idleMinutes int) string {
	if idleMinutes <= 0 {
		return ""
	}
	return fmt.Sprintf("已在 %d 分钟无操作后自动锁定。", idleMinutes)
}

// seconds rounds a wait up to whole seconds for "请 N 秒后再试".
func seconds(d time.Duration) int { return int((d + time.Second - 1) / time.Second) }

func newUnlockScreen(a *App) *unlockScreen {
	s := &unlockScreen{app: a}
	s.password = widget.NewPasswordEntry()
	s.password.SetPlaceHolder("请输入密码")
	s.password.OnChanged = func(string) { a.Touch() }
	s.password.OnSubmitted = func(string) { s.onUnlock() }
	s.unlock = kit.Button(a, "解锁", s.onUnlock)
	s.unlock.Importance = widget.HighImportance
	s.message = kit.ErrorLabel()
	s.forgot = kit.Button(a, "忘记密码？使用恢复码", s.onForgot)
	s.forgot.Importance = widget.LowImportance

	s.code = widget.NewEntry()
	s.code.SetPlaceHolder("XXXXX-XXXXX-XXXXX-XXXXX-XXXXX")
	s.newPw = widget.NewPasswordEntry()
	s.again2 = widget.NewPasswordEntry()
	s.recoverForm = kit.NewFieldForm(a)
	s.recoverForm.Add("恢复码", s.code)
	s.recoverForm.Add("新密码", s.newPw)
	s.recoverForm.Add("确认新密码", s.again2)
	s.recoverBtn = kit.Button(a, "重设密码并解锁", s.onRecover)
	s.recoverBox = container.NewVBox(widget.NewSeparator(), widget.NewLabel("用恢复码重设密码："),
		s.recoverForm.Grid, container.NewHBox(s.recoverBtn))
	s.recoverBox.Hide()

	s.opens = widget.NewLabel(opensText(a.unit, a.cfg.Dir))
	s.opens.Wrapping = fyne.TextWrapBreak
	s.why = widget.NewLabel(lockedText(a.autoLocked))
	s.why.Importance = widget.WarningImportance
	s.why.Wrapping = fyne.TextWrapBreak
	if s.why.Text == "" {
		s.why.Hide()
	}
	body := container.NewVBox(kit.Heading("保密工作台"), s.why, widget.NewLabel("数据已加密锁定。请输入密码解锁。"), s.opens,
		s.password, s.message, container.NewHBox(s.unlock, s.forgot), s.recoverBox)
	s.content = container.NewVScroll(container.NewPadded(container.NewCenter(kit.Sized(body, 520))))
	return s
}

func (s *unlockScreen) onUnlock() {
	if wait := time.Until(s.waitUntil); wait > 0 {
		kit.ShowMessage(s.app, s.message, s.failText+fmt.Sprintf("请 %d 秒后再试。", seconds(wait)))
		return
	}
	if s.password.Text == "" {
		kit.ShowMessage(s.app, s.message, "请输入密码。")
		return
	}
	pw := s.password.Text
	s.unlock.Disable()
	done := s.app.Busy("正在验证密码并打开数据……")
	dir, cfg := s.app.cfg.Dir, s.app.cfg.Workspace
	s.app.openAndVerify(func() (*workspace.Keys, error) {
		k, err := workspace.UnlockKeys(dir, pw, cfg)
		s.app.Do(done)
		return k, err
	}, func(err error) {
		s.unlock.Enable()
		s.onFailed(err)
	})
}

// onFailed shows why unlocking failed; a wrong password starts the delay.
func (s *unlockScreen) onFailed(err error) {
	s.app.log.Printf("unlock: %v", err)
	if !errors.Is(err, data.ErrWrongPassword) {
		kit.ShowMessage(s.app, s.message, data.Message(err))
		return
	}
	s.app.failures++
	delay := s.app.cfg.FailDelay(s.app.failures)
	s.waitUntil = time.Now().Add(delay)
	s.password.SetText("")
	s.failText = fmt.Sprintf("密码不正确（连续第 %d 次）。", s.app.failures)
	if delay <= 0 {
		kit.ShowMessage(s.app, s.message, s.failText)
		return
	}
	s.unlock.Disable()
	s.countDown(s.waitUntil)
}

// countDown shows the seconds left until, once a second, and when the
// wait is over enables 解锁 and says so: a "请 1 秒后再试" never stays. A
// newer refusal (another until) or another screen ends the count.
func (s *unlockScreen) countDown(until time.Time) {
	if s.app.unlock != s || !s.waitUntil.Equal(until) {
		return
	}
	wait := time.Until(until)
	if wait <= 0 {
		s.unlock.Enable()
		kit.ShowMessage(s.app, s.message, s.failText+"现在可以再试。")
		return
	}
	kit.ShowMessage(s.app, s.message, s.failText+fmt.Sprintf("请 %d 秒后再试。", seconds(wait)))
	step := wait % time.Second
	if step == 0 {
		step = time.Second
	}
	time.AfterFunc(step, func() { s.app.Do(func() { s.countDown(until) }) })
}

func (s *unlockScreen) onForgot() {
	s.recoverBox.Show()
	s.app.Relayout()
	s.app.win.Canvas().Focus(s.code)
}

func (s *unlockScreen) onRecover() {
	if err := data.CheckPassword(s.newPw.Text, s.again2.Text); err != nil {
		s.recoverForm.Show(kit.Renamed(err.(data.FieldErrors), newPasswordNames))
		return
	}
	s.recoverForm.Show(nil)
	code, pw := s.code.Text, s.newPw.Text
	s.recoverBtn.Disable()
	done := s.app.Busy("正在验证恢复码并重设密码……")
	dir, cfg := s.app.cfg.Dir, s.app.cfg.Workspace
	s.app.openAndVerify(func() (*workspace.Keys, error) {
		k, err := workspace.RecoverKeys(dir, code, pw, cfg)
		s.app.Do(done)
		return k, err
	}, func(err error) {
		s.recoverBtn.Enable()
		s.app.log.Printf("recover: %v", err)
		if errors.Is(err, data.ErrWrongPassword) {
			s.recoverForm.Show(data.FieldErrors{{Field: "恢复码", Problem: "不正确"}})
			return
		}
		kit.ShowMessage(s.app, s.message, data.Message(err))
	})
}
