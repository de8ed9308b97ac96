package store

import (
	"bytes"
	"testing"
)

// TestSealingTheSameValueTwiceUsesFreshNonces guards the one property of
// SM4-GCM that no round-trip test sees: a nonce must never repeat under the
// same key. Sealing the same value under the same Badger key (same AAD) twice
// must give two different nonces and two different ciphertexts, and no nonce
// may be all zeros. With the nonce left at zeros (rand.Read removed from
// seal) every other store test still passed; this one fails.
func TestSealingTheSameValueTwiceUsesFreshNonces(t *testing.T) {
	k := testKeys(t)
	s, err := newSealer(k.Record, k.Index)
	if err != nil {
		t.Fatal(err)
	}
	ns := s.aead.NonceSize()
	tests := []struct {
		name       string
		key, plain []byte
	}{
		{"carrier record", []byte("r/carrier/1"), []byte(`{"title":"文件"}`)},
		{"empty value", []byte("r/unit"), nil},
		{"binary audit key", []byte("a/\x00\x00\x00\x00\x00\x00\x00\x01"), bytes.Repeat([]byte{0}, 64)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const n = 8
			nonces := map[string]bool{}
			bodies := map[string]bool{}
			for range n {
				v, err := s.seal(tt.key, tt.plain)
				if err != nil {
					t.Fatal(err)
				}
				nonce, body := v[1:1+ns], v[1+ns:]
				if bytes.Equal(nonce, make([]byte, ns)) {
					t.Fatalf("nonce is all zeros: % x", v)
				}
				nonces[string(nonce)] = true
				bodies[string(body)] = true
				if p, err := s.open(tt.key, v); err != nil || !bytes.Equal(p, tt.plain) {
					t.Fatalf("open = %q, %v", p, err)
				}
			}
			if len(nonces) != n || len(bodies) != n {
				t.Fatalf("%d seals of the same value gave %d distinct nonces and %d distinct ciphertexts", n, len(nonces), len(bodies))
			}
		})
	}
}
