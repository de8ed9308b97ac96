package store

import (
	"bytes"
	"context"
	"crypto/cipher"
	"encoding/hex"
	"testing"
	"testing/cryptotest"
	"time"

	"github.com/emmansun/gmsm/sm4"

	"baomi/data"
)

// Known-answer tests of the on-disk format (#8 item 1). The expected values
// below were computed once by the code of November 2026 and written here as
// literals: a data folder written then holds exactly these bytes, so any
// change to what they pin (the audit hash's canonical form, the chain's
// linking, the sealed envelope, the blinded index key, the JSON of a
// record) makes an older folder unreadable or unverifiable and must fail
// here first. Do not "fix" a literal to make a test pass; a real format
// change needs a new version byte and a reader for the old one.

// katKeys returns fixed store keys (not random) for the known answers.
func katKeys() Keys {
	k := Keys{Master: make([]byte, 32), Record: make([]byte, 16), Index: make([]byte, 32)}
	for i := range k.Master {
		k.Master[i] = byte(0x40 + i)
	}
	for i := range k.Record {
		k.Record[i] = byte(i)
	}
	for i := range k.Index {
		k.Index[i] = byte(0xa0 + i)
	}
	return k
}

// katTime is a fixed instant in UTC, so that the known answers do not
// depend on the machine's time zone.
var katTime = time.Date(2026, 11, 28, 9, 30, 0, 0, time.UTC)

func TestAuditEntryHashMatchesKnownAnswers(t *testing.T) {
	tests := []struct {
		name string
		e    Entry
		want string
	}{
		{"first entry: unit created", Entry{Seq: 1, Time: katTime.UnixNano(), Operator: "张保密", Action: ActionCreate,
			Kind: KindUnit, ID: "unit", Digest: digest([]byte(`{"name":"某市财政局"}`)), Prev: genesis},
			"82f3bf61c4876c58533d7c487aca636378139c1cbb01b5b4effc3f5b063deb0d"},
		{"update of a carrier", Entry{Seq: 7, Time: katTime.Add(time.Minute).UnixNano(), Operator: "李四", Action: ActionUpdate,
			Kind: KindCarrier, ID: "00112233445566778899aabbccddeeff", Digest: digest([]byte("carrier v2")),
			Prev: "8f3a" + genesis[4:]},
			"52aefc0eb75ed4d506cd1d54d47d74b91bb613c7d792eac694726ad8efa01dd5"},
		{"delete has an empty digest", Entry{Seq: 1 << 40, Time: -1, Operator: "", Action: ActionDelete,
			Kind: "index", ID: "i/carrier/number/abc", Digest: "", Prev: genesis},
			"3b891f1a24aca307197813baf373d618ee0dd7962a7d86606401e72caf909646"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.e.computeHash(); got != tt.want {
				t.Errorf("hash = %s, want %s (the audit hash's canonical form changed: every existing chain would fail verification)", got, tt.want)
			}
		})
	}
}

// TestAuditEntryHashCoversEveryField changes one field at a time and checks
// that the hash changes, so that a field left out of the canonical form is
// named; and that two fields' texts cannot slide into each other (the
// length prefixes).
func TestAuditEntryHashCoversEveryField(t *testing.T) {
	base := Entry{Seq: 3, Time: katTime.UnixNano(), Operator: "张保密", Action: ActionCreate,
		Kind: KindCarrier, ID: "c1", Digest: digest([]byte("v")), Prev: genesis}
	tests := []struct {
		name   string
		change func(*Entry)
	}{
		{"seq", func(e *Entry) { e.Seq++ }},
		{"time", func(e *Entry) { e.Time++ }},
		{"operator", func(e *Entry) { e.Operator = "李四" }},
		{"action", func(e *Entry) { e.Action = ActionUpdate }},
		{"kind", func(e *Entry) { e.Kind = KindEvent }},
		{"id", func(e *Entry) { e.ID = "c2" }},
		{"digest", func(e *Entry) { e.Digest = digest([]byte("w")) }},
		{"prev", func(e *Entry) { e.Prev = "1" + genesis[1:] }},
		{"text moved between kind and id", func(e *Entry) { e.Kind, e.ID = e.Kind+"c", "1" }},
	}
	want := base.computeHash()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := base
			tt.change(&e)
			if e.computeHash() == want {
				t.Errorf("changing %s left the hash unchanged: the field is not covered", tt.name)
			}
		})
	}
	e := base
	e.Hash = "anything"
	if e.computeHash() != want {
		t.Error("the hash covers its own Hash field")
	}
}

// TestAuditChainHeadMatchesKnownAnswer links three fixed entries from the
// genesis as tx.audit does and pins the head and its fingerprint.
func TestAuditChainHeadMatchesKnownAnswer(t *testing.T) {
	steps := []struct{ action, kind, id, value string }{
		{ActionCreate, KindUnit, "unit", `{"name":"某市财政局","code":"CZJ"}`},
		{ActionCreate, KindCarrier, "c1", `{"number":"CZJ-2026-0001"}`},
		{ActionDelete, KindCarrier, "c1", ""},
	}
	var head Head
	for i, st := range steps {
		prev := head.Hash
		if head.Seq == 0 {
			prev = genesis
		}
		dig := ""
		if st.value != "" {
			dig = digest([]byte(st.value))
		}
		e := Entry{Seq: head.Seq + 1, Time: katTime.Add(time.Duration(i) * time.Second).UnixNano(), Operator: "张保密",
			Action: st.action, Kind: st.kind, ID: st.id, Digest: dig, Prev: prev}
		e.Hash = e.computeHash()
		head = Head{Seq: e.Seq, Hash: e.Hash}
	}
	want := Head{Seq: 3, Hash: "43f6a0f159e4e42b43a6643fea577597ae8a97ed34d33331f6970f23b26252b7"}
	if head != want {
		t.Errorf("head = %+v, want %+v", head, want)
	}
	if got, want := head.Fingerprint(), "43f6-a0f1-59e4"; got != want {
		t.Errorf("fingerprint = %s, want %s", got, want)
	}
}

// TestStoreWritesKnownChainHead writes a fixed unit, settings, carrier and
// lend through the real store (fixed keys, clock and random source) and
// pins the head: it covers the record JSON (each entry holds the SM3 of the
// stored value), the order of the entries one operation writes and the ids
// of events, besides the hash itself.
func TestStoreWritesKnownChainHead(t *testing.T) {
	// The carrier's id comes from crypto/rand; SetGlobalRandom makes it the
	// same every run. (Go documents that its deterministic stream may change
	// between releases: if only this test fails after a Go upgrade, and the
	// carrier id below differs, that is the cause, not the format.)
	cryptotest.SetGlobalRandom(t, 8)
	ctx := context.Background()
	s, err := Open(t.TempDir(), katKeys(), Options{Operator: "张保密", NoGuard: true, Now: func() time.Time { return katTime }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.SaveUnit(ctx, data.Unit{Name: "某市财政局", Code: "CZJ", Superior: "某市保密局", Officer: "张保密", CreatedAt: katTime}); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveSettings(ctx, data.DefaultSettings()); err != nil {
		t.Fatal(err)
	}
	c, err := s.AddCarrier(ctx, data.Carrier{Number: "CZJ-2026-0001", Title: "年度预算编制说明", Kind: data.KindPaper,
		Level: "秘密", PeriodYears: 10, Source: "某市财政局", Copies: 1, CopyNumbers: "1", Pages: "12",
		Custodian: "张保密", Location: "机要室保密柜", ReceivedOn: data.NewDate(2026, 11, 2)})
	if err != nil {
		t.Fatal(err)
	}
	if want := "0339a1c2e08e7fb2e2ecaa4b3e94c5a0"; c.ID != want {
		t.Errorf("carrier id = %s, want %s (see the note on SetGlobalRandom above)", c.ID, want)
	}
	if _, err := s.Record(ctx, data.Event{CarrierID: c.ID, Kind: data.EventLend, On: data.NewDate(2026, 11, 20),
		Operator: "张保密", Approver: "王处长", Borrower: "李四", DueOn: data.NewDate(2026, 11, 27)}); err != nil {
		t.Fatal(err)
	}
	want := Head{Seq: 6, Hash: "936bb05d0fca63f3c3aca6f30607081f8fe24e4b0f07fc2dae64df88ec33df28"}
	if got := s.Head(); got != want {
		t.Errorf("head = %+v, want %+v", got, want)
	}
	if _, err := s.Verify(ctx); err != nil {
		t.Errorf("verify: %v", err)
	}
}

// katSealed is the sealed form of katPlain under katKeys and katSealKey,
// written by seal with the nonce of SetGlobalRandom(t, 1).
var (
	katSealKey = []byte("r/carrier/00112233445566778899aabbccddeeff")
	katPlain   = []byte(`{"number":"CZJ-2026-0001","title":"年度预算编制说明"}`)
	katSealed  = mustHex("016ae6783f4fbde91b6eb88b7344f3071cfb930dedf87a90a8e5bf2522ef3e4d06b100ab09a5e8b9a5d19edde901977fac4f407c529b22ab32af03319998cc5e5fa5d9770ab685d6940d572812a2a43909178fc8e145858fe418")
)

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

func katSealer(t *testing.T) *sealer {
	t.Helper()
	k := katKeys()
	s, err := newSealer(k.Record, k.Index)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestSealedValueMatchesKnownAnswer pins the envelope: version byte 1, the
// 12-byte nonce, then SM4-GCM of the plaintext with the Badger key as
// associated data. The pinned bytes must open to the plaintext (what an
// older folder needs), and sealing with a fixed nonce must give them back
// (what keeps new folders readable by the same rule).
func TestSealedValueMatchesKnownAnswer(t *testing.T) {
	s := katSealer(t)
	t.Run("pinned bytes open", func(t *testing.T) {
		got, err := s.open(katSealKey, katSealed)
		if err != nil || !bytes.Equal(got, katPlain) {
			t.Fatalf("open(pinned) = %q, %v; want %q", got, err, katPlain)
		}
	})
	t.Run("pinned bytes bound to their key", func(t *testing.T) {
		if _, err := s.open([]byte("r/carrier/other"), katSealed); err == nil {
			t.Fatal("pinned value opened under another key")
		}
	})
	t.Run("seal with a fixed nonce gives the pinned bytes", func(t *testing.T) {
		cryptotest.SetGlobalRandom(t, 1)
		got, err := s.seal(katSealKey, katPlain)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, katSealed) {
			t.Errorf("seal =\n%x\nwant\n%x", got, katSealed)
		}
	})
	t.Run("layout: version, nonce, SM4-GCM with the key as AAD", func(t *testing.T) {
		got, err := s.seal(katSealKey, katPlain)
		if err != nil {
			t.Fatal(err)
		}
		block, err := sm4.NewCipher(katKeys().Record)
		if err != nil {
			t.Fatal(err)
		}
		gcm, err := cipher.NewGCM(block)
		if err != nil {
			t.Fatal(err)
		}
		const nonceLen = 12
		if len(got) != 1+nonceLen+len(katPlain)+16 {
			t.Fatalf("sealed length %d, want %d", len(got), 1+nonceLen+len(katPlain)+16)
		}
		want := append([]byte{1}, got[1:1+nonceLen]...)
		want = gcm.Seal(want, got[1:1+nonceLen], katPlain, katSealKey)
		if !bytes.Equal(got, want) {
			t.Errorf("sealed =\n%x\nwant version 1 || nonce || SM4-GCM(plain, aad=key) =\n%x", got, want)
		}
	})
}

// TestBlindIndexKeyMatchesKnownAnswer pins the blinded form of a 编号 in the
// unique index (HMAC-SM3 under the index key, first 20 bytes in hex) and the
// index key built from it: an older folder's index is found only if both
// stay the same.
func TestBlindIndexKeyMatchesKnownAnswer(t *testing.T) {
	s := katSealer(t)
	tests := []struct {
		name, value, want string
	}{
		{"a 编号", "CZJ-2026-0001", "98360dcc4f5b3921fdcdcb479cf8089d4f660b15"},
		{"empty", "", "74f974aa4262fd737a9c014fa1e9e06549405f14"},
		{"chinese text", "机要室", "1c5a4a44b83c473ff7f50084e1ba72ba0bef4292"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := s.blind(tt.value); got != tt.want {
				t.Errorf("blind(%q) = %s, want %s", tt.value, got, tt.want)
			}
		})
	}
	if got, want := string(indexKey(KindCarrier, "number", s.blind("CZJ-2026-0001"))), "i/carrier/number/98360dcc4f5b3921fdcdcb479cf8089d4f660b15"; got != want {
		t.Errorf("index key = %s, want %s", got, want)
	}
}
