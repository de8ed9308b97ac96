package datatest

import (
	"strings"
	"testing"

	"baomi/data"
)

// fixtureDay is a day the sample carriers are checked against.
var fixtureDay = data.NewDate(2026, 12, 31)

// TestCarriersAreValidUniqueAndVaried checks what tests of the documents
// and spreadsheets rely on: every sample carrier valid, its 编号 and ID
// its own, and every kind, every way of giving a 保密期限, a device
// serial, a line break in 备注 and a lent carrier among the first 40.
func TestCarriersAreValidUniqueAndVaried(t *testing.T) {
	cs := Carriers(40)
	numbers, ids := map[string]bool{}, map[string]bool{}
	seen := map[string]bool{}
	for i, c := range cs {
		if c != Carrier(i) {
			t.Fatalf("Carriers(40)[%d] is not Carrier(%d)", i, i)
		}
		if err := c.Validate(data.DefaultClassifications, fixtureDay); err != nil {
			t.Errorf("%s is not valid: %v", c.Number, err)
		}
		if numbers[c.Number] || ids[c.ID] || c.ID == "" || !strings.HasPrefix(c.Number, NumberPrefix) {
			t.Errorf("carrier %d: 编号 %q, ID %q repeated, empty or unprefixed", i, c.Number, c.ID)
		}
		numbers[c.Number], ids[c.ID] = true, true
		seen["kind "+c.Kind] = true
		seen["mark "+c.Mark()] = true
		seen["serial"] = seen["serial"] || c.Serial != ""
		seen["line break"] = seen["line break"] || strings.Contains(c.Note, "\n")
		seen["long note"] = seen["long note"] || c.Note == LongNote
		seen["lent"] = seen["lent"] || (c.State == data.StateLent && c.Borrower == Borrower)
	}
	want := []string{"serial", "line break", "long note", "lent",
		"mark 机密★20年", "mark 秘密★10年", "mark 秘密★2035年12月31日", "mark 绝密★项目验收后", "mark 内部"}
	for _, k := range data.CarrierKinds {
		want = append(want, "kind "+k)
	}
	for _, w := range want {
		if !seen[w] {
			t.Errorf("no sample carrier has %s; seen %v", w, seen)
		}
	}
	if c := Carrier(0); c.Number != NumberPrefix+"000001" || c.Mark() != "机密★20年" {
		t.Errorf("Carrier(0) = %s %s, want %s000001 机密★20年 (tests print it first)", c.Number, c.Mark(), NumberPrefix)
	}
}

// TestNewCarrierIsValidAndUnregistered checks the carrier tests register:
// valid, with the number asked for, nothing the store sets.
func TestNewCarrierIsValidAndUnregistered(t *testing.T) {
	c := NewCarrier("A-1")
	if err := c.Validate(data.DefaultClassifications, fixtureDay); err != nil {
		t.Fatalf("NewCarrier is not valid: %v", err)
	}
	if c.Number != "A-1" || c.ID != "" || c.State != "" || c.Serial != "" || data.IsDeviceKind(c.Kind) {
		t.Errorf("NewCarrier(A-1) = %+v", c)
	}
	if d := NewCarrier("B-2"); d.Number != "B-2" || func() bool { d.Number = c.Number; return d != c }() {
		t.Errorf("NewCarrier differs beyond its number: %+v, %+v", c, d)
	}
}
