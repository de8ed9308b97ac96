package ui

import (
	"bytes"
	"context"
	"errors"
	"net/url"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"baomi/app/ui/kit"
	"baomi/data"
	"baomi/data/pdf"
	"baomi/data/safefile"
	"baomi/data/workspace"
)

// recoveryScreen shows a recovery code once: right after setup, after an
// interrupted setup is completed, or when the officer makes a new code. The
// officer confirms that it is written down (or printed) before going on.
type recoveryScreen struct {
	app      *App
	ws       *workspace.Workspace
	content  fyne.CanvasObject
	code     *canvas.Text
	written  *widget.Check
	enter    *widget.Button
	printBtn *widget.Button
	text     string
	tmpDir   string // the printable sheet, removed when the screen is left
}

func (a *App) showRecovery(ws *workspace.Workspace, code string) {
	a.mu.Lock()
	a.ws = ws
	a.mu.Unlock()
	a.recovery = newRecoveryScreen(a, ws, code)
	a.setContent(a.recovery.content)
	// The screen holds an open store, so it locks when left alone too; a
	// code not written down by then can be replaced in the settings. The
	// auto-lock minutes are read in the background.
	a.afterUnitState(ws, func(st unitState) { a.setAutoLock(st.settings.AutoLockMinutes) })
}

// afterUnitState reads the unit and settings of ws in the background and
// hands them to then on the UI goroutine, unless the window locked, quit
// or went on to another workspace meanwhile.
func (a *App) afterUnitState(ws *workspace.Workspace, then func(unitState)) {
	a.mu.Lock()
	gen := a.gen
	a.mu.Unlock()
	go func() {
		st := a.readUnitState(bgctx, ws)
		a.Do(func() {
			a.mu.Lock()
			current := a.gen == gen && a.ws == ws
			a.mu.Unlock()
			if current {
				then(st)
			}
		})
	}()
}

func newRecoveryScreen(a *App, ws *workspace.Workspace, code string) *recoveryScreen {
	s := &recoveryScreen{app: a, ws: ws, text: workspace.FormatRecoveryCode(code)}
	s.code = canvas.NewText(s.text, theme.Color(theme.ColorNameForeground))
	s.code.TextSize = 28
	s.code.TextStyle = fyne.TextStyle{Monospace: true}
	s.code.Alignment = fyne.TextAlignCenter
	info := widget.NewLabel("这是本单位数据的恢复码，只显示这一次。忘记密码时，凭恢复码可以重新设置密码；" +
		"丢失密码和恢复码，数据将无法找回。\n请立即抄写，或点“打印”在本机打印机上打印一份；与密码分开存放在保密柜中，" +
		"不要拍照，不要存入任何计算机或手机。打印用的临时文件在离开本页时删除。")
	info.Wrapping = fyne.TextWrapBreak
	s.enter = kit.Button(a, "进入保密工作台", s.onEnter)
	s.enter.Importance = widget.HighImportance
	s.enter.Disable()
	s.written = widget.NewCheck("我已抄写（或打印）恢复码，并将妥善保管", func(on bool) {
		a.Touch()
		if on {
			s.enter.Enable()
		} else {
			s.enter.Disable()
		}
	})
	s.printBtn = kit.Button(a, "打印……", s.onPrint)
	body := container.NewVBox(kit.Heading("请记下恢复码"), info,
		container.NewPadded(s.code), s.written, container.NewHBox(s.enter, s.printBtn))
	s.content = container.NewPadded(container.NewCenter(kit.Sized(body, 680)))
	return s
}

func (s *recoveryScreen) onEnter() {
	s.removeSheet()
	s.text = ""
	s.app.recovery = nil
	s.enter.Disable()
	a, ws := s.app, s.ws
	a.afterUnitState(ws, func(st unitState) { a.opened(ws, nil, false, st) })
}

// onPrint writes the recovery sheet as a PDF into a private temporary
// folder and opens it in the system viewer for printing. The file is
// removed when the officer leaves this screen (or Baomi quits). The unit
// is read, and the sheet made and written, in the background.
func (s *recoveryScreen) onPrint() {
	s.removeSheet()
	ws, text := s.ws, s.text
	kit.InBackground(s.app, "正在生成打印文件……", func(ctx context.Context) (string, error) {
		u, err := ws.Unit(ctx)
		if err != nil && !errors.Is(err, data.ErrNotFound) {
			return "", err
		}
		var buf bytes.Buffer
		if err := pdf.RecoverySheet(&buf, u.Name, text, data.Today()); err != nil {
			return "", err
		}
		dir, err := os.MkdirTemp("", "baomi-print-")
		if err != nil {
			return "", err
		}
		if err := safefile.Write(filepath.Join(dir, "恢复码.pdf"), buf.Bytes(), 0o600); err != nil {
			os.RemoveAll(dir)
			return "", err
		}
		return dir, nil
	}, func(dir string, err error) {
		if err != nil {
			s.app.log.Printf("recovery sheet: %v", err)
			dialog.ShowInformation("无法生成打印文件", data.Message(err), s.app.win)
			return
		}
		s.tmpDir = dir
		if s.app.recovery != s { // left (or locked) while the sheet was made
			s.removeSheet()
			return
		}
		p := filepath.Join(dir, "恢复码.pdf")
		if err := s.app.fa.OpenURL(&url.URL{Scheme: "file", Path: p}); err != nil {
			s.app.log.Printf("print recovery sheet: %v", err)
			dialog.ShowInformation("无法打开打印文件", "没有找到可以打开 PDF 的程序，请抄写恢复码。", s.app.win)
		}
	})
}

// removeSheet deletes the printable sheet, if one was made.
func (s *recoveryScreen) removeSheet() {
	if s.tmpDir == "" {
		return
	}
	if err := os.RemoveAll(s.tmpDir); err != nil {
		s.app.log.Printf("remove recovery sheet: %v", err)
	}
	s.tmpDir = ""
}
