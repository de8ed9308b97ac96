package carriers

import (
	"baomi/data"
	"baomi/data/datatest"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"baomi/app/ui/kit/kittest"
)

// waitAlerts waits until the register's alerts, worked out in the
// background, are shown.
func waitAlerts(t *testing.T, cs *Screen) {
	t.Helper()
	waitFor(t, "alerts", func() bool { return cs.pending == 0 })
}

func TestAddCarrierShowsFieldErrorThenSavesWhenFixed(t *testing.T) {
	// given the carrier register of an unlocked store
	h := newHarness(t)
	cs := h.cs
	headBefore := h.ws.Head()
	// when a carrier is entered without custodian and with a bad date
	tapSettled(t, h, cs.add)
	f := cs.form
	test.Type(f.number, "CZJ-2026-0001")
	test.Type(f.title, "关于做好年度保密自查工作的通知")
	f.kind.SetSelected(data.KindPaper)
	f.level.SetSelected("机密")
	if f.period.Text != "20" {
		t.Errorf("default period for 机密 = %q, want 20", f.period.Text)
	}
	f.received.SetText("2026年13月1日")
	tapSettled(t, h, f.ok)
	// then each field names its problem and nothing is stored
	if p := f.form.Problem(data.FieldReceivedOn); !strings.Contains(p, "日期") {
		t.Errorf("收到日期 problem = %q", p)
	}
	f.received.SetText("2026.3.5")
	tapSettled(t, h, f.ok)
	if p := f.form.Problem(data.FieldCustodian); p != "必须填写" {
		t.Errorf("责任人 problem = %q", p)
	}
	if p := f.form.Problem(data.FieldReceivedOn); p != "" {
		t.Errorf("fixed date still flagged: %q", p)
	}
	if !f.popup.Visible() || h.ws.Head() != headBefore {
		t.Fatal("a refused carrier closed the form or was written")
	}
	// when the custodian is filled in
	test.Type(f.custodian, "李四")
	tapSettled(t, h, f.ok)
	// then the carrier is stored, listed, and the shell is told (its status bar shows the new head)
	if f.popup.Visible() {
		t.Fatalf("form still open: %q", f.message.Text)
	}
	if cs.shown.Len() != 1 || cs.shown.At(0).Mark() != "机密★20年" || cs.shown.At(0).ReceivedOn != data.NewDate(2026, 3, 5) {
		t.Fatalf("register shows %+v", cs.shown.Carriers())
	}
	// two audit entries: the carrier and its registration event
	if h.changes != 1 || h.ws.Head().Seq != headBefore.Seq+2 {
		t.Errorf("changed called %d times, head #%d after #%d, want 1 and two entries more", h.changes, h.ws.Head().Seq, headBefore.Seq)
	}
	// and a second carrier with the same 编号 is refused on the 编号 field
	tapSettled(t, h, cs.add)
	f = cs.form
	test.Type(f.number, "CZJ-2026-0001")
	test.Type(f.title, "另一份文件")
	f.kind.SetSelected(data.KindPaper)
	f.level.SetSelected("秘密")
	test.Type(f.custodian, "王五")
	tapSettled(t, h, f.ok)
	if p := f.form.Problem(data.FieldNumber); !strings.Contains(p, "已被其他载体使用") {
		t.Errorf("编号 problem = %q", p)
	}
	// when it is searched for
	f.hide()
	test.Type(cs.search, "年度保密")
	if cs.shown.Len() != 1 {
		t.Errorf("search found %d", cs.shown.Len())
	}
	cs.search.SetText("不存在")
	if cs.shown.Len() != 0 {
		t.Errorf("search for nothing found %d", cs.shown.Len())
	}
}

func TestEditCarrierKeepsStateAndRefusesAClashingNumber(t *testing.T) {
	// given a register with two carriers
	h := newHarness(t)
	ws := h.ws
	for _, n := range []string{"E-1", "E-2"} {
		if _, err := ws.AddCarrier(context.Background(), data.Carrier{Number: n, Title: "文件" + n, Kind: data.KindPaper,
			Level: "秘密", PeriodYears: 10, ReceivedOn: data.NewDate(2026, 2, 1), Copies: 1, Custodian: "李四"}); err != nil {
			t.Fatal(err)
		}
	}
	cs := h.cs
	reloaded(t, cs)
	// when the first is selected, edited onto the second's 编号
	cs.table.Select(widget.TableCellID{Row: 0, Col: 0})
	if cs.edit.Disabled() {
		t.Fatal("edit not enabled after selecting a row")
	}
	tapSettled(t, h, cs.edit)
	f := cs.form
	if f.number.Text != "E-1" || f.title.Text != "文件E-1" || f.period.Text != "10" {
		t.Fatalf("form not filled: %q %q %q", f.number.Text, f.title.Text, f.period.Text)
	}
	f.number.SetText("E-2")
	tapSettled(t, h, f.ok)
	// then the clash is shown on 编号
	if p := f.form.Problem(data.FieldNumber); !strings.Contains(p, "已被其他载体使用") {
		t.Fatalf("编号 problem = %q", p)
	}
	// when it is given a free 编号 and a new location
	f.number.SetText("E-9")
	f.location.SetText("保密柜5号")
	tapSettled(t, h, f.ok)
	// then the register shows the change, state and creation time kept
	if f.popup.Visible() {
		t.Fatalf("form still open: %q", f.message.Text)
	}
	got, err := ws.CarrierByNumber(context.Background(), "E-9")
	if err != nil || got.Location != "保密柜5号" || got.State != data.StateHeld || got.CreatedAt.IsZero() {
		t.Errorf("stored %+v, %v", got, err)
	}
	if _, err := ws.CarrierByNumber(context.Background(), "E-1"); err == nil {
		t.Error("old 编号 still indexed")
	}
	if cs.shown.Len() != 2 || cs.shown.At(1).Number != "E-9" {
		t.Errorf("register shows %d rows, second %q", cs.shown.Len(), cs.shown.At(1).Number)
	}
}

// openRegister shows the register of a new data folder holding one carrier and opens that
// carrier's detail view.
func openRegister(t *testing.T) (*harness, *carrierDetail) {
	t.Helper()
	h := newHarness(t)
	if _, err := h.ws.AddCarrier(context.Background(), data.Carrier{Number: "CZJ-2026-0007", Title: "年度保密工作要点",
		Kind: data.KindPaper, Level: "机密", PeriodYears: 20, ReceivedOn: data.NewDate(2026, 3, 5), Copies: 1, Custodian: "李四"}); err != nil {
		t.Fatal(err)
	}
	cs := h.cs
	reloaded(t, cs)
	cs.table.Select(widget.TableCellID{Row: 0, Col: 0})
	tapSettled(t, h, cs.open)
	if cs.detail == nil || !cs.detail.popup.Visible() {
		t.Fatal("detail view not shown")
	}
	return h, cs.detail
}

func TestLendThenReturnChangesStateAndHistory(t *testing.T) {
	h, d := openRegister(t)
	if d.actions[data.EventReturn].Disabled() == false || d.actions[data.EventLend].Disabled() {
		t.Fatal("a held carrier must offer 借阅, not 归还")
	}
	// when it is lent without an approver
	tapSettled(t, h, d.actions[data.EventLend])
	f := d.form
	test.Type(f.borrower, "王五")
	tapSettled(t, h, f.ok)
	// then the approver is asked for and nothing is recorded
	if p := f.form.Problem(data.FieldApprover); p != "必须填写" || len(d.events) != 1 {
		t.Fatalf("approver problem %q, %d events", p, len(d.events))
	}
	test.Type(f.approver, "赵主任")
	tapSettled(t, h, f.ok)
	if f.popup.Visible() {
		t.Fatalf("lend form still open: %q", f.message.Text)
	}
	// then the carrier is lent, in the detail and in the register
	if d.c.State != data.StateLent || d.c.Borrower != "王五" || len(d.events) != 2 {
		t.Fatalf("after lend: %+v, %d events", d.c, len(d.events))
	}
	if got := h.cs.shown.At(0).State; got != data.StateLent {
		t.Errorf("register shows %s", got)
	}
	facts := kittest.LabelText(d.factsBox)
	for _, want := range []string{data.StateLent, data.FieldBorrower, "王五", data.FieldDueOn, d.c.DueOn.Chinese()} {
		if !strings.Contains(facts, want) || d.c.DueOn.IsZero() {
			t.Errorf("the detail's facts after lending lack %q:\n%s", want, facts)
		}
	}
	if !d.actions[data.EventLend].Disabled() || d.actions[data.EventReturn].Disabled() {
		t.Error("a lent carrier must offer 归还, not 借阅")
	}
	if !strings.Contains(d.cell(1, 3), "借阅人：王五") {
		t.Errorf("history row = %q", d.cell(1, 3))
	}
	// when it is returned
	tapSettled(t, h, d.actions[data.EventReturn])
	tapSettled(t, h, d.form.ok)
	if d.c.State != data.StateHeld || len(d.events) != 3 {
		t.Fatalf("after return: %s, %d events", d.c.State, len(d.events))
	}
}

func TestDestroyWithTheOperatorAsWitnessIsRefused(t *testing.T) {
	h, d := openRegister(t)
	tapSettled(t, h, d.actions[data.EventDestroy])
	f := d.form
	f.method.SetSelected("粉碎")
	test.Type(f.place, "保密室")
	test.Type(f.approver, "赵主任")
	test.Type(f.witness, h.sh.Unit().Officer) // the operator is the officer by default
	tapSettled(t, h, f.ok)
	if p := f.form.Problem(data.FieldWitness); p != "监销人不能与经办人为同一人" {
		t.Fatalf("监销人 problem = %q", p)
	}
	if d.c.State != data.StateHeld || len(d.events) != 1 {
		t.Fatal("a refused destruction was recorded")
	}
	f.witness.SetText("钱七")
	tapSettled(t, h, f.ok)
	if d.c.State != data.StateDestroyed {
		t.Fatalf("not destroyed: %q", f.message.Text)
	}
	for k, b := range d.actions {
		if !b.Disabled() {
			t.Errorf("%s still offered for a destroyed carrier", k.Chinese())
		}
	}
}

func TestCorrectionVoidsAWrongLend(t *testing.T) {
	h, d := openRegister(t)
	tapSettled(t, h, d.actions[data.EventLend])
	test.Type(d.form.borrower, "王五")
	test.Type(d.form.approver, "赵主任")
	tapSettled(t, h, d.form.ok)
	tapSettled(t, h, d.correct)
	f := d.form
	if len(f.voids.Options) != 1 {
		t.Fatalf("correctable: %v", f.voids.Options)
	}
	f.voids.SetSelectedIndex(0)
	test.Type(f.reason, "登记错了载体")
	tapSettled(t, h, f.ok)
	if d.c.State != data.StateHeld || len(d.events) != 3 || !strings.Contains(d.cell(1, 1), "已更正") {
		t.Fatalf("after correction: %s, %d events, row %q", d.c.State, len(d.events), d.cell(1, 1))
	}
}

func TestOverdueLoanRaisesAnAlertUntilReturned(t *testing.T) {
	// given a carrier lent on 11月1日, due 11月10日 (before today)
	h, d := openRegister(t)
	tapSettled(t, h, d.actions[data.EventLend])
	f := d.form
	f.on.SetText("2026年11月1日")
	f.dueOn.SetText("2026年11月10日")
	test.Type(f.borrower, "王五")
	test.Type(f.approver, "赵主任")
	tapSettled(t, h, f.ok)
	test.Tap(d.close)
	// then the register shows an overdue alert
	cs := h.cs
	waitAlerts(t, cs)
	if !strings.Contains(cs.alertLabel.Text, "1 件逾期未还") || cs.alertBtn.Disabled() {
		t.Fatalf("alert bar = %q", cs.alertLabel.Text)
	}
	test.Tap(cs.alertBtn)
	if len(cs.alerts) != 1 || !strings.Contains(cs.alerts[0].Text, "借给 王五") {
		t.Fatalf("alerts = %+v", cs.alerts)
	}
	// when the officer opens it from the alert list and records the return
	test.Tap(cs.alertBtn)
	cs.alertRows.Select(0)
	settle(t, h)
	d = cs.detail
	if d == nil || d.c.State != data.StateLent {
		t.Fatal("alert did not open the lent carrier")
	}
	tapSettled(t, h, d.actions[data.EventReturn])
	tapSettled(t, h, d.form.ok)
	// then the alert is gone
	waitAlerts(t, cs)
	if cs.alertLabel.Text != "" || !cs.alertBtn.Disabled() {
		t.Errorf("alert bar after return = %q", cs.alertLabel.Text)
	}
}

func TestScanBoxOpensTheCarrierOrSaysItIsUnknown(t *testing.T) {
	h, d := openRegister(t)
	d.popup.Hide()
	cs := h.cs
	cs.detail = nil
	// a scanner types the 编号 and Enter (full-width, as some IMEs send it)
	test.Type(cs.scan, "ＣＺＪ-2026-0007")
	cs.scan.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	settle(t, h)
	if cs.detail == nil || !cs.detail.popup.Visible() || cs.detail.c.Number != "CZJ-2026-0007" {
		t.Fatal("scan did not open the carrier")
	}
	if cs.scan.Text != "" {
		t.Errorf("scan box not cleared: %q", cs.scan.Text)
	}
	cs.detail.popup.Hide()
	test.Type(cs.scan, "XX-404")
	cs.scan.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if !strings.Contains(cs.scanMsg.Text, "没有编号 XX-404") {
		t.Errorf("unknown scan message = %q", cs.scanMsg.Text)
	}
}

func TestFiltersAndPinyinSearch(t *testing.T) {
	h, d := openRegister(t)
	d.popup.Hide()
	cs := h.cs
	test.Type(cs.search, "ls") // 李四, the custodian
	if cs.shown.Len() != 1 {
		t.Errorf("pinyin search found %d", cs.shown.Len())
	}
	cs.level.SetSelected("秘密")
	if cs.shown.Len() != 0 {
		t.Errorf("level filter kept %d", cs.shown.Len())
	}
	cs.level.SetSelected("全部")
	cs.from.SetText("2026年4月1日")
	if cs.shown.Len() != 0 {
		t.Errorf("date filter kept %d", cs.shown.Len())
	}
	cs.from.SetText("2026年13月")
	if cs.filterMsg.Text == "" || cs.shown.Len() != 1 {
		t.Errorf("bad date: message %q, %d shown", cs.filterMsg.Text, cs.shown.Len())
	}
}

func TestStocktakeWithAMissingCarrierRaisesAnAlert(t *testing.T) {
	// given three carriers, two in 保密柜1号 and one in 保密柜2号
	h, d := openRegister(t)
	d.popup.Hide()
	ws := h.ws
	c0, _ := ws.CarrierByNumber(context.Background(), "CZJ-2026-0007")
	c0.Location = "保密柜1号"
	if _, err := ws.UpdateCarrier(context.Background(), c0); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"CZJ-2026-0008", "CZJ-2026-0009"} {
		loc := "保密柜1号"
		if n == "CZJ-2026-0009" {
			loc = "保密柜2号"
		}
		if _, err := ws.AddCarrier(context.Background(), data.Carrier{Number: n, Title: "文件" + n, Kind: data.KindPaper,
			Level: "秘密", PeriodYears: 10, ReceivedOn: data.NewDate(2026, 3, 5), Copies: 1, Custodian: "李四", Location: loc}); err != nil {
			t.Fatal(err)
		}
	}
	// when 保密柜1号 is stocktaken and only 0007 is scanned, plus a stranger
	st := h.stocktake()
	st.scope.SetSelected(scopeLocation)
	settle(t, h)
	st.value.SetSelected("保密柜1号")
	tapSettled(t, h, st.start)
	if len(st.expected) != 2 {
		t.Fatalf("expected %d carriers in scope", len(st.expected))
	}
	test.Type(st.scan, "CZJ-2026-0007")
	st.scan.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	test.Type(st.scan, "CZJ-2026-0009")
	st.scan.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if !strings.Contains(st.status.Text, "已找到 1 件，未找到 1 件") || !strings.Contains(st.status.Text, "CZJ-2026-0009") {
		t.Fatalf("status = %q", st.status.Text)
	}
	test.Tap(st.finish)
	waitFor(t, "stocktake recorded", func() bool { return strings.Contains(st.result.Text, "清点已登记") })
	if !strings.Contains(st.result.Text, "未找到 1 件") || !strings.Contains(st.result.Text, "范围外 1 件") {
		t.Errorf("result = %q", st.result.Text)
	}
	// then the missing carrier is flagged and raises an alert on the register
	c8, _ := ws.CarrierByNumber(context.Background(), "CZJ-2026-0008")
	c7, _ := ws.CarrierByNumber(context.Background(), "CZJ-2026-0007")
	if !c8.Missing || c7.Missing || c7.LastSeen.IsZero() {
		t.Errorf("after stocktake: 0008 missing=%v, 0007 missing=%v seen=%v", c8.Missing, c7.Missing, c7.LastSeen)
	}
	// and the report prints with the missing carrier
	test.Tap(st.printBtn)
	waitFor(t, "stocktake report", func() bool { return strings.Contains(h.lastPrint(), "清点报告") })
	h.showCarriers(t)
	waitAlerts(t, h.cs)
	if !strings.Contains(h.cs.alertLabel.Text, "1 件清点未找到") {
		t.Errorf("alert bar = %q", h.cs.alertLabel.Text)
	}
	// the report's text is checked last: without pdftotext the test skips
	// here, or fails in CI and under build/test.sh (datatest.Need)
	text := strings.Join(datatest.PDFPages(t, h.lastPrint()), "")
	for _, want := range []string{"清点报告", "范围：存放位置：保密柜1号", "CZJ-2026-0008", "找到1件，未找到1件；范围外1件"} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q", want)
		}
	}
}

func TestPrintRegisterWritesThePDF(t *testing.T) {
	h, d := openRegister(t)
	d.popup.Hide()
	cs := h.cs
	test.Tap(cs.printReg)
	waitFor(t, "print file", func() bool { return h.lastPrint() != "" })
	b, err := os.ReadFile(h.lastPrint())
	if err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("print file: %v", err)
	}
	printed := filepath.Join(t.TempDir(), "台账.pdf") // a copy to read after the lock
	if err := os.WriteFile(printed, b, 0o600); err != nil {
		t.Fatal(err)
	}
	// the printed text is checked last: without pdftotext the test skips
	// here, or fails in CI and under build/test.sh (datatest.Need)
	text := strings.Join(datatest.PDFPages(t, printed), "")
	for _, want := range []string{"某市财政局", "CZJ-2026-0007", "机密★20年", "台账校验码", "第1页共1页"} {
		if !strings.Contains(text, want) {
			t.Errorf("printed register lacks %q", want)
		}
	}
}

func TestImportDialogPreviewsThenImportsAndAReimportChangesNothing(t *testing.T) {
	h, d := openRegister(t)
	d.popup.Hide()
	cs := h.cs
	csv := "某局涉密载体台账\n" +
		"序号,编号,文件资料名称,载体类别,密级,收到日期,份数,保管人,备注\n" +
		"1,CZJ-2026-0101,年度工作要点,纸质,机密★10年,2026.3.5,2,赵六,\n" +
		"2,CZJ-2026-0102,会议纪要,文件,秘密,45356,1,钱七,\n" +
		"3,CZJ-2026-0103,缺日期的一行,文件,秘密,,1,钱七,\n"
	cs.startImport("台账.csv", fileOf(csv))
	waitFor(t, "import dialog", func() bool { return cs.importer != nil })
	imp := cs.importer
	// the suggested mapping recognised the variants (保管人 → 责任人)
	if got := imp.columns[7].Selected; got != data.FieldCustodian {
		t.Errorf("保管人 column mapped to %q", got)
	}
	tapSettled(t, h, imp.preview)
	if !strings.Contains(imp.summary.Text, "将导入 2 条") || !strings.Contains(imp.summary.Text, "拒绝 1 条") {
		t.Fatalf("dry run summary = %q", imp.summary.Text)
	}
	if cs.reg.Len() != 1 {
		t.Fatal("the dry run wrote something")
	}
	test.Tap(imp.run)
	waitFor(t, "import", func() bool { return strings.Contains(imp.summary.Text, "已导入") && idle(h) })
	if !strings.Contains(imp.summary.Text, "已导入 2 条") || cs.reg.Len() != 3 {
		t.Fatalf("after import: %q, %d carriers", imp.summary.Text, cs.reg.Len())
	}
	c, err := h.ws.CarrierByNumber(context.Background(), "CZJ-2026-0102")
	if err != nil || c.ReceivedOn != data.NewDate(2024, 3, 5) || c.Custodian != "钱七" {
		t.Errorf("imported row: %+v %v", c, err)
	}
	// importing the same file again changes nothing
	tapSettled(t, h, imp.preview)
	if !strings.Contains(imp.summary.Text, "无变化 2 条") || !strings.Contains(imp.summary.Text, "将导入 0 条，更新 0 条") {
		t.Errorf("second dry run = %q", imp.summary.Text)
	}
}

func TestCopyFromTheDetailAddsLinkedCopiesToTheRegister(t *testing.T) {
	h, d := openRegister(t)
	tapSettled(t, h, d.actions[data.EventCopy])
	d.form.copyCount.SetText("2")
	test.Type(d.form.approver, "赵主任")
	tapSettled(t, h, d.form.ok)
	if d.form.popup.Visible() {
		t.Fatalf("copy refused: %q", d.form.message.Text)
	}
	cs := h.cs
	got := cs.reg.Find(data.Filter{Text: "CZJ-2026-0007-F"}, data.SortNumber, false)
	if len(got) != 2 || got[0].Mark() != "机密★20年" || got[1].Number != "CZJ-2026-0007-F2" {
		t.Fatalf("copies in the register: %+v", got)
	}
	if !strings.Contains(cs.count.Text, "共 3 件") {
		t.Errorf("count = %q", cs.count.Text)
	}
}

// reloaded reads the register again, as after a change made behind the
// screen's back, and waits until it is shown.
func reloaded(t *testing.T, cs *Screen) {
	t.Helper()
	cs.reload()
	waitFor(t, "the register read again", func() bool { return cs.pending == 0 })
}
