package people

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"baomi/app/ui/kit"
	"baomi/app/ui/kit/kittest"
	"baomi/data"
	"baomi/data/datatest"
)

// openLetters taps 打印承诺书 and returns the dialog it opened.
func (h *harness) openLetters(t *testing.T) *letterDialog {
	t.Helper()
	if h.ps.print.Disabled() {
		t.Fatalf("打印承诺书 is disabled with %d people shown", len(h.ps.shown))
	}
	h.tap(t, h.ps.print)
	d := h.ps.letters
	if d == nil || !d.popup.Visible() {
		t.Fatalf("the print dialog is not shown; log: %v", h.sh.Logs())
	}
	return d
}

// printed waits for the n-th print and returns its pages' text.
func (h *harness) printed(t *testing.T, n int) (kittest.Printed, string) {
	t.Helper()
	kittest.WaitFor(t, "the letters printed", func() bool { return len(h.sh.Prints()) >= n })
	p := h.sh.Prints()[n-1]
	return p, strings.Join(datatest.PDFPages(t, p.Path), "\f")
}

// letters returns the letter records in the store.
func (h *harness) letters(t *testing.T) []data.LetterRecord {
	t.Helper()
	list, err := h.ws.Letters(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// Given two people shown, when the officer prints their 年度 letters for
// everyone shown with the default two copies, then one PDF holds both
// people's letters, each marked 第1份/第2份 共2份 (the text as datatest.PDFPages reads it, without spaces), and a record of each
// letter is stored before it prints.
func TestLettersForEveryoneShownArePrintedAndRecorded(t *testing.T) {
	h := newHarness(t, person("张三", "001", "办公室", data.SecrecyImportant), person("李四", "002", "财务科", data.SecrecyCore))
	d := h.openLetters(t)
	if d.copies.Text != "2" || d.kind.Selected != data.LetterAnnual {
		t.Errorf("dialog opens with %q copies of %q, want 2 of 年度", d.copies.Text, d.kind.Selected)
	}
	h.tap(t, d.ok)
	if d.popup.Visible() {
		t.Fatalf("the dialog stays open after 打印: %s", d.message.Text)
	}
	p, text := h.printed(t, 1)
	if p.Rows != 2 || p.Name != "年度保密承诺书.pdf" {
		t.Errorf("printed %q with %d rows, want 年度保密承诺书.pdf with 2", p.Name, p.Rows)
	}
	for _, want := range []string{"张三", "李四", "财务科", "第1份共2份", "第2份共2份", "某市财政局"} {
		if !strings.Contains(text, want) {
			t.Errorf("the printed letters lack %q", want)
		}
	}
	recs := h.letters(t)
	var got []string
	ids := map[string]string{}
	for _, p := range h.stored(t) {
		ids[p.ID] = p.Name
	}
	for _, r := range recs {
		got = append(got, ids[r.PersonID])
		if r.Kind != data.LetterAnnual || r.Copies != 2 || r.TemplateID != "builtin-annual" || r.Year != h.ps.today.Time().Year() {
			t.Errorf("recorded %+v, want a 年度 letter of builtin-annual, 2 copies, this year", r)
		}
	}
	slices.Sort(got)
	if !slices.Equal(got, []string{"张三", "李四"}) {
		t.Errorf("letters recorded for %v, want 张三 and 李四", got)
	}
}

// Given a person selected, when the officer prints for the selected person
// only, then that one letter is printed and recorded.
func TestALetterForTheSelectedPersonPrintsOnlyTheirs(t *testing.T) {
	h := newHarness(t, person("张三", "001", "办公室", data.SecrecyImportant), person("李四", "002", "财务科", data.SecrecyCore))
	row := slices.Index(h.names(), "李四")
	h.ps.table.SelectRow(row)
	d := h.openLetters(t)
	if !strings.HasPrefix(d.whom.Selected, whomSelected) || !strings.Contains(d.whom.Selected, "李四") {
		t.Fatalf("whom = %q, want the selected person 李四 first", d.whom.Selected)
	}
	kittest.Shot(t, h.sh.Window(), "people-letters")
	d.kind.SetSelected(data.LetterOnboard)
	d.copies.SetText("1")
	h.tap(t, d.ok)
	p, text := h.printed(t, 1)
	if dir := os.Getenv("BAOMI_SHOTS"); dir != "" { // the PDF too, for pdftoppm
		if b, err := os.ReadFile(p.Path); err == nil {
			_ = os.WriteFile(filepath.Join(dir, "people-letter.pdf"), b, 0o600)
		}
	}
	if !strings.Contains(text, "李四") || strings.Contains(text, "张三") || !strings.Contains(text, "第1份共1份") ||
		!strings.Contains(text, "上岗保密承诺书") {
		t.Errorf("printed text does not hold one 上岗 letter of 李四 alone:\n%s", text)
	}
	if recs := h.letters(t); len(recs) != 1 || recs[0].Kind != data.LetterOnboard || recs[0].Copies != 1 {
		t.Errorf("recorded %+v, want one 上岗 letter of 1 copy", recs)
	}
}

// Given a person without a 部门 among those shown, when the officer prints,
// then the dialog names that person and 部门, and nothing is printed or
// recorded; a count of copies out of range is refused on its field.
func TestAPersonMissingAFieldIsNamedAndNothingPrints(t *testing.T) {
	h := newHarness(t, person("张三", "001", "办公室", data.SecrecyImportant), person("王五", "003", "", data.SecrecyCore))
	d := h.openLetters(t)
	d.copies.SetText("0")
	h.tap(t, d.ok)
	if got := d.form.Problem(data.FieldLetterCopies); got == "" {
		t.Errorf("0 copies shows no problem on 份数")
	}
	d.copies.SetText("2")
	h.tap(t, d.ok)
	if !d.popup.Visible() {
		t.Fatalf("the dialog closed although 王五 has no 部门")
	}
	if msg := d.message.Text; !d.message.Visible() || !strings.Contains(msg, "王五（部门）") || strings.Contains(msg, "张三") {
		t.Errorf("message %q (shown %v), want 王五（部门） named and 张三 not", msg, d.message.Visible())
	}
	kittest.Shot(t, h.sh.Window(), "people-letters-missing")
	h.sh.Settle(t)
	if n := len(h.sh.Prints()); n != 0 {
		t.Errorf("%d documents printed, want none", n)
	}
	if recs := h.letters(t); len(recs) != 0 {
		t.Errorf("%d letters recorded, want none", len(recs))
	}
	test.Tap(d.cancel)
	if d.popup.Visible() {
		t.Errorf("取消 leaves the dialog open")
	}
}

// Given more people shown than one print records, when the officer prints
// for all of them, then the dialog asks to print in batches and nothing is
// printed or recorded.
func TestPrintingMoreLettersThanTheLimitAsksForBatches(t *testing.T) {
	many := make([]data.Person, data.MaxLettersAtOnce+1)
	for i := range many {
		many[i] = person("人员"+kit.Itoa(i), "N"+kit.Itoa(i), "办公室", data.SecrecyGeneral)
	}
	h := newHarness(t, many...)
	d := h.openLetters(t)
	h.tap(t, d.ok)
	if !d.popup.Visible() || !strings.Contains(d.message.Text, "请用部门等筛选分批打印") {
		t.Errorf("message %q (dialog shown %v), want a request to print in batches", d.message.Text, d.popup.Visible())
	}
	h.sh.Settle(t)
	if n, recs := len(h.sh.Prints()), h.letters(t); n != 0 || len(recs) != 0 {
		t.Errorf("%d printed, %d recorded; want none", n, len(recs))
	}
}

// Given a filter that shows nobody, 打印承诺书 is disabled.
func TestPrintLettersIsDisabledWhenNobodyIsShown(t *testing.T) {
	h := newHarness(t, person("张三", "001", "办公室", data.SecrecyImportant))
	if h.ps.print.Disabled() {
		t.Fatalf("打印承诺书 disabled with a person shown")
	}
	h.ps.search.SetText("没有这个人")
	if !h.ps.print.Disabled() {
		t.Errorf("打印承诺书 enabled with nobody shown")
	}
}
