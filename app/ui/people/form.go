package people

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"baomi/app/ui/kit"
	"baomi/data"
)

// personForm is the dialog that registers a new person or edits one.
type personForm struct {
	sh    kit.Shell
	orig  data.Person
	save  func(p data.Person, done func(error))
	popup *widget.PopUp
	form  *kit.FieldForm

	staffNumber, name, department, post, determinedOn *kit.Entry
	vettedOn, vettingResult, trainingHours, leftOn    *kit.Entry
	note                                              *kit.Entry
	gender, level, state                              *kit.Select
	message                                           *widget.Label
	ok, cancel                                        *widget.Button
	history                                           *widget.Button // 经历……, shown for a stored person
}

// newPersonForm builds the form for person p (new when its ID is empty);
// save stores what the officer confirms and calls done with the outcome.
func newPersonForm(sh kit.Shell, p data.Person, save func(p data.Person, done func(error))) *personForm {
	f := &personForm{sh: sh, orig: p, save: save, form: kit.NewFieldForm(sh)}
	entry := func(v, hint string) *kit.Entry {
		e := kit.NewEntry()
		e.SetText(v)
		e.SetPlaceHolder(hint)
		return e
	}
	isNew := p.ID == ""
	if isNew {
		p.State = data.PersonOnPost
		p.DeterminedOn = data.Today()
	}
	f.staffNumber = entry(p.StaffNumber, "工号，可不填")
	f.name = entry(p.Name, "如 张三")
	f.gender = kit.NewSelect([]string{data.GenderMale, data.GenderFemale}, nil)
	f.gender.SetSelected(p.Gender)
	f.department = entry(p.Department, "如 办公室")
	f.post = entry(p.Post, "职务或岗位，如 机要员")
	f.level = kit.NewSelect(data.SecrecyLevels, nil)
	f.level.SetSelected(p.Level)
	f.determinedOn = entry(p.DeterminedOn.Chinese(), "如 2026年11月28日")
	f.vettedOn = entry(p.VettedOn.Chinese(), "上岗前审查的日期")
	f.vettingResult = entry(p.VettingResult, "如 合格")
	f.trainingHours = entry(hoursText(p.TrainingHours), "如 8 或 2.5")
	f.state = kit.NewSelect(data.PersonStates, nil)
	f.state.SetSelected(p.State)
	f.state.OnChanged = f.onState // after: the form it fits is not built yet
	f.leftOn = entry(p.LeftOn.Chinese(), "离岗或进入脱密期的日期")
	f.note = kit.NewMultiLineEntry()
	f.note.SetText(p.Note)
	f.note.SetMinRowsVisible(2)
	for _, row := range []struct {
		label string
		in    fyne.CanvasObject
	}{
		{data.FieldStaffNumber, f.staffNumber}, {data.FieldName, f.name}, {data.FieldGender, f.gender},
		{data.FieldDepartment, f.department}, {data.FieldPost, f.post}, {data.FieldSecrecyLevel, f.level},
		{data.FieldDeterminedOn, f.determinedOn}, {data.FieldVettedOn, f.vettedOn},
		{data.FieldVettingResult, f.vettingResult}, {data.FieldTrainingHours, f.trainingHours},
		{data.FieldPersonState, f.state}, {data.FieldLeftOn, f.leftOn}, {data.FieldNote, f.note},
	} {
		f.form.Add(row.label, row.in)
	}
	f.fitState()
	f.message = kit.ErrorLabel()
	f.form.Fixed = func() { kit.ShowMessage(sh, f.message, "") }
	title := "登记涉密人员"
	if !isNew {
		title = "修改涉密人员 " + p.Name
	}
	f.ok = kit.Button(sh, "保存", f.onOK)
	f.ok.Importance = widget.HighImportance
	f.cancel = kit.Button(sh, "取消", f.hide)
	f.history = widget.NewButton("经历……", nil) // its action is the screen's
	f.history.Hide()
	scroll := f.form.Scroller(fyne.NewSize(560, 480))
	buttons := container.NewHBox(f.ok, f.cancel, f.history, layout.NewSpacer(), kit.RequiredNote())
	body := container.NewBorder(kit.Heading(title), container.NewVBox(kit.KeepLine(f.message), buttons), nil, nil, scroll)
	f.popup = kit.NewModal(sh.Window(), body)
	return f
}

// hoursText shows 培训学时 as typed: 8, 2.5, or nothing for none.
func hoursText(h float64) string {
	if h == 0 {
		return ""
	}
	return strconv.FormatFloat(h, 'f', -1, 64)
}

// onState shows the 离岗日期 and marks the fields the state chosen
// requires.
func (f *personForm) onState(string) {
	f.sh.Touch()
	f.fitState()
}

// fitState marks the fields the chosen state requires and shows the
// 离岗日期 only for a person who has left, or when it holds a date, so that
// nothing is saved that the officer cannot see.
func (f *personForm) fitState() {
	state := f.state.Selected
	f.form.SetRequired(data.PersonRequiredFields(state))
	left := state == data.PersonLeft || state == data.PersonInExitPeriod
	f.form.SetShown(data.FieldLeftOn, left || strings.TrimSpace(f.leftOn.Text) != "")
}

// show opens the form with the cursor in 姓名.
func (f *personForm) show() {
	f.popup.Show()
	f.sh.Window().Canvas().Focus(f.name)
}

// hide closes the form, saved or cancelled.
func (f *personForm) hide() { f.popup.Hide() }

// person reads the form into a person, with a FieldError for each date or
// number it cannot read.
func (f *personForm) person() (data.Person, data.FieldErrors) {
	var r kit.EntryReader
	p := f.orig
	p.StaffNumber, p.Name, p.Gender = f.staffNumber.Text, f.name.Text, f.gender.Selected
	p.Department, p.Post, p.Level = f.department.Text, f.post.Text, f.level.Selected
	p.DeterminedOn = r.Date(data.FieldDeterminedOn, f.determinedOn.Text)
	p.VettedOn = r.Date(data.FieldVettedOn, f.vettedOn.Text)
	p.VettingResult = f.vettingResult.Text
	p.TrainingHours = 0
	if s := strings.TrimSpace(data.HalfWidth(f.trainingHours.Text)); s != "" {
		h, err := strconv.ParseFloat(s, 64)
		if err != nil {
			r.Errs = append(r.Errs, data.FieldError{Field: data.FieldTrainingHours, Problem: "请填写数字，如 8 或 2.5"})
		}
		p.TrainingHours = h
	}
	p.State = f.state.Selected
	p.LeftOn = r.Date(data.FieldLeftOn, f.leftOn.Text)
	p.Note = f.note.Text
	p.Normalize()
	return p, r.Errs
}

// onOK checks the form and saves it: problems are shown on their fields
// and nothing is saved until they are put right.
func (f *personForm) onOK() {
	p, errs := f.person()
	if len(errs) == 0 {
		if err := p.Validate(data.Today()); err != nil {
			errs = err.(data.FieldErrors)
		}
	}
	if len(errs) > 0 {
		f.form.Show(errs)
		kit.ShowMessage(f.sh, f.message, "请改正标红的项目。")
		return
	}
	f.save(p, func(err error) {
		if kit.Saved(f.sh, f.form, f.message, "save person", err) {
			f.hide()
		}
	})
}
