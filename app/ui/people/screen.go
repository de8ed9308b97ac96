// Package people holds the screens of the personnel register (涉密人员):
// the register with its search and filters and the 登记/修改 form. Like
// app/ui/carriers it sees the window only through kit.Shell and the data
// only through data.PersonService, and every store call runs in the
// background through kit.
package people

import (
	"context"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"baomi/app/ui/kit"
	"baomi/data"
)

// Texts of an empty table.
const (
	emptyRegister = "还没有涉密人员。点“登记人员”登记第一位。"
	noMatch       = "没有符合条件的人员。可以少输几个字、把筛选改回“全部”，或点“清除筛选”。"
)

// all is the filter choice that filters nothing.
const all = "全部"

// column is one column of the register: its title, width and text.
type column struct {
	title string
	width float32
	fill  bool
	value func(s *Screen, p *data.Person) string
}

var columns = []column{
	{"姓名", 110, false, func(_ *Screen, p *data.Person) string { return p.Name }},
	{"性别", 60, false, func(_ *Screen, p *data.Person) string { return p.Gender }},
	{"部门", 160, true, func(_ *Screen, p *data.Person) string { return p.Department }},
	{"职务", 140, false, func(_ *Screen, p *data.Person) string { return p.Post }},
	{"涉密等级", 90, false, func(_ *Screen, p *data.Person) string { return p.Level }},
	{"确定日期", 140, false, func(_ *Screen, p *data.Person) string { return p.DeterminedOn.Chinese() }},
	{"状态", 90, false, func(s *Screen, p *data.Person) string { return s.stateOf(p) }},
	{"脱密期止", 140, false, func(s *Screen, p *data.Person) string {
		if s.stateOf(p) == data.PersonOnPost {
			return ""
		}
		return p.ExitEnd(s.periods).Chinese()
	}},
}

// Service is what the personnel register needs from storage: the people
// and the records of the 保密承诺书 printed for them.
type Service interface {
	data.PersonService
	data.LetterService
}

// Screen is the personnel register: a table of the people with a count,
// a search box (姓名, 部门, 职务, 人员编号, or their pinyin, whole or
// initials), filters by 部门, 涉密等级 and 状态, and the buttons that
// register a person, edit the one selected and print 保密承诺书.
type Screen struct {
	sh      kit.Shell
	svc     Service
	periods data.ExitPeriods
	today   data.Date
	content fyne.CanvasObject

	people []data.Person // as read, in the service's order
	keys   []string      // search texts of people, by index
	shown  []int         // indexes into people of the rows shown
	loaded bool          // a register was read: an empty one is empty, not still coming
	reads  int           // reads under way

	search                   *kit.Entry
	department, level, state *kit.Select
	clear, add, edit, print  *widget.Button
	leave                    *widget.Button // 离岗……, for a person on the post
	count, empty             *widget.Label
	table                    *kit.RowTable
	form                     *personForm    // the form last opened
	letters                  *letterDialog  // the print dialog last opened
	leaving                  *leaveDialog   // the leaving dialog last opened
	history                  *historyDialog // the 经历 list last opened
}

// New returns the personnel register of svc shown in sh and starts reading
// it. The 状态 and 脱密期止 shown are worked out for today with the default
// 脱密期 table (data.DefaultExitPeriods) until a unit's own is kept.
func New(sh kit.Shell, svc Service) *Screen {
	s := &Screen{sh: sh, svc: svc, periods: data.DefaultExitPeriods(), today: data.Today()}
	s.search = kit.NewEntry()
	s.search.SetPlaceHolder("查找：姓名、部门、职务、编号，或拼音（zs）")
	s.search.OnChanged = func(string) { sh.Touch(); s.applyFilter() }
	filter := func(options []string) *kit.Select {
		sel := kit.NewSelect(append([]string{all}, options...), nil)
		sel.SetSelected(all) // before OnChanged: there is no table to filter yet
		sel.OnChanged = func(string) { sh.Touch(); s.applyFilter() }
		return sel
	}
	s.department = filter(nil)
	s.level = filter(data.SecrecyLevels)
	s.state = filter(data.PersonStates)
	s.clear = kit.Button(sh, "清除筛选", s.clearFilters)
	s.add = kit.Button(sh, "登记人员", s.onAdd)
	s.add.Importance = widget.HighImportance
	s.edit = kit.Button(sh, "修改", s.onEdit)
	s.edit.Disable()
	s.leave = kit.Button(sh, "离岗……", s.onLeave)
	s.leave.Disable()
	s.print = kit.Button(sh, "打印承诺书……", s.onLetters)
	s.print.Disable()
	s.count = widget.NewLabel("")
	s.empty = widget.NewLabel("")
	s.empty.Alignment = fyne.TextAlignCenter
	s.empty.Hide()
	cols := make([]kit.Column, len(columns))
	for i, c := range columns {
		cols[i] = kit.Column{Title: c.title, Width: c.width, Fill: c.fill}
	}
	s.table = kit.NewRowTable(sh, "people", cols, func() int { return len(s.shown) }, func(row, col int) kit.Cell {
		if row >= len(s.shown) {
			return kit.Cell{}
		}
		p := &s.people[s.shown[row]]
		c := kit.Cell{Text: columns[col].value(s, p)}
		if columns[col].title == "状态" && c.Text == data.PersonInExitPeriod {
			c.Importance = widget.WarningImportance
		}
		return c
	})
	s.table.OnRowSelected = func(int, int) { sh.Touch(); s.updateButtons() }
	s.table.OnActivated = func(row int) { sh.Touch(); s.onEdit() }
	top := container.NewBorder(nil, nil, widget.NewLabelWithStyle("涉密人员", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewHBox(s.count, s.add, s.edit, s.leave, s.print), s.search)
	// wraps rather than widening the page past a 1024-pixel screen, as the
	// carrier register's filters do (#9 item 7)
	filters := kit.NewWrapRow(container.NewHBox(widget.NewLabel("部门"), s.department),
		container.NewHBox(widget.NewLabel("涉密等级"), s.level, widget.NewLabel("状态"), s.state, s.clear))
	s.content = container.NewBorder(container.NewPadded(container.NewVBox(top, filters)), nil, nil, nil,
		container.NewStack(s.table.InPage(), container.NewCenter(s.empty)))
	s.applyFilter()
	s.reload("")
	return s
}

// Content returns the page.
func (s *Screen) Content() fyne.CanvasObject { return s.content }

// Reading reports whether the register is still being read.
func (s *Screen) Reading() bool { return s.reads > 0 }

// stateOf returns the state p is in today: 脱密期中 turns into 离岗 by
// itself when the 脱密期 ends.
func (s *Screen) stateOf(p *data.Person) string { return p.StateOn(s.today, s.periods) }

// reload reads the register in the background and shows it, with the
// person of id selected when it is among the rows shown.
func (s *Screen) reload(id string) {
	s.reads++
	kit.InBackground(s.sh, "正在读取涉密人员…", func(ctx context.Context) ([]data.Person, error) {
		return s.svc.People(ctx)
	}, func(list []data.Person, err error) {
		s.reads--
		if err != nil {
			s.sh.Logf("list people: %v", err)
			dialog.ShowInformation("无法读取涉密人员", data.Message(err), s.sh.Window())
			return
		}
		s.show(list, id)
	})
}

// show makes list the register shown: search texts, the 部门 choices and
// the rows.
func (s *Screen) show(list []data.Person, id string) {
	s.people, s.loaded = list, true
	s.keys = make([]string, len(list))
	var depts []string
	for i, p := range list {
		s.keys[i] = data.PinyinKey(p.Name, p.Department, p.Post, p.StaffNumber)
		if p.Department != "" && !slices.Contains(depts, p.Department) {
			depts = append(depts, p.Department)
		}
	}
	collate.New(language.Chinese).SortStrings(depts) // pinyin order, as the carriers' 责任人
	s.department.Options = append([]string{all}, depts...)
	if !slices.Contains(s.department.Options, s.department.Selected) {
		s.department.SetSelected(all)
	}
	s.applyFilter()
	if id != "" {
		for row, i := range s.shown {
			if s.people[i].ID == id {
				s.table.SelectRow(row)
				break
			}
		}
	}
}

// applyFilter shows the people the search and the filters let through.
func (s *Screen) applyFilter() {
	q := strings.ToLower(strings.TrimSpace(s.search.Text))
	pick := func(sel *kit.Select) string {
		if sel.Selected == all {
			return ""
		}
		return sel.Selected
	}
	dept, level, state := pick(s.department), pick(s.level), pick(s.state)
	s.shown = s.shown[:0]
	for i := range s.people {
		p := &s.people[i]
		if dept != "" && p.Department != dept || level != "" && p.Level != level ||
			state != "" && s.stateOf(p) != state || q != "" && !strings.Contains(s.keys[i], q) {
			continue
		}
		s.shown = append(s.shown, i)
	}
	s.table.UnselectRow()
	s.table.Refresh()
	s.count.SetText("共 " + kit.Itoa(len(s.shown)) + " 人")
	switch {
	case len(s.shown) > 0 || !s.loaded:
		s.empty.Hide()
	case len(s.people) == 0:
		s.empty.SetText(emptyRegister)
		s.empty.Show()
	default:
		s.empty.SetText(noMatch)
		s.empty.Show()
	}
	s.updateButtons()
}

// clearFilters empties the search box and sets every filter to 全部.
func (s *Screen) clearFilters() {
	s.search.SetText("")
	for _, sel := range []*kit.Select{s.department, s.level, s.state} {
		sel.SetSelected(all)
	}
	s.applyFilter()
}

// updateButtons allows 修改 while a person is selected, 离岗 while the
// person selected is on the post, and 打印承诺书
// while people are shown.
func (s *Screen) updateButtons() {
	if len(s.shown) > 0 {
		s.print.Enable()
	} else {
		s.print.Disable()
	}
	if r := s.table.Selected(); r >= 0 && r < len(s.shown) {
		s.edit.Enable()
	} else {
		s.edit.Disable()
	}
	if r := s.table.Selected(); r >= 0 && r < len(s.shown) && s.stateOf(&s.people[s.shown[r]]) == data.PersonOnPost {
		s.leave.Enable()
	} else {
		s.leave.Disable()
	}
}

// onAdd opens the form for a new person.
func (s *Screen) onAdd() {
	s.openForm(data.Person{}, s.svc.AddPerson)
}

// onEdit opens the form for the person selected.
func (s *Screen) onEdit() {
	r := s.table.Selected()
	if r < 0 || r >= len(s.shown) {
		return
	}
	s.openForm(s.people[s.shown[r]], s.svc.UpdatePerson)
}

// openForm shows the form for p; what it confirms is stored by store in
// the background, and the register read again with the person selected.
func (s *Screen) openForm(p data.Person, store func(context.Context, data.Person) (data.Person, error)) {
	s.form = newPersonForm(s.sh, p, func(p data.Person, done func(error)) {
		kit.InBackground(s.sh, "正在保存…", func(ctx context.Context) (data.Person, error) {
			return store(ctx, p)
		}, func(saved data.Person, err error) {
			done(err)
			if err == nil {
				s.reload(saved.ID)
			}
		})
	})
	if p.ID != "" {
		s.form.history.OnTapped = func() { s.sh.Touch(); s.showHistory(p) }
		s.form.history.Show()
	}
	s.form.show()
}
