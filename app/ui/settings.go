package ui

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"baomi/app/ui/kit"
	"baomi/app/version"
	"baomi/assets"
	"baomi/data"
	"baomi/data/workspace"
)

// settingsService is what the settings screen needs; *workspace.Workspace
// provides it.
type settingsService interface {
	Settings(ctx context.Context) (data.Settings, error)
	SaveSettings(ctx context.Context, s data.Settings) error
	Verify(ctx context.Context) (data.VerifyReport, error)
	ChangePassword(oldPassword, newPassword, again string, cfg workspace.Config) error
	NewRecoveryCode(password string, cfg workspace.Config) (string, error)
	RotateKeys(ctx context.Context, password string, cfg workspace.Config, progress data.Progress) error
	Unit(ctx context.Context) (data.Unit, error)
	SaveUnit(ctx context.Context, u data.Unit) error
	Head() data.AuditHead
	Operator() string
	SetOperator(name string)
}

// settingsScreen edits the unit's details (a hand-over to a new 保密员),
// changes the password, the recovery code and the auto-lock, checks the
// audit chain on demand and shows where the data lives and the version.
type settingsScreen struct {
	app     *App
	svc     settingsService
	changed func()
	content fyne.CanvasObject
	loading bool // the settings are being read (tests wait for it)

	unitName, unitCode, superior, officer *widget.Entry
	unitForm                              *kit.FieldForm
	unitBtn                               *widget.Button
	unitMsg                               *widget.Label
	unitConfirm                           *widget.PopUp // kept for tests
	unitGo                                *widget.Button
	about                                 *widget.Label

	oldPw, newPw, again *widget.Entry
	pwForm              *kit.FieldForm
	pwBtn               *widget.Button
	pwMsg               *widget.Label

	autoLock *widget.Entry
	lockForm *kit.FieldForm
	lockBtn  *widget.Button
	lockMsg  *widget.Label

	pattern *widget.Entry
	levels  *widget.Entry
	regForm *kit.FieldForm
	regBtn  *widget.Button
	regMsg  *widget.Label

	codePw   *widget.Entry
	codeForm *kit.FieldForm
	codeBtn  *widget.Button

	verifyBtn *widget.Button
	verifyMsg *widget.Label

	keysPw   *widget.Entry // the password asked again for 更换密钥
	keysForm *kit.FieldForm
	keysBtn  *widget.Button
	keysMsg  *widget.Label
	// the confirmation and progress dialogs, kept for tests
	keysConfirm        *widget.PopUp
	keysGo, keysCancel *widget.Button
	keysProgress       *widget.PopUp
	keysBar            *widget.ProgressBar
}

// Plain words for what a password change does and does not do (issue #7):
// shown on the password card and on the 更换密钥 card.
const (
	passwordNotRekeyText = "修改密码不会更换数据密钥：旧的密钥文件副本（vault.json）配上旧密码仍能打开现在的数据。" +
		"要让旧副本和旧密码作废，请使用下方的“更换密钥”。"
	rekeyText = "更换密钥会生成新的数据密钥，用它重新加密全部数据，然后删除旧的数据库文件。" +
		"此后，任何旧的密钥文件副本（无论配哪个密码）都打不开现在的数据；密码和恢复码不变。" +
		"更换前做的备份仍可用当时的密钥文件和密码打开，需要时请一并销毁。" +
		"数据越多耗时越长（10 万件载体约需 2 分钟），期间不能使用本程序；中途断电或退出不会丢失数据，下次解锁时自动完成或撤销。"
)

func newSettingsScreen(a *App, svc settingsService, changed func()) *settingsScreen {
	s := &settingsScreen{app: a, svc: svc, changed: changed}
	s.oldPw, s.newPw, s.again = widget.NewPasswordEntry(), widget.NewPasswordEntry(), widget.NewPasswordEntry()
	s.pwForm = kit.NewFieldForm(a)
	s.pwForm.Add("当前密码", s.oldPw)
	s.pwForm.Add("新密码", s.newPw)
	s.pwForm.Add("确认新密码", s.again)
	s.pwBtn = kit.Button(a, "修改密码", s.onChangePassword)
	s.pwMsg = widget.NewLabel("")

	s.autoLock = widget.NewEntry()
	s.lockForm = kit.NewFieldForm(a)
	s.lockForm.Add(data.FieldAutoLock, container.NewBorder(nil, nil, nil, widget.NewLabel("分钟无操作后锁定（0 为不锁定）"), s.autoLock))
	s.lockBtn = kit.Button(a, "保存", s.onSaveAutoLock)
	s.lockMsg = widget.NewLabel("")

	s.pattern = widget.NewEntry()
	s.levels = widget.NewMultiLineEntry()
	s.levels.SetMinRowsVisible(5)
	s.regForm = kit.NewFieldForm(a)
	s.regForm.Add(data.FieldNumberPattern, s.pattern)
	s.regForm.Add(data.FieldLevels, s.levels)
	s.regBtn = kit.Button(a, "保存", s.onSaveRegister)
	s.regMsg = widget.NewLabel("")

	s.codePw = widget.NewPasswordEntry()
	s.codeForm = kit.NewFieldForm(a)
	s.codeForm.Add("当前密码", s.codePw)
	s.codeBtn = kit.Button(a, "生成新的恢复码", s.onNewCode)

	s.keysPw = widget.NewPasswordEntry()
	s.keysForm = kit.NewFieldForm(a)
	s.keysForm.Add("当前密码", s.keysPw)
	s.keysBtn = kit.Button(a, "更换密钥…", s.onRotateKeys)
	s.keysMsg = widget.NewLabel("")
	s.keysMsg.Wrapping = fyne.TextWrapBreak

	s.verifyBtn = kit.Button(a, "立即校验", s.onVerify)
	s.verifyMsg = widget.NewLabel("")
	s.verifyMsg.Wrapping = fyne.TextWrapBreak

	s.unitName, s.unitCode, s.superior, s.officer = widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	s.unitForm = kit.NewFieldForm(a)
	s.unitForm.Add(data.FieldUnitName, s.unitName)
	s.unitForm.Add(data.FieldUnitCode, s.unitCode)
	s.unitForm.Add(data.FieldSuperior, s.superior)
	s.unitForm.Add(data.FieldOfficer, s.officer)
	s.fillUnit(a.unit)
	s.unitBtn = kit.Button(a, "保存单位信息…", s.onSaveUnit)
	s.unitMsg = widget.NewLabel("")
	s.unitMsg.Wrapping = fyne.TextWrapBreak
	s.unitMsg.Hide()
	dirInfo := widget.NewLabel("数据目录：" + a.cfg.Dir)
	dirInfo.Wrapping = fyne.TextWrapBreak
	s.about = widget.NewLabel("保密工作台 版本 " + version.String() + "\n" +
		"界面字体：文泉驿微米黑（WenQuanYi Micro Hei），Apache License 2.0。\n" +
		"加密：SM4-GCM、SM3、Argon2id。商用密码保护工作秘密和商业秘密，不作为国家秘密的保护手段。")
	s.about.Wrapping = fyne.TextWrapBreak
	_ = assets.FontLicence

	card := func(title string, objs ...fyne.CanvasObject) fyne.CanvasObject {
		return widget.NewCard(title, "", container.NewVBox(objs...))
	}
	body := container.NewVBox(
		card("本单位", kit.Wrapped("保密员交接或单位信息变化时在此修改；每次修改都记入审计链。"),
			s.unitForm.Grid, container.NewHBox(s.unitBtn), s.unitMsg, dirInfo),
		card("修改密码", kit.Wrapped(passwordNotRekeyText), s.pwForm.Grid, container.NewHBox(s.pwBtn), s.pwMsg),
		card("自动锁定", s.lockForm.Grid, container.NewHBox(s.lockBtn), s.lockMsg),
		card("台账", kit.Wrapped("编号规则可用 {单位代码}、{年}、{序号}（{序号4} 表示补足 4 位）。密级列表每行一个：名称 默认保密期限（年），0 表示无期限。"),
			s.regForm.Grid, container.NewHBox(s.regBtn), s.regMsg),
		card("恢复码", kit.Wrapped("恢复码遗失或可能泄露时，生成新的恢复码；旧恢复码随即作废。"),
			s.codeForm.Grid, container.NewHBox(s.codeBtn)),
		card("更换密钥", kit.Wrapped(rekeyText), s.keysForm.Grid, container.NewHBox(s.keysBtn), s.keysMsg),
		card("审计链校验", kit.Wrapped("逐条核对审计链和全部记录，发现篡改、丢失或损坏。"), container.NewHBox(s.verifyBtn), s.verifyMsg),
		card("关于", s.about),
	)
	s.content = container.NewVScroll(container.NewPadded(body))
	s.load()
	return s
}

// load reads the settings in the background and fills the auto-lock and
// register fields with them; until then their 保存 buttons are off. It
// does not go through kit.InBackground, which would skip the read while
// another job runs and leave the page empty.
func (s *settingsScreen) load() {
	s.loading = true
	s.lockBtn.Disable()
	s.regBtn.Disable()
	go func() {
		set, err := s.svc.Settings(bgctx)
		s.app.Do(func() {
			s.loading = false
			if err != nil {
				s.app.log.Printf("settings: %v", err)
				s.lockMsg.SetText(data.Message(err))
				s.regMsg.SetText(data.Message(err))
				return
			}
			s.autoLock.SetText(kit.Itoa(set.AutoLockMinutes))
			s.pattern.SetText(set.NumberPattern)
			s.levels.SetText(levelsText(set.Classifications))
			s.lockBtn.Enable()
			s.regBtn.Enable()
		})
	}()
}

// fillUnit shows u in the unit's fields.
func (s *settingsScreen) fillUnit(u data.Unit) {
	s.unitName.SetText(u.Name)
	s.unitCode.SetText(u.Code)
	s.superior.SetText(u.Superior)
	s.officer.SetText(u.Officer)
}

// unitChanges lists, one line each, the fields of the unit that differ
// between old and u: "保密员：张保密 → 李新".
func unitChanges(old, u data.Unit) []string {
	var out []string
	for _, f := range []struct{ name, old, new string }{
		{data.FieldUnitName, old.Name, u.Name},
		{data.FieldUnitCode, old.Code, u.Code},
		{data.FieldSuperior, old.Superior, u.Superior},
		{data.FieldOfficer, old.Officer, u.Officer},
	} {
		if f.old != f.new {
			out = append(out, fmt.Sprintf("%s：%s → %s", f.name, orNone(f.old), orNone(f.new)))
		}
	}
	return out
}

// orNone shows an empty value as （空）.
func orNone(v string) string {
	if v == "" {
		return "（空）"
	}
	return v
}

// onSaveUnit checks the unit's fields and asks to confirm the changes,
// naming each one and who records them.
func (s *settingsScreen) onSaveUnit() {
	old := s.app.unit
	u := data.Unit{Name: s.unitName.Text, Code: s.unitCode.Text, Superior: s.superior.Text, Officer: s.officer.Text,
		CreatedAt: old.CreatedAt}
	u.Normalize()
	if err := u.Validate(); err != nil {
		var fe data.FieldErrors
		errors.As(err, &fe)
		s.unitForm.Show(fe)
		kit.ShowMessage(s.app, s.unitMsg, "请改正标红的项目。")
		return
	}
	s.unitForm.Show(nil)
	changes := unitChanges(old, u)
	if len(changes) == 0 {
		kit.ShowMessage(s.app, s.unitMsg, "单位信息没有改动。")
		return
	}
	kit.ShowMessage(s.app, s.unitMsg, "")
	text := "将修改：\n" + strings.Join(changes, "\n") +
		"\n\n此次修改以操作人“" + orNone(s.svc.Operator()) + "”记入审计链。"
	if old.Officer != u.Officer {
		text += "此后的登记和经历以新保密员“" + u.Officer + "”为操作人。"
	}
	if old.Code != u.Code {
		text += "新登记载体的编号使用新的单位代码；已有编号不变。"
	}
	cancel := kit.Button(s.app, "取消", func() { s.unitConfirm.Hide() })
	s.unitGo = kit.Button(s.app, "确认修改", func() { s.unitConfirm.Hide(); s.saveUnit(u, changes) })
	s.unitGo.Importance = widget.HighImportance
	s.unitConfirm = kit.NewModal(s.app.win, container.NewVBox(
		widget.NewLabelWithStyle("修改单位信息", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		kit.Sized(kit.Wrapped(text), 480), container.NewHBox(cancel, s.unitGo)))
	s.unitConfirm.Show()
}

// saveUnit stores u through the store's audited write; the status bar and
// the operator of later audit entries follow at once.
func (s *settingsScreen) saveUnit(u data.Unit, changes []string) {
	operator := s.svc.Operator()
	kit.InBackground(s.app, "正在保存单位信息……", func(ctx context.Context) (data.AuditHead, error) {
		if err := s.svc.SaveUnit(ctx, u); err != nil {
			return data.AuditHead{}, err
		}
		s.svc.SetOperator(u.Officer)
		return s.svc.Head(), nil
	}, func(head data.AuditHead, err error) {
		var fe data.FieldErrors
		if errors.As(err, &fe) {
			s.unitForm.Show(fe)
			kit.ShowMessage(s.app, s.unitMsg, "请改正标红的项目。")
			return
		}
		if err != nil {
			s.app.log.Printf("save unit: %v", err)
			kit.ShowMessage(s.app, s.unitMsg, data.Message(err))
			return
		}
		s.app.unit = u
		s.fillUnit(u)
		s.changed()
		kit.ShowMessage(s.app, s.unitMsg, fmt.Sprintf("已保存（审计链 #%d，操作人：%s）：%s。", head.Seq, orNone(operator), strings.Join(changes, "；")))
	})
}

func (s *settingsScreen) onChangePassword() {
	oldPw, newPw, again := s.oldPw.Text, s.newPw.Text, s.again.Text
	if err := data.CheckPassword(newPw, again); err != nil {
		s.pwForm.Show(kit.Renamed(err.(data.FieldErrors), newPasswordNames))
		return
	}
	s.pwForm.Show(nil)
	s.pwBtn.Disable()
	done := s.app.Busy("正在用新密码重新加密密钥……")
	cfg := s.app.cfg.Workspace
	go func() {
		err := s.svc.ChangePassword(oldPw, newPw, again, cfg)
		s.app.Do(func() {
			done()
			s.pwBtn.Enable()
			if err != nil {
				if fe, ok := err.(data.FieldErrors); ok {
					s.pwForm.Show(kit.Renamed(fe, newPasswordNames))
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
		s.lockForm.Show(data.FieldErrors{{Field: data.FieldAutoLock, Problem: "请填写整数分钟"}})
		return
	}
	kit.InBackground(s.app, "正在保存……", func(ctx context.Context) (struct{}, error) {
		set, err := s.svc.Settings(ctx)
		if err == nil {
			set.AutoLockMinutes = n
			err = s.svc.SaveSettings(ctx, set)
		}
		return struct{}{}, err
	}, func(_ struct{}, err error) { s.savedAutoLock(n, err) })

}

// savedAutoLock shows how saving the auto-lock minutes went.
func (s *settingsScreen) savedAutoLock(n int, err error) {
	if fe, ok := err.(data.FieldErrors); ok {
		s.lockForm.Show(fe)
		return
	}
	s.lockForm.Show(nil)
	if err != nil {
		s.app.log.Printf("save settings: %v", err)
		s.lockMsg.SetText(data.Message(err))
		return
	}
	s.app.setAutoLock(n)
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
	done := s.app.Busy("正在生成新的恢复码……")
	go func() {
		code, err := s.svc.NewRecoveryCode(pw, cfg)
		s.app.Do(func() {
			done()
			s.codeBtn.Enable()
			if fe, ok := err.(data.FieldErrors); ok {
				s.codeForm.Show(fe)
				return
			}
			if err != nil {
				s.app.log.Printf("new recovery code: %v", err)
				s.codeForm.Show(data.FieldErrors{{Field: "当前密码", Problem: data.Message(err)}})
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
		s.app.Do(func() {
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
	if err != nil {
		s.savedRegister(err)
		return
	}
	pattern := strings.TrimSpace(s.pattern.Text)
	kit.InBackground(s.app, "正在保存……", func(ctx context.Context) (struct{}, error) {
		set, err := s.svc.Settings(ctx)
		if err == nil {
			set.NumberPattern, set.Classifications = pattern, levels
			err = s.svc.SaveSettings(ctx, set)
		}
		return struct{}{}, err
	}, func(_ struct{}, err error) { s.savedRegister(err) })

}

// savedRegister shows how saving the register settings went.
func (s *settingsScreen) savedRegister(err error) {
	if fe, ok := err.(data.FieldErrors); ok {
		s.regForm.Show(fe)
		s.regMsg.SetText("")
		return
	}
	s.regForm.Show(nil)
	if err != nil {
		s.app.log.Printf("save register settings: %v", err)
		s.regMsg.SetText(data.Message(err))
		return
	}
	s.changed()
	s.regMsg.SetText("已保存。新登记的载体按新的编号规则编号；密级列表立即生效。")
}

// onRotateKeys asks for confirmation, then re-keys the store off the UI
// goroutine behind a progress dialog and shows the result.
func (s *settingsScreen) onRotateKeys() {
	if s.keysPw.Text == "" {
		s.keysForm.Show(data.FieldErrors{{Field: "当前密码", Problem: "必须填写"}})
		return
	}
	s.keysForm.Show(nil)
	s.keysGo = kit.Button(s.app, "更换密钥", func() { s.keysConfirm.Hide(); s.rotateKeys() })
	s.keysGo.Importance = widget.DangerImportance
	s.keysCancel = kit.Button(s.app, "取消", func() { s.keysConfirm.Hide() })
	s.keysConfirm = kit.NewModal(s.app.win, container.NewVBox(
		widget.NewLabelWithStyle("更换密钥", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewGridWrap(fyne.NewSize(520, 150), kit.Wrapped("将用新密钥重新加密全部数据并删除旧的数据库文件；完成前不能使用本程序。"+
			"完成后，旧的密钥文件副本打不开现在的数据，密码和恢复码不变。现在更换吗？")),
		container.NewHBox(s.keysCancel, s.keysGo)))
	s.keysConfirm.Show()
}

func (s *settingsScreen) rotateKeys() {
	pw, cfg := s.keysPw.Text, s.app.cfg.Workspace
	s.keysBtn.Disable()
	s.keysMsg.SetText("")
	s.keysBar = widget.NewProgressBar()
	status := widget.NewLabel("正在用新密钥重新加密数据……")
	s.keysProgress = kit.NewModal(s.app.win, container.NewVBox(status, container.NewGridWrap(fyne.NewSize(420, 36), s.keysBar)))
	s.keysProgress.Show()
	// No idle lock while the store is closed for the work; closing the
	// store from the lock would race with it.
	s.app.idle.stop()
	start := time.Now()
	go func() {
		s.app.storeMu.Lock() // a lock or quit meanwhile waits for the work
		err := s.svc.RotateKeys(context.Background(), pw, cfg, func(done, total int) {
			s.app.Do(func() {
				s.keysBar.SetValue(float64(done) / float64(max(total, 1)))
				if done >= total/2 {
					status.SetText("正在用新密钥校验全部数据……")
				}
			})
		})
		s.app.storeMu.Unlock()
		s.app.Do(func() {
			s.keysProgress.Hide()
			s.keysBtn.Enable()
			s.app.restartIdle()
			if fe, ok := err.(data.FieldErrors); ok {
				s.keysForm.Show(fe)
				return
			}
			if err != nil {
				s.app.log.Printf("rotate keys: %v", err)
				s.keysMsg.SetText(data.Message(err))
				return
			}
			s.keysPw.SetText("")
			s.keysMsg.SetText(fmt.Sprintf("已更换密钥（用时 %.0f 秒）：全部数据已用新密钥重新加密并校验通过，旧的数据库文件已删除。"+
				"旧的密钥文件副本从此打不开现在的数据；密码和恢复码不变。", time.Since(start).Seconds()))
			s.changed()
		})
	}()
}
