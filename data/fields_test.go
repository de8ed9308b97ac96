package data

import (
	"errors"
	"slices"
	"testing"
)

// errorFields returns the sorted, distinct fields err names.
func errorFields(t *testing.T, err error) []string {
	t.Helper()
	var fe FieldErrors
	if err != nil && !errors.As(err, &fe) {
		t.Fatalf("not FieldErrors: %v", err)
	}
	var out []string
	for _, e := range fe {
		if !slices.Contains(out, e.Field) {
			out = append(out, e.Field)
		}
	}
	slices.Sort(out)
	return out
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func TestRequiredFieldsAreWhatTheRulesAskFor(t *testing.T) {
	levels := DefaultClassifications
	t.Run("carrier of no kind", func(t *testing.T) {
		got := errorFields(t, Carrier{}.Validate(levels, evToday))
		if want := sorted(CarrierRequiredFields("")); !slices.Equal(got, want) {
			t.Errorf("an empty carrier is refused for %v; the form marks %v", got, want)
		}
	})
	for _, kind := range CarrierKinds {
		t.Run("carrier "+kind, func(t *testing.T) {
			got := errorFields(t, Carrier{Kind: kind}.Validate(levels, evToday))
			want := sorted(slices.DeleteFunc(CarrierRequiredFields(kind), func(f string) bool { return f == FieldKind }))
			if !slices.Equal(got, want) {
				t.Errorf("an empty %s is refused for %v; the form marks %v (and 载体类型)", kind, got, want)
			}
		})
	}
	for _, state := range append([]string{""}, PersonStates...) {
		t.Run("person "+state, func(t *testing.T) {
			got := errorFields(t, Person{State: state}.Validate(evToday))
			want := PersonRequiredFields(state)
			if state != "" { // a state chosen is not refused for
				want = slices.DeleteFunc(want, func(f string) bool { return f == FieldPersonState })
			}
			if want := sorted(want); !slices.Equal(got, want) {
				t.Errorf("an empty person %q is refused for %v; the form marks %v (and 状态)", state, got, want)
			}
		})
	}
	for _, kind := range []EventKind{EventLend, EventReturn, EventCirculate, EventCopy, EventHandover,
		EventStocktake, EventChange, EventDeclassify, EventDestroy, EventCorrect} {
		t.Run("event "+string(kind), func(t *testing.T) {
			history := []Event{register}
			if kind == EventReturn {
				history = append(history, lend)
			}
			got := errorFields(t, CheckEvent(evCarrier(), history, Event{CarrierID: "c1", Kind: kind}, levels, evToday))
			if want := sorted(EventRequiredFields(kind)); !slices.Equal(got, want) {
				t.Errorf("an empty %s step is refused for %v; the form marks %v", kind, got, want)
			}
		})
	}
}

func TestDeviceFieldsApplyToDevicesAndDocumentFieldsToTheRest(t *testing.T) {
	tests := []struct {
		name, kind, field string
		applies           bool
	}{
		{"serial of a U盘", KindUSB, FieldSerial, true},
		{"model of a computer", KindComputer, FieldModel, true},
		{"serial of a paper document", KindPaper, FieldSerial, false},
		{"serial before a kind is chosen", "", FieldSerial, false},
		{"文号 of a paper document", KindPaper, FieldDocNumber, true},
		{"文号 of a disc", KindDisc, FieldDocNumber, true},
		{"文号 of a U盘", KindUSB, FieldDocNumber, false},
		{"份号 of a 移动硬盘", KindDisk, FieldCopyNumbers, false},
		{"来源 of a fax", KindFax, FieldSource, false},
		{"名称 of a U盘", KindUSB, FieldTitle, true},
		{"容量 of a U盘", KindUSB, FieldPages, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CarrierFieldApplies(tt.kind, tt.field); got != tt.applies {
				t.Errorf("CarrierFieldApplies(%q, %q) = %v, want %v", tt.kind, tt.field, got, tt.applies)
			}
		})
	}
}
