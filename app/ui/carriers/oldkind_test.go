package carriers

import (
	"testing"

	"baomi/data"
)

// Given a carrier registered as "笔记本" before a laptop had its own kind,
// the register lists it, and its edit form offers it as 涉密笔记本 (the
// paper notebook it is), so that saving an edit needs no new choice.
func TestOldNotebookKindIsListedAndEditedAsPaperNotebook(t *testing.T) {
	old := data.Carrier{Number: "CZJ-2026-0010", Title: "保密工作笔记本", Kind: data.KindNotebookOld, Level: "秘密",
		PeriodYears: 10, Copies: 1, Custodian: "张保密", ReceivedOn: data.NewDate(2026, 11, 8), Source: "本单位"}
	h := newHarness(t, old)
	if n := h.cs.Rows(); n != 1 {
		t.Fatalf("register lists %d rows, want the old notebook", n)
	}
	list, err := h.ws.Carriers(t.Context())
	if err != nil || len(list) != 1 {
		t.Fatalf("carriers: %v, %v", list, err)
	}
	f := newCarrierForm(h.sh, data.DefaultClassifications, list[0], nil, func(data.Carrier, func(error)) {})
	if f.kind.Selected != data.KindNotebook {
		t.Errorf("edit form shows 载体类型 %q, want %q", f.kind.Selected, data.KindNotebook)
	}
	c, errs := f.carrier()
	if len(errs) != 0 {
		t.Fatalf("form errors %v", errs)
	}
	if err := c.Validate(data.DefaultClassifications, data.Today()); err != nil {
		t.Errorf("the edited old notebook does not validate: %v", err)
	}
}
