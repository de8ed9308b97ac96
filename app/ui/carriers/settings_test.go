package carriers

import (
	"testing"

	"baomi/app/ui/kit"
	"baomi/data"
)

// Given a register numbered by the default pattern, the 登记 form suggests
// its next 编号; once the settings give another pattern and 密级 list, a
// form opened afterwards follows them.
func TestTheFormFollowsTheNumberPatternAndLevelListOfTheSettings(t *testing.T) {
	h, d := openRegister(t)
	d.popup.Hide()
	cs := h.cs
	// the first new carrier takes the next serial of the default pattern
	tapSettled(t, h, cs.add)
	want := "CZJ-" + kit.Itoa(data.Today().Time().Year()) + "-0001"
	if data.Today().Time().Year() == 2026 {
		want = "CZJ-2026-0008" // after the registered CZJ-2026-0007
	}
	if got := cs.form.number.Text; got != want {
		t.Fatalf("suggested 编号 = %q, want %q", got, want)
	}
	cs.form.hide()
	// when the settings change (the settings page saves them)
	set, err := h.ws.Settings(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	set.NumberPattern = "密-{序号3}"
	set.Classifications = []data.Classification{{Name: "核心商密", DefaultYears: 10}, {Name: "普通商密", DefaultYears: 5}, {Name: "内部"}}
	if err := h.ws.SaveSettings(t.Context(), set); err != nil {
		t.Fatal(err)
	}
	// then the next form follows them
	tapSettled(t, h, cs.add)
	if got := cs.form.number.Text; got != "密-001" {
		t.Errorf("suggested 编号 = %q, want 密-001", got)
	}
	if got := cs.form.level.Options; len(got) != 3 || got[0] != "核心商密" {
		t.Errorf("level options = %v", got)
	}
}
