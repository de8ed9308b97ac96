package store

import (
	"errors"
	"fmt"
	"sort"
	"testing"

	"baomi/data"
	"baomi/data/datatest"
)

func TestImportAddsUpdatesAndRefuses(t *testing.T) {
	s := openTest(t, t.TempDir(), testKeys(t), false)
	defer s.Close()
	old, _ := s.AddCarrier(ctx, datatest.NewCarrier("I-0"))
	if _, err := s.Record(ctx, evt(data.EventLend, old.ID, func(e *data.Event) { e.Borrower, e.Approver, e.DueOn = "王", "赵", data.NewDate(2026, 12, 1) })); err != nil {
		t.Fatal(err)
	}
	var adds []data.Carrier
	for i := 1; i <= 600; i++ {
		adds = append(adds, datatest.NewCarrier(fmt.Sprintf("I-%d", i)))
	}
	bad := datatest.NewCarrier("I-BAD")
	bad.Title = ""
	clash := datatest.NewCarrier("I-0")
	adds = append(adds, bad, clash)
	upd := old
	upd.Location, upd.State = "保密柜9号", data.StateDestroyed
	// all or nothing: two refusals, nothing written
	head := s.Head()
	_, refused, err := s.Import(ctx, adds, []data.Carrier{upd}, true, nil)
	if !errors.Is(err, data.ErrInvalid) || len(refused) != 2 || s.Head() != head {
		t.Fatalf("all-or-nothing: %v, %d refused, head moved %v", err, len(refused), s.Head() != head)
	}
	// otherwise the good ones go in
	// 601 rows take at least three chunks of at most 250; progress is told
	// after each, ending at 601 of 601
	var calls, last, lastTotal int
	res, refused, err := s.Import(ctx, adds, []data.Carrier{upd}, false, func(done, total int) {
		if done <= last {
			t.Errorf("progress went from %d to %d", last, done)
		}
		calls, last, lastTotal = calls+1, done, total
	})
	if err != nil || res.Added != 600 || res.Updated != 1 || len(refused) != 2 || calls < 3 || last != 601 || lastTotal != 601 {
		t.Fatalf("import: %+v, %d refused, %d progress calls ending at %d of %d, %v", res, len(refused), calls, last, lastTotal, err)
	}
	if _, ok := refused["I-BAD"]; !ok {
		t.Errorf("refused: %v", refused)
	}
	got, _ := s.Carrier(ctx, old.ID)
	if got.Location != "保密柜9号" || got.State != data.StateLent {
		t.Errorf("update changed derived state or lost the field: %+v", got)
	}
	if c, err := s.CarrierByNumber(ctx, "I-600"); err != nil || c.State != data.StateHeld {
		t.Errorf("imported carrier: %+v %v", c, err)
	}
	if evs, _ := s.Events(ctx, got.ID); len(evs) != 2 {
		t.Errorf("update added events: %d", len(evs))
	}
	if _, err := s.Verify(ctx); err != nil {
		t.Errorf("verify: %v", err)
	}
}

// TestImportChecksEveryNumberAgainstTheRegisterAndTheBatch covers the 编号
// checks Import makes by index lookups instead of loading the register:
// clashes with stored carriers and within the batch, numbers a batch frees
// by renumbering, and updates of carriers that are not there. After each
// import the index must still match the register (Verify).
func TestImportChecksEveryNumberAgainstTheRegisterAndTheBatch(t *testing.T) {
	type upd struct {
		of     string // the stored carrier's 编号, or "" for an unknown ID
		number string // its 编号 in the batch
	}
	for _, tc := range []struct {
		name        string
		stored      []string
		adds        []string
		updates     []upd
		wantRefused []string
		wantNumbers []string // the register's 编号 after the import, sorted
	}{
		{name: "an added 编号 already stored is refused",
			stored: []string{"A"}, adds: []string{"A", "B"},
			wantRefused: []string{"A"}, wantNumbers: []string{"A", "B"}},
		{name: "the second of two rows with one 编号 is refused",
			adds: []string{"A", "A", "B"}, wantRefused: []string{"A"}, wantNumbers: []string{"A", "B"}},
		{name: "an update may keep its own 编号",
			stored: []string{"A"}, updates: []upd{{"A", "A"}}, wantNumbers: []string{"A"}},
		{name: "an update may not take another stored carrier's 编号",
			stored: []string{"A", "B"}, updates: []upd{{"A", "B"}}, wantRefused: []string{"B"}, wantNumbers: []string{"A", "B"}},
		{name: "a 编号 freed by an earlier update can be taken by a later one",
			stored: []string{"A", "C"}, updates: []upd{{"A", "B"}, {"C", "A"}}, wantNumbers: []string{"A", "B"}},
		{name: "a swap needs a free 编号 and is refused",
			stored: []string{"A", "B"}, updates: []upd{{"A", "B"}, {"B", "A"}}, wantRefused: []string{"A", "B"}, wantNumbers: []string{"A", "B"}},
		{name: "adds are checked before updates free a 编号",
			stored: []string{"A"}, adds: []string{"A"}, updates: []upd{{"A", "B"}}, wantRefused: []string{"A"}, wantNumbers: []string{"B"}},
		{name: "an update takes a 编号 an add of the batch has",
			adds: []string{"N"}, stored: []string{"A"}, updates: []upd{{"A", "N"}}, wantRefused: []string{"N"}, wantNumbers: []string{"A", "N"}},
		{name: "an update of a carrier that is not there is refused",
			updates: []upd{{"", "Z"}}, wantRefused: []string{"Z"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := openTest(t, t.TempDir(), testKeys(t), false)
			defer s.Close()
			byNumber := map[string]data.Carrier{}
			for _, n := range tc.stored {
				c, err := s.AddCarrier(ctx, datatest.NewCarrier(n))
				if err != nil {
					t.Fatal(err)
				}
				byNumber[n] = c
			}
			var adds, updates []data.Carrier
			for _, n := range tc.adds {
				adds = append(adds, datatest.NewCarrier(n))
			}
			for _, u := range tc.updates {
				c := datatest.NewCarrier(u.number)
				c.ID = newID()
				if u.of != "" {
					c = byNumber[u.of]
					c.Number = u.number
				}
				updates = append(updates, c)
			}
			_, refused, err := s.Import(ctx, adds, updates, false, nil)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for n := range refused {
				got = append(got, n)
			}
			sort.Strings(got)
			if fmt.Sprint(got) != fmt.Sprint(tc.wantRefused) {
				t.Errorf("refused %v, want %v", got, tc.wantRefused)
			}
			list, err := s.Carriers(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var numbers []string
			for _, c := range list {
				numbers = append(numbers, c.Number)
			}
			sort.Strings(numbers)
			if fmt.Sprint(numbers) != fmt.Sprint(tc.wantNumbers) {
				t.Errorf("register %v, want %v", numbers, tc.wantNumbers)
			}
			if _, err := s.Verify(ctx); err != nil {
				t.Errorf("verify after the import: %v", err)
			}
		})
	}
}
