package store

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"baomi/data"
	"baomi/data/datatest"
)

func TestPersonHistoryRecordsRegistrationAndEachChangedField(t *testing.T) {
	s := openPeopleStore(t)
	p := addPeople(t, s, samplePerson("王芳", "RS-1"))[0]
	edited := p
	edited.Post, edited.TrainingHours, edited.Note = "科长", 10.5, "调任"
	if _, err := s.UpdatePerson(ctx, edited); err != nil {
		t.Fatal(err)
	}
	head := s.Head()
	if _, err := s.UpdatePerson(ctx, edited); err != nil { // saved unchanged
		t.Fatal(err)
	}
	if s.Head().Seq != head.Seq+1 {
		t.Errorf("saving unchanged wrote %d entries, want only the person's", s.Head().Seq-head.Seq)
	}
	events, err := s.PersonEvents(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 2 {
		t.Fatalf("events = %+v, want 登记 and one 修改", events)
	}
	tests := []struct {
		name    string
		got     data.PersonEvent
		id      string
		kind    string
		changes []string
	}{
		{"registration", events[0], p.ID + "/00000001", data.PersonEventRegister, nil},
		{"edit", events[1], p.ID + "/00000002", data.PersonEventEdit,
			[]string{"职务：机要员 → 科长", "培训学时：8 → 10.5", "备注：（空） → 调任"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := tt.got
			if e.ID != tt.id || e.PersonID != p.ID || e.Kind != tt.kind || e.Operator != "张保密" ||
				e.RecordedAt.IsZero() || !reflect.DeepEqual(e.Changes, tt.changes) {
				t.Errorf("event = %+v, want id %s kind %s changes %q", e, tt.id, tt.kind, tt.changes)
			}
		})
	}
}

// leaving is a complete leaving of personID on 2026-11-20.
func leaving(personID string) data.Leaving {
	return data.Leaving{PersonID: personID, On: data.NewDate(2026, 11, 20), ReminderOn: data.NewDate(2026, 11, 21), ReminderBy: "赵主任"}
}

func TestLeavingIsRefusedWhileACarrierIsHeldAndAllowedOnceItIsBack(t *testing.T) {
	tests := []struct {
		name    string
		mod     func(*data.Carrier)             // the carrier as registered
		give    data.Event                      // how it reaches the person, if lent
		back    func(c data.Carrier) data.Event // how it leaves the person's hands
		wantMsg string
	}{
		{"custodian", func(c *data.Carrier) { c.Custodian = "李四" }, data.Event{},
			func(c data.Carrier) data.Event {
				return evt(data.EventHandover, c.ID, func(e *data.Event) { e.ToUnit, e.Approver, e.Courier = "市保密局", "赵主任", "孙八" })
			}, "仍持有或借用 1 件载体（H-1 关于加强保密管理工作的通知）"},
		{"borrower", func(c *data.Carrier) { c.Custodian = "王五" },
			evt(data.EventLend, "", func(e *data.Event) {
				e.Borrower, e.Approver, e.DueOn = "李四", "赵主任", data.NewDate(2026, 11, 30)
			}),
			func(c data.Carrier) data.Event {
				return evt(data.EventReturn, c.ID, func(e *data.Event) { e.CheckedBy, e.Condition = "张保密", "完好" })
			}, "仍持有或借用 1 件载体（H-1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openPeopleStore(t)
			p := addPeople(t, s, samplePerson("李四", ""))[0]
			c := datatest.NewCarrier("H-1")
			tt.mod(&c)
			c, err := s.AddCarrier(ctx, c)
			if err != nil {
				t.Fatal(err)
			}
			if tt.give.Kind != "" {
				tt.give.CarrierID = c.ID
				if _, err := s.Record(ctx, tt.give); err != nil {
					t.Fatal(err)
				}
			}
			head := s.Head()
			_, err = s.Leave(ctx, leaving(p.ID))
			var fe data.FieldErrors
			if !errors.As(err, &fe) || !strings.Contains(fe.For(data.FieldHeldCarriers), tt.wantMsg) {
				t.Fatalf("leave while held = %v, want %q", err, tt.wantMsg)
			}
			if s.Head() != head {
				t.Error("a refused leaving wrote something")
			}
			if got, _ := s.Person(ctx, p.ID); got.State != data.PersonOnPost {
				t.Errorf("state after refusal = %s", got.State)
			}
			if _, err := s.Record(ctx, tt.back(c)); err != nil {
				t.Fatal(err)
			}
			left, err := s.Leave(ctx, leaving(p.ID))
			if err != nil {
				t.Fatalf("leave after the carrier is back: %v", err)
			}
			if left.State != data.PersonInExitPeriod || left.LeftOn != data.NewDate(2026, 11, 20) {
				t.Errorf("left = %+v", left)
			}
		})
	}
}

func TestLeavingWithCarriersHeldNeedsAnApproverAndAReasonAndRecordsThem(t *testing.T) {
	s := openPeopleStore(t)
	p := addPeople(t, s, samplePerson("李四", ""))[0]
	if _, err := s.AddCarrier(ctx, datatest.NewCarrier("H-1")); err != nil { // 责任人 李四
		t.Fatal(err)
	}
	half := leaving(p.ID)
	half.OverrideApprover = "赵主任"
	_, err := s.Leave(ctx, half)
	var fe data.FieldErrors
	if !errors.As(err, &fe) || fe.For(data.FieldReason) == "" {
		t.Fatalf("approver without reason = %v, want a problem on %s", err, data.FieldReason)
	}
	full := half
	full.OverrideReason = "调离本市，载体由王五代管"
	if _, err := s.Leave(ctx, full); err != nil {
		t.Fatal(err)
	}
	events, err := s.PersonEvents(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	last := events[len(events)-1]
	want := data.PersonEvent{Kind: data.PersonEventLeave, On: data.NewDate(2026, 11, 20), Operator: "张保密",
		ReminderOn: data.NewDate(2026, 11, 21), ReminderBy: "赵主任", Approver: "赵主任", Reason: "调离本市，载体由王五代管",
		Held: []string{"H-1 关于加强保密管理工作的通知"}}
	if last.Kind != want.Kind || last.On != want.On || last.Operator != want.Operator || last.ReminderOn != want.ReminderOn ||
		last.ReminderBy != want.ReminderBy || last.Approver != want.Approver || last.Reason != want.Reason ||
		!reflect.DeepEqual(last.Held, want.Held) || len(last.Changes) != 2 {
		t.Errorf("leave event = %+v, want %+v with the state and 离岗日期 changes", last, want)
	}
	if _, err := s.Leave(ctx, full); err == nil || !strings.Contains(data.Message(err), "不能再办理离岗") {
		t.Errorf("leaving twice = %v", err)
	}
}

func TestLeavingStartsTheExitPeriodOfTheLevel(t *testing.T) {
	tests := []struct {
		level string
		end   data.Date
	}{
		{data.SecrecyCore, data.NewDate(2029, 11, 20)},
		{data.SecrecyImportant, data.NewDate(2028, 11, 20)},
		{data.SecrecyGeneral, data.NewDate(2027, 11, 20)},
	}
	for _, tt := range tests {
		t.Run(tt.level, func(t *testing.T) {
			s := openPeopleStore(t)
			p := samplePerson("陈七", "")
			p.Level = tt.level
			p = addPeople(t, s, p)[0]
			left, err := s.Leave(ctx, leaving(p.ID))
			if err != nil {
				t.Fatal(err)
			}
			if left.State != data.PersonInExitPeriod || left.ExitEnd(data.DefaultExitPeriods()) != tt.end {
				t.Errorf("left %s: state %s, 脱密期 ends %v, want %v", tt.level, left.State, left.ExitEnd(data.DefaultExitPeriods()), tt.end)
			}
		})
	}
}

func TestLeavingRefusesMissingDatesAndReminder(t *testing.T) {
	s := openPeopleStore(t)
	p := addPeople(t, s, samplePerson("陈七", ""))[0]
	head := s.Head()
	_, err := s.Leave(ctx, data.Leaving{PersonID: p.ID})
	var fe data.FieldErrors
	if !errors.As(err, &fe) || fe.For(data.FieldLeftOn) == "" || fe.For(data.FieldReminderOn) == "" || fe.For(data.FieldReminderBy) == "" {
		t.Fatalf("empty leaving = %v", err)
	}
	if s.Head() != head {
		t.Error("a refused leaving wrote something")
	}
}
