package people

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"baomi/app/ui/kit"
	"baomi/data"
)

// heldAdvice is shown next to the carriers a leaving person still holds.
const heldAdvice = "以下载体仍登记在此人名下（责任人或借阅人）："

// leaveDialog is the dialog that records a person's leaving of the post
// (离岗): the 离岗日期 and the 保密教育提醒, and, once the leaving was
// refused because carriers are still held, those carriers and the
// approver and reason that let the person leave all the same.
type leaveDialog struct {
	sh    kit.Shell
	p     data.Person
	leave func(l data.Leaving, done func(error))
	popup *widget.PopUp
	form  *kit.FieldForm

	leftOn, reminderOn, reminderBy *kit.Entry
	approver, reason               *kit.Entry
	held                           *widget.Label
	message                        *widget.Label
	ok, cancel                     *widget.Button
}

// newLeaveDialog builds the dialog for p; leave stores what the officer
// confirms and calls done with the outcome.
func newLeaveDialog(sh kit.Shell, p data.Person, leave func(l data.Leaving, done func(error))) *leaveDialog {
	d := &leaveDialog{sh: sh, p: p, leave: leave, form: kit.NewFieldForm(sh)}
	entry := func(v, hint string) *kit.Entry {
		e := kit.NewEntry()
		e.SetText(v)
		e.SetPlaceHolder(hint)
		return e
	}
	today := data.Today().Chinese()
	d.leftOn = entry(today, "如 2026年11月28日")
	d.reminderOn = entry(today, "进行离岗保密教育、提醒保密义务的日期")
	d.reminderBy = entry("", "谁做的提醒，如 保密办 张三")
	d.held = widget.NewLabel(heldAdvice)
	d.held.Wrapping = fyne.TextWrapWord
	d.approver = entry("", "批准带着载体离岗的领导")
	d.reason = entry("", "如 载体由王五代管，三日内交回")
	for _, row := range []struct {
		label string
		in    fyne.CanvasObject
	}{
		{data.FieldLeftOn, d.leftOn}, {data.FieldReminderOn, d.reminderOn}, {data.FieldReminderBy, d.reminderBy},
		{data.FieldHeldCarriers, d.held}, {data.FieldApprover, d.approver}, {data.FieldReason, d.reason},
	} {
		d.form.Add(row.label, row.in)
	}
	d.form.SetRequired([]string{data.FieldLeftOn, data.FieldReminderOn, data.FieldReminderBy})
	d.showOverride(false)
	d.message = kit.ErrorLabel()
	d.form.Fixed = func() { kit.ShowMessage(sh, d.message, "") }
	d.ok = kit.Button(sh, "离岗", d.onOK)
	d.ok.Importance = widget.HighImportance
	d.cancel = kit.Button(sh, "取消", d.hide)
	intro := widget.NewLabel(p.Name + "（" + p.Level + "）离岗后进入脱密期。仍持有或借用载体的，须先归还或移交。")
	intro.Wrapping = fyne.TextWrapWord
	scroll := d.form.Scroller(fyne.NewSize(560, 360))
	buttons := container.NewHBox(d.ok, d.cancel, layout.NewSpacer(), kit.RequiredNote())
	body := container.NewBorder(container.NewVBox(kit.Heading("离岗 "+p.Name), intro),
		container.NewVBox(kit.KeepLine(d.message), buttons), nil, nil, scroll)
	d.popup = kit.NewModal(sh.Window(), body)
	return d
}

// showOverride shows or hides the carriers held and the override fields.
func (d *leaveDialog) showOverride(shown bool) {
	for _, f := range []string{data.FieldHeldCarriers, data.FieldApprover, data.FieldReason} {
		d.form.SetShown(f, shown)
	}
}

// show opens the dialog with the cursor in 提醒人.
func (d *leaveDialog) show() {
	d.popup.Show()
	d.sh.Window().Canvas().Focus(d.reminderBy)
}

// hide closes the dialog.
func (d *leaveDialog) hide() { d.popup.Hide() }

// leaving reads the dialog, with a FieldError for each date it cannot read.
func (d *leaveDialog) leaving() (data.Leaving, data.FieldErrors) {
	var r kit.EntryReader
	l := data.Leaving{PersonID: d.p.ID,
		On:               r.Date(data.FieldLeftOn, d.leftOn.Text),
		ReminderOn:       r.Date(data.FieldReminderOn, d.reminderOn.Text),
		ReminderBy:       d.reminderBy.Text,
		OverrideApprover: d.approver.Text,
		OverrideReason:   d.reason.Text,
	}
	l.Normalize()
	return l, r.Errs
}

// onOK asks the store to record the leaving. A refusal for carriers held
// shows them on their row together with the 批准人 and 理由 fields.
func (d *leaveDialog) onOK() {
	l, errs := d.leaving()
	if len(errs) > 0 {
		d.form.Show(errs)
		kit.ShowMessage(d.sh, d.message, "请改正标红的项目。")
		return
	}
	d.leave(l, func(err error) {
		var fe data.FieldErrors
		if errors.As(err, &fe) && (fe.For(data.FieldHeldCarriers) != "" || strings.TrimSpace(d.approver.Text) != "") {
			d.showOverride(true)
		}
		if kit.Saved(d.sh, d.form, d.message, "leave", err) {
			d.hide()
		}
	})
}

// onLeave opens the leaving dialog for the person selected, when on the
// post; the leaving is recorded in the background and the register read
// again with the person selected.
func (s *Screen) onLeave() {
	r := s.table.Selected()
	if r < 0 || r >= len(s.shown) {
		return
	}
	p := s.people[s.shown[r]]
	if s.stateOf(&p) != data.PersonOnPost {
		return
	}
	s.leaving = newLeaveDialog(s.sh, p, func(l data.Leaving, done func(error)) {
		kit.InBackground(s.sh, "正在办理离岗…", func(ctx context.Context) (data.Person, error) {
			return s.svc.Leave(ctx, l)
		}, func(left data.Person, err error) {
			done(err)
			if err == nil {
				s.reload(left.ID)
			}
		})
	})
	s.leaving.show()
}
