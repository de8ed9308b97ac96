package store

import (
	"bytes"
	"testing"
)

func TestSealedValueOpensOnlyUnderItsOwnKey(t *testing.T) {
	k := testKeys(t)
	s, err := newSealer(k.Record, k.Index)
	if err != nil {
		t.Fatal(err)
	}
	v, err := s.seal([]byte("r/carrier/1"), []byte(`{"title":"文件"}`))
	if err != nil {
		t.Fatal(err)
	}
	if p, err := s.open([]byte("r/carrier/1"), v); err != nil || string(p) != `{"title":"文件"}` {
		t.Errorf("open = %q, %v", p, err)
	}
	if _, err := s.open([]byte("r/carrier/2"), v); err == nil {
		t.Error("value opened under another key")
	}
	other, _ := newSealer(testKeys(t).Record, k.Index)
	if _, err := other.open([]byte("r/carrier/1"), v); err == nil {
		t.Error("value opened with another record key")
	}
	if s.blind("CZJ-1") != s.blind("CZJ-1") || s.blind("CZJ-1") == s.blind("CZJ-2") || bytes.Contains([]byte(s.blind("CZJ-1")), []byte("CZJ")) {
		t.Error("blind index is not a stable keyed digest")
	}
}

// FuzzOpenSealedValue feeds arbitrary bytes as a stored value: open must
// never panic, and whatever it accepts must be what was sealed (the only
// value ever sealed under this key). Each fuzz worker seals its own copy
// with a fresh nonce, so the check is on the plaintext.
func FuzzOpenSealedValue(f *testing.F) {
	k := Keys{Record: bytes.Repeat([]byte{7}, 16), Index: bytes.Repeat([]byte{9}, 32)}
	s, err := newSealer(k.Record, k.Index)
	if err != nil {
		f.Fatal(err)
	}
	key := []byte("r/carrier/abc")
	good, _ := s.seal(key, []byte(`{"n":1}`))
	f.Add(good)
	f.Add([]byte{})
	f.Add([]byte{1})
	f.Add(append([]byte{1}, make([]byte, 40)...))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := s.open(key, b)
		if err == nil && string(p) != `{"n":1}` {
			t.Fatalf("forged value accepted: % x -> %q", b, p)
		}
	})
}
