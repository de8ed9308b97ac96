package carriers

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"baomi/app/ui/kit"
	"baomi/data"
)

// carrierDetail shows one carrier: its fields, its whole history, and the
// steps it may take next.
type carrierDetail struct {
	sh      kit.Shell
	svc     data.CarrierService
	c       data.Carrier
	events  []data.Event
	changed func(ids []string) // the carriers a recorded step changed
	popup   *widget.PopUp

	facts   *widget.Label
	history *widget.Table
	actions map[data.EventKind]*widget.Button
	correct *widget.Button
	close   *widget.Button
	form    *eventForm
}

// newCarrierDetail builds the detail view of carrier c with its events,
// both as read from the store (readCarrier).
func newCarrierDetail(sh kit.Shell, svc data.CarrierService, c data.Carrier, events []data.Event, changed func(ids []string)) *carrierDetail {
	d := &carrierDetail{sh: sh, svc: svc, c: c, events: events, changed: changed, actions: map[data.EventKind]*widget.Button{}}
	d.facts = widget.NewLabel(d.factsText())
	d.facts.Wrapping = fyne.TextWrapBreak
	d.history = kit.NewTextTable(sh, []string{"日期", "事项", "经办人", "详情"}, []float32{132, 90, 80, 440},
		func() int { return len(d.events) }, d.cell)

	buttons := container.NewHBox()
	for _, k := range []data.EventKind{data.EventLend, data.EventReturn, data.EventCirculate, data.EventCopy,
		data.EventHandover, data.EventStocktake, data.EventChange, data.EventDeclassify, data.EventDestroy} {
		b := kit.Button(sh, k.Chinese(), func() { d.onAction(k) })
		d.actions[k] = b
		buttons.Add(b)
	}
	d.correct = kit.Button(sh, "更正", func() { d.onAction(data.EventCorrect) })
	buttons.Add(d.correct)
	d.close = kit.Button(sh, "关闭", func() { d.popup.Hide() })
	d.refreshActions()
	historyBox := container.NewBorder(widget.NewLabelWithStyle("经历", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), nil, nil, nil, d.history)
	top := container.NewVBox(kit.Heading(d.c.Number+"　"+d.c.Title), d.facts)
	body := container.NewBorder(top, container.NewVBox(buttons, container.NewHBox(d.close)), nil, nil, historyBox)
	sizedBody := container.New(kit.MinSize(fyne.NewSize(860, 560)), body)
	d.popup = kit.NewModal(sh.Window(), sizedBody)
	return d
}

// read reads the carrier and its events from the store; it touches no
// widget, so it may run in the background.
func (d *carrierDetail) read(ctx context.Context) (data.Carrier, []data.Event, error) {
	return readCarrier(ctx, d.svc, d.c.ID)
}

// readCarrier reads carrier id and its events from svc.
func readCarrier(ctx context.Context, svc data.CarrierService, id string) (data.Carrier, []data.Event, error) {
	evs, err := svc.Events(ctx, id)
	if err != nil {
		return data.Carrier{}, nil, err
	}
	c, err := svc.Carrier(ctx, id)
	if err != nil {
		return data.Carrier{}, nil, err
	}
	return c, evs, nil
}

func (d *carrierDetail) factsText() string {
	c := d.c
	s := fmt.Sprintf("标志：%s　类型：%s　状态：%s　责任人：%s　存放位置：%s\n来源：%s　文号：%s　收到日期：%s　份数：%d　份号：%s",
		c.Mark(), c.Kind, c.State, c.Custodian, c.Location, c.Source, c.DocNumber, c.ReceivedOn.Chinese(), c.Copies, c.CopyNumbers)
	if data.IsDeviceKind(c.Kind) || c.Model != "" || c.Serial != "" {
		s += fmt.Sprintf("\n设备型号：%s　序列号：%s", c.Model, c.Serial)
	}
	if c.State == data.StateLent {
		s += fmt.Sprintf("\n借阅人：%s　应还日期：%s", c.Borrower, c.DueOn.Chinese())
	}
	if c.Pending != "" {
		s += fmt.Sprintf("\n待补全：%s（导入时缺少）。请在台账中选中该载体，点“修改”补全。", c.Pending)
	}
	if c.Missing {
		s += "\n最近一次清点未找到该载体。"
	}
	return s
}

// cell returns the history table's text; voided events are marked.
func (d *carrierDetail) cell(row, col int) string {
	e := d.events[row]
	switch col {
	case 0:
		return e.On.Chinese()
	case 1:
		name := e.Kind.Chinese()
		for _, o := range d.events {
			if o.Kind == data.EventCorrect && o.Voids == e.ID {
				name += "（已更正）"
			}
		}
		return name
	case 2:
		return e.Operator
	}
	return e.Summary()
}

func (d *carrierDetail) refreshActions() {
	allowed := map[data.EventKind]bool{}
	for _, k := range data.AllowedEvents(d.c.State) {
		allowed[k] = true
	}
	for k, b := range d.actions {
		if allowed[k] {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	if len(correctable(d.events)) == 0 {
		d.correct.Disable()
	} else {
		d.correct.Enable()
	}
}

// correctable returns the events a correction may void.
func correctable(events []data.Event) []data.Event {
	voided := map[string]bool{}
	for _, e := range events {
		if e.Kind == data.EventCorrect {
			voided[e.Voids] = true
		}
	}
	var out []data.Event
	for _, e := range events {
		if e.Kind != data.EventRegister && e.Kind != data.EventCorrect && e.Kind != data.EventCopy && !voided[e.ID] {
			out = append(out, e)
		}
	}
	return out
}

func (d *carrierDetail) show() { d.popup.Show() }

func (d *carrierDetail) onAction(k data.EventKind) {
	kit.InBackground(d.sh, "正在读取设置……", d.svc.Classifications, func(levels []data.Classification, err error) {
		switch {
		case err != nil:
			kit.ShowMessage(d.sh, d.facts, data.Message(err))
		default:
			d.form = newEventForm(d.sh, k, d.c, correctable(d.events), levels, d.onRecord)
			d.form.show()
		}
	})

}

// onRecord stores the form's event and reads the carrier again in the
// background, and tells done the error to show on the form, or nil once
// stored and the view is refreshed.
func (d *carrierDetail) onRecord(e data.Event, done func(error)) {
	type result struct {
		stored data.Event
		c      data.Carrier
		events []data.Event
		reload error
	}
	kit.InBackground(d.sh, "正在登记……", func(ctx context.Context) (result, error) {
		stored, err := d.svc.Record(ctx, e)
		if err != nil {
			return result{}, err
		}
		r := result{stored: stored}
		r.c, r.events, r.reload = d.read(ctx)
		return r, nil
	}, func(r result, err error) {
		if err != nil {
			done(err)
			return
		}
		if r.reload != nil {
			d.sh.Logf("reload carrier: %v", r.reload)
		} else {
			d.c, d.events = r.c, r.events
		}
		d.facts.SetText(d.factsText())
		d.history.Refresh()
		d.refreshActions()
		d.changed(append([]string{d.c.ID}, r.stored.CopyIDs...))
		done(nil)
	})

}
