package store

import (
	"errors"
	"fmt"
	"testing"

	"baomi/data"
)

func TestImportAddsUpdatesAndRefuses(t *testing.T) {
	s := openTest(t, t.TempDir(), testKeys(t), false)
	defer s.Close()
	old, _ := s.AddCarrier(ctx, sampleCarrier("I-0"))
	if _, err := s.Record(ctx, evt(data.EventLend, old.ID, func(e *data.Event) { e.Borrower, e.Approver, e.DueOn = "王", "赵", data.NewDate(2026, 12, 1) })); err != nil {
		t.Fatal(err)
	}
	var adds []data.Carrier
	for i := 1; i <= 600; i++ {
		adds = append(adds, sampleCarrier(fmt.Sprintf("I-%d", i)))
	}
	bad := sampleCarrier("I-BAD")
	bad.Title = ""
	clash := sampleCarrier("I-0")
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
	var calls int
	res, refused, err := s.Import(ctx, adds, []data.Carrier{upd}, false, func(done, total int) { calls++ })
	if err != nil || res.Added != 600 || res.Updated != 1 || len(refused) != 2 || calls != 3 {
		t.Fatalf("import: %+v, %d refused, %d progress calls, %v", res, len(refused), calls, err)
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
