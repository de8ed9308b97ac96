package xlsx

import (
	"fmt"
	"strconv"
	"strings"

	"baomi/data"
)

// Operations of an import plan.
const (
	OpImport    = "import"    // a new carrier, to be registered
	OpUpdate    = "update"    // an existing carrier whose register fields change
	OpUnchanged = "unchanged" // an existing carrier the row matches exactly
	OpRefuse    = "refuse"    // a row that cannot be imported, see Reason
)

// countPending keys, in a Planner's counts, the imports and updates that
// leave their carrier 待补全.
const countPending = "pending"

// Action is what importing one row would do.
//
// It points at its row and at the registered carrier instead of holding
// copies: with copies, planning a 199,990-row register took about 1 KB an
// action (200 MB), enough to take the whole import over 500 MB of memory.
type Action struct {
	// Row is the row planned.
	Row *Row
	// Op is OpImport, OpUpdate, OpUnchanged or OpRefuse.
	Op string
	// Reason explains Op in Chinese: the problems of a refused row, the
	// fields an update changes.
	Reason string
	// Existing is the registered carrier with the row's 编号, for an update
	// or an unchanged row; nil otherwise.
	Existing *data.Carrier
	// Changes lists the labels of the fields an update changes.
	Changes []string
}

// Planner plans the rows of a sheet one at a time, in sheet order, so that
// an import can act on each row as it is read and keep none of them (Plan
// is the same over a slice of rows).
type Planner struct {
	existing  func(number string) *data.Carrier
	firstLine map[string]int
	counts    map[string]int
}

// NewPlanner returns a Planner against the register: existing returns the
// registered carrier with a normalized 编号, or nil.
func NewPlanner(existing func(number string) *data.Carrier) *Planner {
	return &Planner{existing: existing, firstLine: map[string]int{}, counts: map[string]int{}}
}

// Next returns what importing r would do, given the rows planned before
// it; ok is false for a skipped row, which has no action. The action
// points at r.
func (p *Planner) Next(r *Row) (a Action, ok bool) {
	if r.Skip {
		return Action{}, false
	}
	a = Action{Row: r}
	var reasons []string
	if n := r.Carrier.Number; n != "" {
		if line, dup := p.firstLine[n]; dup {
			reasons = append(reasons, fmt.Sprintf("与第 %d 行编号重复", line))
		} else {
			p.firstLine[n] = r.Line
		}
	}
	if len(r.Problems) > 0 {
		reasons = append(reasons, r.Problems.Error())
	}
	var old *data.Carrier
	if len(reasons) == 0 && p.existing != nil {
		old = p.existing(r.Carrier.Number)
	}
	// pending is what a.Pending() returns, taken from the carrier already
	// applied: calling it would apply an update's row a second time.
	var pending string
	switch {
	case len(reasons) > 0:
		a.Op, a.Reason = OpRefuse, strings.Join(reasons, "；")
	case old == nil:
		a.Op, a.Reason = OpImport, "新载体，将登记"
		pending = r.Carrier.Pending
	default:
		a.Existing = old
		updated := applyTo(old, r)
		a.Changes = changes(old, &updated)
		if len(a.Changes) == 0 {
			a.Op, a.Reason = OpUnchanged, "与台账中的记录相同"
		} else {
			a.Op, a.Reason = OpUpdate, "将更新："+strings.Join(a.Changes, "、")
			pending = updated.Pending
		}
	}
	if (a.Op == OpImport || a.Op == OpUpdate) && r.SerialFromNote {
		a.Reason += "；序列号取自备注"
	}
	p.counts[a.Op]++
	if pending != "" {
		p.counts[countPending]++
	}
	return a, true
}

// Pending returns the fields the row's carrier is left 待补全 on by an
// import or an update (data.Carrier.Pending, as 序列号), or "".
func (a Action) Pending() string {
	switch a.Op {
	case OpImport:
		return a.Row.Carrier.Pending
	case OpUpdate:
		return ApplyTo(*a.Existing, *a.Row).Pending
	}
	return ""
}

// Label names the operation in Chinese for a line of the dry run: 导入,
// 更新, 无变化 or 拒绝, with the fields left to complete, as in
// 导入（待补全：序列号）.
func (a Action) Label() string {
	l := map[string]string{OpImport: "导入", OpUpdate: "更新", OpUnchanged: "无变化", OpRefuse: "拒绝"}[a.Op]
	if p := a.Pending(); p != "" {
		l += "（待补全：" + p + "）"
	}
	return l
}

// Count returns how many of the rows planned so far have the operation op.
func (p *Planner) Count(op string) int { return p.counts[op] }

// Summary describes the rows planned so far as Summary does.
func (p *Planner) Summary() string { return summary(p.counts) }

// Plan is the dry run of an import: what each row (skipped rows left out)
// would do against the register, given as existing carriers keyed by their
// normalized 编号. A row whose 编号 is registered with the same values is
// unchanged, so importing a file twice changes nothing; one with other
// values is an update of the fields the sheet supplied (ApplyTo); a new
// 编号 is an import. Rows with problems, and a 编号 repeated within the
// sheet (the second and later rows), are refused. The actions point into
// rows.
func Plan(rows []Row, existing map[string]data.Carrier) []Action {
	p := NewPlanner(nil) // an empty register: no row needs a look-up
	if len(existing) > 0 {
		// The actions point at copies of the registered carriers, made in
		// blocks of foundBlock: one allocation a carrier rounded each up to
		// the next size class (488 bytes to 512 once data.Carrier gained
		// Pending), 6.4 MB and 200,000 allocations more for 199,990 rows.
		var found []data.Carrier
		p.existing = func(number string) *data.Carrier {
			c, ok := existing[number]
			if !ok {
				return nil
			}
			if len(found) == cap(found) {
				found = make([]data.Carrier, 0, foundBlock)
			}
			found = append(found, c)
			return &found[len(found)-1]
		}
	}
	p.firstLine = make(map[string]int, len(rows))
	actions := make([]Action, 0, len(rows))
	for i := range rows {
		if a, ok := p.Next(&rows[i]); ok {
			actions = append(actions, a)
		}
	}
	return actions
}

// foundBlock is how many registered carriers Plan copies per allocation
// (about 125 KB).
const foundBlock = 256

// Summary describes a plan in one Chinese sentence: 将导入 12 条，更新 3 条，
// 无变化 5 条，拒绝 2 条, adding ；其中 2 条导入后信息待补全 when rows leave
// their carrier 待补全.
func Summary(actions []Action) string {
	n := map[string]int{}
	for _, a := range actions {
		n[a.Op]++
		if a.Pending() != "" {
			n[countPending]++
		}
	}
	return summary(n)
}

// CountPending returns how many of the rows planned so far import or
// update a carrier that is left 待补全.
func (p *Planner) CountPending() int { return p.counts[countPending] }

func summary(n map[string]int) string {
	s := fmt.Sprintf("将导入 %d 条，更新 %d 条，无变化 %d 条，拒绝 %d 条",
		n[OpImport], n[OpUpdate], n[OpUnchanged], n[OpRefuse])
	if k := n[countPending]; k > 0 {
		s += fmt.Sprintf("；其中 %d 条导入后信息待补全", k)
	}
	return s
}

// periodKeys feed the 保密期限 as one group: a sheet that gives any of them
// gives the whole period.
var periodKeys = []string{KeyLevel, KeyPeriod, KeyDeclassifyOn, KeyCondition}

// ApplyTo returns old with the register fields the row's sheet supplied
// (r.Fields) taken from the row; everything else, such as ID, State and
// the loan, stays as it was. A blank 序列号 keeps the stored one: a detail
// an import may leave 待补全 is never erased by one. The completable fields
// the result lacks are flagged 待补全 (data.Carrier.MarkPending).
func ApplyTo(old data.Carrier, r Row) data.Carrier { return applyTo(&old, &r) }

// applyTo is ApplyTo without copying its arguments (a carrier and a row
// are about 500 bytes each).
func applyTo(old *data.Carrier, r *Row) data.Carrier {
	c := *old
	src := &r.Carrier
	period := false
	for _, key := range r.Fields {
		switch key {
		case KeyNumber:
			c.Number = src.Number
		case KeyTitle:
			c.Title = src.Title
		case KeyKind:
			c.Kind = src.Kind
		case KeyLevel:
			c.Level = src.Level
			period = true
		case KeyPeriod, KeyDeclassifyOn, KeyCondition:
			period = true
		case KeySource:
			c.Source = src.Source
		case KeyDocNumber:
			c.DocNumber = src.DocNumber
		case KeyReceivedOn:
			c.ReceivedOn = src.ReceivedOn
		case KeyCopies:
			c.Copies = src.Copies
		case KeyCopyNumbers:
			c.CopyNumbers = src.CopyNumbers
		case KeyPages:
			c.Pages = src.Pages
		case KeyScope:
			c.Scope = src.Scope
		case KeyCustodian:
			c.Custodian = src.Custodian
		case KeyLocation:
			c.Location = src.Location
		case KeyModel:
			c.Model = src.Model
		case KeySerial:
			if src.Serial != "" {
				c.Serial = src.Serial
			}
		case KeyNote:
			c.Note = src.Note
		}
	}
	if period {
		c.PeriodYears, c.DeclassifyOn, c.DeclassifyCondition = src.PeriodYears, src.DeclassifyOn, src.DeclassifyCondition
	}
	c.MarkPending()
	return c
}

// Changes returns the labels of the fields ApplyTo would change, in form
// order; none means the row matches old. Line endings do not count.
func Changes(old data.Carrier, r Row) []string {
	updated := applyTo(&old, &r)
	return changes(&old, &updated)
}

// changes returns the labels of the fields that differ between old and
// updated, in form order.
func changes(old, updated *data.Carrier) []string {
	if *old == *updated {
		// Most rows of a register imported again are unchanged: one
		// comparison instead of formatting and comparing 19 fields twice
		// (dates, numbers, line endings). Equal carriers have equal fields.
		return nil
	}
	var changed []string
	for _, f := range fields {
		if fieldValue(old, f.Key) != fieldValue(updated, f.Key) {
			changed = append(changed, f.Label)
		}
	}
	return changed
}

// fieldValue returns a field as comparable text.
func fieldValue(c *data.Carrier, key string) string {
	switch key {
	case KeyNumber:
		return c.Number
	case KeyTitle:
		return text(c.Title)
	case KeyKind:
		return c.Kind
	case KeyLevel:
		return c.Level
	case KeyPeriod:
		return strconv.Itoa(c.PeriodYears)
	case KeyDeclassifyOn:
		return c.DeclassifyOn.String()
	case KeyCondition:
		return text(c.DeclassifyCondition)
	case KeySource:
		return text(c.Source)
	case KeyDocNumber:
		return c.DocNumber
	case KeyReceivedOn:
		return c.ReceivedOn.String()
	case KeyCopies:
		return strconv.Itoa(c.Copies)
	case KeyCopyNumbers:
		return c.CopyNumbers
	case KeyPages:
		return c.Pages
	case KeyScope:
		return text(c.Scope)
	case KeyCustodian:
		return c.Custodian
	case KeyLocation:
		return text(c.Location)
	case KeyModel:
		return c.Model
	case KeySerial:
		return c.Serial
	case KeyNote:
		return text(c.Note)
	}
	return ""
}

// text makes line endings comparable: a workbook keeps \n only.
func text(s string) string {
	return strings.ReplaceAll(s, "\r\n", "\n")
}
