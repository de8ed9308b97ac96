package xlsx

import "testing"

func TestGeneralShowsAtMost15Digits(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{3, "3"}, {-2.5, "-2.5"}, {0.1 + 0.2, "0.3"}, {20240001, "20240001"},
		{123456789012345, "123456789012345"}, {0.000123, "0.000123"}, {1e20, "100000000000000000000"},
		{1.0000000000000002, "1"},
	}
	for _, tt := range tests {
		if got := general(tt.in); got != tt.want {
			t.Errorf("general(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestIsDateCode(t *testing.T) {
	tests := []struct {
		code string
		want bool
	}{
		{`yyyy"年"m"月"d"日"`, true}, {"m/d/yy", true}, {"[$-804]yyyy/m/d", true}, {"h:mm", true}, {"[h]:mm", true},
		{"0", false}, {"0.00", false}, {`0"份"`, false}, {"#,##0;[Red]-#,##0", false}, {"0.00E+00", false},
		{`_ * #,##0_ ;_ * -#,##0_ ;_ * "-"_ ;_ @_ `, false}, {"@", false}, {`\d0`, false},
	}
	for _, tt := range tests {
		if got := isDateCode(tt.code); got != tt.want {
			t.Errorf("isDateCode(%q) = %v, want %v", tt.code, got, tt.want)
		}
	}
}

func TestFormatterFallsBackToGeneralPastItsBudget(t *testing.T) {
	fm := newFormatter(styleSheet{numFmt: []int{0, 2}}, false)
	defer fm.close()
	if got := fm.show(1, "3"); got != "3.00" {
		t.Fatalf("show(0.00, 3) = %q, want 3.00", got)
	}
	fm.scratchCalls = maxScratchFormats
	if got := fm.show(1, "3"); got != "3.00" {
		t.Errorf("a value formatted before = %q, want 3.00 from the cache", got)
	}
	if got := fm.show(1, "4.5"); got != "4.5" {
		t.Errorf("past the budget show(0.00, 4.5) = %q, want General's 4.5", got)
	}
}
