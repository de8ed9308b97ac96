package workspace

import (
	"testing"

	"baomi/data"
	"baomi/data/vault"
)

// Given the pinned folder of November 2026, whose paper notebook was
// registered as "笔记本" before a laptop had its own kind, the record
// opens as stored (no migration), counts as a 涉密笔记本 for the 类型
// filter, and can still be saved: an edit that keeps its kind is valid.
func TestOldNotebookRecordsOpenUnchangedAndCountAsPaperNotebooks(t *testing.T) {
	dir := copyPinned(t, pinnedNov2026)
	ws, err := Unlock(dir, pinnedPassword, Config{KDF: vault.InsecureTestParams, NoGuard: true})
	if err != nil {
		t.Fatalf("unlock: %v", err)
	}
	defer ws.Close()
	ctx := t.Context()
	c, err := ws.CarrierByNumber(ctx, "CZJ-2026-0010")
	if err != nil {
		t.Fatal(err)
	}
	if c.Kind != data.KindNotebookOld {
		t.Fatalf("stored kind %q, want %q as written", c.Kind, data.KindNotebookOld)
	}
	if got := data.CanonicalKind(c.Kind); got != data.KindNotebook || data.IsDeviceKind(got) {
		t.Errorf("old notebook means %q (device %v), want the paper %q", got, data.IsDeviceKind(got), data.KindNotebook)
	}
	list, err := ws.Carriers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	reg := data.NewRegister(list)
	for _, kind := range []string{data.KindNotebook, data.KindNotebookOld} {
		found := reg.Find(data.Filter{Kind: kind}, data.SortNumber, false)
		if len(found) != 1 || found[0].Number != "CZJ-2026-0010" {
			t.Errorf("filter 类型 %s finds %d carriers, want the old notebook", kind, len(found))
		}
	}
	if n := len(reg.Find(data.Filter{Kind: data.KindLaptop}, data.SortNumber, false)); n != 0 {
		t.Errorf("filter 笔记本电脑 finds %d carriers, want none: the old notebook is paper", n)
	}
	c.Note = "交接时核对"
	saved, err := ws.UpdateCarrier(ctx, c)
	if err != nil {
		t.Fatalf("saving the old notebook with its kind: %v", err)
	}
	if saved.Kind != data.KindNotebookOld {
		t.Errorf("saved kind %q, want it kept", saved.Kind)
	}
}

func TestCarrierKindsOfferLaptopAndPaperNotebookNotTheAmbiguousName(t *testing.T) {
	offered := map[string]bool{}
	for _, k := range data.CarrierKinds {
		offered[k] = true
	}
	for _, tc := range []struct {
		kind    string
		offered bool
		device  bool
	}{
		{data.KindLaptop, true, true},
		{data.KindNotebook, true, false},
		{data.KindNotebookOld, false, false},
	} {
		if offered[tc.kind] != tc.offered || data.IsDeviceKind(tc.kind) != tc.device {
			t.Errorf("%s: offered %v device %v, want %v %v", tc.kind, offered[tc.kind], data.IsDeviceKind(tc.kind), tc.offered, tc.device)
		}
	}
}
