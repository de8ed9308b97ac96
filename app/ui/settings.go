package ui

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"baomi/assets"
	"baomi/data"
	"baomi/data/workspace"
)

// settingsScreen changes the password and the auto-lock, checks the audit
// chain on demand and shows where the data lives.
type settingsScreen struct {
	app     *App
	ws      *workspace.Workspace
	changed func()
	content fyne.CanvasObject

	oldPw, newPw, again *widget.Entry
	pwForm              *fieldForm
	pwBtn               *widget.Button
	pwMsg               *widget.Label

	autoLock *widget.Entry
	lockForm *fieldForm
	lockBtn  *widget.Button
	lockMsg  *widget.Label

	verifyBtn *widget.Button
	verifyMsg *widget.Label
}

func newSettingsScreen(a *App, ws *workspace.Workspace, changed func()) *settingsScreen {
	s := &settingsScreen{app: a, ws: ws, changed: changed}
	s.oldPw, s.newPw, s.again = widget.NewPasswordEntry(), widget.NewPasswordEntry(), widget.NewPasswordEntry()
	s.pwForm = a.newFieldForm()
	s.pwForm.add("当前密码", s.oldPw)
	s.pwForm.add("新密码", s.newPw)
	s.pwForm.add("确认新密码", s.again)
	s.pwBtn = a.button("修改密码", s.onChangePassword)
	s.pwMsg = widget.NewLabel("")

	set, err := ws.Store.Settings(context.Background())
	if err != nil {
		a.log.Printf("settings: %v", err)
		set = data.DefaultSettings()
	}
	s.autoLock = widget.NewEntry()
	s.autoLock.SetText(itoa(set.AutoLockMinutes))
	s.lockForm = a.newFieldForm()
	s.lockForm.add(data.FieldAutoLock, container.NewBorder(nil, nil, nil, widget.NewLabel("分钟无操作后锁定（0 为不锁定）"), s.autoLock))
	s.lockBtn = a.button("保存", s.onSaveAutoLock)
	s.lockMsg = widget.NewLabel("")

	s.verifyBtn = a.button("立即校验", s.onVerify)
	s.verifyMsg = widget.NewLabel("")
	s.verifyMsg.Wrapping = fyne.TextWrapBreak

	u := a.unit
	unitInfo := widget.NewLabel(fmt.Sprintf("单位名称：%s\n单位代码：%s\n上级单位：%s\n保密员：%s\n数据目录：%s",
		u.Name, u.Code, u.Superior, u.Officer, ws.Dir))
	unitInfo.Wrapping = fyne.TextWrapBreak
	licence := widget.NewLabel("界面字体：文泉驿微米黑（WenQuanYi Micro Hei），Apache License 2.0。\n" +
		"加密：SM4-GCM、SM3、Argon2id。商用密码保护工作秘密和商业秘密，不作为国家秘密的保护手段。")
	licence.Wrapping = fyne.TextWrapBreak
	_ = assets.FontLicence

	card := func(title string, objs ...fyne.CanvasObject) fyne.CanvasObject {
		return widget.NewCard(title, "", container.NewVBox(objs...))
	}
	body := container.NewVBox(
		card("本单位", unitInfo),
		card("修改密码", s.pwForm.grid, container.NewHBox(s.pwBtn), s.pwMsg),
		card("自动锁定", s.lockForm.grid, container.NewHBox(s.lockBtn), s.lockMsg),
		card("审计链校验", widget.NewLabel("逐条核对审计链和全部记录，发现篡改、丢失或损坏。"), container.NewHBox(s.verifyBtn), s.verifyMsg),
		card("关于", licence),
	)
	s.content = container.NewVScroll(container.NewPadded(body))
	return s
}

func (s *settingsScreen) onChangePassword() {
	oldPw, newPw, again := s.oldPw.Text, s.newPw.Text, s.again.Text
	if err := data.CheckPassword(newPw, again); err != nil {
		s.pwForm.show(renamed(err.(data.FieldErrors), newPasswordNames))
		return
	}
	s.pwForm.show(nil)
	s.pwBtn.Disable()
	done := s.app.busy("正在用新密码重新加密密钥……")
	cfg := s.app.cfg.Workspace
	go func() {
		err := s.ws.ChangePassword(oldPw, newPw, again, cfg)
		s.app.do(func() {
			done()
			s.pwBtn.Enable()
			if err != nil {
				if fe, ok := err.(data.FieldErrors); ok {
					s.pwForm.show(renamed(fe, newPasswordNames))
					return
				}
				s.app.log.Printf("change password: %v", err)
				s.pwMsg.SetText(data.Message(err))
				return
			}
			s.oldPw.SetText("")
			s.newPw.SetText("")
			s.again.SetText("")
			s.pwMsg.SetText("密码已修改。下次解锁请使用新密码；恢复码不变。")
		})
	}()
}

func (s *settingsScreen) onSaveAutoLock() {
	n, err := strconv.Atoi(strings.TrimSpace(s.autoLock.Text))
	if err != nil {
		s.lockForm.show(data.FieldErrors{{Field: data.FieldAutoLock, Problem: "请填写整数分钟"}})
		return
	}
	set, err := s.ws.Store.Settings(bgctx)
	if err == nil {
		set.AutoLockMinutes = n
		err = s.ws.Store.SaveSettings(bgctx, set)
	}
	if fe, ok := err.(data.FieldErrors); ok {
		s.lockForm.show(fe)
		return
	}
	s.lockForm.show(nil)
	if err != nil {
		s.app.log.Printf("save settings: %v", err)
		s.lockMsg.SetText(data.Message(err))
		return
	}
	s.app.applySettings()
	s.changed()
	if n == 0 {
		s.lockMsg.SetText("已保存：不自动锁定。")
	} else {
		s.lockMsg.SetText(fmt.Sprintf("已保存：%d 分钟无操作后自动锁定。", n))
	}
}

func (s *settingsScreen) onVerify() {
	s.verifyBtn.Disable()
	s.verifyMsg.SetText("正在校验……")
	st := s.ws.Store
	go func() {
		rep, err := st.Verify(context.Background())
		s.app.do(func() {
			s.verifyBtn.Enable()
			if err != nil {
				s.app.showProblem("数据校验未通过", err)
				return
			}
			s.verifyMsg.SetText(fmt.Sprintf("校验通过：%d 条审计记录、%d 条数据记录完好。%s",
				rep.Entries, rep.Records, headText(rep.Head)))
		})
	}()
}
