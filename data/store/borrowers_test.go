package store

import (
	"fmt"
	"testing"

	"baomi/data"
	"baomi/data/datatest"
)

func TestPastBorrowersListsEveryLenderOnceLeavingOutVoidedLends(t *testing.T) {
	s := openTest(t, t.TempDir(), testKeys(t), false)
	defer s.Close()
	a, _ := s.AddCarrier(ctx, datatest.NewCarrier("PB-1"))
	b, _ := s.AddCarrier(ctx, datatest.NewCarrier("PB-2"))
	never, _ := s.AddCarrier(ctx, datatest.NewCarrier("PB-3"))
	lend := func(id, who string) data.Event {
		e, err := s.Record(ctx, evt(data.EventLend, id, func(e *data.Event) { e.Borrower, e.Approver, e.DueOn = who, "赵", data.NewDate(2026, 11, 30) }))
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	giveBack := func(id string) {
		if _, err := s.Record(ctx, evt(data.EventReturn, id, func(e *data.Event) { e.CheckedBy, e.Condition = "张保密", "完好" })); err != nil {
			t.Fatal(err)
		}
	}
	// a: lent to 王五, 李四, 王五 again, and now to 陈静
	for _, who := range []string{"王五", "李四", "王五"} {
		lend(a.ID, who)
		giveBack(a.ID)
	}
	lend(a.ID, "陈静")
	// b: a lend to 刘洋 voided as a mistake, then lent to 孙丽
	wrong := lend(b.ID, "刘洋")
	if _, err := s.Record(ctx, evt(data.EventCorrect, b.ID, func(e *data.Event) { e.Voids, e.Reason = wrong.ID, "登记错了载体" })); err != nil {
		t.Fatal(err)
	}
	lend(b.ID, "孙丽")
	got, err := s.PastBorrowers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, id, want string
	}{
		{"in the order they borrowed, each once, the present one too", a.ID, "[王五 李四 陈静]"},
		{"a voided lend left out", b.ID, "[孙丽]"},
		{"never lent", never.ID, "[]"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if s := fmt.Sprint(got[tt.id]); s != tt.want {
				t.Errorf("past borrowers = %s, want %s", s, tt.want)
			}
		})
	}
}

// BenchmarkPastBorrowers10k measures reading who borrowed each of 10,000
// generated carriers (about 30,000 events): the register does it once in
// the background after its rows are shown.
func BenchmarkPastBorrowers10k(b *testing.B) {
	s := openTest(b, b.TempDir(), testKeys(b), false)
	defer s.Close()
	if err := Generate(ctx, s, GenOptions{Carriers: 10000, Seed: 7}, nil); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.PastBorrowers(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
