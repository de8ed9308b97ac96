package data

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// 涉密等级 of a person (domain.md §4).
const (
	SecrecyCore      = "核心"
	SecrecyImportant = "重要"
	SecrecyGeneral   = "一般"
)

// SecrecyLevels lists the 涉密等级 in the order forms offer them.
var SecrecyLevels = []string{SecrecyCore, SecrecyImportant, SecrecyGeneral}

// States of a person (状态). PersonInExitPeriod and PersonLeft both mean
// the person has left the post; which of them holds on a day is derived
// from the 离岗日期 and the 脱密期 (Person.StateOn).
const (
	PersonOnPost       = "在岗"
	PersonLeft         = "离岗"
	PersonInExitPeriod = "脱密期中"
)

// PersonStates lists the states in the order forms offer them.
var PersonStates = []string{PersonOnPost, PersonLeft, PersonInExitPeriod}

// Genders a person's 性别 may be; it may also be left empty.
const (
	GenderMale   = "男"
	GenderFemale = "女"
)

// Field labels of a person, as forms show them and FieldErrors name them.
// 备注 is FieldNote.
const (
	FieldName          = "姓名"
	FieldGender        = "性别"
	FieldDepartment    = "部门"
	FieldPost          = "职务"
	FieldSecrecyLevel  = "涉密等级"
	FieldDeterminedOn  = "确定日期"
	FieldVettedOn      = "审查日期"
	FieldVettingResult = "审查结果"
	FieldTrainingHours = "培训学时"
	FieldPersonState   = "状态"
	FieldLeftOn        = "离岗日期"
	FieldStaffNumber   = "人员编号"
)

// Person is one cleared person (涉密人员) in the personnel register.
// Optional fields are left out of the stored JSON when empty, so that a
// field added later never changes what an older record means.
type Person struct {
	ID            string    `json:"id"`                      // internal identifier, never shown
	StaffNumber   string    `json:"staffNumber,omitempty"`   // 人员编号/工号, unique when given
	Name          string    `json:"name"`                    // 姓名
	Gender        string    `json:"gender,omitempty"`        // 性别: 男, 女 or ""
	Department    string    `json:"department,omitempty"`    // 部门
	Post          string    `json:"post,omitempty"`          // 职务/岗位
	Level         string    `json:"level"`                   // 涉密等级: 核心, 重要 or 一般
	DeterminedOn  Date      `json:"determinedOn,omitzero"`   // 确定日期 (of the 涉密等级)
	VettedOn      Date      `json:"vettedOn,omitzero"`       // 审查日期
	VettingResult string    `json:"vettingResult,omitempty"` // 审查结果
	TrainingHours float64   `json:"trainingHours,omitempty"` // 培训学时, typed in until trainings are recorded
	State         string    `json:"state"`                   // 状态 as recorded: 在岗, 离岗 or 脱密期中
	LeftOn        Date      `json:"leftOn,omitzero"`         // 离岗日期, when not 在岗
	Note          string    `json:"note,omitempty"`          // 备注
	CreatedAt     time.Time `json:"createdAt"`
	UpdatedAt     time.Time `json:"updatedAt"`
}

// Normalize trims spaces and maps full-width letters and digits in the
// 人员编号 to half-width, so that equal numbers compare equal.
func (p *Person) Normalize() {
	for _, s := range []*string{&p.StaffNumber, &p.Name, &p.Gender, &p.Department, &p.Post,
		&p.Level, &p.VettingResult, &p.State, &p.Note} {
		*s = strings.TrimSpace(*s)
	}
	p.StaffNumber = HalfWidth(p.StaffNumber)
}

// maxTrainingHours bounds the 培训学时 typed in: a year of eight-hour days
// is under 3,000 hours, so a larger figure is a typing mistake.
const maxTrainingHours = 9999

// Validate checks p against the rules of the personnel register with
// today's date. It returns FieldErrors naming every broken rule, or nil.
func (p Person) Validate(today Date) error {
	var errs FieldErrors
	add := func(field, problem string) { errs = append(errs, FieldError{field, problem}) }
	maxLen := func(field, v string, n int) {
		if utf8.RuneCountInString(v) > n {
			add(field, fmt.Sprintf("不能超过 %d 个字", n))
		}
	}
	notFuture := func(field string, d Date) {
		if today.Before(d) {
			add(field, "不能晚于今天")
		}
	}
	if strings.ContainsAny(p.StaffNumber, "\t\r\n") {
		add(FieldStaffNumber, "不能包含换行或制表符")
	} else {
		maxLen(FieldStaffNumber, p.StaffNumber, 64)
	}
	if p.Name == "" {
		add(FieldName, "必须填写")
	}
	maxLen(FieldName, p.Name, 50)
	if p.Gender != "" && p.Gender != GenderMale && p.Gender != GenderFemale {
		add(FieldGender, "只能填写“男”或“女”，也可以不填")
	}
	if !contains(SecrecyLevels, p.Level) {
		add(FieldSecrecyLevel, "请选择核心、重要或一般")
	}
	notFuture(FieldDeterminedOn, p.DeterminedOn)
	notFuture(FieldVettedOn, p.VettedOn)
	if !(p.TrainingHours >= 0 && p.TrainingHours <= maxTrainingHours) { // also refuses NaN and ±Inf
		add(FieldTrainingHours, fmt.Sprintf("应为 0 到 %d 之间的数", maxTrainingHours))
	}
	switch {
	case !contains(PersonStates, p.State):
		add(FieldPersonState, "请选择在岗、离岗或脱密期中")
	case p.State == PersonOnPost && !p.LeftOn.IsZero():
		add(FieldLeftOn, "在岗人员不填写离岗日期；已离岗请把状态改为离岗或脱密期中")
	case p.State != PersonOnPost && p.LeftOn.IsZero():
		add(FieldLeftOn, "状态为离岗或脱密期中时必须填写")
	case p.State != PersonOnPost && p.LeftOn.Before(p.DeterminedOn):
		add(FieldLeftOn, "不能早于确定日期")
	default:
		notFuture(FieldLeftOn, p.LeftOn)
	}
	for _, f := range []struct{ name, v string }{
		{FieldDepartment, p.Department}, {FieldPost, p.Post}, {FieldVettingResult, p.VettingResult},
	} {
		maxLen(f.name, f.v, 100)
	}
	maxLen(FieldNote, p.Note, 1000)
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// KeepStored gives p, an edited person about to replace stored, what an
// edit never changes: its identity and creation time.
func (p *Person) KeepStored(stored Person) {
	p.ID, p.CreatedAt = stored.ID, stored.CreatedAt
}

// ExitPeriods is the length of the 脱密期 per 涉密等级, in months: sources
// differ (核心 3–5 years, or down to 6–12 months for 一般), so it is a
// table a unit may set, not a constant.
type ExitPeriods struct {
	CoreMonths      int `json:"coreMonths"`
	ImportantMonths int `json:"importantMonths"`
	GeneralMonths   int `json:"generalMonths"`
}

// DefaultExitPeriods returns the 脱密期 table of a new unit: 核心 3 years,
// 重要 2 years, 一般 1 year, which fit every source (domain.md §6a).
func DefaultExitPeriods() ExitPeriods {
	return ExitPeriods{CoreMonths: 36, ImportantMonths: 24, GeneralMonths: 12}
}

// Months returns the length of the 脱密期 of level, or 0 for a level the
// table does not know.
func (e ExitPeriods) Months(level string) int {
	switch level {
	case SecrecyCore:
		return e.CoreMonths
	case SecrecyImportant:
		return e.ImportantMonths
	case SecrecyGeneral:
		return e.GeneralMonths
	}
	return 0
}

// ExitEnd returns the last day of p's 脱密期 under periods, or the zero
// Date when p has no 离岗日期 or its level no period. The period is counted
// as Chinese law counts periods in months and years: from the day after
// the leaving, ending on the same day of the month the period's length
// later, or on that month's last day when it has no such day (left
// 2024-02-29 with one year: the last day is 2025-02-28).
func (p Person) ExitEnd(periods ExitPeriods) Date {
	months := periods.Months(p.Level)
	if p.LeftOn.IsZero() || months <= 0 {
		return Date{}
	}
	return addMonthsClamped(p.LeftOn, months)
}

// addMonthsClamped returns the day n months after d, or the last day of
// that month when it is shorter than d's day. time.AddDate would roll
// 2024-02-29 plus a year over to 2025-03-01 instead.
func addMonthsClamped(d Date, n int) Date {
	t := d.Time()
	first := time.Date(t.Year(), t.Month()+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return NewDate(first.Year(), first.Month(), min(t.Day(), last))
}

// StateOn returns the state p is in on day under periods: 在岗 while on
// the post; after leaving, 脱密期中 up to and including the last day of the
// 脱密期 (ExitEnd), then 离岗. A person recorded as left whose level has no
// period is 离岗; one recorded without a 离岗日期 (which Validate refuses)
// keeps its recorded state.
func (p Person) StateOn(day Date, periods ExitPeriods) string {
	if p.State == PersonOnPost || p.LeftOn.IsZero() {
		return p.State
	}
	if end := p.ExitEnd(periods); !end.IsZero() && !end.Before(day) {
		return PersonInExitPeriod
	}
	return PersonLeft
}

// PersonService is what the personnel register needs from storage.
type PersonService interface {
	// People returns every person, ordered by 姓名 then 人员编号.
	People(ctx context.Context) ([]Person, error)
	// Person returns the person with internal id, or ErrNotFound.
	Person(ctx context.Context, id string) (Person, error)
	// AddPerson validates, stores and audits a new person and returns it
	// with its ID and timestamps set. A 人员编号 another person has is a
	// FieldErrors on 人员编号 that also matches ErrConflict.
	AddPerson(ctx context.Context, p Person) (Person, error)
	// UpdatePerson validates, stores and audits a changed person; its ID
	// and creation time stay as stored. A person not stored is ErrNotFound.
	UpdatePerson(ctx context.Context, p Person) (Person, error)
	// PersonEvents returns the person's history (登记, 修改, 离岗) in the
	// order recorded.
	PersonEvents(ctx context.Context, personID string) ([]PersonEvent, error)
	// CarriersHeldBy returns the carriers the person still holds or has
	// borrowed (HeldByName), ordered by 编号.
	CarriersHeldBy(ctx context.Context, personID string) ([]Carrier, error)
	// Leave records the person's leaving of the post; while carriers are
	// held it is a FieldErrors on FieldHeldCarriers unless an override
	// approver and reason are given.
	Leave(ctx context.Context, l Leaving) (Person, error)
}
