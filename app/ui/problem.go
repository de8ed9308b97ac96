package ui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"baomi/app/ui/kit"
	"baomi/data"
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
	switch {
	case data.Detail(err) != "":
		msg = data.Message(err) + "\n\n发现的问题：" + data.Detail(err)
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
	quit := kit.Button(a, "退出", func() { a.Shutdown(); a.fa.Quit() })
	body := container.New(wrapColumn{width: 640}, kit.Heading(title), s.detail, s.advice, container.NewHBox(quit))
	s.content = container.NewPadded(container.NewCenter(body))
	return s
}

// wrapColumn stacks objects at a fixed width, giving each (wrapped labels
// above all) that width before asking its height. A VBox asks a wrapped
// label its height at the width of the label's last layout, so on the
// first layout and after a window resize the problem screen's lines ran
// into each other (seen in a rendered screenshot).
type wrapColumn struct{ width float32 }

func (c wrapColumn) heights(objects []fyne.CanvasObject) (hs []float32, total float32) {
	pad := theme.Padding()
	for i, o := range objects {
		if !o.Visible() {
			hs = append(hs, 0)
			continue
		}
		o.Resize(fyne.NewSize(c.width, o.Size().Height))
		h := o.MinSize().Height
		hs = append(hs, h)
		total += h
		if i > 0 {
			total += pad
		}
	}
	return hs, total
}

// MinSize is the column's width and the objects' heights at that width.
func (c wrapColumn) MinSize(objects []fyne.CanvasObject) fyne.Size {
	_, total := c.heights(objects)
	return fyne.NewSize(c.width, total)
}

// Layout places the objects one below the other, each c.width wide.
func (c wrapColumn) Layout(objects []fyne.CanvasObject, _ fyne.Size) {
	hs, _ := c.heights(objects)
	y := float32(0)
	for i, o := range objects {
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(c.width, hs[i]))
		if o.Visible() {
			y += hs[i] + theme.Padding()
		}
	}
}
