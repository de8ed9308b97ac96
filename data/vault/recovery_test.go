package vault

import (
	"strings"
	"testing"
)

func TestNewRecoveryCodeIs25CrockfordSymbols(t *testing.T) {
	seen := map[string]bool{}
	for range 50 {
		code, err := newRecoveryCode()
		if err != nil {
			t.Fatal(err)
		}
		if len(code) != recoveryCodeLen {
			t.Fatalf("len(%q) = %d", code, len(code))
		}
		for _, r := range code {
			if !strings.ContainsRune(crockford, r) {
				t.Fatalf("%q holds %q, outside Crockford base32", code, r)
			}
		}
		if normaliseRecoveryCode(code) != code {
			t.Fatalf("code %q is not already normal", code)
		}
		if seen[code] {
			t.Fatalf("code %q repeated", code)
		}
		seen[code] = true
	}
}

func TestFormatRecoveryCode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ABCDEFGHJKMNPQRSTVWXYZ012", "ABCDE-FGHJK-MNPQR-STVWX-YZ012"},
		{"abcde fghjk-mnpqr stvwx yz012", "ABCDE-FGHJK-MNPQR-STVWX-YZ012"},
		{"ABCDE-FGHJK-MNPQR-STVWX-YZ012", "ABCDE-FGHJK-MNPQR-STVWX-YZ012"},
		{"ＡＢＣＤＥ－ＦＧ", "ABCDE-FG"},
		{"oIl", "011"},
		{"", ""},
		{"ABCDE", "ABCDE"},
		{"ABCDEF", "ABCDE-F"},
	}
	for _, tt := range tests {
		if got := FormatRecoveryCode(tt.in); got != tt.want {
			t.Errorf("FormatRecoveryCode(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
