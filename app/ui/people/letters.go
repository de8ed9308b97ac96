package people

import (
	"context"
	"io"
	"strings"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"baomi/app/ui/kit"
	"baomi/data"
	"baomi/data/pdf"
)

// Choices of whom a print of letters is for.
const (
	whomSelected = "选中的人员"
	whomShown    = "当前列表中的全部人员"
)

// maxLetterCopies is the most copies of each letter one print makes: two
// are the rule (本人 and 保密办), a few more for a file kept elsewhere;
// a typo of 22 would otherwise print 22 pages a person.
const maxLetterCopies = 10

// maxMissingNamed is how many people the refusal of a print names one by
// one; the rest are counted.
const maxMissingNamed = 10

// letterDialog is the dialog that prints 保密承诺书 for the person
// selected or for every person shown.
type letterDialog struct {
	s       *Screen
	sel     *data.Person // the person selected when it opened, or nil
	popup   *widget.PopUp
	form    *kit.FieldForm
	kind    *kit.Select
	whom    *widget.RadioGroup
	copies  *kit.Entry
	message *widget.Label
	ok      *widget.Button
	cancel  *widget.Button
}

// letterTemplate returns the built-in template of kind.
func letterTemplate(kind string) (data.LetterTemplate, bool) {
	for _, t := range data.BuiltinLetterTemplates() {
		if t.Kind == kind {
			return t, true
		}
	}
	return data.LetterTemplate{}, false
}

// onLetters opens the print dialog of 保密承诺书.
func (s *Screen) onLetters() {
	d := &letterDialog{s: s, form: kit.NewFieldForm(s.sh)}
	if r := s.table.Selected(); r >= 0 && r < len(s.shown) {
		p := s.people[s.shown[r]]
		d.sel = &p
	}
	d.kind = kit.NewSelect([]string{data.LetterOnboard, data.LetterAnnual, data.LetterLeaving, data.LetterSpecial}, nil)
	d.kind.SetSelected(data.LetterAnnual)
	shownText := whomShown + "（共 " + kit.Itoa(len(s.shown)) + " 人）"
	options := []string{shownText}
	if d.sel != nil {
		options = []string{whomSelected + "：" + d.sel.Name, shownText}
	}
	d.whom = widget.NewRadioGroup(options, func(string) { s.sh.Touch() })
	d.whom.Required = true
	d.whom.SetSelected(options[0])
	d.copies = kit.NewEntry()
	d.copies.SetText(kit.Itoa(pdf.DefaultLetterCopies))
	d.copies.SetPlaceHolder("每人几份，通常 2 份")
	d.form.Add("承诺书", d.kind)
	d.form.Add("打印给", d.whom)
	d.form.Add(data.FieldLetterCopies, d.copies)
	d.message = kit.ErrorLabel()
	d.form.Fixed = func() { kit.ShowMessage(s.sh, d.message, "") }
	d.ok = kit.Button(s.sh, "打印", d.onPrint)
	d.ok.Importance = widget.HighImportance
	d.cancel = kit.Button(s.sh, "取消", d.hide)
	buttons := container.NewHBox(d.ok, d.cancel, layout.NewSpacer())
	body := container.NewBorder(kit.Heading("打印保密承诺书"), container.NewVBox(kit.KeepLine(d.message), buttons), nil, nil,
		container.New(kit.MinWidth(460), d.form.Grid))
	d.popup = kit.NewModal(s.sh.Window(), body)
	s.letters = d
	d.popup.Show()
}

// hide closes the dialog, printed or cancelled.
func (d *letterDialog) hide() { d.popup.Hide() }

// targets returns the people the letters are for.
func (d *letterDialog) targets() []data.Person {
	if d.sel != nil && strings.HasPrefix(d.whom.Selected, whomSelected) {
		return []data.Person{*d.sel}
	}
	out := make([]data.Person, len(d.s.shown))
	for i, j := range d.s.shown {
		out[i] = d.s.people[j]
	}
	return out
}

// onPrint renders a letter for every person chosen, records them and then
// prints them, as an export is recorded before its file is written. A
// person missing a value the template needs is named with what is
// missing, and nothing is printed or recorded.
func (d *letterDialog) onPrint() {
	sh := d.s.sh
	var r kit.EntryReader
	copies := r.Int(data.FieldLetterCopies, d.copies.Text)
	if len(r.Errs) == 0 && (copies < 1 || copies > maxLetterCopies) {
		r.Errs = append(r.Errs, data.FieldError{Field: data.FieldLetterCopies,
			Problem: "份数请填 1 到 " + kit.Itoa(maxLetterCopies) + " 之间的整数"})
	}
	if len(r.Errs) > 0 {
		d.form.Show(r.Errs)
		kit.ShowMessage(sh, d.message, "请改正标红的项目。")
		return
	}
	tmpl, ok := letterTemplate(d.kind.Selected)
	if !ok {
		d.form.Show(data.FieldErrors{{Field: "承诺书", Problem: "请选择要打印的承诺书"}})
		kit.ShowMessage(sh, d.message, "请改正标红的项目。")
		return
	}
	people := d.targets()
	if len(people) == 0 {
		kit.ShowMessage(sh, d.message, "列表中没有人员，请先改变查找或筛选条件。")
		return
	}
	if len(people) > data.MaxLettersAtOnce {
		kit.ShowMessage(sh, d.message, "一次最多打印 "+kit.Itoa(data.MaxLettersAtOnce)+" 人的承诺书，现在列表中有 "+
			kit.Itoa(len(people))+" 人，请用部门等筛选分批打印。")
		return
	}
	unit, today := sh.Unit(), d.s.today
	needs := data.Placeholders(tmpl.Title + "\n" + tmpl.Body)
	var letters []data.Letter
	var records []data.LetterRecord
	var missing []string
	for _, p := range people {
		// 清退载体数 is 0 until carriers are linked to the people who hold
		// them (later in #10): the 离岗 letter prints 共计0件 for now.
		values := data.LetterValues(p, unit, d.s.periods, today, 0)
		var lacks []string
		for _, ph := range needs {
			if strings.TrimSpace(values[ph]) == "" {
				lacks = append(lacks, ph)
			}
		}
		if len(lacks) > 0 {
			missing = append(missing, p.Name+"（"+strings.Join(lacks, "、")+"）")
			continue
		}
		l, err := data.Render(tmpl, values)
		if err != nil { // a built-in template with every value filled renders: this is a bug
			sh.Logf("render letter %s for %s: %v", tmpl.ID, p.ID, err)
			kit.ShowMessage(sh, d.message, data.Message(err))
			return
		}
		letters = append(letters, l)
		records = append(records, data.LetterRecord{PersonID: p.ID, TemplateID: tmpl.ID, TemplateVersion: tmpl.Version,
			Kind: tmpl.Kind, Year: today.Time().Year(), Copies: copies})
	}
	if len(missing) > 0 {
		kit.ShowMessage(sh, d.message, missingText(missing))
		return
	}
	form := d.form
	form.Show(nil)
	kit.ShowMessage(sh, d.message, "")
	kit.InBackground(sh, "正在记录承诺书…", func(ctx context.Context) ([]data.LetterRecord, error) {
		return d.s.svc.RecordLetters(ctx, records)
	}, func(_ []data.LetterRecord, err error) {
		if err != nil {
			sh.Logf("record letters: %v", err)
			kit.ShowMessage(sh, d.message, "承诺书没有打印："+data.Message(err))
			return
		}
		d.hide()
		doc := pdf.LettersDoc{Unit: unit.Name, Letters: letters, Copies: copies}
		sh.Print(tmpl.Kind+"保密承诺书.pdf", len(letters), func(w io.Writer) error { return pdf.Letters(w, doc) })
	})
}

// missingText is the refusal of a print naming each person (up to
// maxMissingNamed) and what they lack.
func missingText(missing []string) string {
	named := missing
	more := ""
	if len(named) > maxMissingNamed {
		named = named[:maxMissingNamed]
		more = "等 " + kit.Itoa(len(missing)) + " 人"
	}
	return "没有打印：以下人员缺少承诺书要填的信息，请先点“修改”补填后再打印：" + strings.Join(named, "；") + more + "。"
}
