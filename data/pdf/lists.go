package pdf

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"baomi/data"
)

// DestructionDoc is what the printed destruction list (销毁清单) of one
// destruction shows.
type DestructionDoc struct {
	Unit  string    // 单位
	Title string    // "" prints 涉密载体销毁清单
	On    data.Date // 销毁日期
	// Method and Place print in the head when the whole batch shares them;
	// a row takes its own from its event, else these.
	Method, Place string
	// Operator (经办人), Witness (监销人) and Approver (批准人) are printed
	// beside their signature lines; "" takes the name shared by every
	// item's event, or leaves the name to be written by hand. The witness
	// must not be the operator.
	Operator, Witness, Approver string
	Items                       []DestructionItem
	Fingerprint                 string // 台账校验码, in every footer when set
	Classified                  bool   // print the highest 密级 at the top left of every page
	Fonts                       *Fonts // nil: DefaultFonts()
}

// DestructionItem is one destroyed carrier and its 销毁 event (the zero
// Event when the list is printed before the step is recorded).
type DestructionItem struct {
	Carrier data.Carrier
	Destroy data.Event
}

// ErrWitnessIsOperator refuses a destruction list whose 监销人 is its 经办人.
var ErrWitnessIsOperator = errors.New("监销人不能与经办人为同一人")

var destructionColumns = []column{
	{"序号", 10, centre, whole}, {"编号", 28, left, whole}, {"名称", 50, left, lends}, {"标志", 36, left, lends},
	{"份数", 12, centre, wraps}, {"销毁方式", 20, centre, wraps}, {"地点", 19, left, lends},
}

// DestructionList writes the 销毁清单 as a portrait A4 PDF: unit, date,
// method and place at the top, a table of the destroyed carriers with
// 编号/名称/标志/份数/销毁方式/地点 (header row on every page), the totals, and
// signature lines for 经办人, 监销人 and 批准人; "第 n 页 共 N 页" in every
// footer. It refuses a list whose 监销人 is its 经办人. Missing glyphs are
// reported as by Register.
func DestructionList(w io.Writer, d DestructionDoc) error {
	title := d.Title
	if title == "" {
		title = "涉密载体销毁清单"
	}
	events := make([]data.Event, len(d.Items))
	carriers := make([]data.Carrier, len(d.Items))
	for i, it := range d.Items {
		events[i], carriers[i] = it.Destroy, it.Carrier
	}
	operator := firstNonEmpty(d.Operator, shared(events, func(e data.Event) string { return e.Operator }))
	witness := firstNonEmpty(d.Witness, shared(events, func(e data.Event) string { return e.Witness }))
	approver := firstNonEmpty(d.Approver, shared(events, func(e data.Event) string { return e.Approver }))
	if operator != "" && strings.TrimSpace(operator) == strings.TrimSpace(witness) {
		return fmt.Errorf("destruction list: %w", ErrWitnessIsOperator)
	}
	for _, it := range d.Items {
		if e := it.Destroy; e.Operator != "" && strings.TrimSpace(e.Operator) == strings.TrimSpace(e.Witness) {
			return fmt.Errorf("destruction list: %s: %w", it.Carrier.Number, ErrWitnessIsOperator)
		}
	}
	method := firstNonEmpty(d.Method, shared(events, func(e data.Event) string { return e.Method }))
	place := firstNonEmpty(d.Place, shared(events, func(e data.Event) string { return e.Place }))

	doc, err := newDoc(d.Fonts, false, title)
	if err != nil {
		return fmt.Errorf("destruction list: %w", err)
	}
	s := newSheet(doc, destructionColumns, 20, 15, 18)
	if d.Fingerprint != "" {
		s.footLeft = "台账校验码：" + d.Fingerprint
	}
	mark := ""
	if d.Classified {
		mark = highestLevel(carriers)
	}
	extra := joinNonEmpty("　　", prefixed("销毁方式：", method), prefixed("地点：", place))
	s.head = func(n int) (float64, error) {
		return s.documentHead(n, headInfo{mark: mark, title: title, unit: d.Unit, printed: d.On,
			dateLabel: "销毁日期", extra: extra})
	}
	copies := 0
	rows := make([][]string, 0, len(d.Items))
	for i, it := range d.Items {
		c := it.Carrier
		copies += c.Copies
		n := ""
		if c.Copies > 0 {
			n = strconv.Itoa(c.Copies)
		}
		if c.CopyNumbers != "" {
			n = joinNonEmpty("\n", n, "（"+c.CopyNumbers+"）")
		}
		rows = append(rows, []string{strconv.Itoa(i + 1), c.Number, c.Title, c.Mark(), n,
			firstNonEmpty(it.Destroy.Method, d.Method, method), firstNonEmpty(it.Destroy.Place, d.Place, place)})
	}
	if err := s.table(rows); err != nil {
		return fmt.Errorf("destruction list: %w", err)
	}
	if len(d.Items) == 0 {
		if err := s.row("", "", "（无）"); err != nil {
			return fmt.Errorf("destruction list: %w", err)
		}
	}
	y, err := s.space(45)
	if err != nil {
		return fmt.Errorf("destruction list: %w", err)
	}
	if _, err := s.text(s.left, y+7, Song, 10.5, fmt.Sprintf("以上涉密载体共 %d 件，%d 份，已全部销毁。", len(d.Items), copies)); err != nil {
		return fmt.Errorf("destruction list: %w", err)
	}
	for i, sig := range []struct{ label, name string }{
		{"经办人（签字）", operator}, {"监销人（签字）", witness}, {"批准人（签字）", approver},
	} {
		if _, err := s.signature(s.left, y+18+float64(i)*10, sig.label, sig.name, 10.5, 26); err != nil {
			return fmt.Errorf("destruction list: %w", err)
		}
	}
	if err := s.numberPages(); err != nil {
		return fmt.Errorf("destruction list: %w", err)
	}
	return doc.finish(w, "destruction list")
}

// LoanDoc is what the printed loan list (借阅登记) shows.
type LoanDoc struct {
	Unit     string         // 单位
	Title    string         // "" prints 涉密载体借阅登记
	Period   string         // description of the period or filter; "" means all loans
	Printed  data.Date      // 打印日期; loans due before it and not returned are marked 逾期未还
	Carriers []data.Carrier // the carriers whose loans are listed
	// Events holds each carrier's events in recorded order, by Carrier.ID;
	// voided events and corrections are ignored (data.Active).
	Events      map[string][]data.Event
	Fingerprint string // 台账校验码, in every footer when set
	Classified  bool   // print the highest 密级 at the top left of every page
	Fonts       *Fonts // nil: DefaultFonts()
}

// Loan is one lending of a carrier and its return, if any.
type Loan struct {
	Carrier data.Carrier
	Lend    data.Event
	Return  data.Event // zero Kind when not returned
}

// Returned reports whether the loan has ended.
func (l Loan) Returned() bool { return l.Return.Kind == data.EventReturn }

// Loans pairs each active 借阅 event of c with the 归还 that follows it.
func Loans(c data.Carrier, events []data.Event) []Loan {
	var out []Loan
	for _, e := range data.Active(events) {
		switch e.Kind {
		case data.EventLend:
			out = append(out, Loan{Carrier: c, Lend: e})
		case data.EventReturn:
			if n := len(out); n > 0 && !out[n-1].Returned() {
				out[n-1].Return = e
			}
		}
	}
	return out
}

var loanColumns = []column{
	{"序号", 10, centre, whole}, {"编号", 26, left, whole}, {"名称", 50, left, lends}, {"标志", 36, left, lends},
	{"借阅人", 18, centre, wraps}, {"借出日期", 21, centre, whole}, {"应还日期", 21, centre, whole}, {"归还日期", 21, centre, whole},
	{"批准人", 18, centre, wraps}, {"备注", 52, left, lends},
}

// LoanList writes the 借阅登记 as a landscape A4 PDF: one row per lending
// (编号/名称/标志/借阅人/借出日期/应还日期/归还日期/批准人/备注) ordered by lending
// date, the header row on every page, "第 n 页 共 N 页" in every footer and
// signature lines for 登记人 and 保密办 at the end. Missing glyphs are
// reported as by Register.
func LoanList(w io.Writer, d LoanDoc) error {
	title := d.Title
	if title == "" {
		title = "涉密载体借阅登记"
	}
	var loans []Loan
	for _, c := range d.Carriers {
		loans = append(loans, Loans(c, d.Events[c.ID])...)
	}
	sort.SliceStable(loans, func(i, j int) bool {
		a, b := loans[i].Lend.On, loans[j].Lend.On
		if a.Before(b) || b.Before(a) {
			return a.Before(b)
		}
		return loans[i].Carrier.Number < loans[j].Carrier.Number
	})
	doc, err := newDoc(d.Fonts, true, title)
	if err != nil {
		return fmt.Errorf("loan list: %w", err)
	}
	s := newSheet(doc, loanColumns, 12, 11, 15)
	if d.Fingerprint != "" {
		s.footLeft = "台账校验码：" + d.Fingerprint
	}
	mark := ""
	if d.Classified {
		mark = highestLevel(d.Carriers)
	}
	s.head = func(n int) (float64, error) {
		return s.documentHead(n, headInfo{mark: mark, title: title, unit: d.Unit, printed: d.Printed,
			dateLabel: "打印日期", scope: d.Period, scopeLabel: "范围", allScope: "全部借阅记录"})
	}
	overdue, open := 0, 0
	rows := make([][]string, 0, len(loans))
	for i, l := range loans {
		var notes []string
		if l.Lend.Note != "" {
			notes = append(notes, l.Lend.Note)
		}
		if l.Returned() {
			notes = append(notes, joinNonEmpty("，", prefixed("检查人：", l.Return.CheckedBy), prefixed("状况：", l.Return.Condition)))
			if l.Return.Note != "" {
				notes = append(notes, l.Return.Note)
			}
		} else {
			open++
			if !l.Lend.DueOn.IsZero() && !d.Printed.IsZero() && l.Lend.DueOn.Before(d.Printed) {
				overdue++
				notes = append(notes, "逾期未还")
			} else {
				notes = append(notes, "未归还")
			}
		}
		c := l.Carrier
		rows = append(rows, []string{strconv.Itoa(i + 1), c.Number, c.Title, c.Mark(), l.Lend.Borrower, l.Lend.On.String(),
			l.Lend.DueOn.String(), l.Return.On.String(), l.Lend.Approver, joinNonEmpty("；", notes...)})
	}
	if err := s.table(rows); err != nil {
		return fmt.Errorf("loan list: %w", err)
	}
	if len(loans) == 0 {
		if err := s.row("", "", "（无借阅记录）"); err != nil {
			return fmt.Errorf("loan list: %w", err)
		}
	}
	y, err := s.space(24)
	if err != nil {
		return fmt.Errorf("loan list: %w", err)
	}
	summary := fmt.Sprintf("共借阅 %d 次，未归还 %d 次，其中逾期 %d 次。", len(loans), open, overdue)
	if _, err := s.text(s.left, y+7, Song, 10, summary); err != nil {
		return fmt.Errorf("loan list: %w", err)
	}
	if _, err := s.signature(s.left, y+18, "登记人（签字）", "", 10.5, 0); err != nil {
		return fmt.Errorf("loan list: %w", err)
	}
	if _, err := s.signature(s.left+s.tableWidth/2+4, y+18, "保密办（签字）", "", 10.5, 0); err != nil {
		return fmt.Errorf("loan list: %w", err)
	}
	if err := s.numberPages(); err != nil {
		return fmt.Errorf("loan list: %w", err)
	}
	return doc.finish(w, "loan list")
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

func prefixed(label, v string) string {
	if v == "" {
		return ""
	}
	return label + v
}

// shared returns the value f gives for every event, or "" when they differ
// or there are none.
func shared(events []data.Event, f func(data.Event) string) string {
	v := ""
	for i, e := range events {
		switch {
		case i == 0:
			v = f(e)
		case f(e) != v:
			return ""
		}
	}
	return v
}
