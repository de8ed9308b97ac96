package store

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"baomi/data"
	"baomi/data/datatest"
)

func evt(kind data.EventKind, carrierID string, mod func(*data.Event)) data.Event {
	e := data.Event{CarrierID: carrierID, Kind: kind, On: data.NewDate(2026, 11, 20), Operator: "张保密"}
	if mod != nil {
		mod(&e)
	}
	return e
}

func TestEveryEventKindIsStoredAuditedAndChangesTheCarrier(t *testing.T) {
	s := openTest(t, t.TempDir(), testKeys(t), false)
	defer s.Close()
	c, err := s.AddCarrier(ctx, datatest.NewCarrier("L-1"))
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		e     data.Event
		check func(t *testing.T, c data.Carrier, e data.Event)
	}{
		{evt(data.EventLend, c.ID, func(e *data.Event) {
			e.Borrower, e.Approver, e.DueOn = "王五", "赵主任", data.NewDate(2026, 11, 25)
		}),
			func(t *testing.T, c data.Carrier, _ data.Event) {
				if c.State != data.StateLent || c.Borrower != "王五" || c.DueOn != data.NewDate(2026, 11, 25) {
					t.Errorf("after lend: %+v", c)
				}
			}},
		{evt(data.EventReturn, c.ID, func(e *data.Event) { e.CheckedBy, e.Condition = "张保密", "完好" }),
			func(t *testing.T, c data.Carrier, _ data.Event) {
				if c.State != data.StateHeld || c.Borrower != "" {
					t.Errorf("after return: %+v", c)
				}
			}},
		{evt(data.EventCirculate, c.ID, func(e *data.Event) {
			e.Readers = []data.Reader{{Name: "甲", On: data.NewDate(2026, 11, 20)}, {Name: "乙", On: data.NewDate(2026, 11, 21)}}
		}), nil},
		{evt(data.EventStocktake, c.ID, func(e *data.Event) { e.Found = false }),
			func(t *testing.T, c data.Carrier, _ data.Event) {
				if !c.Missing {
					t.Errorf("missing not flagged: %+v", c)
				}
			}},
		{evt(data.EventStocktake, c.ID, func(e *data.Event) { e.Found, e.On = true, data.NewDate(2026, 11, 21) }),
			func(t *testing.T, c data.Carrier, _ data.Event) {
				if c.Missing || c.LastSeen != data.NewDate(2026, 11, 21) {
					t.Errorf("found again: %+v", c)
				}
			}},
		{evt(data.EventChange, c.ID, func(e *data.Event) {
			e.Approver, e.Reason, e.NewLevel, e.NewPeriodYears = "定密责任人", "降低密级", "秘密", 10
		}), func(t *testing.T, c data.Carrier, e data.Event) {
			if c.Level != "秘密" || c.Mark() != "秘密★10年" || e.OldMark != "机密★20年" {
				t.Errorf("after change: %s, old mark %q", c.Mark(), e.OldMark)
			}
		}},
		{evt(data.EventCopy, c.ID, func(e *data.Event) { e.Approver, e.CopyCount = "赵主任", 2 }),
			func(t *testing.T, c data.Carrier, e data.Event) {
				if len(e.CopyIDs) != 2 {
					t.Fatalf("copies: %v", e.CopyIDs)
				}
				for i, id := range e.CopyIDs {
					cp, err := s.Carrier(ctx, id)
					if err != nil {
						t.Fatal(err)
					}
					if cp.CopyOf != c.ID || cp.Mark() != c.Mark() || cp.Number != c.Number+"-F"+strconv.Itoa(i+1) || cp.State != data.StateHeld {
						t.Errorf("copy %d: %+v", i, cp)
					}
					evs, _ := s.Events(ctx, id)
					if len(evs) != 1 || evs[0].Kind != data.EventRegister {
						t.Errorf("copy %d events: %+v", i, evs)
					}
				}
			}},
		{evt(data.EventDeclassify, c.ID, func(e *data.Event) { e.Approver, e.Reason = "定密责任人", "保密期限届满" }),
			func(t *testing.T, c data.Carrier, _ data.Event) {
				if c.State != data.StateDeclassified {
					t.Errorf("after declassify: %s", c.State)
				}
			}},
	}
	for _, st := range steps {
		t.Run(string(st.e.Kind), func(t *testing.T) {
			before := s.Head()
			got, err := s.Record(ctx, st.e)
			if err != nil {
				t.Fatalf("record %s: %v", st.e.Kind.Chinese(), err)
			}
			if got.ID == "" || got.RecordedAt.IsZero() || s.Head().Seq <= before.Seq {
				t.Errorf("event not stored with id, time and audit: %+v", got)
			}
			stored, _ := s.Carrier(ctx, c.ID)
			if st.check != nil {
				st.check(t, stored, got)
			}
		})
	}
	evs, err := s.Events(ctx, c.ID)
	if err != nil || len(evs) != len(steps)+1 || evs[0].Kind != data.EventRegister {
		t.Fatalf("events: %d, %v", len(evs), err)
	}
	if _, err := s.Verify(ctx); err != nil {
		t.Errorf("verify: %v", err)
	}
}

func TestHandoverDestroyAndCorrection(t *testing.T) {
	s := openTest(t, t.TempDir(), testKeys(t), false)
	defer s.Close()
	a, _ := s.AddCarrier(ctx, datatest.NewCarrier("H-1"))
	b, _ := s.AddCarrier(ctx, datatest.NewCarrier("H-2"))
	if _, err := s.Record(ctx, evt(data.EventHandover, a.ID, func(e *data.Event) { e.ToUnit, e.Approver, e.Courier = "市保密局", "赵主任", "孙八" })); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Carrier(ctx, a.ID); got.State != data.StateHandedOver {
		t.Errorf("handed over: %s", got.State)
	}
	lend, err := s.Record(ctx, evt(data.EventLend, b.ID, func(e *data.Event) { e.Borrower, e.Approver, e.DueOn = "王五", "赵", data.NewDate(2026, 11, 30) }))
	if err != nil {
		t.Fatal(err)
	}
	// a lend recorded by mistake is voided, not deleted
	if _, err := s.Record(ctx, evt(data.EventCorrect, b.ID, func(e *data.Event) { e.Voids, e.Reason = lend.ID, "借阅登记错了载体" })); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Carrier(ctx, b.ID); got.State != data.StateHeld {
		t.Errorf("after correction: %s", got.State)
	}
	evs, _ := s.Events(ctx, b.ID)
	if len(evs) != 3 || len(data.Active(evs)) != 1 {
		t.Errorf("history rewritten: %d events, %d active", len(evs), len(data.Active(evs)))
	}
	if _, err := s.Record(ctx, evt(data.EventDestroy, b.ID, func(e *data.Event) {
		e.Method, e.Place, e.Approver, e.Witness = "粉碎", "保密室", "赵主任", "钱七"
	})); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Carrier(ctx, b.ID); got.State != data.StateDestroyed {
		t.Errorf("destroyed: %s", got.State)
	}
}

func TestRefusedEventWritesNothing(t *testing.T) {
	s := openTest(t, t.TempDir(), testKeys(t), false)
	defer s.Close()
	c, _ := s.AddCarrier(ctx, datatest.NewCarrier("R-1"))
	head := s.Head()
	tests := []struct {
		name string
		e    data.Event
		want string
	}{
		{"return what is not lent", evt(data.EventReturn, c.ID, func(e *data.Event) { e.CheckedBy = "张" }), "未借出，不能归还"},
		{"witness is the operator", evt(data.EventDestroy, c.ID, func(e *data.Event) {
			e.Method, e.Place, e.Approver, e.Witness = "粉碎", "保密室", "赵主任", "张保密"
		}), "监销人不能与经办人为同一人"},
		{"copy with another level", evt(data.EventCopy, c.ID, func(e *data.Event) { e.Approver, e.CopyCount, e.NewLevel = "赵", 1, "秘密" }), "必须保持原件的密级"},
		{"unknown carrier", evt(data.EventLend, "nope", nil), "记录不存在"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Record(ctx, tt.e)
			if err == nil || !strings.Contains(data.Message(err), tt.want) {
				t.Fatalf("err = %v (message %q), want %q", err, data.Message(err), tt.want)
			}
		})
	}
	if s.Head() != head {
		t.Error("a refused event wrote something")
	}
	if _, err := s.Record(ctx, evt(data.EventLend, c.ID, func(e *data.Event) { e.Borrower, e.Approver, e.DueOn = "王", "赵", data.NewDate(2026, 11, 30) })); err != nil {
		t.Fatal(err)
	}
	_, err := s.Record(ctx, evt(data.EventLend, c.ID, func(e *data.Event) { e.Borrower, e.Approver, e.DueOn = "李", "赵", data.NewDate(2026, 11, 30) }))
	if !errors.Is(err, data.ErrConflict) || !strings.Contains(data.Message(err), "不能借阅") {
		t.Errorf("lending what is lent: %v", err)
	}
}

func TestEventsSurviveRestart(t *testing.T) {
	dir, keys := t.TempDir(), testKeys(t)
	s := openTest(t, dir, keys, false)
	c, _ := s.AddCarrier(ctx, datatest.NewCarrier("P-1"))
	e, err := s.Record(ctx, evt(data.EventLend, c.ID, func(e *data.Event) {
		e.Borrower, e.Approver, e.DueOn, e.Note = "王五", "赵", data.NewDate(2026, 11, 30), "阅后即还"
	}))
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = openTest(t, dir, keys, true)
	defer s.Close()
	evs, err := s.Events(ctx, c.ID)
	if err != nil || len(evs) != 2 || !sameJSON(evs[1], e) {
		t.Fatalf("after restart: %+v, %v", evs, err)
	}
}

func TestRecordBatchChecksEverythingFirstThenWritesInChunks(t *testing.T) {
	s := openTest(t, t.TempDir(), testKeys(t), false)
	defer s.Close()
	var ids []string
	for i := 0; i < 450; i++ {
		c, err := s.AddCarrier(ctx, datatest.NewCarrier(fmt.Sprintf("B-%04d", i)))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	// a batch whose last item is refused writes nothing
	head := s.Head()
	var bad []data.Event
	for _, id := range ids[:10] {
		bad = append(bad, evt(data.EventStocktake, id, func(e *data.Event) { e.Found = true }))
	}
	bad = append(bad, evt(data.EventReturn, ids[3], func(e *data.Event) { e.CheckedBy = "张" }))
	_, err := s.RecordBatch(ctx, bad, nil)
	var be *BatchError
	if !errors.As(err, &be) || be.Index != 10 || be.Number != "B-0003" || !strings.Contains(data.Message(err), "未借出") {
		t.Fatalf("refused batch: %v", err)
	}
	if s.Head() != head {
		t.Fatal("a refused batch wrote something")
	}
	// a stocktake of 450 carriers, two missing, is written in three chunks
	var batch []data.Event
	for i, id := range ids {
		batch = append(batch, evt(data.EventStocktake, id, func(e *data.Event) { e.Found = i != 7 && i != 300; e.Stocktake = "st1" }))
	}
	var calls []int
	got, err := s.RecordBatch(ctx, batch, func(done, total int) { calls = append(calls, done) })
	if err != nil || len(got) != 450 {
		t.Fatalf("stocktake batch: %d, %v", len(got), err)
	}
	if fmt.Sprint(calls) != "[200 400 450]" {
		t.Errorf("progress = %v", calls)
	}
	list, _ := s.Carriers(ctx)
	missing := 0
	for _, c := range list {
		if c.Missing {
			missing++
		}
	}
	if missing != 2 {
		t.Errorf("%d missing, want 2", missing)
	}
	if _, err := s.Verify(ctx); err != nil {
		t.Errorf("verify: %v", err)
	}
}
