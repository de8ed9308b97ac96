package vault

import (
	"bytes"
	"testing"
)

// TestSealUsesAFreshNonceEachTime seals the same plaintext under the same
// key and AAD several times: nonces and ciphertexts must all differ and no
// nonce may be all zeros. A repeated GCM nonce under one key leaks the XOR of
// the plaintexts and the authentication key; no round-trip test notices it.
func TestSealUsesAFreshNonceEachTime(t *testing.T) {
	key := bytes.Repeat([]byte{7}, vaultKeyLen)
	plain := []byte(`{"master":"same"}`)
	const n = 8
	nonces, bodies := map[string]bool{}, map[string]bool{}
	for range n {
		nonce, ct, err := seal(key, plain, payloadAAD)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Equal(nonce, make([]byte, nonceLen)) {
			t.Fatal("nonce is all zeros")
		}
		nonces[string(nonce)], bodies[string(ct)] = true, true
	}
	if len(nonces) != n || len(bodies) != n {
		t.Fatalf("%d seals gave %d distinct nonces and %d distinct ciphertexts", n, len(nonces), len(bodies))
	}
}

// TestVaultFilesNeverRepeatANonce checks the nonces as they land in vault
// files: two Creates, and two SetExtra calls storing the same content (same
// vault key, same plaintext, so a repeated nonce would give a byte-identical
// payload), must give fresh nonces for the payload and both wraps.
func TestVaultFilesNeverRepeatANonce(t *testing.T) {
	body := func(t *testing.T, dir string) *bodyJSON {
		t.Helper()
		b, err := parseFile(readPrimary(t, dir))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	t.Run("two Creates", func(t *testing.T) {
		dirA, _, _ := newVault(t)
		dirB, _, _ := newVault(t)
		a, b := body(t, dirA), body(t, dirB)
		seen := map[string]string{}
		for _, nc := range []struct {
			name  string
			nonce []byte
		}{
			{"A payload", a.Nonce}, {"A password wrap", a.Password.Nonce}, {"A recovery wrap", a.Recovery.Nonce},
			{"B payload", b.Nonce}, {"B password wrap", b.Password.Nonce}, {"B recovery wrap", b.Recovery.Nonce},
		} {
			if bytes.Equal(nc.nonce, make([]byte, nonceLen)) {
				t.Errorf("%s nonce is all zeros", nc.name)
			}
			if other, ok := seen[string(nc.nonce)]; ok {
				t.Errorf("%s nonce repeats the %s nonce", nc.name, other)
			}
			seen[string(nc.nonce)] = nc.name
		}
	})
	t.Run("two SetExtra of the same content", func(t *testing.T) {
		dir, _, _ := newVault(t)
		if err := SetExtra(dir, testPassword, "sm2-private", []byte("same")); err != nil {
			t.Fatal(err)
		}
		first := body(t, dir)
		if err := SetExtra(dir, testPassword, "sm2-private", []byte("same")); err != nil {
			t.Fatal(err)
		}
		second := body(t, dir)
		if bytes.Equal(first.Nonce, second.Nonce) {
			t.Errorf("payload nonce repeated: % x", first.Nonce)
		}
		if bytes.Equal(first.Payload, second.Payload) {
			t.Error("the same keys sealed twice gave the same payload ciphertext")
		}
	})
}
