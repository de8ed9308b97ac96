package vault

import (
	"crypto/rand"
	"fmt"
	"strings"
	"unicode"
)

// crockford is Crockford's base32 alphabet: digits and capitals without
// I, L, O and U, so a code read aloud or copied by hand is hard to garble.
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

const (
	recoveryCodeLen   = 25 // 25 symbols × 5 bits = 125 bits
	recoveryGroupSize = 5
)

// newRecoveryCode returns 25 random Crockford base32 symbols, ungrouped.
func newRecoveryCode() (string, error) {
	b := make([]byte, recoveryCodeLen)
	defer clear(b)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("vault: random recovery code: %w", err)
	}
	out := make([]byte, recoveryCodeLen)
	for i, v := range b {
		out[i] = crockford[v&31] // 32 divides 256, so every symbol is equally likely
	}
	return string(out), nil
}

// normaliseRecoveryCode maps what a user may type onto the canonical code:
// full-width characters (typed with a Chinese input method) become ASCII,
// spaces and dashes are dropped, letters become capitals, and Crockford's
// look-alikes are decoded (I and L as 1, O as 0).
func normaliseRecoveryCode(code string) string {
	var sb strings.Builder
	sb.Grow(len(code))
	for _, r := range code {
		if r >= 0xFF01 && r <= 0xFF5E { // full-width ASCII block
			r -= 0xFEE0
		}
		if unicode.IsSpace(r) || unicode.Is(unicode.Pd, r) || r == '\u2212' {
			continue
		}
		if r >= 'a' && r <= 'z' {
			r -= 'a' - 'A'
		}
		switch r {
		case 'I', 'L':
			r = '1'
		case 'O':
			r = '0'
		}
		sb.WriteRune(r)
	}
	return sb.String()
}

// FormatRecoveryCode returns code normalised (capitals, no spaces or dashes)
// and split into dash-separated groups of five for display, e.g.
// "ABCDE-FGHJK-MNPQR-STVWX-YZ012".
func FormatRecoveryCode(code string) string {
	n := []rune(normaliseRecoveryCode(code))
	var sb strings.Builder
	for i, r := range n {
		if i > 0 && i%recoveryGroupSize == 0 {
			sb.WriteByte('-')
		}
		sb.WriteRune(r)
	}
	return sb.String()
}
