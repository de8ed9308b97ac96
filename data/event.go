package data

import (
	"fmt"
	"strings"
	"time"
)

// EventKind names one step of a carrier's life cycle (domain.md §3).
type EventKind string

// Event kinds.
const (
	EventRegister   EventKind = "register"   // 登记/签收
	EventLend       EventKind = "lend"       // 借阅
	EventReturn     EventKind = "return"     // 归还
	EventCirculate  EventKind = "circulate"  // 传阅
	EventCopy       EventKind = "copy"       // 复制
	EventHandover   EventKind = "handover"   // 移交/外发
	EventStocktake  EventKind = "stocktake"  // 清点
	EventChange     EventKind = "change"     // 变更密级/期限
	EventDeclassify EventKind = "declassify" // 解密
	EventDestroy    EventKind = "destroy"    // 销毁
	EventCorrect    EventKind = "correct"    // 更正: voids an earlier event
)

var eventNames = map[EventKind]string{
	EventRegister: "登记", EventLend: "借阅", EventReturn: "归还", EventCirculate: "传阅",
	EventCopy: "复制", EventHandover: "移交", EventStocktake: "清点", EventChange: "变更密级",
	EventDeclassify: "解密", EventDestroy: "销毁", EventCorrect: "更正",
}

// Chinese returns the step's name as registers print it.
func (k EventKind) Chinese() string {
	if n, ok := eventNames[k]; ok {
		return n
	}
	return string(k)
}

// More carrier states, derived from events.
const (
	StateLent         = "借出"
	StateHandedOver   = "已移交"
	StateDestroyed    = "已销毁"
	StateDeclassified = "已解密"
)

// Destruction methods offered by forms.
var DestroyMethods = []string{"粉碎", "送销毁中心", "消磁", "物理破坏"}

// FieldReturnedBy is the label of Event.ReturnedBy.
const FieldReturnedBy = "归还人"

// Field labels of events.
const (
	FieldEventDate = "日期"
	FieldOperator  = "经办人"
	FieldApprover  = "批准人"
	FieldBorrower  = "借阅人"
	FieldDueOn     = "应还日期"
	FieldCheckedBy = "检查人"
	FieldReaders   = "传阅人"
	FieldCopyCount = "复制份数"
	FieldToUnit    = "接收单位"
	FieldCourier   = "携带人"
	FieldNewLevel  = "新密级"
	FieldReason    = "理由"
	FieldMethod    = "销毁方式"
	FieldPlace     = "销毁地点"
	FieldWitness   = "监销人"
	FieldVoids     = "更正的记录"
)

// Reader is one stop of a circulation route (传阅).
type Reader struct {
	Name string `json:"name"`
	On   Date   `json:"on"`
}

// Event is one step in a carrier's life. Events are never rewritten: a wrong
// one is voided by a later EventCorrect naming it.
type Event struct {
	ID        string    `json:"id"`
	CarrierID string    `json:"carrierId"`
	Kind      EventKind `json:"kind"`
	On        Date      `json:"on"`       // the day of the step
	Operator  string    `json:"operator"` // 经办人
	Approver  string    `json:"approver"` // 批准人 (定密责任人 for a change)
	Note      string    `json:"note"`

	Borrower  string   `json:"borrower,omitempty"`  // lend
	DueOn     Date     `json:"dueOn"`               // lend
	CheckedBy string   `json:"checkedBy,omitempty"` // return: 检查人
	Condition string   `json:"condition,omitempty"` // return: 完好 / 缺损…
	Readers   []Reader `json:"readers,omitempty"`   // circulate
	CopyCount int      `json:"copyCount,omitempty"` // copy
	CopyIDs   []string `json:"copyIds,omitempty"`   // copy: the new carriers
	ToUnit    string   `json:"toUnit,omitempty"`    // handover: 接收单位
	Courier   string   `json:"courier,omitempty"`   // handover: 携带人
	Found     bool     `json:"found,omitempty"`     // stocktake
	Stocktake string   `json:"stocktake,omitempty"` // stocktake: its id

	// ReturnedBy is who brought a carrier back (归还人); returns recorded
	// before the form asked it have none.
	ReturnedBy string `json:"returnedBy,omitempty"`

	NewLevel        string `json:"newLevel,omitempty"` // change
	NewPeriodYears  int    `json:"newPeriodYears,omitempty"`
	NewDeclassifyOn Date   `json:"newDeclassifyOn"`
	NewCondition    string `json:"newCondition,omitempty"`
	OldMark         string `json:"oldMark,omitempty"` // change, declassify: 标志 before
	Reason          string `json:"reason,omitempty"`  // change, declassify, correct

	Method  string `json:"method,omitempty"`  // destroy: 销毁方式
	Place   string `json:"place,omitempty"`   // destroy: 地点
	Witness string `json:"witness,omitempty"` // destroy: 监销人

	Voids string `json:"voids,omitempty"` // correct: the event it voids

	RecordedAt time.Time `json:"recordedAt"`
}

// Life is a carrier's derived situation: its state and the facts the
// register and the alerts need.
type Life struct {
	State    string
	Borrower string // while lent
	DueOn    Date   // while lent
	LastSeen Date   // last stocktake that found it
	Missing  bool   // the last stocktake did not find it
}

// Active returns events in order without the voided ones and without the
// corrections themselves.
func Active(events []Event) []Event {
	voided := map[string]bool{}
	for _, e := range events {
		if e.Kind == EventCorrect {
			voided[e.Voids] = true
		}
	}
	out := make([]Event, 0, len(events))
	for _, e := range events {
		if e.Kind != EventCorrect && !voided[e.ID] {
			out = append(out, e)
		}
	}
	return out
}

// Derive folds a carrier's events (in the order they were recorded) into
// its current situation.
func Derive(events []Event) Life {
	l := Life{State: StateHeld}
	for _, e := range Active(events) {
		switch e.Kind {
		case EventLend:
			l.State, l.Borrower, l.DueOn = StateLent, e.Borrower, e.DueOn
		case EventReturn:
			l.State, l.Borrower, l.DueOn = StateHeld, "", Date{}
		case EventHandover:
			l.State = StateHandedOver
		case EventDestroy:
			l.State = StateDestroyed
		case EventDeclassify:
			l.State = StateDeclassified
		case EventStocktake:
			l.Missing = !e.Found
			if e.Found {
				l.LastSeen = e.On
			}
		}
	}
	return l
}

// Overdue reports whether a lent carrier is past its due date on today.
func (l Life) Overdue(today Date) bool {
	return l.State == StateLent && !l.DueOn.IsZero() && l.DueOn.Before(today)
}

// CheckEvent applies the rules of the law to e, a new step for carrier c
// whose recorded events are history. It returns FieldErrors naming the
// fields, or a *UserError explaining why the step is not allowed now, or
// nil.
func CheckEvent(c Carrier, history []Event, e Event, levels []Classification, today Date) error {
	var errs FieldErrors
	add := func(field, problem string) { errs = append(errs, FieldError{field, problem}) }
	need := func(field, v string) {
		if strings.TrimSpace(v) == "" {
			add(field, "必须填写")
		}
	}
	switch {
	case e.On.IsZero():
		add(FieldEventDate, "必须填写")
	case today.Before(e.On):
		add(FieldEventDate, "不能晚于今天")
	case e.On.Before(c.ReceivedOn):
		add(FieldEventDate, "不能早于收到日期")
	}
	need(FieldOperator, e.Operator)
	life := Derive(history)
	state := life.State
	refuse := func(format string, args ...any) error {
		return &UserError{Msg: fmt.Sprintf(format, args...), Cause: ErrConflict}
	}
	gone := state == StateDestroyed || state == StateHandedOver
	switch e.Kind {
	case EventLend:
		if state != StateHeld {
			return refuse("载体 %s 当前状态为“%s”，不能借阅。", c.Number, state)
		}
		need(FieldBorrower, e.Borrower)
		need(FieldApprover, e.Approver)
		switch {
		case e.DueOn.IsZero():
			add(FieldDueOn, "必须填写")
		case e.DueOn.Before(e.On):
			add(FieldDueOn, "不能早于借阅日期")
		}
	case EventReturn:
		if state != StateLent {
			return refuse("载体 %s 当前状态为“%s”，未借出，不能归还。", c.Number, state)
		}
		need(FieldCheckedBy, e.CheckedBy)
	case EventCirculate:
		if state != StateHeld {
			return refuse("载体 %s 当前状态为“%s”，不能传阅。", c.Number, state)
		}
		if len(e.Readers) == 0 {
			add(FieldReaders, "至少填写一位传阅人")
		}
		for _, r := range e.Readers {
			if strings.TrimSpace(r.Name) == "" {
				add(FieldReaders, "传阅人姓名不能为空")
				break
			}
		}
	case EventCopy:
		if gone || state == StateDeclassified {
			return refuse("载体 %s 当前状态为“%s”，不能复制。", c.Number, state)
		}
		need(FieldApprover, e.Approver)
		if e.NewLevel != "" && e.NewLevel != c.Level {
			add(FieldNewLevel, "复制件必须保持原件的密级（"+c.Level+"）和标志")
		}
		if e.CopyCount < 1 || e.CopyCount > 100 {
			add(FieldCopyCount, "应为 1 到 100 之间的整数")
		}
	case EventHandover:
		if state != StateHeld {
			return refuse("载体 %s 当前状态为“%s”，不能移交。", c.Number, state)
		}
		need(FieldToUnit, e.ToUnit)
		need(FieldApprover, e.Approver)
	case EventStocktake:
		if gone {
			return refuse("载体 %s 当前状态为“%s”，不在清点范围内。", c.Number, state)
		}
	case EventChange:
		if gone || state == StateDeclassified {
			return refuse("载体 %s 当前状态为“%s”，不能变更密级。", c.Number, state)
		}
		need(FieldApprover, e.Approver)
		need(FieldReason, e.Reason)
		found := false
		for _, l := range levels {
			found = found || l.Name == e.NewLevel
		}
		if !found {
			add(FieldNewLevel, "请从列表中选择")
		}
		set := 0
		for _, b := range []bool{e.NewPeriodYears != 0, !e.NewDeclassifyOn.IsZero(), e.NewCondition != ""} {
			if b {
				set++
			}
		}
		if set > 1 {
			add(FieldPeriod, "保密期限、解密时间、解密条件只能填写一项")
		}
	case EventDeclassify:
		if gone || state == StateDeclassified {
			return refuse("载体 %s 当前状态为“%s”，不能解密。", c.Number, state)
		}
		need(FieldApprover, e.Approver)
		need(FieldReason, e.Reason)
	case EventDestroy:
		switch {
		case state == StateLent:
			return refuse("载体 %s 已借出给 %s，须先归还再销毁。", c.Number, life.Borrower)
		case gone:
			return refuse("载体 %s 当前状态为“%s”，不能销毁。", c.Number, state)
		}
		need(FieldMethod, e.Method)
		need(FieldPlace, e.Place)
		need(FieldApprover, e.Approver)
		switch {
		case strings.TrimSpace(e.Witness) == "":
			add(FieldWitness, "必须填写")
		case strings.TrimSpace(e.Witness) == strings.TrimSpace(e.Operator):
			add(FieldWitness, "监销人不能与经办人为同一人")
		}
	case EventCorrect:
		need(FieldReason, e.Reason)
		var target *Event
		for i := range history {
			if history[i].ID == e.Voids {
				target = &history[i]
			}
		}
		switch {
		case target == nil:
			add(FieldVoids, "找不到要更正的记录")
		case target.Kind == EventRegister || target.Kind == EventCorrect:
			add(FieldVoids, "登记和更正记录不能被更正")
		case target.Kind == EventCopy:
			add(FieldVoids, "复制记录不能被更正：复制件已登记为载体，请对复制件登记销毁或移交")
		default:
			for _, h := range history {
				if h.Kind == EventCorrect && h.Voids == e.Voids {
					add(FieldVoids, "该记录已被更正过")
				}
			}
		}
	case EventRegister:
		if len(history) > 0 {
			return refuse("载体 %s 已经登记。", c.Number)
		}
	default:
		return fmt.Errorf("unknown event kind %q: %w", e.Kind, ErrInvalid)
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// AllowedEvents lists the steps a carrier in state may take next, in the
// order forms offer them (更正 is always possible once there is something to
// correct, and is not listed).
func AllowedEvents(state string) []EventKind {
	switch state {
	case StateHeld:
		return []EventKind{EventLend, EventCirculate, EventCopy, EventHandover, EventStocktake, EventChange, EventDeclassify, EventDestroy}
	case StateLent:
		return []EventKind{EventReturn, EventCopy, EventStocktake, EventChange, EventDeclassify}
	case StateDeclassified:
		return []EventKind{EventStocktake, EventDestroy}
	}
	return nil
}

// Summary describes the step in one line for the history list.
func (e Event) Summary() string {
	var parts []string
	add := func(label, v string) {
		if v != "" {
			parts = append(parts, label+v)
		}
	}
	switch e.Kind {
	case EventLend:
		add("借阅人：", e.Borrower)
		add("应还：", e.DueOn.Chinese())
	case EventReturn:
		add("归还人：", e.ReturnedBy)
		add("检查人：", e.CheckedBy)
		add("状况：", e.Condition)
	case EventCirculate:
		names := make([]string, len(e.Readers))
		for i, r := range e.Readers {
			names[i] = r.Name
		}
		add("传阅：", strings.Join(names, "→"))
	case EventCopy:
		add("复制份数：", fmt.Sprint(e.CopyCount))
	case EventHandover:
		add("接收单位：", e.ToUnit)
		add("携带人：", e.Courier)
	case EventStocktake:
		if e.Found {
			parts = append(parts, "清点：在")
		} else {
			parts = append(parts, "清点：未找到")
		}
	case EventChange:
		mark := Carrier{Level: e.NewLevel, PeriodYears: e.NewPeriodYears, DeclassifyOn: e.NewDeclassifyOn, DeclassifyCondition: e.NewCondition}.Mark()
		add("", e.OldMark+" → "+mark)
		add("理由：", e.Reason)
	case EventDeclassify:
		add("原标志：", e.OldMark)
		add("理由：", e.Reason)
	case EventDestroy:
		add("方式：", e.Method)
		add("地点：", e.Place)
		add("监销人：", e.Witness)
	case EventCorrect:
		add("理由：", e.Reason)
	}
	add("批准人：", e.Approver)
	add("备注：", e.Note)
	return strings.Join(parts, "；")
}
