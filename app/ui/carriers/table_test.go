package carriers

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"baomi/data"
)

// paper returns a valid paper carrier for the register tests.
func paper(number, title, custodian string) data.Carrier {
	return data.Carrier{Number: number, Title: title, Kind: data.KindPaper, Level: "秘密", PeriodYears: 10,
		ReceivedOn: data.NewDate(2026, 1, 5), Copies: 1, Custodian: custodian, Location: "保密柜1号"}
}

// addCarriers stores cs in h's workspace and returns them as stored.
func addCarriers(t *testing.T, h *harness, cs ...data.Carrier) []data.Carrier {
	t.Helper()
	var out []data.Carrier
	for _, c := range cs {
		saved, err := h.ws.AddCarrier(context.Background(), c)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, saved)
	}
	return out
}

// record stores e in h's workspace.
func record(t *testing.T, h *harness, e data.Event) {
	t.Helper()
	if _, err := h.ws.Record(context.Background(), e); err != nil {
		t.Fatal(err)
	}
}

// lend lends c to borrower from 2026-11-01, due on due.
func lend(t *testing.T, h *harness, c data.Carrier, borrower string, due data.Date) {
	t.Helper()
	record(t, h, data.Event{CarrierID: c.ID, Kind: data.EventLend, On: data.NewDate(2026, 11, 1), Operator: "张保密",
		Approver: "赵主任", Borrower: borrower, DueOn: due})
}

// tableCell is one cell of the register as drawn: its label and background.
type tableCell struct {
	label *widget.Label
	bg    *canvas.Rectangle
}

// drawnCells returns the register's cells as they are drawn in the window.
func drawnCells(h *harness) []tableCell {
	var out []tableCell
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if !o.Visible() {
			return
		}
		switch v := o.(type) {
		case *fyne.Container:
			if len(v.Objects) == 2 {
				bg, ok1 := v.Objects[0].(*canvas.Rectangle)
				l, ok2 := v.Objects[1].(*widget.Label)
				if ok1 && ok2 {
					out = append(out, tableCell{l, bg})
					return
				}
			}
			for _, c := range v.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(v).Objects() {
				walk(c)
			}
		}
	}
	walk(h.cs.table)
	return out
}

// highlighted returns the texts of the cells drawn with the selection colour.
func highlighted(h *harness) []string {
	var out []string
	sel := theme.Color(theme.ColorNameSelection)
	for _, c := range drawnCells(h) {
		if c.bg.FillColor == sel {
			out = append(out, c.label.Text)
		}
	}
	return out
}

func TestRegisterSelectsAndHighlightsTheWholeRow(t *testing.T) {
	// given a register of two carriers
	h := newHarness(t, paper("R-1", "第一份", "李四"), paper("R-2", "第二份", "王五"))
	// when a cell of the second row is tapped
	h.cs.table.Select(widget.TableCellID{Row: 1, Col: 3})
	// then the row is selected and all its cells, and only they, are highlighted
	got := strings.Join(highlighted(h), "|")
	if h.cs.selected != 1 || !strings.Contains(got, "R-2") || !strings.Contains(got, "第二份") || !strings.Contains(got, "王五") ||
		strings.Contains(got, "R-1") || len(highlighted(h)) != len(carrierColumns)+1 {
		t.Fatalf("selected row %d, highlighted cells %q", h.cs.selected, got)
	}
	// and the key Up moves the selection to the first row
	h.cs.table.TypedKey(&fyne.KeyEvent{Name: fyne.KeyUp})
	if got := strings.Join(highlighted(h), "|"); h.cs.selected != 0 || !strings.Contains(got, "R-1") || strings.Contains(got, "R-2") {
		t.Fatalf("after Up: selected row %d, highlighted %q", h.cs.selected, got)
	}
	if h.cs.edit.Disabled() {
		t.Error("修改 not enabled with a selected row")
	}
}

func TestRegisterColoursLentAndOverdueStates(t *testing.T) {
	// given a carrier held, one lent until next year and one lent past its due date
	h := newHarness(t)
	cs := addCarriers(t, h, paper("S-1", "在册的", "李四"), paper("S-2", "借出的", "李四"), paper("S-3", "逾期的", "李四"))
	lend(t, h, cs[1], "王五", data.NewDate(2027, 1, 1))
	lend(t, h, cs[2], "赵六", data.NewDate(2026, 11, 10))
	h.showCarriers(t)
	// then the 状态 column says each and colours the lent and the overdue
	want := map[string]widget.Importance{data.StateHeld: widget.MediumImportance, data.StateLent: widget.WarningImportance,
		"逾期未还": widget.DangerImportance}
	for _, c := range drawnCells(h) {
		if imp, ok := want[c.label.Text]; ok {
			if c.label.Importance != imp {
				t.Errorf("状态 %s drawn with importance %v, want %v", c.label.Text, c.label.Importance, imp)
			}
			delete(want, c.label.Text)
		}
	}
	if len(want) > 0 {
		t.Errorf("states not shown: %v", want)
	}
}

func TestRegisterCutsALongTitleWithAnEllipsis(t *testing.T) {
	// given a carrier whose title is much wider than the 名称 column
	long := strings.Repeat("关于做好年度保密自查工作的通知", 4)
	h := newHarness(t, paper("L-1", long, "李四"))
	// then its cell shows the beginning of the title and "…", within the column
	for _, c := range drawnCells(h) {
		if strings.HasPrefix(c.label.Text, "关于做好") {
			w := fyne.MeasureText(c.label.Text, theme.TextSize(), fyne.TextStyle{}).Width
			if !strings.HasSuffix(c.label.Text, "…") || !strings.HasPrefix(long, strings.TrimSuffix(c.label.Text, "…")) ||
				w > h.cs.table.ColumnWidth(2) {
				t.Fatalf("title drawn as %q (%.0f wide, column %.0f)", c.label.Text, w, h.cs.table.ColumnWidth(2))
			}
			return
		}
	}
	t.Fatal("title not drawn")
}

// stateColumnEnd returns where the 状态 column ends, from the table's left.
func stateColumnEnd(h *harness) float32 {
	end := float32(0)
	for i := 0; i <= len(carrierColumns); i++ {
		end += h.cs.table.ColumnWidth(i) + theme.Padding()
	}
	return end
}

func TestRegisterColumnsFollowTheWindowAndKeepADraggedWidth(t *testing.T) {
	h := newHarness(t, paper("W-1", "文件", "李四"))
	tbl := h.cs.table
	// at the default size and at 1024 px the 状态 column is inside the table
	for _, size := range []fyne.Size{{Width: 1100, Height: 720}, {Width: 1024, Height: 700}} {
		h.sh.Window().Resize(size)
		if end := stateColumnEnd(h); end > tbl.Size().Width {
			t.Errorf("at %v the columns end at %.0f, the table is %.0f wide", size, end, tbl.Size().Width)
		}
	}
	// a wider window gives 名称 the width
	narrow := tbl.ColumnWidth(2)
	h.sh.Window().Resize(fyne.NewSize(1400, 720))
	if tbl.ColumnWidth(2) < narrow+250 {
		t.Errorf("名称 is %.0f wide at 1400 px, %.0f at 1024 px", tbl.ColumnWidth(2), narrow)
	}
	// when the officer drags the right edge of 编号's header 40 px to the right
	edge := tbl.ColumnWidth(0) + theme.Padding() + tbl.ColumnWidth(1) + theme.Padding()/2
	at := fyne.NewPos(edge, 5)
	tbl.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: at}})
	tbl.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: at}})
	tbl.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: at.AddXY(40, 0)}, Dragged: fyne.NewDelta(40, 0)})
	tbl.DragEnd()
	want := carrierColumns[0].width + 40
	if got := tbl.ColumnWidth(1); got != want {
		t.Fatalf("编号 is %.0f wide after the drag, want %.0f", got, want)
	}
	// then the register shown again starts at that width
	h.showCarriers(t)
	if got := h.cs.table.ColumnWidth(1); got != want {
		t.Errorf("编号 is %.0f wide when shown again, want %.0f", got, want)
	}
}

func TestSearchFindsWholePinyinAndPastBorrowers(t *testing.T) {
	// given a carrier of 李娜 lent to 王建国 and returned
	h := newHarness(t)
	cs := addCarriers(t, h, paper("P-1", "培训教材", "李娜"), paper("P-2", "会议纪要", "张三"))
	lend(t, h, cs[0], "王建国", data.NewDate(2026, 12, 1))
	record(t, h, data.Event{CarrierID: cs[0].ID, Kind: data.EventReturn, On: data.NewDate(2026, 11, 2), Operator: "张保密",
		CheckedBy: "张保密", Condition: "完好"})
	h.showCarriers(t)
	for _, q := range []string{"lina", "LiNa", "王建国", "wangjianguo", "wjg"} {
		// when the officer types it into the search box
		h.cs.search.SetText("")
		test.Type(h.cs.search, q)
		// then the carrier is found, and only it
		if h.cs.shown.Len() != 1 || h.cs.shown.At(0).Number != "P-1" {
			t.Errorf("search %q shows %d rows", q, h.cs.shown.Len())
		}
	}
}

func TestClearFiltersShowsEverythingAgain(t *testing.T) {
	// given a register searched and filtered down to nothing
	h := newHarness(t, paper("C-1", "第一份", "李四"), paper("C-2", "第二份", "王五"))
	cs := h.cs
	test.Type(cs.search, "不存在的字")
	cs.state.SetSelected(data.StateLent)
	cs.kind.SetSelected(data.KindPaper)
	cs.from.SetText("2026年1月")
	cs.pendingOnly.SetChecked(true)
	if cs.shown.Len() != 0 || !cs.empty.Visible() || cs.empty.Text != noMatch {
		t.Fatalf("filtered to %d rows, empty text %q shown %v", cs.shown.Len(), cs.empty.Text, cs.empty.Visible())
	}
	// when 清除筛选 is tapped
	test.Tap(cs.clear)
	// then every control is back to 全部 and both carriers show
	if cs.search.Text != "" || cs.state.Selected != "全部" || cs.kind.Selected != "全部" || cs.from.Text != "" ||
		cs.pendingOnly.Checked || cs.filterMsg.Text != "" {
		t.Errorf("controls not cleared: %q %q %q %q %v", cs.search.Text, cs.state.Selected, cs.kind.Selected, cs.from.Text, cs.pendingOnly.Checked)
	}
	if cs.shown.Len() != 2 || cs.empty.Visible() {
		t.Errorf("after clearing: %d rows, empty text shown %v", cs.shown.Len(), cs.empty.Visible())
	}
}

func TestAnEmptyRegisterSaysHowToBegin(t *testing.T) {
	h := newHarness(t)
	if !h.cs.empty.Visible() || h.cs.empty.Text != emptyRegister {
		t.Fatalf("empty register shows %q (visible %v)", h.cs.empty.Text, h.cs.empty.Visible())
	}
	if !strings.Contains(h.cs.empty.Text, "登记载体") || !strings.Contains(h.cs.empty.Text, "Excel") {
		t.Errorf("text does not say how to begin: %q", h.cs.empty.Text)
	}
	relayout(h)
	shot(t, h, "register-empty")
}

// relayout lays the window out again as the real driver does before it
// draws (the test driver does not lay out again what changed its size):
// a resize there and back.
func relayout(h *harness) {
	w := h.sh.Window()
	size := w.Canvas().Size()
	w.Resize(size.AddWidthHeight(1, 0))
	w.Resize(size)
}

func TestAHalfTypedDateDoesNotMoveTheFilterRow(t *testing.T) {
	h := newHarness(t, paper("D-1", "文件", "李四"))
	cs := h.cs
	pos := func() (fyne.Position, fyne.Size) {
		relayout(h)
		return fyne.CurrentApp().Driver().AbsolutePositionForObject(cs.scan), cs.scan.Size()
	}
	p0, s0 := pos()
	// when a date is half typed, the row says so
	test.Type(cs.from, "2026年1")
	if cs.filterMsg.Text != dateProblem {
		t.Fatalf("half-typed date: message %q", cs.filterMsg.Text)
	}
	// then the controls after it have not moved or shrunk
	if p1, s1 := pos(); p1 != p0 || s1 != s0 {
		t.Errorf("扫码 box moved from %v %v to %v %v", p0, s0, p1, s1)
	}
}

func TestRegisterFitsA1024WideWindow(t *testing.T) {
	// given a register of carriers held, lent, overdue and with long titles
	h := newHarness(t)
	cs := addCarriers(t, h,
		paper("CZJ-2026-0001", "关于做好2026年度保密自查自评工作的通知", "李娜"),
		paper("CZJ-2026-0002", "会议纪要", "王建国"),
		paper("CZJ-2026-0003", "国家秘密载体管理规定实施细则（征求意见稿）", "张三"),
		paper("CZJ-2026-0004", "培训教材", "赵六"),
		paper("CZJ-2026-0005", "保密工作要点", "孙丽"))
	lend(t, h, cs[1], "王五", data.NewDate(2027, 1, 1))
	lend(t, h, cs[2], "赵六", data.NewDate(2026, 11, 10))
	h.showCarriers(t)
	h.cs.table.Select(widget.TableCellID{Row: 3, Col: 2})
	for _, tt := range []struct {
		name string
		size fyne.Size
	}{
		{"register-1100x720", fyne.NewSize(1100, 720)},
		{"register-1024x700", fyne.NewSize(1024, 700)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := h.sh.Window()
			w.Resize(tt.size)
			// then the page needs no more than the window's width and every column is in sight
			if min := w.Content().MinSize().Width; min > tt.size.Width {
				t.Errorf("the page needs %.0f px", min)
			}
			if end := stateColumnEnd(h); end > h.cs.table.Size().Width {
				t.Errorf("the columns end at %.0f, the table is %.0f wide", end, h.cs.table.Size().Width)
			}
			shot(t, h, tt.name)
		})
	}
}
