package carriers

import (
	"encoding/json"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"baomi/app/ui/kit"
	"baomi/data"
)

// carrierForm is the dialog that registers a new carrier or edits one.
type carrierForm struct {
	sh     kit.Shell
	orig   data.Carrier
	levels []data.Classification
	save   func(c data.Carrier, done func(error))
	popup  *widget.PopUp
	form   *kit.FieldForm
	rows   []formRow        // the inputs in order, for the draft
	keeper data.DraftKeeper // where the draft is kept; nil: none
	saver  *kit.Autosave    // the draft of the open form

	number, title, period, declassOn, condition, source, docNumber *kit.Entry
	received, copies, copyNumbers, pages, scope, custodian         *kit.Entry
	location, model, serial, note                                  *kit.Entry
	kind, level                                                    *kit.Select
	message                                                        *widget.Label
	ok, cancel                                                     *widget.Button
}

// formRow is one input of the carrier form with its label.
type formRow struct {
	label string
	in    fyne.CanvasObject
}

// newCarrierForm builds the form for carrier c (new when its ID is empty);
// save stores what the officer confirms. While it is open, its draft is
// kept in keeper (nil: not kept).
func newCarrierForm(sh kit.Shell, levels []data.Classification, c data.Carrier, keeper data.DraftKeeper, save func(c data.Carrier, done func(error))) *carrierForm {
	f := &carrierForm{sh: sh, orig: c, levels: levels, save: save, form: kit.NewFieldForm(sh), keeper: keeper}
	entry := func(v, hint string) *kit.Entry {
		e := kit.NewEntry()
		e.SetText(v)
		e.SetPlaceHolder(hint)
		return e
	}
	isNew := c.ID == ""
	if isNew {
		c.ReceivedOn = data.Today()
		c.Copies = 1
	}
	f.number = entry(c.Number, "例如 CZJ-2026-0001")
	f.title = entry(c.Title, "文件标题或设备名称")
	f.kind = kit.NewSelect(data.CarrierKinds, f.onKind)
	f.kind.SetSelected(data.CanonicalKind(c.Kind)) // an old "笔记本" is offered as 涉密笔记本
	names := make([]string, len(levels))
	for i, l := range levels {
		names[i] = l.Name
	}
	f.period = entry(yearsText(c.PeriodYears), "年数，如 20")
	f.level = kit.NewSelect(names, f.onLevel)
	f.level.SetSelected(c.Level)
	f.declassOn = entry(c.DeclassifyOn.Chinese(), "如 2030年12月31日（与期限二选一）")
	f.condition = entry(c.DeclassifyCondition, "如 项目验收后（与期限二选一）")
	f.source = entry(c.Source, "制发或来文单位")
	f.docNumber = entry(c.DocNumber, "如 市保〔2026〕12号")
	f.received = entry(c.ReceivedOn.Chinese(), "如 2026年11月28日")
	f.copies = entry(kit.Itoa(c.Copies), "")
	f.copyNumbers = entry(c.CopyNumbers, "如 3 或 1-5")
	f.pages = entry(c.Pages, "如 12页 或 32GB")
	f.scope = entry(c.Scope, "知悉范围")
	f.custodian = entry(c.Custodian, "责任人姓名")
	f.location = entry(c.Location, "如 保密柜2号")
	f.model = entry(c.Model, "设备类填写")
	f.serial = entry(c.Serial, "设备类必填")
	f.note = kit.NewMultiLineEntry()
	f.note.SetText(c.Note)
	f.note.SetMinRowsVisible(2)
	f.rows = []formRow{
		{data.FieldNumber, f.number}, {data.FieldTitle, f.title}, {data.FieldKind, f.kind},
		{data.FieldLevel, f.level}, {data.FieldPeriod, f.period}, {data.FieldDeclassifyOn, f.declassOn},
		{data.FieldCondition, f.condition}, {data.FieldSource, f.source}, {data.FieldDocNumber, f.docNumber},
		{data.FieldReceivedOn, f.received}, {data.FieldCopies, f.copies}, {data.FieldCopyNumbers, f.copyNumbers},
		{data.FieldPages, f.pages}, {data.FieldScope, f.scope}, {data.FieldCustodian, f.custodian},
		{data.FieldLocation, f.location}, {data.FieldModel, f.model}, {data.FieldSerial, f.serial},
		{data.FieldNote, f.note},
	}
	for _, row := range f.rows {
		f.form.Add(row.label, row.in)
	}
	f.fitKind()
	f.message = kit.ErrorLabel()
	f.form.Fixed = func() { kit.ShowMessage(sh, f.message, "") }
	title := "登记涉密载体"
	if !isNew {
		title = "修改载体 " + c.Number
	}
	f.ok = kit.Button(sh, "保存", f.onOK)
	f.ok.Importance = widget.HighImportance
	f.cancel = kit.Button(sh, "取消", f.hide)
	scroll := f.form.Scroller(fyne.NewSize(640, 520))
	buttons := container.NewHBox(f.ok, f.cancel, layout.NewSpacer(), kit.RequiredNote())
	body := container.NewBorder(kit.Heading(title), container.NewVBox(kit.KeepLine(f.message), buttons), nil, nil, scroll)
	f.popup = kit.NewModal(sh.Window(), body)
	return f
}

func yearsText(n int) string {
	if n == 0 {
		return ""
	}
	return kit.Itoa(n)
}

// onKind shows the rows and marks the required fields of the kind chosen.
func (f *carrierForm) onKind(string) {
	f.sh.Touch()
	f.fitKind()
}

// fitKind shows the rows that describe a carrier of the chosen kind (no
// 设备型号 for a paper document, no 文号 for a U盘) and marks the fields it
// requires. A row that holds text stays shown whatever the kind, so that
// nothing is saved that the officer cannot see (a 文号 of an old record,
// a 序列号 typed before the kind was changed).
func (f *carrierForm) fitKind() {
	kind := f.kind.Selected
	f.form.SetRequired(data.CarrierRequiredFields(kind))
	for _, r := range f.rows {
		held := false
		if e, ok := r.in.(*kit.Entry); ok {
			held = e.Text != ""
		}
		f.form.SetShown(r.label, held || data.CarrierFieldApplies(kind, r.label))
	}
}

// onLevel fills in the level's default period when no period, date or
// condition is set yet.
func (f *carrierForm) onLevel(name string) {
	f.sh.Touch()
	if f.period == nil || f.period.Text != "" || f.declassOn.Text != "" || f.condition.Text != "" {
		return
	}
	for _, l := range f.levels {
		if l.Name == name && l.DefaultYears > 0 {
			f.period.SetText(kit.Itoa(l.DefaultYears))
		}
	}
}

func (f *carrierForm) show() {
	f.popup.Show()
	f.sh.Window().Canvas().Focus(f.number)
	if f.keeper != nil {
		f.saver = kit.NewAutosave(f.sh, f.keeper, carrierDraftName, draftEvery, f.draft, f.shown)
		f.form.Changed = f.saver.Changed
	}
}

// hide closes the form, saved or cancelled: its draft goes.
func (f *carrierForm) hide() {
	f.saver.Discard()
	f.popup.Hide()
}

// shown reports whether the form is still over the window (a lock removes
// it without hiding it).
func (f *carrierForm) shown() bool {
	for _, o := range f.sh.Window().Canvas().Overlays().List() {
		if o == f.popup {
			return true
		}
	}
	return false
}

// carrierDraftName names the carrier form's draft (data.DraftKeeper).
const carrierDraftName = "carrier"

// draftEvery is how often an open, changed carrier form's draft is
// written: at most this much typing is lost when the window dies. A write
// (sealed, written to a temporary file, synced, renamed) took 3.4 ms here,
// most of it the fsync (TestCarrierDraftIsKeptWhileTypingAndGoesOnCancel
// logs it), so one every 3 s costs nothing noticeable.
var draftEvery = 3 * time.Second

// carrierDraft is what the carrier form keeps of itself: the typed texts
// by field label, whatever they are (a half-typed date too), and the
// carrier edited ("" for a new one).
type carrierDraft struct {
	Saved  time.Time         `json:"saved"`
	ID     string            `json:"id,omitempty"`
	Fields map[string]string `json:"fields"`
}

// draft returns the form's draft as kept.
func (f *carrierForm) draft() []byte {
	d := carrierDraft{Saved: time.Now(), ID: f.orig.ID, Fields: map[string]string{}}
	for _, r := range f.rows {
		switch in := r.in.(type) {
		case *kit.Entry:
			d.Fields[r.label] = in.Text
		case *kit.Select:
			d.Fields[r.label] = in.Selected
		}
	}
	b, err := json.Marshal(d)
	if err != nil {
		f.sh.Logf("carrier draft: %v", err)
		return nil
	}
	return b
}

// restore puts a draft's texts into the form.
func (f *carrierForm) restore(fields map[string]string) {
	for _, r := range f.rows {
		v, ok := fields[r.label]
		if !ok {
			continue
		}
		switch in := r.in.(type) {
		case *kit.Entry:
			in.SetText(v)
		case *kit.Select:
			in.SetSelected(v)
		}
	}
	f.fitKind() // the rows of the kind restored, and those holding text
}

// carrier reads the form into a Carrier, with FieldErrors for entries that
// cannot be read (a period that is not a number, a date in no known form).
func (f *carrierForm) carrier() (data.Carrier, data.FieldErrors) {
	c := f.orig
	c.Number, c.Title, c.Kind, c.Level = f.number.Text, f.title.Text, f.kind.Selected, f.level.Selected
	c.DeclassifyCondition, c.Source, c.DocNumber = f.condition.Text, f.source.Text, f.docNumber.Text
	c.CopyNumbers, c.Pages, c.Scope, c.Custodian = f.copyNumbers.Text, f.pages.Text, f.scope.Text, f.custodian.Text
	c.Location, c.Model, c.Serial, c.Note = f.location.Text, f.model.Text, f.serial.Text, f.note.Text
	var r kit.EntryReader
	c.PeriodYears = r.Int(data.FieldPeriod, f.period.Text)
	c.Copies = r.Int(data.FieldCopies, f.copies.Text)
	c.DeclassifyOn = r.Date(data.FieldDeclassifyOn, f.declassOn.Text)
	c.ReceivedOn = r.Date(data.FieldReceivedOn, f.received.Text)
	return c, r.Errs
}

func (f *carrierForm) onOK() {
	c, errs := f.carrier()
	if len(errs) > 0 {
		f.form.Show(errs)
		kit.ShowMessage(f.sh, f.message, "请改正标红的项目。")
		return
	}
	if err := c.Validate(f.levels, data.Today()); err != nil {
		f.form.Show(err.(data.FieldErrors))
		kit.ShowMessage(f.sh, f.message, "请改正标红的项目。")
		return
	}
	f.save(c, func(err error) {
		if kit.Saved(f.sh, f.form, f.message, "save carrier", err) {
			f.hide()
		}
	})
}
