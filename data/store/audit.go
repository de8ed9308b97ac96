package store

import (
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/emmansun/gmsm/sm3"

	"baomi/data"
)

// Actions recorded in the audit chain.
const (
	ActionCreate = "create"
	ActionUpdate = "update"
	ActionDelete = "delete"
)

// genesis is the Prev of the first audit entry.
var genesis = strings.Repeat("0", 64)

// Entry is one link of the audit chain. Hash is SM3 over Prev and every
// other field, so editing, deleting, inserting or reordering an entry breaks
// the chain at that point.
type Entry struct {
	Seq      uint64 `json:"seq"`
	Time     int64  `json:"time"` // Unix nanoseconds
	Operator string `json:"operator"`
	Action   string `json:"action"`
	Kind     string `json:"kind"`
	ID       string `json:"id"`
	Digest   string `json:"digest"` // hex SM3 of the new value; "" on delete
	Prev     string `json:"prev"`   // Hash of the previous entry
	Hash     string `json:"hash"`
}

// At returns the entry's time.
func (e Entry) At() time.Time { return time.Unix(0, e.Time) }

// computeHash returns the hex SM3 of the entry's canonical form (every field
// but Hash, in a fixed order).
func (e Entry) computeHash() string {
	h := sm3.New()
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], e.Seq)
	h.Write(n[:])
	binary.BigEndian.PutUint64(n[:], uint64(e.Time))
	h.Write(n[:])
	for _, s := range []string{e.Operator, e.Action, e.Kind, e.ID, e.Digest, e.Prev} {
		binary.BigEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Head is the newest link of the chain (data.AuditHead).
type Head = data.AuditHead

func auditKey(seq uint64) []byte {
	k := make([]byte, 2+8)
	copy(k, prefixAudit)
	binary.BigEndian.PutUint64(k[2:], seq)
	return k
}

func marshalEntry(e Entry) ([]byte, error) {
	b, err := json.Marshal(e)
	if err != nil {
		return nil, fmt.Errorf("encode audit entry: %w", err)
	}
	return b, nil
}
