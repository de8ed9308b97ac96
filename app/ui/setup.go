package ui

import (
	"errors"
	"fmt"
	"math"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"baomi/app/ui/kit"
	"baomi/data"
	"baomi/data/workspace"
)

// setupScreen is the first-run wizard: the unit's details and the password.
// With withPassword false it only completes the unit's details of a store
// whose setup was interrupted.
type setupScreen struct {
	app          *App
	withPassword bool
	content      fyne.CanvasObject

	name, code, superior, officer *widget.Entry
	password, again               *widget.Entry
	current                       *widget.Entry // interrupted setup: to make a new recovery code
	strength                      *widget.Label
	form                          *kit.FieldForm
	message                       *widget.Label
	create                        *widget.Button
	// the key derivation's progress dialog, kept for tests
	progress    *widget.PopUp
	progressBar *widget.ProgressBar
}

// setupEstimate is how long creating a data folder takes: calibrating
// Argon2id and three derivations at the calibrated cost of about 0.6 s
// each (password, recovery code, the setup-done record), plus creating
// the store. Measured on a 2-core machine: 3.5 s, 6.0 s while another
// build ran.
const setupEstimate = 3 * time.Second

// estimatedProgress returns the progress bar's value after elapsed of work
// estimated to take est: 90 % at est, then creeping towards (never
// reaching) 100 % while the work goes on.
func estimatedProgress(elapsed, est time.Duration) float64 {
	if elapsed <= est {
		return 0.9 * float64(elapsed) / float64(est)
	}
	return 0.9 + 0.1*(1-math.Exp(-float64(elapsed-est)/float64(est)))
}

func newSetupScreen(a *App, withPassword bool) *setupScreen {
	s := &setupScreen{app: a, withPassword: withPassword}
	s.name = widget.NewEntry()
	s.name.SetPlaceHolder("例如：某市财政局")
	s.code = widget.NewEntry()
	s.code.SetPlaceHolder("字母或数字，用于载体编号，例如 CZJ")
	s.superior = widget.NewEntry()
	s.superior.SetPlaceHolder("例如：某市国家保密局")
	s.officer = widget.NewEntry()
	s.officer.SetPlaceHolder("保密员姓名")
	s.form = kit.NewFieldForm(a)
	s.form.Add(data.FieldUnitName, s.name)
	s.form.Add(data.FieldUnitCode, s.code)
	s.form.Add(data.FieldSuperior, s.superior)
	s.form.Add(data.FieldOfficer, s.officer)
	intro := "欢迎使用保密工作台。请填写本单位信息，并设置开启数据的密码。"
	if withPassword {
		s.password = widget.NewPasswordEntry()
		s.password.SetPlaceHolder(fmt.Sprintf("至少 %d 个字符", data.MinPasswordLength))
		s.again = widget.NewPasswordEntry()
		s.strength = widget.NewLabel("")
		s.password.OnChanged = func(pw string) { s.onPasswordChanged(pw) }
		s.form.Add(data.FieldPassword, container.NewVBox(s.password, s.strength))
		s.form.Add(data.FieldPassword2, s.again)
		s.again.OnSubmitted = func(string) { s.onCreate() }
	} else {
		intro = "上次初始化未完成：密码已设置，但单位信息和恢复码还没有保存。请补填本单位信息，并再次输入密码，以生成新的恢复码。"
		s.current = widget.NewPasswordEntry()
		s.form.Add("当前密码", s.current)
		s.current.OnSubmitted = func(string) { s.onCreate() }
	}
	s.message = kit.ErrorLabel()
	label := "创建并进入"
	if !withPassword {
		label = "保存并进入"
	}
	s.create = kit.Button(a, label, s.onCreate)
	s.create.Importance = widget.HighImportance
	note := widget.NewLabel("数据保存在：" + a.cfg.Dir + "\n所有记录均以国密 SM4 加密保存；商用密码用于保护工作秘密和商业秘密，不作为国家秘密的保护手段。")
	note.Wrapping = fyne.TextWrapBreak
	introLabel := widget.NewLabel(intro)
	introLabel.Wrapping = fyne.TextWrapBreak
	body := container.NewVBox(kit.Heading("保密工作台 · 首次设置"), introLabel, s.form.Grid, s.message,
		container.NewHBox(s.create), widget.NewSeparator(), note)
	s.content = container.NewVScroll(container.NewPadded(container.NewCenter(kit.Sized(body, 640))))
	return s
}

func (s *setupScreen) onPasswordChanged(pw string) {
	s.app.Touch()
	if pw == "" {
		s.strength.SetText("")
		return
	}
	_, hint := data.PasswordStrength(pw)
	s.strength.SetText("强度：" + hint)
}

func (s *setupScreen) unit() data.Unit {
	return data.Unit{Name: s.name.Text, Code: s.code.Text, Superior: s.superior.Text, Officer: s.officer.Text}
}

func (s *setupScreen) onCreate() {
	u := s.unit()
	u.Normalize()
	var errs data.FieldErrors
	if err := u.Validate(); err != nil {
		errs = append(errs, err.(data.FieldErrors)...)
	}
	if s.withPassword {
		if err := data.CheckPassword(s.password.Text, s.again.Text); err != nil {
			errs = append(errs, err.(data.FieldErrors)...)
		}
	}
	s.form.Show(errs)
	if len(errs) > 0 {
		kit.ShowMessage(s.app, s.message, "请改正标红的项目。")
		return
	}
	kit.ShowMessage(s.app, s.message, "")
	if !s.withPassword {
		s.onCompleteUnit(u)
		return
	}
	s.create.Disable()
	done := s.showProgress()
	dir, pw, cfg := s.app.cfg.Dir, s.password.Text, s.app.cfg.Workspace
	setup := workspace.Setup
	if s.app.setupStore != nil {
		setup = s.app.setupStore
	}
	go func() {
		ws, code, err := setup(dir, u, pw, cfg)
		s.app.Do(func() {
			done()
			s.create.Enable()
			if err != nil {
				s.onFailed(err)
				return
			}
			s.app.showRecovery(ws, code)
		})
	}()
}

// showProgress shows the estimate and a bar that moves with the time
// spent (key derivation reports no progress of its own) and returns the
// function that removes them.
func (s *setupScreen) showProgress() (done func()) {
	s.progressBar = widget.NewProgressBar()
	msg := fmt.Sprintf("正在生成密钥并创建加密数据库（约 %d 秒）……", int(setupEstimate/time.Second))
	s.progress = kit.NewModal(s.app.win, container.NewVBox(widget.NewLabel(msg), kit.Sized(s.progressBar, 360)))
	s.progress.Show()
	stop := make(chan struct{})
	start := time.Now()
	bar := s.progressBar
	go func() {
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				v := estimatedProgress(time.Since(start), setupEstimate)
				s.app.Do(func() { bar.SetValue(v) })
			}
		}
	}()
	dlg := s.progress
	return func() {
		close(stop)
		dlg.Hide()
	}
}

// onCompleteUnit saves the unit of an interrupted setup and makes a new
// recovery code, since the first one may never have been shown.
func (s *setupScreen) onCompleteUnit(u data.Unit) {
	ws := s.app.workspace()
	if ws == nil {
		s.app.showUnlock()
		return
	}
	pw, cfg := s.current.Text, s.app.cfg.Workspace
	s.create.Disable()
	done := s.app.Busy("正在保存单位信息并生成新的恢复码……")
	go func() {
		code, err := ws.NewRecoveryCode(pw, cfg)
		if err == nil {
			err = ws.SaveUnit(bgctx, u)
		}
		s.app.Do(func() {
			done()
			s.create.Enable()
			if err != nil {
				s.onFailed(err)
				return
			}
			ws.SetOperator(u.Officer)
			s.app.showRecovery(ws, code)
		})
	}()
}

func (s *setupScreen) onFailed(err error) {
	var fe data.FieldErrors
	if errors.As(err, &fe) {
		s.form.Show(fe)
	}
	s.app.log.Printf("setup: %v", err)
	kit.ShowMessage(s.app, s.message, data.Message(err))
}
