package data

import (
	"fmt"
	"strings"
	"time"
)

// Kinds of a person's change (PersonEvent.Kind), as the 经历 list shows them.
const (
	PersonEventRegister = "登记"
	PersonEventEdit     = "修改"
	PersonEventLeave    = "离岗"
)

// PersonEvent is one change of a cleared person, kept as history like a
// carrier's events. Its ID is <person id>/<8-digit sequence>, so a person's
// events sit together in the order they were recorded.
type PersonEvent struct {
	ID         string    `json:"id"`
	PersonID   string    `json:"personId"`
	Kind       string    `json:"kind"`              // 登记, 修改, 离岗
	On         Date      `json:"on,omitzero"`       // the day it took effect
	Operator   string    `json:"operator"`          // 经办人: who recorded it
	Changes    []string  `json:"changes,omitempty"` // "字段：旧 → 新", in Chinese
	Note       string    `json:"note,omitempty"`
	ReminderOn Date      `json:"reminderOn,omitzero"`  // 保密教育提醒日期, for a leaving
	ReminderBy string    `json:"reminderBy,omitempty"` // 提醒人
	Approver   string    `json:"approver,omitempty"`   // who approved leaving with carriers held
	Reason     string    `json:"reason,omitempty"`     // why leaving was allowed then
	Held       []string  `json:"held,omitempty"`       // the carriers held then, "编号 名称"
	RecordedAt time.Time `json:"recordedAt"`
}

// PersonChanges lists what differs between old and new, one "字段：旧 →
// 新" per field in the order forms show them; an empty value reads （空）.
func PersonChanges(old, new Person) []string {
	var out []string
	add := func(field, a, b string) {
		if a == b {
			return
		}
		if a == "" {
			a = "（空）"
		}
		if b == "" {
			b = "（空）"
		}
		out = append(out, field+"："+a+" → "+b)
	}
	date := func(d Date) string {
		if d.IsZero() {
			return ""
		}
		return d.Chinese()
	}
	hours := func(h float64) string {
		if h == 0 {
			return ""
		}
		return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", h), "0"), ".")
	}
	add(FieldStaffNumber, old.StaffNumber, new.StaffNumber)
	add(FieldName, old.Name, new.Name)
	add(FieldGender, old.Gender, new.Gender)
	add(FieldDepartment, old.Department, new.Department)
	add(FieldPost, old.Post, new.Post)
	add(FieldSecrecyLevel, old.Level, new.Level)
	add(FieldDeterminedOn, date(old.DeterminedOn), date(new.DeterminedOn))
	add(FieldVettedOn, date(old.VettedOn), date(new.VettedOn))
	add(FieldVettingResult, old.VettingResult, new.VettingResult)
	add(FieldTrainingHours, hours(old.TrainingHours), hours(new.TrainingHours))
	add(FieldPersonState, old.State, new.State)
	add(FieldLeftOn, date(old.LeftOn), date(new.LeftOn))
	add(FieldNote, old.Note, new.Note)
	return out
}

// Field labels of a leaving (离岗) besides FieldLeftOn, FieldApprover and
// FieldReason.
const (
	FieldReminderOn   = "保密教育提醒日期"
	FieldReminderBy   = "提醒人"
	FieldHeldCarriers = "持有载体"
)

// Leaving is a person's leaving of the post (离岗) as the form gives it.
// OverrideApprover and OverrideReason, both or neither, let the person
// leave while still holding carriers; the event records them.
type Leaving struct {
	PersonID         string
	On               Date   // 离岗日期
	ReminderOn       Date   // 保密教育提醒日期
	ReminderBy       string // 提醒人
	Operator         string // 经办人; the session's operator when empty
	OverrideApprover string // 批准人 of leaving with carriers held
	OverrideReason   string // 理由 of leaving with carriers held
}

// Normalize trims the spaces around l's names.
func (l *Leaving) Normalize() {
	for _, s := range []*string{&l.ReminderBy, &l.Operator, &l.OverrideApprover, &l.OverrideReason} {
		*s = strings.TrimSpace(*s)
	}
}

// maxHeldListed is how many held carriers a refusal names before "等 N 件".
const maxHeldListed = 10

// HeldByName reports whether c is still in the hands of the person called
// name: its 责任人, or its 借阅人 while 借出, and neither destroyed, handed
// over nor declassified. Names are compared as typed: until the person
// pickers come, a carrier names its people in free text.
func HeldByName(c Carrier, name string) bool {
	switch c.State {
	case StateDestroyed, StateHandedOver, StateDeclassified:
		return false
	}
	return name != "" && (c.Custodian == name || (c.State == StateLent && c.Borrower == name))
}

// HeldProblem says that a person leaving still holds held (编号 and 名称 of
// at most ten, then 等 N 件) and what to do.
func HeldProblem(held []Carrier) string {
	var names []string
	for i, c := range held {
		if i == maxHeldListed {
			break
		}
		names = append(names, c.Number+" "+c.Title)
	}
	list := strings.Join(names, "、")
	if len(held) > maxHeldListed {
		list += fmt.Sprintf(" 等 %d 件", len(held))
	}
	return fmt.Sprintf("仍持有或借用 %d 件载体（%s），请先归还或移交；确需离岗请填写批准人和理由", len(held), list)
}
