package store

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/dgraph-io/badger/v4"
	"github.com/emmansun/gmsm/sm3"

	"baomi/data"
)

// VerifyError reports the first break Verify found: the audit sequence where
// the chain broke (0 if the break is not in the chain itself), the record
// concerned, and what is wrong. It wraps data.ErrAuditBroken or
// data.ErrCorrupt.
type VerifyError struct {
	Seq    uint64
	Kind   string
	ID     string
	Reason string
	Err    error
}

// Error describes the break in one line.
func (e *VerifyError) Error() string {
	var b strings.Builder
	b.WriteString("verify: ")
	if e.Seq > 0 {
		fmt.Fprintf(&b, "audit entry %d: ", e.Seq)
	}
	if e.Kind != "" {
		fmt.Fprintf(&b, "record %s/%s: ", e.Kind, e.ID)
	}
	b.WriteString(e.Reason)
	return b.String()
}

// Unwrap returns data.ErrAuditBroken or data.ErrCorrupt.
func (e *VerifyError) Unwrap() error { return e.Err }

// Chinese describes the break for the user.
func (e *VerifyError) Chinese() string {
	var b strings.Builder
	if e.Seq > 0 {
		fmt.Fprintf(&b, "第 %d 条审计记录处：", e.Seq)
	}
	if e.Kind != "" {
		fmt.Fprintf(&b, "%s记录 %s：", kindName(e.Kind), shortID(e.ID))
	}
	b.WriteString(reasonChinese[e.Reason])
	if reasonChinese[e.Reason] == "" {
		b.WriteString(e.Reason)
	}
	return b.String()
}

// Break reasons.
const (
	reasonSeqGap         = "sequence gap or reorder"
	reasonKeyMismatch    = "entry stored under another sequence"
	reasonPrevMismatch   = "previous hash does not match"
	reasonHashMismatch   = "entry hash does not match its content"
	reasonHeadMismatch   = "head does not match the last entry"
	reasonUnreadable     = "value fails authentication"
	reasonNotAudited     = "record has no audit entry"
	reasonDigestChanged  = "record differs from its audited digest"
	reasonMissing        = "record named by the audit chain is missing"
	reasonIndex          = "index does not match the records"
	reasonNoAnchor       = "audit anchor missing"
	reasonRolledBack     = "chain is shorter than the anchor: recent changes lost"
	reasonAnchorMismatch = "chain does not contain the anchored entry"
)

var reasonChinese = map[string]string{
	reasonSeqGap:         "审计记录缺失、被插入或顺序被打乱",
	reasonKeyMismatch:    "审计记录被移动",
	reasonPrevMismatch:   "与上一条审计记录的链接断开（有记录被删除、插入或修改）",
	reasonHashMismatch:   "审计记录内容被修改",
	reasonHeadMismatch:   "审计链末端与记录不符（末尾记录被删除或替换）",
	reasonUnreadable:     "数据无法通过认证（已损坏或被改动）",
	reasonNotAudited:     "记录没有对应的审计记录（被私自添加）",
	reasonDigestChanged:  "记录内容与审计摘要不符（被私自修改）",
	reasonMissing:        "审计链记载的记录已不存在（被删除或丢失）",
	reasonIndex:          "索引与记录不符",
	reasonNoAnchor:       "审计链锚点文件缺失（数据目录被改动）",
	reasonRolledBack:     "审计链比上次记录的末端短：最近的修改已丢失（数据被回退或日志损坏）",
	reasonAnchorMismatch: "审计链与锚点记录不符（数据被替换）",
}

func shortID(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}

// Report is what Verify found sound (data.VerifyReport).
type Report = data.VerifyReport

// Verify walks the audit chain and every stored value: each entry must link
// to the previous one and hash to itself, the head must be the last entry,
// every record must open and match the digest of its newest entry, and every
// record the chain says exists must be present. It returns the first break
// as a *VerifyError.
func (s *Store) Verify(ctx context.Context) (Report, error) {
	return s.VerifyProgress(ctx, nil)
}

// VerifyProgress is Verify telling progress, if not nil, how far it is
// (0 to 1) every few thousand records. Opening, decoding and hashing run
// on all cores (scanParallel); the checks run in order.
func (s *Store) VerifyProgress(ctx context.Context, progress func(done float64)) (Report, error) {
	if progress == nil {
		progress = func(float64) {}
	}
	var rep Report
	err := s.view(ctx, func(txn *badger.Txn) error {
		s.mu.Lock()
		total := float64(s.head.Seq) + 1
		s.mu.Unlock()
		expect := map[string]audited{} // kind/id -> what its newest entry says
		var last Entry
		type opened struct {
			e      Entry
			err    error
			hashOK bool
		}
		err := scanParallel(ctx, txn, []byte(prefixAudit), func(key, v []byte, err error, scratch *[]byte) opened {
			var o opened
			if err == nil {
				var p []byte
				if p, err = s.seal.openTo((*scratch)[:0], key, v); err == nil {
					*scratch = p
					err = json.Unmarshal(p, &o.e)
				}
			}
			o.err = err
			o.hashOK = err == nil && o.e.computeHash() == o.e.Hash
			return o
		}, func(key []byte, o opened) error {
			want := last.Seq + 1
			e := o.e
			switch {
			case o.err != nil:
				return &VerifyError{Seq: want, Reason: reasonUnreadable, Err: data.ErrCorrupt}
			case len(key) != len(prefixAudit)+8 || binary.BigEndian.Uint64(key[len(prefixAudit):]) != e.Seq:
				return &VerifyError{Seq: want, Reason: reasonKeyMismatch, Err: data.ErrAuditBroken}
			case e.Seq != want:
				return &VerifyError{Seq: want, Reason: reasonSeqGap, Err: data.ErrAuditBroken}
			}
			prev := last.Hash
			if want == 1 {
				prev = genesis
			}
			if e.Prev != prev {
				return &VerifyError{Seq: e.Seq, Reason: reasonPrevMismatch, Err: data.ErrAuditBroken}
			}
			if !o.hashOK {
				return &VerifyError{Seq: e.Seq, Reason: reasonHashMismatch, Err: data.ErrAuditBroken}
			}
			expect[e.Kind+"/"+e.ID] = auditedOf(e.Digest)
			last = e
			rep.Entries++
			if rep.Entries%4096 == 0 {
				progress(0.5 * min(1, float64(rep.Entries)/total))
			}
			return nil
		})
		if err != nil {
			return err
		}

		head, err := s.headIn(txn)
		if err != nil {
			return &VerifyError{Reason: reasonUnreadable, Err: data.ErrCorrupt}
		}
		if head.Seq != last.Seq || head.Hash != last.Hash {
			return &VerifyError{Seq: last.Seq, Reason: reasonHeadMismatch, Err: data.ErrAuditBroken}
		}
		rep.Head = head

		// every declared unique field: index name -> record id -> blinded value
		uniques := map[string]map[string]string{}
		for _, k := range kinds {
			for _, u := range k.unique {
				uniques[k.name+"/"+u.name] = map[string]string{}
			}
		}
		carriers := 0
		rp := []byte(prefixRecord)
		type record struct {
			dig    [32]byte
			blinds []string // of its kind's unique fields, in order ("" when empty)
			err    error
		}
		err = scanParallel(ctx, txn, rp, func(key, v []byte, err error, scratch *[]byte) record {
			var r record
			if err != nil {
				r.err = err
				return r
			}
			p, err := s.seal.openTo((*scratch)[:0], key, v)
			if err != nil {
				r.err = err
				return r
			}
			*scratch = p
			r.dig = sm3.Sum(p)
			kind, _, _ := strings.Cut(string(key[len(rp):]), "/")
			if k, ok := kinds[kind]; ok {
				for _, u := range k.unique {
					v, err := u.value(p)
					if err != nil {
						r.err = err
						return r
					}
					if v != "" {
						v = s.seal.blind(v)
					}
					r.blinds = append(r.blinds, v)
				}
			}
			return r
		}, func(key []byte, r record) error {
			name := string(key[len(rp):])
			kind, id, _ := strings.Cut(name, "/")
			if r.err != nil {
				return &VerifyError{Kind: kind, ID: id, Reason: reasonUnreadable, Err: data.ErrCorrupt}
			}
			want, ok := expect[name]
			if !ok || !want.live {
				return &VerifyError{Kind: kind, ID: id, Reason: reasonNotAudited, Err: data.ErrAuditBroken}
			}
			if want.digest != r.dig {
				return &VerifyError{Kind: kind, ID: id, Reason: reasonDigestChanged, Err: data.ErrAuditBroken}
			}
			want.seen = true
			expect[name] = want
			rep.Records++
			if kind == KindCarrier {
				carriers++
			}
			if k, ok := kinds[kind]; ok {
				for i, u := range k.unique {
					if r.blinds[i] != "" {
						uniques[kind+"/"+u.name][id] = r.blinds[i]
					}
				}
			}
			if rep.Records%4096 == 0 {
				progress(0.5 + 0.4*min(1, float64(rep.Records)/float64(len(expect)+1)))
			}
			return nil
		})
		if err != nil {
			return err
		}
		var missing []string
		for name, a := range expect {
			if a.live && !a.seen {
				missing = append(missing, name)
			}
		}
		if len(missing) > 0 {
			sort.Strings(missing)
			kind, id, _ := strings.Cut(missing[0], "/")
			return &VerifyError{Kind: kind, ID: id, Reason: reasonMissing, Err: data.ErrAuditBroken}
		}
		progress(0.9)
		if err := s.verifyIndexes(ctx, txn, uniques); err != nil {
			return err
		}
		progress(0.97)
		rep.RegisterConfirmed = s.checkCache(head, expect, carriers)
		progress(1)
		return nil
	})
	if err != nil {
		return Report{}, fmt.Errorf("verify store: %w", err)
	}
	return rep, nil
}

// audited is what the newest audit entry of a record says of it.
type audited struct {
	digest [32]byte // SM3 of the value
	live   bool     // false: deleted (or a digest that is not SM3 hex, which no value matches)
	seen   bool     // Verify found the record
}

// auditedOf reads an entry's hex digest ("" for a deletion).
func auditedOf(hexDigest string) audited {
	var a audited
	if len(hexDigest) == 2*len(a.digest) {
		_, err := hex.Decode(a.digest[:], []byte(hexDigest))
		a.live = err == nil
	}
	return a
}

// verifyIndexes checks that every index entry opens and that the index of
// every declared unique field (uniques: "<kind>/<field>" -> record id ->
// blinded value) maps exactly the records' values to their records, both
// ways. Entries of indexes no kind declares are only opened.
func (s *Store) verifyIndexes(ctx context.Context, txn *badger.Txn, uniques map[string]map[string]string) error {
	indexed := map[string]map[string]bool{} // index name -> record ids reached through it
	for name := range uniques {
		indexed[name] = map[string]bool{}
	}
	type entry struct {
		target string
		err    error
	}
	ip := []byte(prefixIndex)
	err := scanParallel(ctx, txn, ip, func(key, v []byte, err error, scratch *[]byte) entry {
		if err != nil {
			return entry{err: err}
		}
		p, err := s.seal.openTo((*scratch)[:0], key, v)
		if err == nil {
			*scratch = p
		}
		return entry{target: string(p), err: err}
	}, func(key []byte, e entry) error {
		if e.err != nil {
			return &VerifyError{Reason: reasonUnreadable, Err: data.ErrCorrupt}
		}
		rest := string(key[len(ip):])
		cut := strings.LastIndexByte(rest, '/')
		if cut < 0 {
			return nil
		}
		name, blind := rest[:cut], rest[cut+1:]
		want, declared := uniques[name]
		if !declared {
			return nil
		}
		kind, _, _ := strings.Cut(name, "/")
		if want[e.target] != blind || indexed[name][e.target] {
			return &VerifyError{Kind: kind, ID: e.target, Reason: reasonIndex, Err: data.ErrAuditBroken}
		}
		indexed[name][e.target] = true
		return nil
	})
	if err != nil {
		return err
	}
	names := make([]string, 0, len(uniques))
	for name := range uniques {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		var ids []string
		for id := range uniques[name] {
			if !indexed[name][id] {
				ids = append(ids, id)
			}
		}
		if len(ids) > 0 {
			sort.Strings(ids)
			kind, _, _ := strings.Cut(name, "/")
			return &VerifyError{Kind: kind, ID: ids[0], Reason: reasonIndex, Err: data.ErrAuditBroken}
		}
	}
	return nil
}
