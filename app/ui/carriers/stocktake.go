package carriers

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"baomi/app/ui/kit"
	"baomi/data"
	"baomi/data/pdf"
)

// Stocktake scopes.
const (
	scopeAll       = "全部载体"
	scopeLocation  = "按存放位置"
	scopeCustodian = "按责任人"
)

// Stocktake runs a stocktake (清点): choose a scope, scan or tick the
// carriers found, finish; every carrier in scope gets a stocktake event
// (found or not), the missing ones raise alerts, and the scanned 编号 that
// are not in scope are listed as unexpected.
type Stocktake struct {
	sh      kit.Shell
	svc     data.CarrierService
	changed func()
	// fingerprint returns the audit head's fingerprint for the report
	fingerprint func() string
	content     fyne.CanvasObject

	scope, value *kit.Select
	start        *widget.Button
	scan         *kit.Entry
	table        *widget.Table
	status       *widget.Label
	finish       *widget.Button
	result       *widget.Label
	progress     *widget.ProgressBar

	all        []data.Carrier
	expected   []data.Carrier
	found      map[string]bool // by carrier ID
	unexpected []string        // scanned 编号 not in scope
	running    bool
	printBtn   *widget.Button
	report     pdf.StocktakeDoc // the last finished stocktake
}

// NewStocktake builds the stocktake page on svc; changed is called after a
// stocktake was recorded, fingerprint gives the audit head for the report.
func NewStocktake(sh kit.Shell, svc data.CarrierService, changed func(), fingerprint func() string) *Stocktake {
	s := &Stocktake{sh: sh, svc: svc, changed: changed, fingerprint: fingerprint, found: map[string]bool{}}
	s.value = kit.NewSelect(nil, func(string) { sh.Touch() })
	s.value.Disable()
	s.scope = kit.NewSelect([]string{scopeAll, scopeLocation, scopeCustodian}, func(string) { sh.Touch(); s.onScope() })
	s.start = kit.Button(sh, "开始清点", s.onStart)
	s.start.Importance = widget.HighImportance
	s.scan = kit.NewEntry() // Ctrl+L reaches the window with the cursor here
	s.scan.SetPlaceHolder("扫码或输入编号后回车，标记为“在”")
	s.scan.OnSubmitted = func(string) { sh.Touch(); s.onScan() }
	s.scan.Disable()
	s.status = widget.NewLabel("")
	s.result = widget.NewLabel("")
	s.result.Wrapping = fyne.TextWrapBreak
	s.progress = widget.NewProgressBar()
	s.progress.Hide()
	s.finish = kit.Button(sh, "结束清点并登记", s.onFinish)
	s.finish.Disable()
	s.printBtn = kit.Button(sh, "打印清点报告", s.onPrint)
	s.printBtn.Disable()
	s.table = kit.NewTextTable(sh, []string{"清点", "编号", "名称", "标志", "存放位置"}, []float32{70, 150, 300, 130, 120},
		func() int { return len(s.expected) }, func(row, col int) string {
			c := s.expected[row]
			switch col {
			case 0:
				if s.found[c.ID] {
					return "✓ 在"
				}
				return "未找到"
			case 1:
				return c.Number
			case 2:
				return c.Title
			case 3:
				return c.Mark()
			}
			return c.Location
		})

	s.table.OnSelected = func(id widget.TableCellID) {
		// ticking a row by hand toggles it
		sh.Touch()
		if s.running && id.Row < len(s.expected) {
			c := s.expected[id.Row]
			s.found[c.ID] = !s.found[c.ID]
			s.refresh()
		}
		s.table.UnselectAll()
	}
	head := container.NewVBox(
		widget.NewLabelWithStyle("载体清点", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewHBox(widget.NewLabel("范围"), s.scope, s.value, s.start),
		container.NewBorder(nil, nil, widget.NewLabel("扫码"), s.finish, s.scan),
		s.status, s.progress)
	s.content = container.NewBorder(container.NewPadded(head),
		container.NewPadded(container.NewBorder(nil, nil, nil, s.printBtn, s.result)), nil, nil, s.table)
	s.scope.SetSelected(scopeAll)
	return s
}

// onScope offers the locations or custodians of the register.
func (s *Stocktake) onScope() {
	if s.value == nil {
		return
	}
	s.readRegister(s.offerScope)
}

// readRegister reads the register in the background and hands it to then,
// or says on the status line why it could not.
func (s *Stocktake) readRegister(then func([]data.Carrier)) {
	kit.InBackground(s.sh, "正在读取台账……", s.svc.Carriers, func(list []data.Carrier, err error) {
		if err != nil {
			s.status.SetText(data.Message(err))
			return
		}
		then(list)
	})

}

// offerScope offers the locations or custodians of list, the register.
func (s *Stocktake) offerScope(list []data.Carrier) {
	s.all = list
	seen := map[string]bool{}
	var opts []string
	for _, c := range list {
		v := c.Location
		if s.scope.Selected == scopeCustodian {
			v = c.Custodian
		}
		if v != "" && !seen[v] {
			seen[v] = true
			opts = append(opts, v)
		}
	}
	sort.Strings(opts)
	s.value.Options = opts
	s.value.ClearSelected()
	if s.scope.Selected == scopeAll {
		s.value.Disable()
	} else {
		s.value.Enable()
	}
}

// inScope reports whether c is to be found in the cabinet for this
// stocktake: held (or declassified and not yet destroyed) and matching the
// scope. Lent carriers are accounted for by their loans.
func (s *Stocktake) inScope(c data.Carrier) bool {
	if c.State != data.StateHeld && c.State != data.StateDeclassified {
		return false
	}
	switch s.scope.Selected {
	case scopeLocation:
		return c.Location == s.value.Selected
	case scopeCustodian:
		return c.Custodian == s.value.Selected
	}
	return true
}

func (s *Stocktake) onStart() {
	if s.scope.Selected != scopeAll && s.value.Selected == "" {
		s.status.SetText("请选择清点范围。")
		return
	}
	s.readRegister(s.begin)
}

// begin begins the stocktake of the carriers of list, the register, that
// are in scope.
func (s *Stocktake) begin(list []data.Carrier) {
	s.all = list
	s.expected = s.expected[:0]
	for _, c := range s.all {
		if s.inScope(c) {
			s.expected = append(s.expected, c)
		}
	}
	s.found = map[string]bool{}
	s.unexpected = nil
	s.running = true
	s.result.SetText("")
	s.scan.Enable()
	s.finish.Enable()
	s.refresh()
	s.sh.Window().Canvas().Focus(s.scan)
}

// onScan marks the scanned carrier as found, or notes it as unexpected.
func (s *Stocktake) onScan() {
	n := strings.TrimSpace(data.HalfWidth(s.scan.Text))
	s.scan.SetText("")
	if n == "" || !s.running {
		return
	}
	for _, c := range s.expected {
		if c.Number == n {
			s.found[c.ID] = true
			s.refresh()
			return
		}
	}
	s.unexpected = append(s.unexpected, n)
	s.refresh()
}

func (s *Stocktake) counts() (found, missing int) {
	for _, c := range s.expected {
		if s.found[c.ID] {
			found++
		} else {
			missing++
		}
	}
	return found, missing
}

func (s *Stocktake) refresh() {
	found, missing := s.counts()
	text := fmt.Sprintf("应清点 %d 件：已找到 %d 件，未找到 %d 件", len(s.expected), found, missing)
	if len(s.unexpected) > 0 {
		text += fmt.Sprintf("；范围外或台账中没有的 %d 件：%s", len(s.unexpected), strings.Join(s.unexpected, "、"))
	}
	s.status.SetText(text)
	s.table.Refresh()
}

// onFinish records a stocktake event for every carrier in scope.
func (s *Stocktake) onFinish() {
	if !s.running {
		return
	}
	var b [8]byte
	_, _ = rand.Read(b[:])
	id := hex.EncodeToString(b[:])
	today := data.Today()
	events := make([]data.Event, len(s.expected))
	for i, c := range s.expected {
		events[i] = data.Event{CarrierID: c.ID, Kind: data.EventStocktake, On: today, Operator: s.sh.Unit().Officer,
			Found: s.found[c.ID], Stocktake: id}
	}
	s.running = false
	s.scan.Disable()
	s.finish.Disable()
	s.progress.SetValue(0)
	s.progress.Show()
	found, missing := s.counts()
	unexpected := append([]string(nil), s.unexpected...)
	report := pdf.StocktakeDoc{Unit: s.sh.Unit().Name, On: today, Scope: s.scopeText(), Operator: s.sh.Unit().Officer,
		Unexpected: unexpected, Fingerprint: s.fingerprint(), Classified: true}
	for _, c := range s.expected {
		if s.found[c.ID] {
			report.Found = append(report.Found, c)
		} else {
			report.Missing = append(report.Missing, c)
		}
	}
	go func() {
		_, err := s.svc.RecordBatch(bgctx, events, func(done, total int) {
			s.sh.Do(func() { s.progress.SetValue(float64(done) / float64(total)) })
		})
		s.sh.Do(func() {
			s.progress.Hide()
			if err != nil {
				s.sh.Logf("stocktake: %v", err)
				s.result.SetText("清点登记失败：" + data.Message(err))
				s.running = true
				s.scan.Enable()
				s.finish.Enable()
				return
			}
			text := fmt.Sprintf("清点已登记（%s）：应清点 %d 件，找到 %d 件，未找到 %d 件，范围外 %d 件。",
				today.Chinese(), len(events), found, missing, len(unexpected))
			if missing > 0 {
				text += "\n未找到的载体已列入提醒，请立即查找并向保密办报告。"
			}
			s.result.SetText(text)
			report.Fingerprint = s.fingerprint()
			s.report = report
			s.printBtn.Enable()
			s.changed()
		})
	}()
}

// scopeText describes the stocktake's scope for its report.
func (s *Stocktake) scopeText() string {
	switch s.scope.Selected {
	case scopeLocation:
		return "存放位置：" + s.value.Selected
	case scopeCustodian:
		return "责任人：" + s.value.Selected
	}
	return ""
}

// onPrint prints the report of the last finished stocktake.
func (s *Stocktake) onPrint() {
	doc := s.report
	s.sh.Print("涉密载体清点报告.pdf", len(doc.Found)+len(doc.Missing), func(w io.Writer) error { return pdf.StocktakeReport(w, doc) })
}

// Content returns the page to show.
func (s *Stocktake) Content() fyne.CanvasObject { return s.content }
