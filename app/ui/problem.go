package ui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"baomi/data"
	"baomi/data/store"
)

// problemScreen explains why Baomi cannot go on (data folder in use,
// corruption, audit break) and what to do, instead of crashing.
type problemScreen struct {
	content fyne.CanvasObject
	detail  *widget.Label
	advice  *widget.Label // what to do, and the data folder
}

func newProblemScreen(a *App, title string, err error) *problemScreen {
	s := &problemScreen{}
	msg := data.Message(err)
	var advice string
	var ve *store.VerifyError
	switch {
	case errors.As(err, &ve):
		msg = data.Message(err) + "\n\n发现的问题：" + ve.Chinese()
		advice = "请不要继续录入。保留数据目录原样，从最近的加密备份恢复，并报告本单位保密办。"
	case errors.Is(err, data.ErrAlreadyOpen):
		advice = "请关闭另一个保密工作台窗口后再启动。若确认没有其他窗口，请重启计算机。"
	case errors.Is(err, data.ErrAuditBroken):
		advice = "请不要继续录入。保留数据目录原样，从最近的加密备份恢复，并报告本单位保密办。"
	case errors.Is(err, data.ErrStoreMissing):
		advice = "请不要重新初始化（那会另起一本空台账）。保留数据目录原样，从最近的加密备份恢复整个数据目录。"
	case errors.Is(err, data.ErrCorrupt):
		advice = "请保留数据目录原样，从最近的加密备份恢复。"
	case errors.Is(err, data.ErrDiskFull):
		advice = "请清理数据目录所在磁盘的空间，然后重新启动保密工作台。"
	}
	s.detail = widget.NewLabel(msg)
	s.detail.Wrapping = fyne.TextWrapBreak
	s.advice = widget.NewLabel(advice + "\n数据目录：" + a.cfg.Dir)
	s.advice.Wrapping = fyne.TextWrapBreak
	quit := a.button("退出", func() { a.Shutdown(); a.fa.Quit() })
	body := container.NewVBox(heading(title), s.detail, s.advice, container.NewHBox(quit))
	s.content = container.NewPadded(container.NewCenter(sized(body, 640)))
	return s
}
