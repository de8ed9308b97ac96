package data

import (
	"errors"
	"strings"
	"testing"
)

var evToday = NewDate(2026, 11, 28)

func evCarrier() Carrier {
	return Carrier{ID: "c1", Number: "CZJ-2026-0001", Title: "文件", Kind: KindPaper, Level: "机密",
		PeriodYears: 20, ReceivedOn: NewDate(2026, 3, 5), Copies: 1, Custodian: "李四"}
}

func ev(kind EventKind, id string, mod func(*Event)) Event {
	e := Event{ID: id, CarrierID: "c1", Kind: kind, On: NewDate(2026, 11, 1), Operator: "张保密"}
	if mod != nil {
		mod(&e)
	}
	return e
}

var (
	register = ev(EventRegister, "e0", nil)
	lend     = ev(EventLend, "e1", func(e *Event) {
		e.Borrower, e.Approver, e.DueOn = "王五", "赵主任", NewDate(2026, 11, 10)
	})
	ret     = ev(EventReturn, "e2", func(e *Event) { e.CheckedBy = "张保密" })
	destroy = ev(EventDestroy, "e3", func(e *Event) {
		e.Method, e.Place, e.Approver, e.Witness = "粉碎", "保密室", "赵主任", "钱七"
	})
	handover = ev(EventHandover, "e4", func(e *Event) { e.ToUnit, e.Approver = "市保密局", "赵主任" })
)

func TestEventRulesRefuseWithAReason(t *testing.T) {
	tests := []struct {
		name    string
		history []Event
		e       Event
		field   string // a FieldErrors problem on this field, or
		msg     string // a refusal whose message contains this
	}{
		{"lending what is lent", []Event{register, lend}, lend, "", "当前状态为“借出”，不能借阅"},
		{"lending what is destroyed", []Event{register, destroy}, lend, "", "当前状态为“已销毁”，不能借阅"},
		{"lending what is handed over", []Event{register, handover}, lend, "", "当前状态为“已移交”，不能借阅"},
		{"returning what is not lent", []Event{register}, ret, "", "未借出，不能归还"},
		{"destroying what is lent", []Event{register, lend}, destroy, "", "须先归还再销毁"},
		{"destroying twice", []Event{register, destroy}, destroy, "", "不能销毁"},
		{"witness equal to operator", []Event{register}, ev(EventDestroy, "x", func(e *Event) {
			e.Method, e.Place, e.Approver, e.Witness = "粉碎", "保密室", "赵主任", "张保密"
		}), FieldWitness, ""},
		{"destroy without witness", []Event{register}, ev(EventDestroy, "x", func(e *Event) {
			e.Method, e.Place, e.Approver = "粉碎", "保密室", "赵主任"
		}), FieldWitness, ""},
		{"lend without borrower", []Event{register}, ev(EventLend, "x", func(e *Event) { e.Approver, e.DueOn = "赵", NewDate(2026, 11, 9) }), FieldBorrower, ""},
		{"due before lending", []Event{register}, ev(EventLend, "x", func(e *Event) {
			e.Borrower, e.Approver, e.DueOn = "王五", "赵", NewDate(2026, 10, 1)
		}), FieldDueOn, ""},
		{"event in the future", []Event{register}, ev(EventStocktake, "x", func(e *Event) { e.On = NewDate(2026, 12, 1) }), FieldEventDate, ""},
		{"event before receipt", []Event{register}, ev(EventStocktake, "x", func(e *Event) { e.On = NewDate(2026, 1, 1) }), FieldEventDate, ""},
		{"change to an unknown level", []Event{register}, ev(EventChange, "x", func(e *Event) { e.Approver, e.Reason, e.NewLevel = "赵", "调整", "超密" }), FieldNewLevel, ""},
		{"change without approver", []Event{register}, ev(EventChange, "x", func(e *Event) { e.Reason, e.NewLevel = "调整", "秘密" }), FieldApprover, ""},
		{"copy without count", []Event{register}, ev(EventCopy, "x", func(e *Event) { e.Approver = "赵" }), FieldCopyCount, ""},
		{"copy of a destroyed carrier", []Event{register, destroy}, ev(EventCopy, "x", func(e *Event) { e.Approver, e.CopyCount = "赵", 1 }), "", "不能复制"},
		{"copy with another level", []Event{register}, ev(EventCopy, "x", func(e *Event) { e.Approver, e.CopyCount, e.NewLevel = "赵", 1, "秘密" }), FieldNewLevel, ""},
		{"correcting a copy", []Event{register, ev(EventCopy, "cp", func(e *Event) { e.Approver, e.CopyCount = "赵", 1 })},
			ev(EventCorrect, "x", func(e *Event) { e.Voids, e.Reason = "cp", "录错" }), FieldVoids, ""},
		{"circulate without readers", []Event{register}, ev(EventCirculate, "x", nil), FieldReaders, ""},
		{"handover without unit", []Event{register}, ev(EventHandover, "x", func(e *Event) { e.Approver = "赵" }), FieldToUnit, ""},
		{"stocktake of a destroyed carrier", []Event{register, destroy}, ev(EventStocktake, "x", nil), "", "不在清点范围内"},
		{"correcting an unknown event", []Event{register}, ev(EventCorrect, "x", func(e *Event) { e.Voids, e.Reason = "nope", "录错" }), FieldVoids, ""},
		{"correcting the registration", []Event{register}, ev(EventCorrect, "x", func(e *Event) { e.Voids, e.Reason = "e0", "录错" }), FieldVoids, ""},
		{"correcting twice", []Event{register, lend, ev(EventCorrect, "c", func(e *Event) { e.Voids, e.Reason = "e1", "录错" })},
			ev(EventCorrect, "x", func(e *Event) { e.Voids, e.Reason = "e1", "录错" }), FieldVoids, ""},
		{"registering twice", []Event{register}, register, "", "已经登记"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckEvent(evCarrier(), tt.history, tt.e, DefaultClassifications, evToday)
			if err == nil {
				t.Fatal("allowed")
			}
			if tt.field != "" {
				var fe FieldErrors
				if !errors.As(err, &fe) || fe.For(tt.field) == "" {
					t.Fatalf("err = %v, want a problem on %s", err, tt.field)
				}
				return
			}
			if !errors.Is(err, ErrConflict) || !strings.Contains(Message(err), tt.msg) {
				t.Fatalf("message = %q, want %q (err %v)", Message(err), tt.msg, err)
			}
		})
	}
}

func TestEveryEventKindIsAllowedInTheRightState(t *testing.T) {
	tests := []struct {
		name    string
		history []Event
		e       Event
		state   string
	}{
		{"register", nil, register, StateHeld},
		{"lend", []Event{register}, lend, StateLent},
		{"return", []Event{register, lend}, ret, StateHeld},
		{"circulate", []Event{register}, ev(EventCirculate, "x", func(e *Event) {
			e.Readers = []Reader{{"甲", NewDate(2026, 11, 2)}, {"乙", NewDate(2026, 11, 3)}}
		}), StateHeld},
		{"copy", []Event{register}, ev(EventCopy, "x", func(e *Event) { e.Approver, e.CopyCount = "赵", 2 }), StateHeld},
		{"handover", []Event{register}, handover, StateHandedOver},
		{"stocktake found", []Event{register}, ev(EventStocktake, "x", func(e *Event) { e.Found = true }), StateHeld},
		{"change", []Event{register}, ev(EventChange, "x", func(e *Event) { e.Approver, e.Reason, e.NewLevel, e.NewPeriodYears = "赵", "调整", "秘密", 10 }), StateHeld},
		{"declassify", []Event{register}, ev(EventDeclassify, "x", func(e *Event) { e.Approver, e.Reason = "赵", "期满" }), StateDeclassified},
		{"destroy", []Event{register}, destroy, StateDestroyed},
		{"correct a lend", []Event{register, lend}, ev(EventCorrect, "x", func(e *Event) { e.Voids, e.Reason = "e1", "录错" }), StateHeld},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := CheckEvent(evCarrier(), tt.history, tt.e, DefaultClassifications, evToday); err != nil {
				t.Fatalf("refused: %v", err)
			}
			if got := Derive(append(tt.history, tt.e)).State; got != tt.state {
				t.Errorf("state after %s = %s, want %s", tt.e.Kind.Chinese(), got, tt.state)
			}
		})
	}
}

func TestDeriveTracksLoansAndStocktakes(t *testing.T) {
	l := Derive([]Event{register, lend})
	if l.Borrower != "王五" || !l.Overdue(evToday) || l.Overdue(NewDate(2026, 11, 10)) {
		t.Errorf("loan: %+v", l)
	}
	missing := ev(EventStocktake, "s1", func(e *Event) { e.On = NewDate(2026, 11, 20) })
	found := ev(EventStocktake, "s2", func(e *Event) { e.On, e.Found = NewDate(2026, 11, 21), true })
	if l := Derive([]Event{register, missing}); !l.Missing {
		t.Errorf("missing not flagged: %+v", l)
	}
	if l := Derive([]Event{register, missing, found}); l.Missing || l.LastSeen != NewDate(2026, 11, 21) {
		t.Errorf("found again: %+v", l)
	}
}

func TestSummaryAndAllowedEvents(t *testing.T) {
	if s := lend.Summary(); !strings.Contains(s, "借阅人：王五") || !strings.Contains(s, "应还：2026年11月10日") || !strings.Contains(s, "批准人：赵主任") {
		t.Errorf("lend summary = %q", s)
	}
	if s := destroy.Summary(); !strings.Contains(s, "监销人：钱七") {
		t.Errorf("destroy summary = %q", s)
	}
	for _, st := range []string{StateHeld, StateLent, StateDeclassified} {
		for _, k := range AllowedEvents(st) {
			h := []Event{register}
			switch st {
			case StateLent:
				h = append(h, lend)
			case StateDeclassified:
				h = append(h, ev(EventDeclassify, "d", func(e *Event) { e.Approver, e.Reason = "赵", "期满" }))
			}
			if Derive(h).State != st {
				t.Fatalf("history does not give %s", st)
			}
			// an allowed kind is never refused for the state alone
			err := CheckEvent(evCarrier(), h, ev(k, "x", nil), DefaultClassifications, evToday)
			var ue *UserError
			if errors.As(err, &ue) {
				t.Errorf("%s offered in state %s but refused: %v", k.Chinese(), st, err)
			}
		}
	}
	if len(AllowedEvents(StateDestroyed)) != 0 || len(AllowedEvents(StateHandedOver)) != 0 {
		t.Error("steps offered for a carrier that is gone")
	}
}
