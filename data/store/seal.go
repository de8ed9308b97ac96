package store

import (
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"encoding/hex"
	"fmt"

	"github.com/emmansun/gmsm/sm3"
	"github.com/emmansun/gmsm/sm4"

	"baomi/data"
)

// sealVersion is the first byte of every sealed value.
const sealVersion = 1

// sealer encrypts and authenticates values with SM4-GCM under the record
// key, binding each value to its Badger key as associated data so that a
// value moved to another key fails to open.
type sealer struct {
	aead  cipher.AEAD
	index []byte
}

func newSealer(recordKey, indexKey []byte) (*sealer, error) {
	block, err := sm4.NewCipher(recordKey)
	if err != nil {
		return nil, fmt.Errorf("record key: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("SM4-GCM: %w", err)
	}
	if len(indexKey) < 16 {
		return nil, fmt.Errorf("index key too short (%d bytes)", len(indexKey))
	}
	return &sealer{aead: aead, index: append([]byte(nil), indexKey...)}, nil
}

// seal returns version || nonce || SM4-GCM(plain, aad=key).
func (s *sealer) seal(key, plain []byte) ([]byte, error) {
	ns := s.aead.NonceSize()
	out := make([]byte, 1+ns, 1+ns+len(plain)+s.aead.Overhead())
	out[0] = sealVersion
	if _, err := rand.Read(out[1 : 1+ns]); err != nil {
		return nil, fmt.Errorf("nonce: %w", err)
	}
	return s.aead.Seal(out, out[1:1+ns], plain, key), nil
}

// open authenticates and decrypts a sealed value stored under key. Any
// failure wraps data.ErrCorrupt.
func (s *sealer) open(key, sealed []byte) ([]byte, error) { return s.openTo(nil, key, sealed) }

// openTo is open appending the plaintext to dst (a buffer to reuse).
func (s *sealer) openTo(dst, key, sealed []byte) ([]byte, error) {
	ns := s.aead.NonceSize()
	if len(sealed) < 1+ns+s.aead.Overhead() || sealed[0] != sealVersion {
		return nil, fmt.Errorf("value at %q: bad envelope: %w", printableKey(key), data.ErrCorrupt)
	}
	plain, err := s.aead.Open(dst, sealed[1:1+ns], sealed[1+ns:], key)
	if err != nil {
		return nil, fmt.Errorf("value at %q: authentication failed: %w", printableKey(key), data.ErrCorrupt)
	}
	return plain, nil
}

// blind returns a keyed digest (HMAC-SM3 under the index key) of v, used in
// index keys so that no user text appears in a Badger key.
func (s *sealer) blind(v string) string {
	m := hmac.New(sm3.New, s.index)
	m.Write([]byte(v))
	return hex.EncodeToString(m.Sum(nil)[:20])
}

// digest returns the hex SM3 of b.
func digest(b []byte) string {
	sum := sm3.Sum(b)
	return hex.EncodeToString(sum[:])
}

// printableKey renders a Badger key for log messages: keys hold only ASCII
// prefixes, ids and hex, except the binary audit sequence.
func printableKey(k []byte) string {
	out := make([]byte, 0, len(k))
	for _, b := range k {
		if b >= 0x20 && b < 0x7f {
			out = append(out, b)
		} else {
			out = append(out, fmt.Sprintf("\\x%02x", b)...)
		}
	}
	return string(out)
}
