package xlsx

import (
	"reflect"
	"testing"
)

func TestEachRowAndConsumeRowsYieldWhatRowsReturns(t *testing.T) {
	load := func() (*Sheet, int, Mapping) {
		s, h, _ := importRows(t, []byte(planSheet), "plan.csv", testOptions)
		_, m := s.FindHeader()
		return s, h, m
	}
	s, h, m := load()
	want := s.Rows(h, m, testOptions)
	if len(want) != 7 {
		t.Fatalf("Rows gave %d rows, want 7", len(want))
	}
	for _, tc := range []struct {
		name      string
		rows      func(*Sheet, int, Mapping) []Row
		leftEmpty bool
	}{
		{"EachRow", func(s *Sheet, h int, m Mapping) (out []Row) {
			for r := range s.EachRow(h, m, testOptions) {
				out = append(out, r)
			}
			return out
		}, false},
		{"ConsumeRows", func(s *Sheet, h int, m Mapping) (out []Row) {
			for r := range s.ConsumeRows(h, m, testOptions) {
				out = append(out, r)
			}
			return out
		}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, h, m := load()
			if got := tc.rows(s, h, m); !reflect.DeepEqual(got, want) {
				t.Errorf("rows differ from Rows:\n got %+v\nwant %+v", got, want)
			}
			if empty := len(s.Cells) == 0; empty != tc.leftEmpty {
				t.Errorf("sheet left with %d rows, want empty %v", len(s.Cells), tc.leftEmpty)
			}
		})
	}
}
