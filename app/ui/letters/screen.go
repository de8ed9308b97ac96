// Package letters holds the page of the 保密承诺书 printed (保密承诺书):
// every letter with whom it was printed for and whether the signed copy
// came back, counts, filters, 标记已签署 for the letters chosen, and the
// list of who should have signed a letter and has not (应签未签). Like
// app/ui/people it sees the window only through kit.Shell and the data
// only through the data services, and every store call runs in the
// background through kit.
package letters

import (
	"context"
	"slices"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"baomi/app/ui/kit"
	"baomi/data"
)

// Statuses of a letter as the page shows it.
const (
	statusUnsigned = "待签署"
	statusSigned   = "已签署"
)

// all is the filter choice that filters nothing.
const all = "全部"

// Texts of an empty table.
const (
	noLetters = "还没有打印过承诺书。在“涉密人员”页点“打印承诺书……”打印。"
	noMatch   = "没有符合条件的承诺书。把筛选改回“全部”试试。"
)

// Service is what the page needs from storage: the people, the letters
// printed for them, and the name the audit chain records as operator.
type Service interface {
	data.PersonService
	data.LetterService
	Operator() string
}

// column is one column of the letters table.
type column struct {
	title string
	width float32
	fill  bool
	value func(s *Screen, l *data.LetterRecord) string
}

var columns = []column{
	{"姓名", 110, false, func(s *Screen, l *data.LetterRecord) string { return s.person(l.PersonID).Name }},
	{"部门", 150, true, func(s *Screen, l *data.LetterRecord) string { return s.person(l.PersonID).Department }},
	{"类别", 70, false, func(_ *Screen, l *data.LetterRecord) string { return l.Kind }},
	{"年度", 70, false, func(_ *Screen, l *data.LetterRecord) string { return strconv.Itoa(l.Year) }},
	{"份数", 60, false, func(_ *Screen, l *data.LetterRecord) string { return strconv.Itoa(l.Copies) }},
	{"打印日期", 140, false, func(_ *Screen, l *data.LetterRecord) string { return data.DateOf(l.PrintedAt).Chinese() }},
	{"签署日期", 140, false, func(_ *Screen, l *data.LetterRecord) string { return l.SignedOn.Chinese() }},
	{"状态", 80, false, func(_ *Screen, l *data.LetterRecord) string { return status(l) }},
}

// dueColumns are the columns of the 应签未签 table.
var dueColumns = []kit.Column{{Title: "姓名", Width: 110}, {Title: "部门", Width: 150},
	{Title: "类别", Width: 70}, {Title: "原因", Width: 260, Fill: true}}

func status(l *data.LetterRecord) string {
	if l.SignedOn.IsZero() {
		return statusUnsigned
	}
	return statusSigned
}

// Screen is the page of the 保密承诺书 printed.
type Screen struct {
	sh      kit.Shell
	svc     Service
	today   data.Date
	content fyne.CanvasObject

	people  map[string]data.Person
	list    []data.Person
	letters []data.LetterRecord // as read, oldest first
	shown   []int               // indexes into letters of the rows shown
	due     []data.LetterDue
	reads   int

	kind, year, state *kit.Select
	count, dueTitle   *widget.Label
	empty             *widget.Label
	mark              *widget.Button
	table, dueTable   *kit.RowTable
	dialog            *markDialog // the dialog last opened
}

// New returns the page of svc shown in sh and starts reading it.
func New(sh kit.Shell, svc Service) *Screen {
	s := &Screen{sh: sh, svc: svc, today: data.Today(), people: map[string]data.Person{}}
	filter := func(options []string) *kit.Select {
		sel := kit.NewSelect(append([]string{all}, options...), nil)
		sel.SetSelected(all)
		sel.OnChanged = func(string) { sh.Touch(); s.applyFilter() }
		return sel
	}
	s.kind = filter([]string{data.LetterOnboard, data.LetterAnnual, data.LetterLeaving, data.LetterSpecial})
	s.year = filter(nil)
	s.state = filter([]string{statusUnsigned, statusSigned})
	s.count = widget.NewLabel("")
	s.dueTitle = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.empty = widget.NewLabel("")
	s.empty.Alignment = fyne.TextAlignCenter
	s.empty.Hide()
	s.mark = kit.Button(sh, "标记已签署……", s.onMark)
	s.mark.Importance = widget.HighImportance
	cols := make([]kit.Column, len(columns))
	for i, c := range columns {
		cols[i] = kit.Column{Title: c.title, Width: c.width, Fill: c.fill}
	}
	s.table = kit.NewRowTable(sh, "letters", cols, func() int { return len(s.shown) }, func(row, col int) kit.Cell {
		if row >= len(s.shown) {
			return kit.Cell{}
		}
		l := &s.letters[s.shown[row]]
		c := kit.Cell{Text: columns[col].value(s, l)}
		if columns[col].title == "状态" {
			c.Importance = widget.SuccessImportance
			if l.SignedOn.IsZero() {
				c.Importance = widget.WarningImportance
			}
		}
		return c
	})
	s.table.OnRowSelected = func(int, int) { sh.Touch() }
	s.table.OnActivated = func(int) { sh.Touch(); s.onMark() }
	s.dueTable = kit.NewRowTable(sh, "letters-due", dueColumns, func() int { return len(s.due) }, func(row, col int) kit.Cell {
		if row >= len(s.due) {
			return kit.Cell{}
		}
		d := s.due[row]
		return kit.Cell{Text: []string{d.Person.Name, d.Person.Department, d.Kind, d.Reason}[col]}
	})
	top := container.NewBorder(nil, nil, widget.NewLabelWithStyle("保密承诺书", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewHBox(s.count, s.mark))
	filters := container.NewHBox(widget.NewLabel("类别"), s.kind, widget.NewLabel("年度"), s.year,
		widget.NewLabel("状态"), s.state)
	letters := container.NewBorder(container.NewPadded(container.NewVBox(top, filters)), nil, nil, nil,
		container.NewStack(s.table.InPage(), container.NewCenter(s.empty)))
	due := container.NewBorder(container.NewPadded(s.dueTitle), nil, nil, nil, s.dueTable.InPage())
	split := container.NewVSplit(letters, due)
	split.Offset = 0.6
	s.content = split
	s.applyFilter()
	s.reload()
	return s
}

// Content returns the page.
func (s *Screen) Content() fyne.CanvasObject { return s.content }

// Reading reports whether the letters are still being read.
func (s *Screen) Reading() bool { return s.reads > 0 }

// person returns the person of id, or a zero Person when unknown.
func (s *Screen) person(id string) data.Person { return s.people[id] }

// dueYear is the year whose 年度 letters 应签未签 asks for: the year
// filtered, else this year.
func (s *Screen) dueYear() int {
	if y, err := strconv.Atoi(s.year.Selected); err == nil {
		return y
	}
	return s.today.Time().Year()
}

// reload reads the people and the letters in the background and shows
// them.
func (s *Screen) reload() {
	type read struct {
		people  []data.Person
		letters []data.LetterRecord
	}
	s.reads++
	kit.InBackground(s.sh, "正在读取承诺书…", func(ctx context.Context) (read, error) {
		var r read
		var err error
		if r.people, err = s.svc.People(ctx); err != nil {
			return r, err
		}
		r.letters, err = s.svc.Letters(ctx)
		return r, err
	}, func(r read, err error) {
		s.reads--
		if err != nil {
			s.sh.Logf("list letters: %v", err)
			dialog.ShowInformation("无法读取承诺书", data.Message(err), s.sh.Window())
			return
		}
		s.show(r.people, r.letters)
	})
}

// show makes people and letters the page's data: the 年度 choices, the
// rows and 应签未签.
func (s *Screen) show(people []data.Person, letters []data.LetterRecord) {
	s.list, s.letters = people, letters
	s.people = make(map[string]data.Person, len(people))
	for _, p := range people {
		s.people[p.ID] = p
	}
	var years []string
	for _, l := range letters {
		if y := strconv.Itoa(l.Year); !slices.Contains(years, y) {
			years = append(years, y)
		}
	}
	slices.Sort(years)
	slices.Reverse(years)
	s.year.Options = append([]string{all}, years...)
	if !slices.Contains(s.year.Options, s.year.Selected) {
		s.year.SetSelected(all)
	}
	s.applyFilter()
}

// applyFilter shows the letters of the chosen 类别, 年度 and 状态, the
// counts of those shown, and 应签未签 for the year.
func (s *Screen) applyFilter() {
	s.shown = s.shown[:0]
	signed := 0
	for i := range s.letters {
		l := &s.letters[i]
		if (s.kind.Selected != all && l.Kind != s.kind.Selected) ||
			(s.year.Selected != all && strconv.Itoa(l.Year) != s.year.Selected) ||
			(s.state.Selected != all && status(l) != s.state.Selected) {
			continue
		}
		s.shown = append(s.shown, i)
		if !l.SignedOn.IsZero() {
			signed++
		}
	}
	s.count.SetText("已打印 " + kit.Itoa(len(s.shown)) + " 份，已签署 " + kit.Itoa(signed) +
		" 份，待签署 " + kit.Itoa(len(s.shown)-signed) + " 份")
	switch {
	case len(s.shown) > 0:
		s.empty.Hide()
	case len(s.letters) == 0:
		s.empty.SetText(noLetters)
		s.empty.Show()
	default:
		s.empty.SetText(noMatch)
		s.empty.Show()
	}
	year := s.dueYear()
	s.due = data.LettersDue(s.list, s.letters, year, s.today)
	s.dueTitle.SetText("应签未签（" + kit.Itoa(year) + " 年度）：" + kit.Itoa(len(s.due)) + " 项")
	s.table.UnselectRow()
	s.table.Refresh()
	s.dueTable.Refresh()
}
