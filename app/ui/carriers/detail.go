package carriers

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
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

	heading  *widget.Label   // 编号 and 名称 of the carrier as read
	factsBox *fyne.Container // what the carrier is and where, by kind (carrierFacts)
	facts    *widget.Label   // notes: 待补全, not found, a failed read
	history  *widget.Table
	actions  map[data.EventKind]*widget.Button
	correct  *widget.Button
	close    *widget.Button
	form     *eventForm
}

// newCarrierDetail builds the detail view of carrier c with its events,
// both as read from the store (readCarrier).
func newCarrierDetail(sh kit.Shell, svc data.CarrierService, c data.Carrier, events []data.Event, changed func(ids []string)) *carrierDetail {
	d := &carrierDetail{sh: sh, svc: svc, c: c, events: events, changed: changed, actions: map[data.EventKind]*widget.Button{}}
	d.heading = kit.Heading("")
	d.heading.Truncation = fyne.TextTruncateEllipsis // the whole 名称 is in the facts
	d.factsBox = container.NewVBox()
	d.facts = widget.NewLabel("")
	d.facts.Importance = widget.DangerImportance
	d.facts.Wrapping = fyne.TextWrapBreak
	d.showCarrier()
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
	top := container.NewVBox(d.heading, d.factsBox, d.facts)
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

// showCarrier shows d.c: the heading, the facts of its kind and the notes.
func (d *carrierDetail) showCarrier() {
	c := d.c
	d.heading.SetText(c.Number + "　" + c.Title)
	what, details, where := carrierFacts(c)
	d.factsBox.Objects = []fyne.CanvasObject{
		factRows([]fact{{data.FieldTitle, c.Title}}),
		container.NewGridWithColumns(3, factRows(what), factRows(details), factRows(where)),
	}
	d.factsBox.Refresh()
	var notes []string
	if c.Pending != "" {
		notes = append(notes, fmt.Sprintf("待补全：%s（导入时缺少）。请在台账中选中该载体，点“修改”补全。", c.Pending))
	}
	if c.Missing {
		notes = append(notes, "最近一次清点未找到该载体。")
	}
	kit.ShowMessage(d.sh, d.facts, strings.Join(notes, "\n"))
}

// fact is one line of the detail view: a label and its value.
type fact struct{ label, value string }

// carrierFacts returns what c is (kind, 密级 and its period, 知悉范围),
// its details by kind (a device's 型号, 序列号 and 容量, a document's 页数;
// 来源, 文号, 份数 and 份号) and where it is (状态, 责任人, 存放位置,
// dates, 备注): three columns, so that the view stays low enough for the
// history below it. A fact without a value is left out: a U盘 shows no
// empty 文号.
func carrierFacts(c data.Carrier) (what, details, where []fact) {
	level := c.Level
	switch {
	case c.PeriodYears > 0:
		level += fmt.Sprintf("，保密期限 %d年", c.PeriodYears)
	case !c.DeclassifyOn.IsZero():
		level += "，解密时间 " + c.DeclassifyOn.Chinese()
	case c.DeclassifyCondition != "":
		level += "，解密条件：" + c.DeclassifyCondition
	}
	what = []fact{{data.FieldKind, c.Kind}, {data.FieldLevel, level}, {data.FieldScope, c.Scope}}
	// a device and a disc hold data: the 页数或容量 field is their 容量
	size := "页数"
	if data.IsDeviceKind(c.Kind) || c.Kind == data.KindDisc {
		size = "容量"
	}
	details = []fact{{data.FieldModel, c.Model}, {data.FieldSerial, c.Serial}, {size, c.Pages},
		{data.FieldSource, c.Source}, {data.FieldDocNumber, c.DocNumber}}
	if c.Copies > 1 || c.CopyNumbers != "" {
		copies := fmt.Sprintf("%d 份", c.Copies)
		if c.CopyNumbers != "" {
			copies += "，份号 " + c.CopyNumbers
		}
		details = append(details, fact{data.FieldCopies, copies})
	}
	// a loan's borrower and due date on lines of their own: after 状态 on
	// one line they were cut at 1024 px ("借出，借阅人 陈静，应还 20…")
	where = []fact{{"状态", c.State}}
	if c.State == data.StateLent {
		where = append(where, fact{data.FieldBorrower, c.Borrower}, fact{data.FieldDueOn, c.DueOn.Chinese()})
	}
	where = append(where, []fact{{data.FieldCustodian, c.Custodian}, {data.FieldLocation, c.Location},
		{data.FieldReceivedOn, c.ReceivedOn.Chinese()}, {"最近清点", c.LastSeen.Chinese()}, {data.FieldNote, c.Note}}...)
	return nonEmpty(what), nonEmpty(details), nonEmpty(where)
}

func nonEmpty(facts []fact) []fact {
	out := facts[:0]
	for _, f := range facts {
		if f.value != "" {
			out = append(out, f)
		}
	}
	return out
}

// factRows lays facts out as a bold label and a value a line. A value
// too long for its column ends in "…"; the whole text is in the form
// (修改). Not wrapped: a wrapped label measured before its column has a
// width asks for a line a character, which made the dialog fill the
// window's height.
func factRows(facts []fact) *fyne.Container {
	rows := container.New(layout.NewFormLayout())
	for _, f := range facts {
		v := widget.NewLabel(f.value)
		v.Truncation = fyne.TextTruncateEllipsis
		rows.Add(widget.NewLabelWithStyle(f.label, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
		rows.Add(v)
	}
	return rows
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
		d.showCarrier()
		d.history.Refresh()
		d.refreshActions()
		d.changed(append([]string{d.c.ID}, r.stored.CopyIDs...))
		done(nil)
	})

}
