package carriers

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"baomi/app/ui/kit"
	"baomi/data"
	"baomi/data/pdf"
)

// carrierColumns are the register's columns with their widths; 名称 takes
// the width the others leave. At 1024 px the fixed columns and 名称's
// least width fit, so 状态 is always in sight.
var carrierColumns = []struct {
	title string
	width float32
	fill  bool
	value func(data.Carrier) string
}{
	{"编号", 122, false, func(c data.Carrier) string { return c.Number }},
	{"名称", 170, true, func(c data.Carrier) string { return c.Title }},
	{"载体类型", 72, false, func(c data.Carrier) string { return c.Kind }},
	{"标志", 116, false, func(c data.Carrier) string { return c.Mark() }},
	{"份数", 40, false, func(c data.Carrier) string { return kit.Itoa(c.Copies) }},
	{"责任人", 62, false, func(c data.Carrier) string { return c.Custodian }},
	{"存放位置", 84, false, func(c data.Carrier) string { return c.Location }},
	{"收到日期", 118, false, func(c data.Carrier) string { return c.ReceivedOn.Chinese() }},
	{"状态", 72, false, func(c data.Carrier) string { return c.State }},
}

// stateCell is a carrier's 状态 as the register shows it: 借出 in the
// warning colour, a loan past its due date as 逾期未还 in the error colour.
func stateCell(c data.Carrier, today data.Date) kit.Cell {
	switch {
	case c.Overdue(today):
		return kit.Cell{Text: "逾期未还", Importance: widget.DangerImportance}
	case c.State == data.StateLent:
		return kit.Cell{Text: c.State, Importance: widget.WarningImportance}
	}
	return kit.Cell{Text: c.State}
}

// Screen is the carrier register (涉密载体台账): a searchable table
// with add and edit. While the store is being checked (live false) it
// shows the register of the last session for reading and finding only.
type Screen struct {
	sh      kit.Shell
	svc     data.CarrierService
	live    bool
	changed func()
	// fingerprint returns the audit head's fingerprint for printed footers
	fingerprint  func() string
	content      fyne.CanvasObject
	search       *searchEntry
	table        *kit.RowTable
	empty        *widget.Label // says why the table is empty and what to do
	clear        *widget.Button
	today        data.Date // for overdue loans, read when the rows are chosen
	count        *widget.Label
	add          *widget.Button
	edit         *widget.Button
	rowSteps     map[data.EventKind]*widget.Button // 借出, 归还, 移交, 销毁 of the selected row
	stepForm     *eventForm                        // the form of a row step
	rowMenu      *widget.PopUpMenu
	rowMenuModel *fyne.Menu // the items rowMenu shows
	open         *widget.Button
	reg          *data.Register

	printReg, printLoans, printLabels *widget.Button
	importBtn, exportBtn              *widget.Button
	importer                          *importDialog
	chooser                           *kit.FileChooser // the last import or export file chooser, for tests

	// checked carriers (by ID) for batch actions; the 选 column toggles them
	checked                                             map[string]bool
	checkedLabel                                        *widget.Label
	batchLend, batchHandover, batchDestroy, clearChecks *widget.Button
	batchForm                                           *eventForm
	lastDestroyed                                       []pdf.DestructionItem
	destructionDoc                                      pdf.DestructionDoc
	shown                                               data.Selection

	kind, level, state, custodian *kit.Select
	from, to                      *kit.Entry
	sortBy                        *kit.Select
	desc                          *widget.Check
	pendingOnly                   *widget.Check // only carriers flagged 待补全
	filterMsg                     *widget.Label
	scan                          *kit.Entry
	scanMsg                       *widget.Label
	ready                         bool
	loaded                        bool // a register was read: an empty one is empty, not still coming
	pending                       int  // background work of present not yet shown (tests wait for it)
	selected                      int
	form                          *carrierForm
	detail                        *carrierDetail
	draftDialog                   dialog.Dialog // the offer of an unsaved form's draft

	alerts     []data.Alert
	alertLabel *widget.Label
	alertBtn   *widget.Button
	alertList  *widget.PopUp
	alertBar   *fyne.Container
	alertRows  *widget.List
}

// New builds the register page on svc; register, when not
// nil, is the register already read (else it is read from svc). live is
// false while svc is the preview of a store being checked.
func New(sh kit.Shell, svc data.CarrierService, live bool, changed func(), fingerprint func() string,
	register []data.Carrier) *Screen {
	s := &Screen{sh: sh, svc: svc, live: live, changed: changed, fingerprint: fingerprint, selected: -1}
	s.reg = data.NewRegister(nil)
	s.search = &searchEntry{shortcut: s.Shortcut}
	s.search.ExtendBaseWidget(s.search)
	s.search.SetPlaceHolder("查找：编号、名称、人名、位置，或拼音（zs）")
	s.search.OnChanged = func(string) { sh.Touch(); s.applyFilter() }
	refilter := func(string) { sh.Touch(); s.applyFilter() }
	all := "全部"
	choice := func(opts []string) *kit.Select {
		sel := kit.NewSelect(append([]string{all}, opts...), refilter)
		sel.SetSelected(all)
		return sel
	}
	s.kind = choice(data.CarrierKinds)
	s.level = choice(nil)
	s.state = choice([]string{data.StateHeld, data.StateLent, data.StateHandedOver, data.StateDestroyed, data.StateDeclassified})
	s.custodian = choice(nil)
	s.from, s.to = kit.NewEntry(), kit.NewEntry()
	s.from.SetPlaceHolder("收到日期自")
	s.to.SetPlaceHolder("至")
	s.from.OnChanged, s.to.OnChanged = refilter, refilter
	keys := make([]string, len(data.SortKeys))
	for i, k := range data.SortKeys {
		keys[i] = string(k)
	}
	s.sortBy = kit.NewSelect(keys, refilter)
	s.sortBy.SetSelected(string(data.SortNumber))
	s.desc = widget.NewCheck("降序", func(bool) { sh.Touch(); s.applyFilter() })
	s.pendingOnly = widget.NewCheck("待补全", func(bool) { sh.Touch(); s.applyFilter() })
	s.filterMsg = widget.NewLabel("")
	s.filterMsg.Importance = widget.DangerImportance
	// the message's room is kept while there is none, so that a half-typed
	// date does not push the row about under the pointer
	msgRoom := kit.Sized(s.filterMsg, widget.NewLabel(dateProblem).MinSize().Width)
	s.clear = kit.Button(sh, "清除筛选", s.clearFilters)
	s.empty = widget.NewLabel("")
	s.empty.Alignment = fyne.TextAlignCenter
	s.empty.Hide()
	s.scan = kit.NewEntry() // Ctrl+L reaches the window with the cursor here
	s.scan.SetPlaceHolder("扫码或输入编号后回车")
	s.scan.OnSubmitted = func(string) { sh.Touch(); s.onScan() }
	s.scanMsg = widget.NewLabel("")
	s.count = widget.NewLabel("")
	s.add = kit.Button(sh, "登记载体", s.onAdd)
	s.add.Importance = widget.HighImportance
	s.edit = kit.Button(sh, "修改", s.onEdit)
	s.edit.Disable()
	s.open = kit.Button(sh, "打开……", s.onOpen)
	s.open.Disable()
	s.rowSteps = map[data.EventKind]*widget.Button{}
	rowButtons := container.NewHBox(s.open, s.edit)
	for _, k := range rowStepKinds {
		b := kit.Button(sh, rowStepLabel(k), func() { s.onRowStep(k) })
		b.Disable()
		s.rowSteps[k] = b
		rowButtons.Add(b)
	}
	s.printReg = kit.Button(sh, "打印台账", s.onPrintRegister)
	s.printLoans = kit.Button(sh, "借阅登记", s.onPrintLoans)
	s.printLabels = kit.Button(sh, "打印标签", s.onPrintLabels)
	s.importBtn = kit.Button(sh, "导入……", s.onImport)
	s.exportBtn = kit.Button(sh, "导出……", s.onExport)
	s.checked = map[string]bool{}
	s.checkedLabel = widget.NewLabel("")
	s.batchLend = kit.Button(sh, "批量借阅……", func() { s.onBatch(data.EventLend) })
	s.batchHandover = kit.Button(sh, "批量移交……", func() { s.onBatch(data.EventHandover) })
	s.batchDestroy = kit.Button(sh, "批量销毁……", func() { s.onBatch(data.EventDestroy) })
	s.clearChecks = kit.Button(sh, "清除勾选", func() { s.checked = map[string]bool{}; s.refreshChecks() })
	cols := []kit.Column{{Title: "选", Width: 30}}
	for _, c := range carrierColumns {
		cols = append(cols, kit.Column{Title: c.title, Width: c.width, Fill: c.fill})
	}
	s.table = kit.NewRowTable(sh, "register", cols, func() int { return s.shown.Len() }, func(row, col int) kit.Cell {
		c := s.shown.At(row)
		switch {
		case col == 0 && s.checked[c.ID]:
			return kit.Cell{Text: "✓"}
		case col == 0:
			return kit.Cell{}
		case carrierColumns[col-1].title == "状态":
			return stateCell(c, s.today)
		}
		return kit.Cell{Text: carrierColumns[col-1].value(c)}
	})
	s.table.OnActivated = func(row int) {
		sh.Touch()
		if row < s.shown.Len() {
			s.openCarrier(s.shown.At(row).ID)
		}
	}
	s.table.OnMenu = func(row int, at fyne.Position) { sh.Touch(); s.showRowMenu(row, at) }
	s.table.OnRowSelected = func(row, col int) {
		sh.Touch()
		s.selected = row
		s.updateButtons()
		if col == 0 && row < s.shown.Len() {
			s.toggle(s.shown.At(row).ID)
		}
	}
	top := container.NewBorder(nil, nil, widget.NewLabelWithStyle("涉密载体台账", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewHBox(s.count, s.add, widget.NewSeparator(), rowButtons), s.search)
	// The rows wrap (kit.NewWrapRow) rather than widening the page past a
	// 1024-pixel screen (#9 item 7).
	filters := kit.NewWrapRow(container.NewHBox(widget.NewLabel("类型"), s.kind, widget.NewLabel("密级"), s.level),
		container.NewHBox(widget.NewLabel("状态"), s.state, widget.NewLabel("责任人"), s.custodian, s.pendingOnly, s.clear))
	printRow := kit.NewWrapRow(container.NewHBox(widget.NewLabel("按当前筛选："), s.printReg, s.printLoans, s.printLabels, s.exportBtn, s.importBtn),
		container.NewHBox(widget.NewSeparator(), s.checkedLabel, s.batchLend, s.batchHandover, s.batchDestroy, s.clearChecks))
	row2 := container.NewBorder(nil, nil,
		container.NewHBox(widget.NewLabel("收到日期"), container.New(kit.MinWidth(130), s.from), widget.NewLabel("至"),
			container.New(kit.MinWidth(130), s.to), msgRoom, widget.NewLabel("排序"), s.sortBy, s.desc, widget.NewLabel("扫码")),
		s.scanMsg, s.scan)
	top = container.NewVBox(top, filters, row2, printRow)
	s.alertLabel = widget.NewLabel("")
	s.alertLabel.Importance = widget.DangerImportance
	s.alertBtn = kit.Button(sh, "查看提醒", s.onAlerts)
	s.alertBar = container.NewBorder(nil, nil, nil, s.alertBtn, s.alertLabel)
	s.alertBar.Hide()
	s.content = container.NewBorder(container.NewVBox(container.NewPadded(top), s.alertBar), nil, nil, nil,
		container.NewStack(s.table.InPage(), container.NewCenter(s.empty)))
	s.ready = true
	s.refreshChecks()
	if register != nil {
		s.show(register)
	} else {
		s.reload()
	}
	s.offerDraft()
	return s
}

// reload reads the register from storage in the background and shows it.
func (s *Screen) reload() {
	s.pending++
	go func() {
		list, err := s.svc.Carriers(bgctx)
		s.sh.Do(func() {
			s.pending--
			if err != nil {
				s.sh.Logf("list carriers: %v", err)
				dialog.ShowInformation("无法读取台账", data.Message(err), s.sh.Window())
				return
			}
			s.show(list)
		})
	}()
}

// show makes list the register shown; the search texts are built in the
// background (a search typed before they are ready waits for them).
func (s *Screen) show(list []data.Carrier) {
	s.reg = data.NewRegister(list)
	s.loaded = true
	s.present()
	s.readPastBorrowers()
}

// readPastBorrowers makes the register's carriers findable by who borrowed
// them before: the lend events are read in the background (every event
// once, after the rows are shown) and the search texts built again.
func (s *Screen) readPastBorrowers() {
	pb, ok := s.svc.(data.PastBorrowers)
	if !ok || !s.live {
		return // the preview has no events; GoLive reads them
	}
	reg := s.reg
	s.pending++
	go func() {
		past, err := pb.PastBorrowers(bgctx)
		if err == nil {
			reg.SetPastBorrowers(past)
			reg.Prepare()
		}
		s.sh.Do(func() {
			s.pending--
			if err != nil {
				s.sh.Logf("past borrowers: %v", err)
				return
			}
			if s.reg == reg && strings.TrimSpace(s.search.Text) != "" {
				s.applyFilter() // a search typed meanwhile finds them too
			}
		})
	}()
}

// GoLive switches from the preview to the checked store svc, showing
// register instead of the preview's unless Verify confirmed that they are
// the same.
func (s *Screen) GoLive(svc data.CarrierService, register []data.Carrier, confirmed bool) {
	s.svc, s.live = svc, true
	s.scan.Enable()
	s.offerDraft()
	if confirmed {
		s.updateButtons()
		s.readPastBorrowers()
		return
	}
	s.show(register)
}

// updateButtons enables what the state allows: changes and prints once
// the store is checked, row actions with a selected row, batch actions
// with ticked rows.
func (s *Screen) updateButtons() {
	set := func(on bool, bs ...*widget.Button) {
		for _, b := range bs {
			if on {
				b.Enable()
			} else {
				b.Disable()
			}
		}
	}
	n := len(s.checked)
	set(s.live, s.add, s.printReg, s.printLoans, s.printLabels, s.importBtn, s.exportBtn)
	set(s.live && s.selected >= 0, s.edit, s.open)
	allowed := s.allowedSteps()
	for k, b := range s.rowSteps {
		set(s.live && allowed[k], b)
	}
	set(s.live && n > 0, s.batchLend, s.batchHandover, s.batchDestroy)
	set(n > 0, s.clearChecks)
	if s.live {
		s.scan.Enable()
	} else {
		s.scan.Disable()
	}
}

// refreshCarriers reads the carriers with ids again (after they were saved
// or took a step) and shows the register, without reading it all.
func (s *Screen) refreshCarriers(ids ...string) {
	s.pending++
	go func() {
		var read []data.Carrier
		var err error
		for _, id := range ids {
			var c data.Carrier
			if c, err = s.svc.Carrier(bgctx, id); err != nil {
				break
			}
			read = append(read, c)
		}
		s.sh.Do(func() {
			s.pending--
			if err != nil {
				s.sh.Logf("read carrier: %v", err)
				s.reload()
				return
			}
			keep := s.selectedID()
			for _, c := range read {
				s.reg.Put(c)
			}
			s.present()
			s.reselect(keep)
		})
	}()
}

// present shows the register held in s.reg: filter choices and rows at
// once; alerts, the custodian list and the search texts are worked out in
// the background (tens of milliseconds each at 100,000 carriers) and shown
// when ready.
func (s *Screen) present() {
	s.applyFilter()
	reg, svc := s.reg, s.svc
	s.pending++
	go func() {
		alerts := reg.Alerts(data.Today(), data.DefaultReviewDays)
		custodians := reg.Custodians()
		var levels []data.Classification
		var err error
		if svc != nil {
			levels, err = svc.Classifications(bgctx)
		}
		s.sh.Do(func() {
			s.pending--
			if s.reg == reg {
				s.showAlerts(alerts, custodians)
			}
			if svc != nil && err == nil {
				names := []string{"全部"}
				for _, l := range levels {
					names = append(names, l.Name)
				}
				s.level.Options = names
			}
		})
		reg.Prepare()
	}()
}

// showAlerts shows the alert bar and the custodian filter's choices.
func (s *Screen) showAlerts(alerts []data.Alert, custodians []string) {
	s.custodian.Options = append([]string{"全部"}, custodians...)
	s.alerts = alerts
	visible := s.alertBar.Visible()
	if len(s.alerts) == 0 {
		s.alertLabel.SetText("")
		s.alertBtn.Disable()
		s.alertBar.Hide()
	} else {
		s.alertLabel.SetText("提醒：" + data.AlertCounts(s.alerts))
		s.alertBtn.Enable()
		s.alertBar.Show()
	}
	if visible != s.alertBar.Visible() {
		s.sh.Relayout()
	}
}

// onAlerts lists the alerts; choosing one opens its carrier.
func (s *Screen) onAlerts() {
	list := widget.NewList(func() int { return len(s.alerts) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			o.(*widget.Label).SetText("【" + string(s.alerts[i].Kind) + "】" + s.alerts[i].Text)
		})
	list.OnSelected = func(i widget.ListItemID) {
		s.sh.Touch()
		s.alertList.Hide()
		s.openCarrier(s.alerts[i].CarrierID)
	}
	s.alertRows = list
	closeBtn := kit.Button(s.sh, "关闭", func() { s.alertList.Hide() })
	body := container.NewBorder(kit.Heading("提醒"), container.NewHBox(closeBtn), nil, nil, list)
	s.alertList = kit.NewModal(s.sh.Window(), container.New(kit.MinSize(fyne.NewSize(760, 420)), body))
	s.alertList.Show()
}

// filter reads the filter controls; a date that cannot be read is shown
// and ignored.
func (s *Screen) filter() data.Filter {
	pick := func(sel *kit.Select) string {
		if sel.Selected == "全部" {
			return ""
		}
		return sel.Selected
	}
	f := data.Filter{Text: s.search.Text, Kind: pick(s.kind), Level: pick(s.level), State: pick(s.state), Custodian: pick(s.custodian),
		Pending: s.pendingOnly.Checked}
	msg := ""
	for _, d := range []struct {
		e   *kit.Entry
		out *data.Date
	}{{s.from, &f.From}, {s.to, &f.To}} {
		v, err := data.ParseDate(d.e.Text)
		if err != nil {
			msg = dateProblem
			continue
		}
		*d.out = v
	}
	s.filterMsg.SetText(msg)
	return f
}

// applyFilter shows the carriers matching the filter, sorted.
func (s *Screen) applyFilter() {
	if !s.ready {
		return // a control set its first value while the screen is built
	}
	s.today = data.Today()
	s.shown = s.reg.Select(s.filter(), data.SortKey(s.sortBy.Selected), s.desc.Checked)
	s.selected = -1
	s.table.UnselectRow()
	s.updateButtons()
	s.count.SetText("共 " + kit.Itoa(s.shown.Len()) + " 件")
	s.table.Refresh()
	switch {
	case s.shown.Len() > 0 || !s.loaded:
		s.empty.Hide()
	case s.reg.Len() == 0:
		s.empty.SetText(emptyRegister)
		s.empty.Show()
	default:
		s.empty.SetText(noMatch)
		s.empty.Show()
	}
}

// Texts of an empty table and of a date the filter cannot read.
const (
	emptyRegister = "台账中还没有载体。点“登记载体”登记第一件，或从 Excel 导入。"
	noMatch       = "没有符合条件的载体。可以少输几个字、把筛选改回“全部”，或点“清除筛选”。"
	dateProblem   = "日期格式不对"
)

// clearFilters empties the search box and the dates and sets every
// filter back to 全部 (the sort order stays).
func (s *Screen) clearFilters() {
	s.ready = false // one filtering at the end, not one per control
	s.search.SetText("")
	s.from.SetText("")
	s.to.SetText("")
	for _, sel := range []*kit.Select{s.kind, s.level, s.state, s.custodian} {
		sel.SetSelected("全部")
	}
	s.pendingOnly.SetChecked(false)
	s.ready = true
	s.applyFilter()
}

// selectedID returns the selected carrier's ID, "" for none.
func (s *Screen) selectedID() string {
	if s.selected < 0 || s.selected >= s.shown.Len() {
		return ""
	}
	return s.shown.At(s.selected).ID
}

// reselect selects the row of carrier id again after the rows were chosen
// anew (a step or a change shown), if it is still shown: a walk over the
// shown rows, done after a save only, never while typing.
func (s *Screen) reselect(id string) {
	if id == "" {
		return
	}
	for i := range s.shown.Len() {
		if s.shown.At(i).ID == id {
			s.table.SelectRow(i)
			return
		}
	}
}

// onScan opens the carrier whose 编号 a scanner (or the officer) typed.
func (s *Screen) onScan() {
	n := strings.TrimSpace(data.HalfWidth(s.scan.Text))
	s.scan.SetText("")
	if n == "" {
		return
	}
	for _, c := range s.reg.Carriers() {
		if c.Number == n {
			s.scanMsg.SetText("")
			s.openCarrier(c.ID)
			return
		}
	}
	s.scanMsg.SetText("台账中没有编号 " + n)
}

// formSettings is what the 登记 form needs from the store.
type formSettings struct {
	levels []data.Classification
	set    data.Settings
	setErr error // the form works without the 编号 suggestion
}

// readFormSettings reads, in the background, the 密级 list and the
// settings the form needs, then calls show with them on the UI goroutine;
// a 密级 list it cannot read is said in a dialog instead.
func (s *Screen) readFormSettings(show func(formSettings)) {
	kit.InBackground(s.sh, "正在读取设置……", func(ctx context.Context) (formSettings, error) {
		var f formSettings
		var err error
		if f.levels, err = s.svc.Classifications(ctx); err != nil {
			return f, err
		}
		f.set, f.setErr = s.svc.Settings(ctx)
		return f, nil
	}, func(f formSettings, err error) {
		switch {
		case err != nil:
			dialog.ShowInformation("无法读取密级设置", data.Message(err), s.sh.Window())
		default:
			show(f)
		}
	})

}

func (s *Screen) onAdd() {
	s.readFormSettings(func(f formSettings) {
		fresh := data.Carrier{}
		if f.setErr == nil {
			used := make([]string, 0, s.reg.Len())
			for _, c := range s.reg.Carriers() {
				used = append(used, c.Number)
			}
			fresh.Number = data.NextNumber(f.set.NumberPattern, s.sh.Unit().Code, data.Today().Time().Year(), used)
		}
		s.form = newCarrierForm(s.sh, f.levels, fresh, s.drafts(), s.onSave)
		s.form.show()
	})
}

func (s *Screen) onEdit() {
	if s.selected < 0 || s.selected >= s.shown.Len() {
		return
	}
	c := s.shown.At(s.selected)
	s.readFormSettings(func(f formSettings) {
		s.form = newCarrierForm(s.sh, f.levels, c, s.drafts(), s.onSave)
		s.form.show()
	})
}

// onOpen shows the selected carrier's history and the steps it may take.
func (s *Screen) onOpen() {
	if s.selected < 0 || s.selected >= s.shown.Len() {
		return
	}
	s.openCarrier(s.shown.At(s.selected).ID)
}

// rowStepKinds are the steps offered on the selected row (the detail view
// offers them all).
var rowStepKinds = []data.EventKind{data.EventLend, data.EventReturn, data.EventHandover, data.EventDestroy}

// rowStepLabel is a row step's button: 借出 rather than the register's 借阅.
func rowStepLabel(k data.EventKind) string {
	if k == data.EventLend {
		return "借出"
	}
	return k.Chinese()
}

// allowedSteps returns the steps the selected carrier's state allows.
func (s *Screen) allowedSteps() map[data.EventKind]bool {
	allowed := map[data.EventKind]bool{}
	if s.selected < 0 || s.selected >= s.shown.Len() {
		return allowed
	}
	for _, k := range data.AllowedEvents(s.shown.At(s.selected).State) {
		allowed[k] = true
	}
	return allowed
}

// showRowMenu offers, at the pointer, what can be done with the row just
// right-clicked (and selected).
func (s *Screen) showRowMenu(row int, at fyne.Position) {
	if row != s.selected {
		return
	}
	item := func(label string, on bool, fn func()) *fyne.MenuItem {
		it := fyne.NewMenuItem(label, func() { s.sh.Touch(); kit.Guard(s.sh, label, fn) })
		it.Disabled = !s.live || !on
		return it
	}
	items := []*fyne.MenuItem{item("打开……", true, s.onOpen), item("修改……", true, s.onEdit), fyne.NewMenuItemSeparator()}
	allowed := s.allowedSteps()
	for _, k := range rowStepKinds {
		items = append(items, item(rowStepLabel(k)+"……", allowed[k], func() { s.onRowStep(k) }))
	}
	c := s.sh.Window().Canvas()
	s.rowMenuModel = fyne.NewMenu("", items...)
	s.rowMenu = widget.NewPopUpMenu(s.rowMenuModel, c)
	s.rowMenu.ShowAtPosition(at)
}

// onRowStep opens the form of step k for the selected carrier: its
// events and the 密级 list are read first, as the detail view does.
func (s *Screen) onRowStep(k data.EventKind) {
	if !s.live || s.selected < 0 || s.selected >= s.shown.Len() {
		return
	}
	id := s.shown.At(s.selected).ID
	type read struct {
		c      data.Carrier
		events []data.Event
		levels []data.Classification
	}
	kit.InBackground(s.sh, "正在读取载体……", func(ctx context.Context) (read, error) {
		c, events, err := readCarrier(ctx, s.svc, id)
		if err != nil {
			return read{}, err
		}
		levels, err := s.svc.Classifications(ctx)
		return read{c, events, levels}, err
	}, func(r read, err error) {
		if err != nil {
			s.sh.Logf("read carrier: %v", err)
			dialog.ShowInformation("无法读取载体", data.Message(err), s.sh.Window())
			return
		}
		s.stepForm = newEventForm(s.sh, k, r.c, correctable(r.events), r.levels, s.onRecordStep)
		s.stepForm.show()
	})
}

// onRecordStep stores a row step in the background and shows the carrier
// (and any copies) again; done gets the error to show on the form.
func (s *Screen) onRecordStep(e data.Event, done func(error)) {
	kit.InBackground(s.sh, "正在登记……", func(ctx context.Context) (data.Event, error) {
		return s.svc.Record(ctx, e)
	}, func(stored data.Event, err error) {
		if err == nil {
			s.refreshCarriers(append([]string{stored.CarrierID}, stored.CopyIDs...)...)
			s.changed()
		}
		done(err)
	})
}

// openCarrier shows a carrier's detail view.
func (s *Screen) openCarrier(id string) {
	if !s.live {
		dialog.ShowInformation("请稍候", kit.WaitText, s.sh.Window())
		return
	}
	type read struct {
		c      data.Carrier
		events []data.Event
	}
	kit.InBackground(s.sh, "正在读取载体……", func(ctx context.Context) (read, error) {
		c, events, err := readCarrier(ctx, s.svc, id)
		return read{c, events}, err
	}, func(r read, err error) {
		switch {
		case err != nil:
			s.sh.Logf("open carrier: %v", err)
			dialog.ShowInformation("无法读取载体", data.Message(err), s.sh.Window())
		default:
			s.detail = newCarrierDetail(s.sh, s.svc, r.c, r.events, func(ids []string) { s.refreshCarriers(ids...); s.changed() })
			s.detail.show()
		}
	})

}

// onSave stores the form's carrier in the background and tells done the
// error to show on the form, or nil once saved and shown.
func (s *Screen) onSave(c data.Carrier, done func(error)) {
	kit.InBackground(s.sh, "正在保存……", func(ctx context.Context) (data.Carrier, error) {
		if c.ID == "" {
			return s.svc.AddCarrier(ctx, c)
		}
		return s.svc.UpdateCarrier(ctx, c)
	}, func(saved data.Carrier, err error) {
		if err == nil {
			s.reg.Put(saved)
			s.present()
			s.changed()
		}
		done(err)
	})

}

// filterText describes the current filter for the printed register.
func (s *Screen) filterText() string {
	f := s.filter()
	var parts []string
	add := func(label, v string) {
		if v != "" {
			parts = append(parts, label+v)
		}
	}
	add("查找：", strings.TrimSpace(f.Text))
	add("类型：", f.Kind)
	add("密级：", f.Level)
	add("状态：", f.State)
	add("责任人：", f.Custodian)
	if !f.From.IsZero() || !f.To.IsZero() {
		parts = append(parts, "收到日期："+f.From.Chinese()+"至"+f.To.Chinese())
	}
	if f.Pending {
		parts = append(parts, "待补全")
	}
	return strings.Join(parts, "；")
}

// onPrintRegister prints the register as currently filtered and sorted.
func (s *Screen) onPrintRegister() {
	rows := s.shown.Carriers()
	doc := pdf.RegisterDoc{Unit: s.sh.Unit().Name, Filter: s.filterText(), Carriers: rows, Printed: data.Today(),
		Fingerprint: s.fingerprint(), Classified: true}
	s.sh.Print("涉密载体台账.pdf", len(rows), func(w io.Writer) error { return pdf.Register(w, doc) })
}

// onPrintLoans prints the loans of the carriers currently shown.
func (s *Screen) onPrintLoans() {
	rows := s.shown.Carriers()
	unit, filter, fp := s.sh.Unit().Name, s.filterText(), s.fingerprint()
	s.sh.Print("涉密载体借阅登记.pdf", len(rows), func(w io.Writer) error {
		events := map[string][]data.Event{}
		for _, c := range rows {
			evs, err := s.svc.Events(bgctx, c.ID)
			if err != nil {
				return err
			}
			events[c.ID] = evs
		}
		return pdf.LoanList(w, pdf.LoanDoc{Unit: unit, Period: filter, Printed: data.Today(), Carriers: rows,
			Events: events, Fingerprint: fp, Classified: true})
	})
}

// onPrintLabels prints QR labels for the carriers currently shown.
func (s *Screen) onPrintLabels() {
	rows := s.shown.Carriers()
	s.sh.Print("载体标签.pdf", len(rows), func(w io.Writer) error { return pdf.Labels(w, pdf.LabelDoc{Carriers: rows}) })
}

// toggle checks or unchecks a carrier for batch actions.
func (s *Screen) toggle(id string) {
	if s.checked[id] {
		delete(s.checked, id)
	} else {
		s.checked[id] = true
	}
	s.refreshChecks()
}

func (s *Screen) refreshChecks() {
	s.checkedLabel.SetText(fmt.Sprintf("已勾选 %d 件", len(s.checked)))
	s.updateButtons()
	s.table.Refresh()
}

// checkedCarriers returns the checked carriers in register order.
func (s *Screen) checkedCarriers() []data.Carrier {
	var out []data.Carrier
	for _, c := range s.reg.Carriers() {
		if s.checked[c.ID] {
			out = append(out, c)
		}
	}
	return out
}

// onBatch records one step for every checked carrier: the form is filled
// once, the whole batch is checked against the rules before anything is
// written. A batch destruction then offers its 销毁清单.
func (s *Screen) onBatch(kind data.EventKind) {
	carriers := s.checkedCarriers()
	if len(carriers) == 0 {
		return
	}
	title := data.Carrier{Number: fmt.Sprintf("（%d 件）", len(carriers))}
	s.batchForm = newEventForm(s.sh, kind, title, nil, nil, func(e data.Event, done func(error)) {
		events := make([]data.Event, len(carriers))
		for i, c := range carriers {
			events[i] = e
			events[i].CarrierID = c.ID
		}
		kit.InBackground(s.sh, fmt.Sprintf("正在登记 %d 件载体的%s……", len(carriers), kind), func(ctx context.Context) ([]data.Event, error) {
			return s.svc.RecordBatch(ctx, events, nil)
		}, func(stored []data.Event, err error) {
			if err != nil {
				done(err)
				return
			}
			s.checked = map[string]bool{}
			s.reload()
			s.refreshChecks()
			s.changed()
			done(nil)
			if kind == data.EventDestroy {
				s.lastDestroyed = s.lastDestroyed[:0]
				for i, c := range carriers {
					s.lastDestroyed = append(s.lastDestroyed, pdf.DestructionItem{Carrier: c, Destroy: stored[i]})
				}
				s.offerDestructionList(e)
			}
		})

	})
	s.batchForm.show()
}

// offerDestructionList asks whether to print the 销毁清单 of the batch just
// destroyed.
func (s *Screen) offerDestructionList(e data.Event) {
	items := append([]pdf.DestructionItem(nil), s.lastDestroyed...)
	doc := pdf.DestructionDoc{Unit: s.sh.Unit().Name, On: e.On, Method: e.Method, Place: e.Place,
		Operator: e.Operator, Witness: e.Witness, Approver: e.Approver, Items: items,
		Fingerprint: s.fingerprint(), Classified: true}
	s.destructionDoc = doc
	dialog.ShowConfirm("销毁已登记", fmt.Sprintf("已登记销毁 %d 件载体。现在打印销毁清单，由经办人、监销人和批准人签字吗？", len(items)),
		func(ok bool) {
			if ok {
				s.printDestructionList()
			}
		}, s.sh.Window())
}

// printDestructionList prints the 销毁清单 of the last batch destruction.
func (s *Screen) printDestructionList() {
	doc := s.destructionDoc
	s.sh.Print("涉密载体销毁清单.pdf", len(doc.Items), func(w io.Writer) error { return pdf.DestructionList(w, doc) })
}

// ShortcutKeys are the keys the register answers with Ctrl (see Shortcut).
var ShortcutKeys = []fyne.KeyName{fyne.KeyN, fyne.KeyF, fyne.KeyP}

// Shortcut runs the register's action for Ctrl and key: N 登记载体, F the
// search box, P 打印台账. It does nothing while a dialog is open (the
// officer is in a form) or before the store is checked, and reports
// whether it did something. The shell registers ShortcutKeys on the
// window and calls it while the register is the page shown.
func (s *Screen) Shortcut(key fyne.KeyName) bool {
	c := s.sh.Window().Canvas()
	if c.Overlays().Top() != nil {
		return false
	}
	s.sh.Touch()
	switch key {
	case fyne.KeyF:
		c.Focus(s.search)
	case fyne.KeyN:
		if !s.live {
			return false
		}
		s.onAdd()
	case fyne.KeyP:
		if !s.live {
			return false
		}
		s.onPrintRegister()
	default:
		return false
	}
	return true
}

// searchEntry is the search box. Ctrl+N and Ctrl+P typed in it reach the
// register: Fyne gives a focused entry the shortcuts typed in it, and an
// entry keeps the ones it does not know to itself; the window's other
// shortcuts (Ctrl+L) reach the window through kit.Entry.
type searchEntry struct {
	kit.Entry
	shortcut func(fyne.KeyName) bool
}

// TypedShortcut runs the register's shortcut for Ctrl and a key it has,
// else the entry's own (copy, paste …).
func (e *searchEntry) TypedShortcut(sc fyne.Shortcut) {
	if c, ok := sc.(*desktop.CustomShortcut); ok && c.Modifier == fyne.KeyModifierShortcutDefault &&
		slices.Contains(ShortcutKeys, c.KeyName) && c.KeyName != fyne.KeyF && e.shortcut(c.KeyName) {
		return
	}
	e.Entry.TypedShortcut(sc)
}

// Content returns the page to show.
func (s *Screen) Content() fyne.CanvasObject { return s.content }

// Reading reports whether the register or its alerts are being read in the
// background and not yet shown.
func (s *Screen) Reading() bool { return s.pending > 0 }

// Live reports whether the screen works on the checked store rather than
// the preview of the last session's register.
func (s *Screen) Live() bool { return s.live }

// Rows returns how many carriers the table shows.
func (s *Screen) Rows() int { return s.shown.Len() }
