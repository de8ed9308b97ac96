package store

import (
	"encoding/json"
	"errors"
	"io"
	"log"
	"sort"

	"github.com/dgraph-io/badger/v4"
	"github.com/emmansun/gmsm/sm3"

	"baomi/data"
)

// regCache is the store's own copy of the register (every carrier with its
// derived fields) as it stands at head. It is filled by a full read in
// Carriers or from a register snapshot whose head is the store's, kept up
// to date by every commit, and written to the snapshot file at Close. Any
// doubt (a commit it did not see) drops it; Verify checks it against the
// audited digests.
type regCache struct {
	head      Head
	list      []data.Carrier
	pos       map[string]int // carrier ID -> index in list
	sorted    bool           // list is in 编号 order
	confirmed bool           // Verify found every carrier equal to its audited record
	saved     Head           // the head the snapshot file holds this register at
}

func newRegCache(head Head, list []data.Carrier) *regCache {
	c := &regCache{head: head, list: list, pos: make(map[string]int, len(list))}
	for i := range list {
		c.pos[list[i].ID] = i
	}
	c.sorted = sort.SliceIsSorted(list, func(i, j int) bool { return list[i].Number < list[j].Number })
	return c
}

// put adds or replaces one carrier.
func (c *regCache) put(v data.Carrier) {
	if i, ok := c.pos[v.ID]; ok {
		if c.list[i].Number != v.Number {
			c.sorted = false
		}
		c.list[i] = v
		return
	}
	c.pos[v.ID] = len(c.list)
	c.list = append(c.list, v)
	c.sorted = false
}

// remove drops one carrier.
func (c *regCache) remove(id string) {
	i, ok := c.pos[id]
	if !ok {
		return
	}
	last := len(c.list) - 1
	c.list[i] = c.list[last]
	c.pos[c.list[i].ID] = i
	c.list = c.list[:last]
	delete(c.pos, id)
	c.sorted = false
}

// carriers returns a copy of the list in 编号 order.
func (c *regCache) carriers() []data.Carrier {
	if !c.sorted {
		perm := make([]int32, len(c.list))
		for i := range perm {
			perm[i] = int32(i)
		}
		sort.Slice(perm, func(a, b int) bool { return c.list[perm[a]].Number < c.list[perm[b]].Number })
		sorted := make([]data.Carrier, len(c.list))
		for i, p := range perm {
			sorted[i] = c.list[p]
			c.pos[sorted[i].ID] = i
		}
		c.list, c.sorted = sorted, true
	}
	return append([]data.Carrier(nil), c.list...)
}

// cachedCarriers returns the register from the cache when it is current.
func (s *Store) cachedCarriers() ([]data.Carrier, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cache == nil || s.cache.head != s.head {
		return nil, false
	}
	return s.cache.carriers(), true
}

// fillCache keeps list, read in one transaction at head, as the cache when
// no commit came in between.
func (s *Store) fillCache(head Head, list []data.Carrier) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.db != nil && s.head == head {
		s.cache = newRegCache(head, append([]data.Carrier(nil), list...))
	}
}

// applyToCache is the register cache's observer: it brings the cache from
// the head before a commit to the head after it, and drops it on any
// doubt (a commit it did not see, a carrier it cannot read).
func (s *Store) applyToCache(from, to Head, changes []change) {
	if s.cache == nil {
		return
	}
	if s.cache.head != from {
		s.cache = nil
		return
	}
	for _, ch := range changes {
		if ch.kind != KindCarrier {
			continue
		}
		if ch.value == nil {
			s.cache.remove(ch.id)
			continue
		}
		c, ok := ch.value.(data.Carrier)
		if !ok {
			s.opts.Logger.Printf("store: register cache: carrier %s stored as %T; dropped", ch.id, ch.value)
			s.cache = nil
			return
		}
		s.cache.put(c)
	}
	s.cache.head = to
}

// UseSnapshot takes the carriers of snap as the store's register when snap
// is at the store's head, so that the first Carriers after unlocking costs
// a copy instead of reading every record. It reports whether it did. The
// next Verify checks them against the audited records.
func (s *Store) UseSnapshot(snap *Snapshot) bool {
	if snap == nil {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.db == nil || snap.Head != s.head {
		return false
	}
	s.cache = newRegCache(snap.Head, append([]data.Carrier(nil), snap.Carriers...))
	s.cache.saved = snap.Head
	return true
}

// saveSnapshot writes the register snapshot when the cache is current;
// the caller holds s.mu and the database is open.
func (s *Store) saveSnapshot() error {
	if s.cache == nil || s.cache.head != s.head || s.cache.saved == s.head {
		return nil
	}
	snap := &Snapshot{Head: s.head, Carriers: s.cache.carriers(), Settings: data.DefaultSettings()}
	err := s.db.View(func(txn *badger.Txn) error {
		if err := s.get(txn, KindUnit, singleton, &snap.Unit); err == nil {
			snap.HasUnit = true
		} else if !errors.Is(err, data.ErrNotFound) {
			return err
		}
		if err := s.get(txn, KindSettings, singleton, &snap.Settings); err != nil && !errors.Is(err, data.ErrNotFound) {
			return err
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := s.writeSnapshot(snap); err != nil {
		return err
	}
	s.cache.saved = s.head
	return nil
}

// checkCache compares the cache, when it is at the verified head h, with
// the audited digests (kind/id -> digest) and the number of carrier
// records; a cache that differs is dropped. It reports whether the cache
// was confirmed.
func (s *Store) checkCache(h Head, expect map[string]audited, records int) bool {
	s.mu.Lock()
	c := s.cache
	var list []data.Carrier
	if c != nil && c.head == h {
		list = append(list, c.list...)
	}
	s.mu.Unlock()
	if list == nil && (c == nil || c.head != h) {
		return false
	}
	ok := len(list) == records
	for i := 0; ok && i < len(list); i++ {
		b, err := json.Marshal(list[i])
		a := expect[KindCarrier+"/"+list[i].ID]
		ok = err == nil && a.live && a.digest == sm3.Sum(b)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cache == c {
		if ok {
			c.confirmed = true
		} else {
			s.opts.Logger.Printf("store: register cache differs from the audited records; dropped")
			s.cache = nil
		}
	}
	return ok
}

var discardLogger = log.New(io.Discard, "", 0)
