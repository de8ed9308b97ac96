package people

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"baomi/app/ui/kit"
	"baomi/data"
)

// historyDialog lists a person's 经历: the 登记, each 修改 with the fields
// changed, and the 离岗 with its 保密教育提醒 and any approval.
type historyDialog struct {
	popup *widget.PopUp
	lines []string // one entry per event, as shown
}

// eventText describes e in a few lines of Chinese.
func eventText(e data.PersonEvent) string {
	on := e.On.Chinese()
	if on == "" {
		on = data.DateOf(e.RecordedAt).Chinese()
	}
	var b strings.Builder
	b.WriteString(on + "　" + e.Kind)
	if e.Operator != "" {
		b.WriteString("　经办人 " + e.Operator)
	}
	for _, c := range e.Changes {
		b.WriteString("\n　" + c)
	}
	if !e.ReminderOn.IsZero() || e.ReminderBy != "" {
		b.WriteString("\n　保密教育提醒：" + e.ReminderOn.Chinese() + " " + e.ReminderBy)
	}
	if e.Approver != "" {
		b.WriteString("\n　持有载体离岗，批准人 " + e.Approver + "，理由：" + e.Reason)
		if len(e.Held) > 0 {
			b.WriteString("\n　当时持有：" + strings.Join(e.Held, "、"))
		}
	}
	if e.Note != "" {
		b.WriteString("\n　" + e.Note)
	}
	return b.String()
}

// newHistoryDialog builds the list of events of the person called name.
func newHistoryDialog(sh kit.Shell, name string, events []data.PersonEvent) *historyDialog {
	d := &historyDialog{}
	box := container.NewVBox()
	for _, e := range events {
		text := eventText(e)
		d.lines = append(d.lines, text)
		l := widget.NewLabel(text)
		l.Wrapping = fyne.TextWrapWord
		box.Add(l)
		box.Add(widget.NewSeparator())
	}
	if len(events) == 0 {
		box.Add(widget.NewLabel("还没有记录。登记或修改后会记在这里。"))
	}
	scroll := container.NewVScroll(box)
	scroll.SetMinSize(fyne.NewSize(560, 360))
	closeButton := kit.Button(sh, "关闭", func() { d.popup.Hide() })
	d.popup = kit.NewModal(sh.Window(), container.NewBorder(kit.Heading("经历 "+name), container.NewHBox(closeButton), nil, nil, scroll))
	return d
}

// showHistory reads the events of p in the background and lists them.
func (s *Screen) showHistory(p data.Person) {
	kit.InBackground(s.sh, "正在读取经历…", func(ctx context.Context) ([]data.PersonEvent, error) {
		return s.svc.PersonEvents(ctx, p.ID)
	}, func(events []data.PersonEvent, err error) {
		if err != nil {
			s.sh.Logf("person events: %v", err)
			dialog.ShowInformation("无法读取经历", data.Message(err), s.sh.Window())
			return
		}
		s.history = newHistoryDialog(s.sh, p.Name, events)
		s.history.popup.Show()
	})
}
