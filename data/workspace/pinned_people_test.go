package workspace

import (
	"testing"

	"baomi/data"
	"baomi/data/vault"
)

// A data folder written before the person kind existed opens unchanged
// with no people in it, and today's code adds one to its chain.
func TestPinnedFolderOfNovember2026HasNoPeopleAndTakesOne(t *testing.T) {
	dir := copyPinned(t, pinnedNov2026)
	ws, err := Unlock(dir, pinnedPassword, Config{KDF: vault.InsecureTestParams, NoGuard: true})
	if err != nil {
		t.Fatalf("unlock: %v", err)
	}
	defer ws.Close()
	ctx := t.Context()
	if people, err := ws.People(ctx); err != nil || len(people) != 0 {
		t.Fatalf("the pinned folder lists %d people, %v; want none", len(people), err)
	}
	p, err := ws.AddPerson(ctx, data.Person{Name: "张保密", StaffNumber: "CZJ-001", Level: data.SecrecyCore, State: data.PersonOnPost})
	if err != nil {
		t.Fatal(err)
	}
	// two entries: the person and the 登记 of its history
	rep, err := ws.Verify(ctx)
	if err != nil || rep.Head.Seq != pinnedNov2026Seq+2 || rep.Records == 0 {
		t.Errorf("verify after adding a person: %+v, %v; want head #%d", rep, err, pinnedNov2026Seq+2)
	}
	if got, err := ws.Person(ctx, p.ID); err != nil || got.Name != "张保密" {
		t.Errorf("the person added: %+v, %v", got, err)
	}
}
