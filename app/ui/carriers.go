package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"baomi/data"
)

// carrierColumns are the register's columns with their widths.
var carrierColumns = []struct {
	title string
	width float32
	value func(data.Carrier) string
}{
	{"编号", 130, func(c data.Carrier) string { return c.Number }},
	{"名称", 200, func(c data.Carrier) string { return c.Title }},
	{"载体类型", 76, func(c data.Carrier) string { return c.Kind }},
	{"标志", 128, func(c data.Carrier) string { return c.Mark() }},
	{"份数", 44, func(c data.Carrier) string { return itoa(c.Copies) }},
	{"责任人", 70, func(c data.Carrier) string { return c.Custodian }},
	{"存放位置", 96, func(c data.Carrier) string { return c.Location }},
	{"收到日期", 118, func(c data.Carrier) string { return c.ReceivedOn.Chinese() }},
	{"状态", 56, func(c data.Carrier) string { return c.State }},
}

// carrierScreen is the carrier register (涉密载体台账): a searchable table
// with add and edit.
type carrierScreen struct {
	app      *App
	svc      data.CarrierService
	changed  func()
	content  fyne.CanvasObject
	search   *widget.Entry
	table    *widget.Table
	count    *widget.Label
	add      *widget.Button
	edit     *widget.Button
	open     *widget.Button
	all      []data.Carrier
	shown    []data.Carrier
	selected int
	form     *carrierForm
	detail   *carrierDetail

	alerts     []data.Alert
	alertLabel *widget.Label
	alertBtn   *widget.Button
	alertList  *widget.PopUp
	alertRows  *widget.List
}

func newCarrierScreen(a *App, svc data.CarrierService, changed func()) *carrierScreen {
	s := &carrierScreen{app: a, svc: svc, changed: changed, selected: -1}
	s.search = widget.NewEntry()
	s.search.SetPlaceHolder("按编号、名称、责任人、存放位置查找")
	s.search.OnChanged = func(string) { a.touch(); s.applyFilter() }
	s.count = widget.NewLabel("")
	s.add = a.button("登记载体", s.onAdd)
	s.add.Importance = widget.HighImportance
	s.edit = a.button("修改", s.onEdit)
	s.edit.Disable()
	s.open = a.button("经历与登记事项……", s.onOpen)
	s.open.Disable()
	s.table = widget.NewTable(
		func() (int, int) { return len(s.shown), len(carrierColumns) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			if id.Row < len(s.shown) {
				o.(*widget.Label).SetText(carrierColumns[id.Col].value(s.shown[id.Row]))
			}
		})
	s.table.ShowHeaderRow = true
	s.table.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	s.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 {
			o.(*widget.Label).SetText(carrierColumns[id.Col].title)
		}
	}
	for i, c := range carrierColumns {
		s.table.SetColumnWidth(i, c.width)
	}
	s.table.OnSelected = func(id widget.TableCellID) {
		a.touch()
		s.selected = id.Row
		s.edit.Enable()
		s.open.Enable()
	}
	top := container.NewBorder(nil, nil, widget.NewLabelWithStyle("涉密载体台账", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewHBox(s.count, s.add, s.edit, s.open), s.search)
	s.alertLabel = widget.NewLabel("")
	s.alertLabel.Importance = widget.DangerImportance
	s.alertBtn = a.button("查看提醒", s.onAlerts)
	alertBar := container.NewBorder(nil, nil, nil, s.alertBtn, s.alertLabel)
	s.content = container.NewBorder(container.NewVBox(container.NewPadded(top), alertBar), nil, nil, nil, s.table)
	s.reload()
	return s
}

// reload reads the register from storage.
func (s *carrierScreen) reload() {
	list, err := s.svc.Carriers(bgctx)
	if err != nil {
		s.app.log.Printf("list carriers: %v", err)
		dialog.ShowInformation("无法读取台账", data.Message(err), s.app.win)
		return
	}
	s.all = list
	s.applyFilter()
	s.alerts = data.Alerts(list, data.Today(), data.DefaultReviewDays)
	if len(s.alerts) == 0 {
		s.alertLabel.SetText("")
		s.alertBtn.Disable()
	} else {
		s.alertLabel.SetText("提醒：" + data.AlertCounts(s.alerts))
		s.alertBtn.Enable()
	}
}

// onAlerts lists the alerts; choosing one opens its carrier.
func (s *carrierScreen) onAlerts() {
	list := widget.NewList(func() int { return len(s.alerts) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			o.(*widget.Label).SetText("【" + string(s.alerts[i].Kind) + "】" + s.alerts[i].Text)
		})
	list.OnSelected = func(i widget.ListItemID) {
		s.app.touch()
		s.alertList.Hide()
		s.openCarrier(s.alerts[i].CarrierID)
	}
	s.alertRows = list
	closeBtn := s.app.button("关闭", func() { s.alertList.Hide() })
	body := container.NewBorder(heading("提醒"), container.NewHBox(closeBtn), nil, nil, list)
	s.alertList = newModal(s.app.win, container.New(minSize(fyne.NewSize(760, 420)), body))
	s.alertList.Show()
}

// applyFilter shows the carriers matching the search text.
func (s *carrierScreen) applyFilter() {
	q := strings.ToLower(strings.TrimSpace(s.search.Text))
	s.shown = s.shown[:0]
	for _, c := range s.all {
		if q == "" || matches(c, q) {
			s.shown = append(s.shown, c)
		}
	}
	s.selected = -1
	s.table.UnselectAll()
	s.edit.Disable()
	s.open.Disable()
	s.count.SetText("共 " + itoa(len(s.shown)) + " 件")
	s.table.Refresh()
}

func matches(c data.Carrier, q string) bool {
	for _, v := range []string{c.Number, c.Title, c.Custodian, c.Location, c.DocNumber, c.Serial} {
		if strings.Contains(strings.ToLower(v), q) {
			return true
		}
	}
	return false
}

func (s *carrierScreen) onAdd() {
	levels, err := s.svc.Classifications(bgctx)
	if err != nil {
		dialog.ShowInformation("无法读取密级设置", data.Message(err), s.app.win)
		return
	}
	s.form = newCarrierForm(s.app, levels, data.Carrier{}, s.onSave)
	s.form.show()
}

func (s *carrierScreen) onEdit() {
	if s.selected < 0 || s.selected >= len(s.shown) {
		return
	}
	levels, err := s.svc.Classifications(bgctx)
	if err != nil {
		dialog.ShowInformation("无法读取密级设置", data.Message(err), s.app.win)
		return
	}
	s.form = newCarrierForm(s.app, levels, s.shown[s.selected], s.onSave)
	s.form.show()
}

// onOpen shows the selected carrier's history and the steps it may take.
func (s *carrierScreen) onOpen() {
	if s.selected < 0 || s.selected >= len(s.shown) {
		return
	}
	s.openCarrier(s.shown[s.selected].ID)
}

// openCarrier shows a carrier's detail view.
func (s *carrierScreen) openCarrier(id string) {
	d, err := newCarrierDetail(s.app, s.svc, data.Carrier{ID: id}, func() { s.reload(); s.changed() })
	if err != nil {
		s.app.log.Printf("open carrier: %v", err)
		dialog.ShowInformation("无法读取载体", data.Message(err), s.app.win)
		return
	}
	s.detail = d
	d.show()
}

// onSave stores the form's carrier; it returns the error to show on the
// form, or nil when saved.
func (s *carrierScreen) onSave(c data.Carrier) error {
	var err error
	if c.ID == "" {
		_, err = s.svc.AddCarrier(bgctx, c)
	} else {
		_, err = s.svc.UpdateCarrier(bgctx, c)
	}
	if err != nil {
		return err
	}
	s.reload()
	s.changed()
	return nil
}
