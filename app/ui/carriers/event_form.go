package carriers

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"baomi/app/ui/kit"
	"baomi/data"
)

// eventForm records one step of a carrier's life: the common fields (日期,
// 经办人, 备注) and those of the step's kind.
type eventForm struct {
	sh     kit.Shell
	kind   data.EventKind
	c      data.Carrier
	record func(e data.Event, done func(error))
	popup  *widget.PopUp
	form   *kit.FieldForm

	on, operator, note                                  *kit.Entry
	borrower, approver, dueOn, checkedBy, condition     *kit.Entry
	returnedBy                                          *kit.Entry
	readers, copyCount, toUnit, courier, period, declOn *kit.Entry
	declCond, reason, place, witness                    *kit.Entry
	found, newLevel, method, voids                      *kit.Select
	voidable                                            []data.Event
	message                                             *widget.Label
	ok, cancel                                          *widget.Button
}

func newEventForm(sh kit.Shell, kind data.EventKind, c data.Carrier, voidable []data.Event, levels []data.Classification, record func(e data.Event, done func(error))) *eventForm {
	f := &eventForm{sh: sh, kind: kind, c: c, record: record, voidable: voidable, form: kit.NewFieldForm(sh)}
	entry := func(v, hint string) *kit.Entry {
		e := kit.NewEntry()
		e.SetText(v)
		e.SetPlaceHolder(hint)
		return e
	}
	today := data.Today()
	f.on = entry(today.Chinese(), "如 2026年11月28日")
	f.operator = entry(sh.Unit().Officer, "经办人姓名")
	f.note = entry("", "")
	f.form.Add(data.FieldEventDate, f.on)
	f.form.Add(data.FieldOperator, f.operator)
	switch kind {
	case data.EventLend:
		f.borrower = entry("", "借阅人姓名")
		f.approver = entry("", "批准人姓名")
		f.dueOn = entry(data.DateOf(today.Time().AddDate(0, 0, 14)).Chinese(), "应还日期")
		f.form.Add(data.FieldBorrower, f.borrower)
		f.form.Add(data.FieldApprover, f.approver)
		f.form.Add(data.FieldDueOn, f.dueOn)
	case data.EventReturn:
		f.returnedBy = entry(c.Borrower, "归还人姓名") // most often the borrower brings it back
		f.form.Add(data.FieldReturnedBy, f.returnedBy)
		f.checkedBy = entry(sh.Unit().Officer, "检查人姓名")
		f.condition = entry("完好", "完好、缺损……")
		f.form.Add(data.FieldCheckedBy, f.checkedBy)
		f.form.Add("状况", f.condition)
	case data.EventCirculate:
		f.readers = entry("", "依次填写，用顿号或逗号分隔，如 张三、李四")
		f.form.Add(data.FieldReaders, f.readers)
	case data.EventCopy:
		f.copyCount = entry("1", "")
		f.approver = entry("", "批准人姓名")
		f.form.Add(data.FieldCopyCount, f.copyCount)
		f.form.Add(data.FieldApprover, f.approver)
	case data.EventHandover:
		f.toUnit = entry("", "接收单位名称")
		f.courier = entry("", "携带人姓名")
		f.approver = entry("", "批准人姓名")
		f.form.Add(data.FieldToUnit, f.toUnit)
		f.form.Add(data.FieldCourier, f.courier)
		f.form.Add(data.FieldApprover, f.approver)
	case data.EventStocktake:
		f.found = kit.NewSelect([]string{"在", "未找到"}, func(string) { sh.Touch() })
		f.found.SetSelected("在")
		f.form.Add("清点结果", f.found)
	case data.EventChange:
		names := make([]string, len(levels))
		for i, l := range levels {
			names[i] = l.Name
		}
		f.newLevel = kit.NewSelect(names, func(string) { sh.Touch() })
		f.period = entry("", "年数")
		f.declOn = entry("", "如 2030年12月31日")
		f.declCond = entry("", "解密条件")
		f.approver = entry("", "定密责任人")
		f.reason = entry("", "变更理由")
		f.form.Add(data.FieldNewLevel, f.newLevel)
		f.form.Add(data.FieldPeriod, f.period)
		f.form.Add(data.FieldDeclassifyOn, f.declOn)
		f.form.Add(data.FieldCondition, f.declCond)
		f.form.Add(data.FieldApprover, f.approver)
		f.form.Add(data.FieldReason, f.reason)
	case data.EventDeclassify:
		f.approver = entry("", "定密责任人")
		f.reason = entry("", "如 保密期限届满")
		f.form.Add(data.FieldApprover, f.approver)
		f.form.Add(data.FieldReason, f.reason)
	case data.EventDestroy:
		f.method = kit.NewSelect(data.DestroyMethods, func(string) { sh.Touch() })
		f.place = entry("", "如 保密室、销毁中心")
		f.witness = entry("", "监销人不能是经办人")
		f.approver = entry("", "批准人姓名")
		f.form.Add(data.FieldMethod, f.method)
		f.form.Add(data.FieldPlace, f.place)
		f.form.Add(data.FieldWitness, f.witness)
		f.form.Add(data.FieldApprover, f.approver)
	case data.EventCorrect:
		opts := make([]string, len(voidable))
		for i, e := range voidable {
			opts[i] = e.On.Chinese() + " " + e.Kind.Chinese() + " " + e.Summary()
		}
		f.voids = kit.NewSelect(opts, func(string) { sh.Touch() })
		f.voids.PlaceHolder = "请选择要更正的记录"
		f.reason = entry("", "更正理由")
		f.form.Add(data.FieldVoids, f.voids)
		f.form.Add(data.FieldReason, f.reason)
	}
	f.form.Add(data.FieldNote, f.note)
	f.form.SetRequired(data.EventRequiredFields(kind))
	f.message = kit.ErrorLabel()
	f.form.Fixed = func() { kit.ShowMessage(sh, f.message, "") }
	f.ok = kit.Button(sh, "登记", f.onOK)
	f.ok.Importance = widget.HighImportance
	f.cancel = kit.Button(sh, "取消", f.hide)
	// as high as its rows, up to what fits a 1024×700 screen with the
	// heading and the buttons; a longer form scrolls
	scroll := f.form.Scroller(fyne.NewSize(520, fyne.Min(f.form.Grid.MinSize().Height, eventFormMaxHeight)))
	buttons := container.NewHBox(f.ok, f.cancel, layout.NewSpacer(), kit.RequiredNote())
	body := container.NewBorder(kit.Heading(kind.Chinese()+"　"+c.Number), container.NewVBox(kit.KeepLine(f.message), buttons), nil, nil, scroll)
	f.popup = kit.NewModal(sh.Window(), body)
	return f
}

// eventFormMaxHeight is the most an event form's rows take before they
// scroll: 8 rows with their problem lines (the 变更 form) are 480.
const eventFormMaxHeight = 480

func (f *eventForm) show() {
	f.popup.Show()
	first := f.operator
	if f.borrower != nil {
		first = f.borrower // a lend: date and 经办人 are filled in already
	}
	f.sh.Window().Canvas().Focus(first)
}

func (f *eventForm) hide() { f.popup.Hide() }

func text(e *kit.Entry) string {
	if e == nil {
		return ""
	}
	return e.Text
}

// event reads the form, with FieldErrors for what cannot be read.
func (f *eventForm) event() (data.Event, data.FieldErrors) {
	var r kit.EntryReader
	date := func(field string, e *kit.Entry) data.Date { return r.Date(field, text(e)) }
	num := func(field string, e *kit.Entry) int { return r.Int(field, text(e)) }
	e := data.Event{
		CarrierID: f.c.ID, Kind: f.kind, On: date(data.FieldEventDate, f.on), Operator: f.operator.Text,
		Note: f.note.Text, Borrower: text(f.borrower), Approver: text(f.approver), DueOn: date(data.FieldDueOn, f.dueOn),
		CheckedBy: text(f.checkedBy), ReturnedBy: text(f.returnedBy), Condition: text(f.condition), ToUnit: text(f.toUnit), Courier: text(f.courier),
		Reason: text(f.reason), Place: text(f.place), Witness: text(f.witness),
	}
	switch f.kind {
	case data.EventReturn:
		if strings.TrimSpace(e.ReturnedBy) == "" { // the form asks it; returns recorded before have none
			r.Errs = append(r.Errs, data.FieldError{Field: data.FieldReturnedBy, Problem: "必须填写"})
		}
	case data.EventCirculate:
		for _, name := range strings.FieldsFunc(f.readers.Text, func(r rune) bool { return strings.ContainsRune("、,，;；/ ", r) }) {
			e.Readers = append(e.Readers, data.Reader{Name: name, On: e.On})
		}
	case data.EventCopy:
		e.CopyCount = num(data.FieldCopyCount, f.copyCount)
	case data.EventStocktake:
		e.Found = f.found.Selected == "在"
	case data.EventChange:
		e.NewLevel = f.newLevel.Selected
		e.NewPeriodYears = num(data.FieldPeriod, f.period)
		e.NewDeclassifyOn = date(data.FieldDeclassifyOn, f.declOn)
		e.NewCondition = text(f.declCond)
	case data.EventDestroy:
		e.Method = f.method.Selected
	case data.EventCorrect:
		if i := f.voids.SelectedIndex(); i >= 0 {
			e.Voids = f.voidable[i].ID
		}
	}
	return e, r.Errs
}

func (f *eventForm) onOK() {
	e, errs := f.event()
	if len(errs) > 0 {
		f.form.Show(errs)
		kit.ShowMessage(f.sh, f.message, "请改正标红的项目。")
		return
	}
	f.record(e, func(err error) {
		if kit.Saved(f.sh, f.form, f.message, "record event", err) {
			f.hide()
		}
	})
}
