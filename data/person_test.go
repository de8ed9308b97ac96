package data

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
)

// validPerson is a person on the post that Validate accepts on 2026-11-28.
func validPerson() Person {
	return Person{StaffNumber: "RS-001", Name: "李明", Gender: GenderMale, Department: "办公室",
		Post: "机要员", Level: SecrecyImportant, DeterminedOn: NewDate(2024, 3, 1),
		VettedOn: NewDate(2024, 2, 20), VettingResult: "合格", TrainingHours: 12.5, State: PersonOnPost}
}

func TestPersonValidateNamesTheFieldAndTheProblem(t *testing.T) {
	today := NewDate(2026, 11, 28)
	left := func(state string, on Date) func(*Person) {
		return func(p *Person) { p.State, p.LeftOn = state, on }
	}
	tests := []struct {
		name    string
		edit    func(*Person)
		field   string // "" for a valid person
		problem string // a part of the problem said
	}{
		{"a complete person on the post", func(*Person) {}, "", ""},
		{"only the name, the level and the state", func(p *Person) {
			*p = Person{Name: "王芳", Level: SecrecyGeneral, State: PersonOnPost}
		}, "", ""},
		{"a person in the exit period", left(PersonInExitPeriod, NewDate(2026, 6, 30)), "", ""},
		{"a person who left", left(PersonLeft, NewDate(2025, 1, 2)), "", ""},
		{"left on the day the level was determined", left(PersonLeft, NewDate(2024, 3, 1)), "", ""},
		{"left today", left(PersonLeft, today), "", ""},
		{"no name", func(p *Person) { p.Name = "" }, FieldName, "必须填写"},
		{"a name of 51 characters", func(p *Person) { p.Name = strings.Repeat("名", 51) }, FieldName, "不能超过 50 个字"},
		{"no level", func(p *Person) { p.Level = "" }, FieldSecrecyLevel, "核心、重要或一般"},
		{"a carrier's 密级 as level", func(p *Person) { p.Level = "机密" }, FieldSecrecyLevel, "核心、重要或一般"},
		{"no state", func(p *Person) { p.State = "" }, FieldPersonState, "在岗、离岗或脱密期中"},
		{"an unknown state", func(p *Person) { p.State = "退休" }, FieldPersonState, "在岗、离岗或脱密期中"},
		{"left without a date", left(PersonLeft, Date{}), FieldLeftOn, "必须填写"},
		{"in the exit period without a date", left(PersonInExitPeriod, Date{}), FieldLeftOn, "必须填写"},
		{"on the post with a date of leaving", left(PersonOnPost, NewDate(2026, 1, 1)), FieldLeftOn, "在岗人员不填写离岗日期"},
		{"left before the level was determined", left(PersonLeft, NewDate(2024, 2, 29)), FieldLeftOn, "不能早于确定日期"},
		{"left tomorrow", left(PersonLeft, NewDate(2026, 11, 29)), FieldLeftOn, "不能晚于今天"},
		{"determined tomorrow", func(p *Person) { p.DeterminedOn = NewDate(2026, 11, 29) }, FieldDeterminedOn, "不能晚于今天"},
		{"vetted tomorrow", func(p *Person) { p.VettedOn = NewDate(2026, 11, 29) }, FieldVettedOn, "不能晚于今天"},
		{"negative training hours", func(p *Person) { p.TrainingHours = -1 }, FieldTrainingHours, "0 到 9999"},
		{"training hours not a number", func(p *Person) { p.TrainingHours = math.NaN() }, FieldTrainingHours, "0 到 9999"},
		{"infinite training hours", func(p *Person) { p.TrainingHours = math.Inf(1) }, FieldTrainingHours, "0 到 9999"},
		{"an unknown gender", func(p *Person) { p.Gender = "M" }, FieldGender, "“男”或“女”"},
		{"a staff number with a tab", func(p *Person) { p.StaffNumber = "RS\t1" }, FieldStaffNumber, "换行或制表符"},
		{"a staff number of 65 characters", func(p *Person) { p.StaffNumber = strings.Repeat("1", 65) }, FieldStaffNumber, "不能超过 64 个字"},
		{"a department of 101 characters", func(p *Person) { p.Department = strings.Repeat("部", 101) }, FieldDepartment, "不能超过 100 个字"},
		{"a note of 1001 characters", func(p *Person) { p.Note = strings.Repeat("注", 1001) }, FieldNote, "不能超过 1000 个字"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := validPerson()
			tt.edit(&p)
			err := p.Validate(today)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate = %v, want nil", err)
				}
				return
			}
			var fe FieldErrors
			if !errors.As(err, &fe) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("Validate = %v, want FieldErrors", err)
			}
			if len(fe) != 1 || !strings.Contains(fe.For(tt.field), tt.problem) {
				t.Errorf("Validate = %v, want only %s：…%s…", err, tt.field, tt.problem)
			}
		})
	}
}

func TestPersonNormalizeTrimsAndMakesTheStaffNumberHalfWidth(t *testing.T) {
	p := Person{StaffNumber: " ＲＳ－００１\u3000", Name: " 李明 ", Department: "办公室 ", Level: " 重要", State: "在岗 ", Note: " 无 "}
	p.Normalize()
	want := Person{StaffNumber: "RS-001", Name: "李明", Department: "办公室", Level: "重要", State: "在岗", Note: "无"}
	if p != want {
		t.Errorf("Normalize = %+v, want %+v", p, want)
	}
}

func TestPersonExitEndCountsTheLevelsPeriodFromTheDayOfLeaving(t *testing.T) {
	left := func(level string, on Date) Person { return Person{Level: level, State: PersonLeft, LeftOn: on} }
	tests := []struct {
		name    string
		p       Person
		periods ExitPeriods
		want    Date
	}{
		{"核心: three years", left(SecrecyCore, NewDate(2026, 3, 1)), DefaultExitPeriods(), NewDate(2029, 3, 1)},
		{"重要: two years", left(SecrecyImportant, NewDate(2026, 3, 1)), DefaultExitPeriods(), NewDate(2028, 3, 1)},
		{"一般: one year", left(SecrecyGeneral, NewDate(2026, 3, 1)), DefaultExitPeriods(), NewDate(2027, 3, 1)},
		{"left on 29 February: the period ends on the last day of February",
			left(SecrecyGeneral, NewDate(2024, 2, 29)), DefaultExitPeriods(), NewDate(2025, 2, 28)},
		{"six months from 31 August end on the last day of February",
			left(SecrecyGeneral, NewDate(2026, 8, 31)), ExitPeriods{GeneralMonths: 6}, NewDate(2027, 2, 28)},
		{"a table set by the unit", left(SecrecyCore, NewDate(2026, 3, 1)), ExitPeriods{CoreMonths: 60}, NewDate(2031, 3, 1)},
		{"no date of leaving", left(SecrecyCore, Date{}), DefaultExitPeriods(), Date{}},
		{"a level without a period", left(SecrecyGeneral, NewDate(2026, 3, 1)), ExitPeriods{CoreMonths: 36}, Date{}},
		{"an unknown level", left("机密", NewDate(2026, 3, 1)), DefaultExitPeriods(), Date{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.ExitEnd(tt.periods); got != tt.want {
				t.Errorf("ExitEnd = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPersonStateOnADayIsInTheExitPeriodUntilItsLastDayThenLeft(t *testing.T) {
	general := Person{Level: SecrecyGeneral, State: PersonLeft, LeftOn: NewDate(2026, 3, 1)} // ends 2027-03-01
	tests := []struct {
		name string
		p    Person
		day  Date
		want string
	}{
		{"on the post", Person{Level: SecrecyCore, State: PersonOnPost}, NewDate(2026, 11, 28), PersonOnPost},
		{"the day of leaving", general, NewDate(2026, 3, 1), PersonInExitPeriod},
		{"within the period", general, NewDate(2026, 11, 28), PersonInExitPeriod},
		{"the last day of the period", general, NewDate(2027, 3, 1), PersonInExitPeriod},
		{"the day after the period", general, NewDate(2027, 3, 2), PersonLeft},
		{"recorded 脱密期中 after the period", func() Person { p := general; p.State = PersonInExitPeriod; return p }(),
			NewDate(2028, 1, 1), PersonLeft},
		{"recorded 离岗 within a 核心 period", Person{Level: SecrecyCore, State: PersonLeft, LeftOn: NewDate(2025, 1, 1)},
			NewDate(2026, 11, 28), PersonInExitPeriod},
		{"left with a level the table has no period for", Person{Level: "机密", State: PersonInExitPeriod, LeftOn: NewDate(2026, 3, 1)},
			NewDate(2026, 3, 2), PersonLeft},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.StateOn(tt.day, DefaultExitPeriods()); got != tt.want {
				t.Errorf("StateOn(%v) = %s, want %s", tt.day, got, tt.want)
			}
		})
	}
}

func TestPersonKeepStoredKeepsIdentityAndCreationTime(t *testing.T) {
	created := time.Date(2026, 1, 2, 9, 0, 0, 0, time.UTC)
	stored := Person{ID: "p1", Name: "李明", Level: SecrecyCore, State: PersonOnPost, CreatedAt: created}
	edit := Person{ID: "forged", Name: "李明明", Level: SecrecyGeneral, State: PersonOnPost, CreatedAt: created.Add(time.Hour)}
	edit.KeepStored(stored)
	if edit.ID != "p1" || !edit.CreatedAt.Equal(created) || edit.Name != "李明明" || edit.Level != SecrecyGeneral {
		t.Errorf("KeepStored = %+v", edit)
	}
}

// The stored JSON of a person leaves out its empty optional fields, so a
// record says only what was entered, and reads back equal.
func TestPersonJSONLeavesOutEmptyOptionalFieldsAndRoundTrips(t *testing.T) {
	tests := []struct {
		name   string
		p      Person
		has    []string
		hasNot []string
	}{
		{"a bare person", Person{ID: "p1", Name: "王芳", Level: SecrecyGeneral, State: PersonOnPost},
			[]string{`"name":"王芳"`, `"level":"一般"`, `"state":"在岗"`},
			[]string{"staffNumber", "gender", "department", "post", "determinedOn", "vettedOn", "vettingResult",
				"trainingHours", "leftOn", "note"}},
		{"a person who left", func() Person { p := validPerson(); p.State, p.LeftOn = PersonLeft, NewDate(2026, 6, 30); return p }(),
			[]string{`"staffNumber":"RS-001"`, `"determinedOn":"2024-03-01"`, `"leftOn":"2026-06-30"`, `"trainingHours":12.5`},
			nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.p)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range tt.has {
				if !strings.Contains(string(b), s) {
					t.Errorf("%s lacks %s", b, s)
				}
			}
			for _, s := range tt.hasNot {
				if strings.Contains(string(b), `"`+s+`"`) {
					t.Errorf("%s has the empty field %s", b, s)
				}
			}
			var back Person
			if err := json.Unmarshal(b, &back); err != nil || back != tt.p {
				t.Errorf("read back %+v, %v; want %+v", back, err, tt.p)
			}
		})
	}
}

func TestHeldProblemNamesTenCarriersThenCountsTheRest(t *testing.T) {
	var held []Carrier
	for i := 1; i <= 12; i++ {
		held = append(held, Carrier{Number: fmt.Sprintf("C-%d", i), Title: "文件"})
	}
	got := HeldProblem(held)
	if !strings.Contains(got, "C-10 文件 等 12 件") || strings.Contains(got, "C-11") || !strings.HasPrefix(got, "仍持有或借用 12 件载体") {
		t.Errorf("HeldProblem = %q", got)
	}
}
