package ui

import (
	"bytes"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"baomi/data"
	"baomi/data/pdf"
	"baomi/data/vault"
	"baomi/data/workspace"
)

// recoveryScreen shows the recovery code once, right after setup. The
// officer confirms that it is written down before going on.
type recoveryScreen struct {
	app     *App
	ws      *workspace.Workspace
	content fyne.CanvasObject
	code    *canvas.Text
	written *widget.Check
	enter   *widget.Button
	saveBtn *widget.Button
	text    string
}

func (a *App) showRecovery(ws *workspace.Workspace, code string) {
	a.mu.Lock()
	a.ws = ws
	a.mu.Unlock()
	a.recovery = newRecoveryScreen(a, ws, code)
	a.setContent(a.recovery.content)
}

func newRecoveryScreen(a *App, ws *workspace.Workspace, code string) *recoveryScreen {
	s := &recoveryScreen{app: a, ws: ws, text: vault.FormatRecoveryCode(code)}
	s.code = canvas.NewText(s.text, theme.Color(theme.ColorNameForeground))
	s.code.TextSize = 28
	s.code.TextStyle = fyne.TextStyle{Monospace: true}
	s.code.Alignment = fyne.TextAlignCenter
	info := widget.NewLabel("这是本单位数据的恢复码，只显示这一次。忘记密码时，凭恢复码可以重新设置密码；" +
		"丢失密码和恢复码，数据将无法找回。\n请立即抄写（或保存为文件后打印），与密码分开存放在保密柜中，不要拍照，不要存入联网设备。")
	info.Wrapping = fyne.TextWrapBreak
	s.enter = a.button("进入保密工作台", s.onEnter)
	s.enter.Importance = widget.HighImportance
	s.enter.Disable()
	s.written = widget.NewCheck("我已抄写恢复码，并将妥善保管", func(on bool) {
		a.touch()
		if on {
			s.enter.Enable()
		} else {
			s.enter.Disable()
		}
	})
	s.saveBtn = a.button("保存为 PDF 以便打印……", s.onSave)
	body := container.NewVBox(heading("请记下恢复码"), info,
		container.NewPadded(s.code), s.written, container.NewHBox(s.enter, s.saveBtn))
	s.content = container.NewPadded(container.NewCenter(sized(body, 680)))
	return s
}

func (s *recoveryScreen) onEnter() {
	s.text = ""
	s.app.opened(s.ws)
}

// onSave writes the recovery sheet as a PDF where the officer chooses and
// opens it in the system viewer for printing.
func (s *recoveryScreen) onSave() {
	var buf bytes.Buffer
	if err := pdf.RecoverySheet(&buf, s.app.unitNameOf(s.ws), s.text, data.Today()); err != nil {
		s.app.log.Printf("recovery sheet: %v", err)
		dialog.ShowInformation("无法生成", data.Message(err), s.app.win)
		return
	}
	savePDF(s.app, "保密工作台恢复码.pdf", buf.Bytes())
}
