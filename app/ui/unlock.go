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
}

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

	body := container.NewVBox(kit.Heading("保密工作台"), widget.NewLabel("数据已加密锁定。请输入密码解锁。"),
		s.password, s.message, container.NewHBox(s.unlock, s.forgot), s.recoverBox)
	s.content = container.NewVScroll(container.NewPadded(container.NewCenter(kit.Sized(body, 520))))
	return s
}

func (s *unlockScreen) onUnlock() {
	if wait := time.Until(s.waitUntil); wait > 0 {
		kit.ShowMessage(s.app, s.message, fmt.Sprintf("请 %d 秒后再试。", int(wait.Seconds()+0.999)))
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
	msg := fmt.Sprintf("密码不正确（连续第 %d 次）。", s.app.failures)
	if delay > 0 {
		msg += fmt.Sprintf("请 %d 秒后再试。", int(delay.Seconds()+0.999))
		s.unlock.Disable()
		time.AfterFunc(delay, func() { s.app.Do(s.unlock.Enable) })
	}
	kit.ShowMessage(s.app, s.message, msg)
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
