package carriers

import (
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"baomi/data"
	"baomi/data/workspace/wstest"
)

// Given the register of the last session shown from its snapshot while
// the store is checked, the officer can read and search it but change
// nothing; once the checks end (GoLive) everything works on the same
// register.
func TestTheRegisterOfThePreviewIsReadOnlyUntilItGoesLive(t *testing.T) {
	h := newHarness(t, wstest.Carrier("CZJ-2026-0001"), wstest.Carrier("CZJ-2026-0002"), wstest.Carrier("CZJ-2026-0003"))
	list, err := h.ws.Carriers(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	snap := &data.RegisterSnapshot{Head: h.ws.Head(), Unit: wstest.Unit, HasUnit: true, Settings: data.DefaultSettings(), Carriers: list}
	cs := New(h.sh, NewPreview(snap), false, func() { h.changes++ }, h.fingerprint, snap.Carriers)
	h.cs = cs
	h.sh.Show(cs.Content())
	settle(t, h)
	if cs.Live() || cs.Rows() != 3 {
		t.Fatalf("preview: live %v, %d rows", cs.Live(), cs.Rows())
	}
	for _, b := range []*widget.Button{cs.add, cs.importBtn, cs.exportBtn, cs.printReg, cs.printLabels} {
		if !b.Disabled() {
			t.Errorf("button %q enabled while checking", b.Text)
		}
	}
	if !cs.scan.Disabled() {
		t.Error("scan box enabled while checking")
	}
	test.Type(cs.search, "0002")
	if cs.Rows() != 1 {
		t.Errorf("search in the preview found %d", cs.Rows())
	}
	// when the checks end and confirm the register
	cs.GoLive(h.ws, nil, true)
	settle(t, h)
	cs.search.SetText("")
	// then everything works, on the same register
	if !cs.Live() || cs.add.Disabled() || cs.scan.Disabled() || cs.Rows() != 3 {
		t.Fatalf("after the checks: live %v, add disabled %v, %d rows", cs.Live(), cs.add.Disabled(), cs.Rows())
	}
	tapSettled(t, h, cs.add)
	if cs.form == nil || !cs.form.popup.Visible() {
		t.Error("登记 does not open its form once live")
	}
}
