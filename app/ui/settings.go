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
	"baomi/data/store"
	"baomi/data/workspace"
)

// settingsService is what the settings screen needs; *workspace.Workspace
// provides it.
type settingsService interface {
	Settings(ctx context.Context) (data.Settings, error)
	SaveSettings(ctx context.Context, s data.Settings) error
	Verify(ctx context.Context) (store.Report, error)
	ChangePassword(oldPassword, newPassword, again string, cfg workspace.Config) error
	NewRecoveryCode(password string, cfg workspace.Config) (string, error)
}

// settingsScreen changes the password, the recovery code and the
// auto-lock, checks the audit chain on demand and shows where the data
// lives.
type settingsScreen struct {
	app     *App
	svc     settingsService
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

	pattern *widget.Entry
	levels  *widget.Entry
	regForm *fieldForm
	regBtn  *widget.Button
	regMsg  *widget.Label

	codePw   *widget.Entry
	codeForm *fieldForm
	codeBtn  *widget.Button

	verifyBtn *widget.Button
	verifyMsg *widget.Label
}

func newSettingsScreen(a *App, svc settingsService, changed func()) *settingsScreen {
	s := &settingsScreen{app: a, svc: svc, changed: changed}
	s.oldPw, s.newPw, s.again = widget.NewPasswordEntry(), widget.NewPasswordEntry(), widget.NewPasswordEntry()
	s.pwForm = a.newFieldForm()
	s.pwForm.add("当前密码", s.oldPw)
	s.pwForm.add("新密码", s.newPw)
	s.pwForm.add("确认新密码", s.again)
	s.pwBtn = a.button("修改密码", s.onChangePassword)
	s.pwMsg = widget.NewLabel("")

	set, err := svc.Settings(context.Background())
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

	s.pattern = widget.NewEntry()
	s.pattern.SetText(set.NumberPattern)
	s.levels = widget.NewMultiLineEntry()
	s.levels.SetText(levelsText(set.Classifications))
	s.levels.SetMinRowsVisible(5)
	s.regForm = a.newFieldForm()
	s.regForm.add(data.FieldNumberPattern, s.pattern)
	s.regForm.add(data.FieldLevels, s.levels)
	s.regBtn = a.button("保存", s.onSaveRegister)
	s.regMsg = widget.NewLabel("")

	s.codePw = widget.NewPasswordEntry()
	s.codeForm = a.newFieldForm()
	s.codeForm.add("当前密码", s.codePw)
	s.codeBtn = a.button("生成新的恢复码", s.onNewCode)

	s.verifyBtn = a.button("立即校验", s.onVerify)
	s.verifyMsg = widget.NewLabel("")
	s.verifyMsg.Wrapping = fyne.TextWrapBreak

	u := a.unit
	unitInfo := widget.NewLabel(fmt.Sprintf("单位名称：%s\n单位代码：%s\n上级单位：%s\n保密员：%s\n数据目录：%s",
		u.Name, u.Code, u.Superior, u.Officer, a.cfg.Dir))
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
		card("台账", widget.NewLabel("编号规则可用 {单位代码}、{年}、{序号}（{序号4} 表示补足 4 位）。密级列表每行一个：名称 默认保密期限（年），0 表示无期限。"),
			s.regForm.grid, container.NewHBox(s.regBtn), s.regMsg),
		card("恢复码", widget.NewLabel("恢复码遗失或可能泄露时，生成新的恢复码；旧恢复码随即作废。"),
			s.codeForm.grid, container.NewHBox(s.codeBtn)),
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
		err := s.svc.ChangePassword(oldPw, newPw, again, cfg)
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
	set, err := s.svc.Settings(bgctx)
	if err == nil {
		set.AutoLockMinutes = n
		err = s.svc.SaveSettings(bgctx, set)
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

// onNewCode replaces the recovery code and shows the new one once.
func (s *settingsScreen) onNewCode() {
	pw, cfg := s.codePw.Text, s.app.cfg.Workspace
	s.codeBtn.Disable()
	done := s.app.busy("正在生成新的恢复码……")
	go func() {
		code, err := s.svc.NewRecoveryCode(pw, cfg)
		s.app.do(func() {
			done()
			s.codeBtn.Enable()
			if fe, ok := err.(data.FieldErrors); ok {
				s.codeForm.show(fe)
				return
			}
			if err != nil {
				s.app.log.Printf("new recovery code: %v", err)
				s.codeForm.show(data.FieldErrors{{Field: "当前密码", Problem: data.Message(err)}})
				return
			}
			s.codePw.SetText("")
			s.app.showRecovery(s.app.workspace(), code)
		})
	}()
}

func (s *settingsScreen) onVerify() {
	s.verifyBtn.Disable()
	s.verifyMsg.SetText("正在校验……")
	go func() {
		rep, err := s.svc.Verify(context.Background())
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

// levelsText shows a 密级 list one per line: "机密 20".
func levelsText(levels []data.Classification) string {
	lines := make([]string, len(levels))
	for i, l := range levels {
		lines[i] = fmt.Sprintf("%s %d", l.Name, l.DefaultYears)
	}
	return strings.Join(lines, "\n")
}

// parseLevels reads the 密级 list editor.
func parseLevels(text string) ([]data.Classification, error) {
	var out []data.Classification
	for i, line := range strings.Split(strings.ReplaceAll(text, "\r", ""), "\n") {
		f := strings.Fields(data.HalfWidth(line))
		if len(f) == 0 {
			continue
		}
		years := 0
		if len(f) > 1 {
			n, err := strconv.Atoi(strings.TrimSuffix(f[1], "年"))
			if err != nil || len(f) > 2 {
				return nil, data.FieldErrors{{Field: data.FieldLevels, Problem: fmt.Sprintf("第 %d 行应为“名称 年数”，如“机密 20”", i+1)}}
			}
			years = n
		}
		out = append(out, data.Classification{Name: f[0], DefaultYears: years})
	}
	return out, nil
}

// onSaveRegister saves the 编号 pattern and the 密级 list.
func (s *settingsScreen) onSaveRegister() {
	levels, err := parseLevels(s.levels.Text)
	if err == nil {
		var set data.Settings
		set, err = s.svc.Settings(bgctx)
		if err == nil {
			set.NumberPattern, set.Classifications = strings.TrimSpace(s.pattern.Text), levels
			err = s.svc.SaveSettings(bgctx, set)
		}
	}
	if fe, ok := err.(data.FieldErrors); ok {
		s.regForm.show(fe)
		s.regMsg.SetText("")
		return
	}
	s.regForm.show(nil)
	if err != nil {
		s.app.log.Printf("save register settings: %v", err)
		s.regMsg.SetText(data.Message(err))
		return
	}
	s.changed()
	s.regMsg.SetText("已保存。新登记的载体按新的编号规则编号；密级列表立即生效。")
}
