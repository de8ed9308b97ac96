package letters

import (
	"context"
	"strings"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"baomi/app/ui/kit"
	"baomi/data"
)

// Choices of which letters are marked signed.
const (
	whichSelected = "选中的承诺书"
	whichShown    = "当前列表中待签署的全部承诺书"
)

// markDialog is the dialog that records the signed copies of the letter
// selected, or of every unsigned letter shown, as signed on a day.
type markDialog struct {
	s       *Screen
	sel     *data.LetterRecord // the letter selected when it opened, or nil
	popup   *widget.PopUp
	form    *kit.FieldForm
	which   *widget.RadioGroup
	on      *kit.Entry
	message *widget.Label
	ok      *widget.Button
	cancel  *widget.Button
}

// onMark opens the 标记已签署 dialog.
func (s *Screen) onMark() {
	d := &markDialog{s: s, form: kit.NewFieldForm(s.sh)}
	if r := s.table.Selected(); r >= 0 && r < len(s.shown) {
		l := s.letters[s.shown[r]]
		d.sel = &l
	}
	shownText := whichShown + "（共 " + kit.Itoa(len(d.unsignedShown())) + " 份）"
	options := []string{shownText}
	if d.sel != nil {
		options = []string{whichSelected + "：" + s.person(d.sel.PersonID).Name + " " + d.sel.Kind + " " +
			kit.Itoa(d.sel.Year), shownText}
	}
	d.which = widget.NewRadioGroup(options, func(string) { s.sh.Touch() })
	d.which.Required = true
	d.which.SetSelected(options[0])
	d.on = kit.NewEntry()
	d.on.SetText(s.today.Chinese())
	d.on.SetPlaceHolder("2026年11月28日")
	d.form.Add("承诺书", d.which)
	d.form.Add(data.FieldLetterSigned, d.on)
	d.message = kit.ErrorLabel()
	d.form.Fixed = func() { kit.ShowMessage(s.sh, d.message, "") }
	d.ok = kit.Button(s.sh, "标记已签署", d.onOK)
	d.ok.Importance = widget.HighImportance
	d.cancel = kit.Button(s.sh, "取消", d.hide)
	buttons := container.NewHBox(d.ok, d.cancel, layout.NewSpacer())
	body := container.NewBorder(kit.Heading("标记承诺书已签署"), container.NewVBox(kit.KeepLine(d.message), buttons), nil, nil,
		container.New(kit.MinWidth(460), d.form.Grid))
	d.popup = kit.NewModal(s.sh.Window(), body)
	s.dialog = d
	d.popup.Show()
}

// hide closes the dialog.
func (d *markDialog) hide() { d.popup.Hide() }

// unsignedShown returns the IDs of the unsigned letters shown.
func (d *markDialog) unsignedShown() []string {
	var ids []string
	for _, i := range d.s.shown {
		if l := d.s.letters[i]; l.SignedOn.IsZero() {
			ids = append(ids, l.ID)
		}
	}
	return ids
}

// onOK records the letters chosen as signed on the day typed; the store
// refuses a day after today or before a letter was printed, on the
// 签署日期 field.
func (d *markDialog) onOK() {
	sh := d.s.sh
	var r kit.EntryReader
	on := r.Date(data.FieldLetterSigned, d.on.Text)
	if len(r.Errs) == 0 && on.IsZero() {
		r.Errs = append(r.Errs, data.FieldError{Field: data.FieldLetterSigned, Problem: "请填写签署日期"})
	}
	if len(r.Errs) > 0 {
		d.form.Show(r.Errs)
		kit.ShowMessage(sh, d.message, "请改正标红的项目。")
		return
	}
	ids := d.unsignedShown()
	if d.sel != nil && strings.HasPrefix(d.which.Selected, whichSelected) {
		ids = []string{d.sel.ID}
	}
	if len(ids) == 0 {
		kit.ShowMessage(sh, d.message, "列表中没有待签署的承诺书，请先改变筛选条件。")
		return
	}
	operator := d.s.svc.Operator()
	kit.InBackground(sh, "正在记录签署…", func(ctx context.Context) ([]data.LetterRecord, error) {
		return d.s.svc.MarkSigned(ctx, ids, on, operator)
	}, func(_ []data.LetterRecord, err error) {
		if !kit.Saved(sh, d.form, d.message, "mark letters signed", err) {
			return
		}
		d.hide()
		d.s.reload()
	})
}
