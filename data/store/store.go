// Package store keeps Baomi's records in an embedded Badger database. Badger
// encrypts its files with the master key; on top of that every value is
// sealed with SM4-GCM under the record key with its Badger key as associated
// data, and every change appends an entry to an SM3 audit chain in the same
// transaction. Verify checks chain and values together.
package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"

	"baomi/data"
	"baomi/data/datadir"
)

// Key prefixes. Record keys are r/<kind>/<id>, index keys i/<kind>/<field>/<blind>,
// audit keys a/<8-byte big-endian sequence>, metadata m/<name>.
const (
	prefixRecord = "r/"
	prefixIndex  = "i/"
	prefixAudit  = "a/"
	keyHead      = "m/head"
	keySchema    = "m/schema"
)

// DBDir is the folder inside the data folder that holds the Badger files.
const DBDir = "db"

// Keys are the secrets a store needs: Badger's master key (16, 24 or 32
// bytes), the SM4 record key (16 bytes) and the index key.
type Keys struct {
	Master []byte
	Record []byte
	Index  []byte
}

// Options tune Open.
type Options struct {
	// Operator is written into every audit entry this session makes.
	Operator string
	// NoGuard skips the corruption check in a child process before opening.
	// Only tests that open many stores and corrupt none set it.
	NoGuard bool
	// Logger receives Badger's warnings and internal errors; nil logs to the
	// standard logger.
	Logger *log.Logger
	// Now returns the current time; nil uses time.Now. Tests set it.
	Now func() time.Time
	// MustExist forbids creating a store: the caller knows one was created
	// (the vault records it), so a missing or empty db folder, or a missing
	// outer anchor, is refused instead of starting a new audit chain.
	MustExist bool
}

// Store is an open Baomi store. Its methods are safe for concurrent use;
// writes are serialised.
type Store struct {
	dir     string // the Badger folder
	dataDir string // the data folder, which holds the outer anchor
	db      *badger.DB
	seal    *sealer
	opts    Options

	// life keeps the database open while a read or write uses it: view and
	// update hold it shared, Close exclusively, so that locking Baomi in the
	// middle of a long Verify waits for it instead of pulling the files away.
	life  sync.RWMutex
	mu    sync.Mutex // serialises writes and guards head, db and cache
	head  Head
	cache *regCache // the register at head, or nil
	// observers are told every commit's changes (observer); the register
	// cache is one.
	observers []observer

	rolledBack int // carriers of an unfinished all-or-nothing import undone at open (importjournal.go)
}

// Open opens (or creates) the store in dataDir/db with keys. Before Badger
// opens the files in this process, inspectStore checks, reading only, that
// the folder holds a whole store (a missing part wraps data.ErrStoreMissing),
// and a child process reads every table with full checksum verification
// (guard.go), so that a corrupted table ends in an error wrapping
// data.ErrCorrupt instead of a panic inside Badger; a refused folder is left
// exactly as it was found. A missing or empty store is created only when
// nothing says one existed (presence.go). A folder held by another process
// gives data.ErrAlreadyOpen.
func Open(dataDir string, keys Keys, opts Options) (*Store, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = log.Default()
	}
	seal, err := newSealer(keys.Record, keys.Index)
	if err != nil {
		return nil, err
	}
	datadir.RestrictUmask()
	absent, err := inspectStore(dataDir)
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(dataDir, DBDir)
	if err := checkSpace(dataDir, 0); err != nil { // diskspace.go: Badger's mmapped writes must not meet a full disk
		return nil, err
	}
	if err := dropEmptyLogs(dir); err != nil { // before the guard child opens it too
		return nil, err
	}
	switch {
	case absent && opts.MustExist:
		return nil, errStoreGone(dataDir, "the vault records a finished setup")
	case absent && outerAnchorPresent(dataDir):
		return nil, errStoreGone(dataDir, "the outer anchor exists")
	case absent:
		if err := createStore(dataDir, keys.Master, opts.Logger); err != nil {
			return nil, err
		}
	case !opts.NoGuard:
		if err := guardCheck(dir, keys.Master); err != nil {
			return nil, err
		}
	}
	if err := datadir.Tighten(dataDir); err != nil {
		opts.Logger.Printf("store: %v", err)
	}
	db, err := badger.Open(badgerOptions(dir, keys.Master, opts.Logger, false))
	if err != nil {
		return nil, classifyOpenError(err)
	}
	s := &Store{dir: dir, dataDir: dataDir, db: db, seal: seal, opts: opts}
	s.observers = []observer{s.applyToCache}
	for _, step := range []func() error{s.loadHead, s.checkAnchor, s.migrate, s.rollbackImports} {
		if err := step(); err != nil {
			db.Close()
			return nil, err
		}
	}
	return s, nil
}

// memTableSize is the size of Badger's memtables. A transaction may hold
// 15% of it (629 KB), which sets importChunkBytes.
const memTableSize = 4 << 20

// legacyMemTableSize is the memtable size of every store written before
// #7 item 7. Badger replays a memtable's log (*.mem, made twice the
// memtable's size) into a memtable of the size it is opened with, and ends
// the process on one that held more ("Arena too small"): a store left by a
// kill -9 with more than 4 MB in its memtable did not open with 4 MB
// memtables.
const legacyMemTableSize = 8 << 20

// openMemTableSize is the memtable size stores are opened with when no
// larger memtable log is found; a variable only so that a test can write a
// store as the code before did.
var openMemTableSize int64 = memTableSize

// memTableSizeFor returns the memtable size to open the store in dir with:
// openMemTableSize, or legacyMemTableSize when a memtable log there was
// made for larger memtables than openMemTableSize. Nothing larger was ever
// written, so a larger file (damaged, or planted) cannot make Badger
// allocate more: it fails the replay as it would have before.
func memTableSizeFor(dir string) int64 {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return openMemTableSize
	}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".mem") {
			continue
		}
		if info, err := e.Info(); err == nil && info.Size() > 2*openMemTableSize {
			return max(openMemTableSize, legacyMemTableSize)
		}
	}
	return openMemTableSize
}

// badgerOptions returns desktop-sized options (tech-notes): small memtables
// and tables, bounded caches, and SyncWrites so that an acknowledged write
// survives a power cut. verify turns on every checksum Badger has.
//
// The memtable, table and compression settings bound what Badger holds
// while it flushes and compacts, which was most of a large import's memory
// (#7 item 7). Each table builder collects its table's blocks (and their
// compressed and encrypted copies) in an allocator that grows by doubling,
// and Badger keeps up to eight used allocators for reuse, each as large as
// the largest table it built: with 8 MB memtables and ZSTD that was about
// 30 MB each, and with the default table size multiplier the deepest
// level's tables grow with the store (8 MB at 200 MB). Measured with a
// 100,000-row import into an empty register (heap profile at the peak):
// Badger's allocators held 250-300 MB; with 4 MB memtables, every table
// 2 MB and no compression, about 50 MB, and the command's peak of
// anonymous memory fell from 340 MB to 250-320 MB. Compression saves
// nothing here: every value is sealed and every index key blinded, so the
// store is 200 MB with ZSTD or without. Tables written before keep the
// compression MANIFEST records for them and are read as before.
func badgerOptions(dir string, master []byte, lg *log.Logger, verify bool) badger.Options {
	o := badger.DefaultOptions(dir).
		WithEncryptionKey(master).
		WithIndexCacheSize(16 << 20).
		WithBlockCacheSize(32 << 20).
		WithMemTableSize(memTableSizeFor(dir)).
		WithNumMemtables(2).
		// A value larger than this would go to the value log; none is
		// (the largest, an import journal record, is under
		// importChunkBytes), and Badger refuses a threshold above the
		// largest batch, 15% of the memtable.
		WithValueThreshold(512 << 10).
		WithBaseTableSize(2 << 20).
		WithValueLogFileSize(64 << 20).
		WithCompression(options.None).
		WithSyncWrites(true).
		WithNumCompactors(2).
		WithLogger(badgerLogger{lg}).
		WithLoggingLevel(badger.WARNING)
	o.TableSizeMultiplier = 1 // no With method in v4.9.6
	if verify {
		o = o.WithChecksumVerificationMode(options.OnTableAndBlockRead).WithVerifyValueChecksum(true)
	}
	return o
}

func classifyOpenError(err error) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "Cannot acquire directory lock"):
		return fmt.Errorf("open store: %w: %w", err, data.ErrAlreadyOpen)
	case errors.Is(err, badger.ErrEncryptionKeyMismatch), strings.Contains(msg, "Encryption key mismatch"):
		// The keys come from the vault, which has already authenticated
		// them: a mismatch means a db folder from another vault (an old
		// vault copy after a re-key) or a damaged KEYREGISTRY, not a
		// wrong password.
		return errWrongKeys(fmt.Errorf("open store: %w: %w", err, data.ErrCorrupt))
	case strings.Contains(msg, "Invalid encryption key"):
		return fmt.Errorf("open store: %w: %w", err, data.ErrCorrupt)
	}
	return fmt.Errorf("open store: %w: %w", err, data.ErrCorrupt)
}

// Close flushes and closes the store. The store cannot be used afterwards.
func (s *Store) Close() error {
	s.life.Lock()
	defer s.life.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.db == nil {
		return nil
	}
	aerr := s.writeAnchor(s.head, true)
	if err := s.saveSnapshot(); err != nil {
		// only the next unlock is slower
		s.opts.Logger.Printf("store: %v", err)
	}
	s.cache = nil
	err := s.db.Close()
	s.db = nil
	clear(s.seal.index) // the sealer's own copy of the index key
	s.seal = nil        // drop the record and index keys with the store
	if err != nil {
		return fmt.Errorf("close store: %w", err)
	}
	if aerr != nil {
		return fmt.Errorf("close store: %w", aerr)
	}
	return nil
}

// Head returns the newest link of the audit chain.
func (s *Store) Head() Head {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.head
}

// Operator returns the name written into this session's audit entries.
func (s *Store) Operator() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.opts.Operator
}

func (s *Store) loadHead() error {
	return s.db.View(func(txn *badger.Txn) (err error) {
		s.head, err = s.headIn(txn)
		return err
	})
}

// headIn reads the audit head stored in txn (zero for an empty store); an
// unreadable head wraps data.ErrCorrupt.
func (s *Store) headIn(txn *badger.Txn) (Head, error) {
	var h Head
	b, err := s.getSealed(txn, []byte(keyHead))
	if errors.Is(err, data.ErrNotFound) {
		return h, nil
	}
	if err != nil {
		return h, err
	}
	if err := json.Unmarshal(b, &h); err != nil {
		return h, fmt.Errorf("decode audit head: %v: %w", err, data.ErrCorrupt)
	}
	return h, nil
}

// getSealed reads and opens the value at key; a missing key is
// data.ErrNotFound.
func (s *Store) getSealed(txn *badger.Txn, key []byte) ([]byte, error) {
	item, err := txn.Get(key)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, fmt.Errorf("%s: %w", printableKey(key), data.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %v: %w", printableKey(key), err, data.ErrCorrupt)
	}
	var plain []byte
	err = item.Value(func(v []byte) error {
		p, err := s.seal.open(key, v)
		plain = p
		return err
	})
	return plain, err
}

// tx is one write transaction: record changes and their audit entries.
type tx struct {
	s       *Store
	txn     *badger.Txn
	head    Head
	changes []change // for the observers once committed
}

// update runs fn in a write transaction, appends the audit entries it makes
// and commits durably. Nothing is written if fn fails.
func (s *Store) update(ctx context.Context, fn func(*tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.life.RLock()
	defer s.life.RUnlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.db == nil {
		return data.ErrLocked
	}
	if err := checkSpace(filepath.Dir(s.dir), 0); err != nil {
		return err
	}
	txn := s.db.NewTransaction(true)
	defer txn.Discard()
	t := &tx{s: s, txn: txn, head: s.head}
	if err := fn(t); err != nil {
		return err
	}
	if t.head != s.head {
		hb, err := json.Marshal(t.head)
		if err != nil {
			return fmt.Errorf("encode head: %w", err)
		}
		if err := t.setSealed([]byte(keyHead), hb); err != nil {
			return err
		}
	}
	if err := txn.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	if t.head != s.head {
		// The commit is durable; a failed anchor write only leaves the
		// anchor behind the chain, which is safe, so it is logged, not
		// reported as a failed save.
		if err := s.writeAnchor(t.head, false); err != nil {
			s.opts.Logger.Printf("store: %v", err)
		}
	}
	for _, o := range s.observers {
		o(s.head, t.head, t.changes)
	}
	s.head = t.head
	return nil
}

// view runs fn in a read transaction.
func (s *Store) view(ctx context.Context, fn func(*badger.Txn) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.life.RLock()
	defer s.life.RUnlock()
	s.mu.Lock()
	db := s.db
	s.mu.Unlock()
	if db == nil {
		return data.ErrLocked
	}
	return db.View(fn)
}

func (t *tx) setSealed(key, plain []byte) error {
	v, err := t.s.seal.seal(key, plain)
	if err != nil {
		return err
	}
	if err := t.txn.Set(key, v); err != nil {
		return fmt.Errorf("write %s: %w", printableKey(key), err)
	}
	return nil
}

func recordKey(kind, id string) []byte { return []byte(prefixRecord + kind + "/" + id) }

// put stores value as record kind/id with its audit entry, and keeps the
// kind's unique indexes: a unique value another record of the kind holds
// is refused with a conflictError naming the field, and the entry of a
// value the record no longer has is removed.
func (t *tx) put(kind, id string, value any) error {
	k, err := kindOf(kind)
	if err != nil {
		return err
	}
	b, err := json.Marshal(value)
	if err != nil {
		return fmt.Errorf("encode %s: %w", kind, err)
	}
	key := recordKey(kind, id)
	old, err := t.stored(k, key)
	if err != nil {
		return err
	}
	action := ActionCreate
	if old != nil {
		action = ActionUpdate
	}
	if err := t.reindex(k, id, old, b); err != nil {
		return err
	}
	if err := t.setSealed(key, b); err != nil {
		return err
	}
	t.changes = append(t.changes, change{kind: kind, id: id, value: value})
	return t.audit(action, kind, id, digest(b))
}

// del removes record kind/id with its audit entry and its unique index
// entries.
func (t *tx) del(kind, id string) error {
	k, err := kindOf(kind)
	if err != nil {
		return err
	}
	key := recordKey(kind, id)
	old, err := t.stored(k, key)
	if err != nil {
		return err
	}
	if old != nil {
		if err := t.reindex(k, id, old, nil); err != nil {
			return err
		}
	}
	if err := t.txn.Delete(key); err != nil {
		return fmt.Errorf("delete %s: %w", printableKey(key), err)
	}
	t.changes = append(t.changes, change{kind: kind, id: id})
	return t.audit(ActionDelete, kind, id, "")
}

// stored returns the plaintext of the record at key when it exists: nil
// when it does not, and an empty non-nil slice when k has no unique field
// (nothing needs the old value then but whether there is one).
func (t *tx) stored(k *kindSpec, key []byte) ([]byte, error) {
	if len(k.unique) == 0 {
		if _, err := t.txn.Get(key); errors.Is(err, badger.ErrKeyNotFound) {
			return nil, nil
		} else if err != nil {
			return nil, fmt.Errorf("read %s: %w", printableKey(key), err)
		}
		return []byte{}, nil
	}
	p, err := t.s.getSealed(t.txn, key)
	if errors.Is(err, data.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", printableKey(key), err)
	}
	return p, nil
}

// reindex moves record id's unique index entries from the values in old
// to those in next (either may be nil: no record). An entry is removed
// only while it still names id.
func (t *tx) reindex(k *kindSpec, id string, old, next []byte) error {
	for _, u := range k.unique {
		var was, now string
		var err error
		if old != nil {
			if was, err = u.value(old); err != nil {
				return fmt.Errorf("decode %s/%s: %v: %w", k.name, id, err, data.ErrCorrupt)
			}
		}
		if next != nil {
			if now, err = u.value(next); err != nil {
				return fmt.Errorf("encode %s/%s: %w", k.name, id, err)
			}
		}
		if was != "" && was != now {
			owner, err := t.s.lookup(t.txn, k.name, u.name, was)
			if err != nil {
				return err
			}
			if owner == id {
				if err := t.txn.Delete(indexKey(k.name, u.name, t.s.seal.blind(was))); err != nil {
					return fmt.Errorf("delete index: %w", err)
				}
			}
		}
		if now == "" {
			continue
		}
		owner, err := t.s.lookup(t.txn, k.name, u.name, now)
		if err != nil {
			return err
		}
		if owner != "" && owner != id {
			return conflictError{data.FieldErrors{{Field: u.field, Problem: u.problem}}}
		}
		if owner == "" {
			if err := t.setSealed(indexKey(k.name, u.name, t.s.seal.blind(now)), []byte(id)); err != nil {
				return err
			}
		}
	}
	return nil
}

func (t *tx) audit(action, kind, id, dig string) error {
	prev := t.head.Hash
	if t.head.Seq == 0 {
		prev = genesis
	}
	e := Entry{
		Seq: t.head.Seq + 1, Time: t.s.opts.Now().UnixNano(), Operator: t.s.opts.Operator,
		Action: action, Kind: kind, ID: id, Digest: dig, Prev: prev,
	}
	e.Hash = e.computeHash()
	b, err := marshalEntry(e)
	if err != nil {
		return err
	}
	if err := t.setSealed(auditKey(e.Seq), b); err != nil {
		return err
	}
	t.head = Head{Seq: e.Seq, Hash: e.Hash}
	return nil
}

// get decodes record kind/id into out; a missing record is data.ErrNotFound.
func (s *Store) get(txn *badger.Txn, kind, id string, out any) error {
	b, err := s.getSealed(txn, recordKey(kind, id))
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("decode %s/%s: %v: %w", kind, id, err, data.ErrCorrupt)
	}
	return nil
}

// each calls fn with the id and plaintext of every record of kind.
func (s *Store) each(txn *badger.Txn, kind string, fn func(id string, plain []byte) error) error {
	prefix := []byte(prefixRecord + kind + "/")
	it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix, PrefetchValues: true, PrefetchSize: 100})
	defer it.Close()
	for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
		item := it.Item()
		key := item.KeyCopy(nil)
		var plain []byte
		err := item.Value(func(v []byte) error {
			p, err := s.seal.open(key, v)
			plain = p
			return err
		})
		if err != nil {
			return err
		}
		if err := fn(string(key[len(prefix):]), plain); err != nil {
			return err
		}
	}
	return nil
}

func indexKey(kind, field, blind string) []byte {
	return []byte(prefixIndex + kind + "/" + field + "/" + blind)
}

// lookup returns the id a unique index maps value to, or "".
func (s *Store) lookup(txn *badger.Txn, kind, field, value string) (string, error) {
	b, err := s.getSealed(txn, indexKey(kind, field, s.seal.blind(value)))
	if errors.Is(err, data.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// newID returns a random 128-bit identifier in hex.
func newID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(fmt.Sprintf("crypto/rand failed: %v", err))
	}
	return hex.EncodeToString(b[:])
}

type badgerLogger struct{ l *log.Logger }

func (b badgerLogger) Errorf(f string, a ...any) { b.l.Printf("badger ERROR: "+f, a...) }
func (b badgerLogger) Warningf(f string, a ...any) {
	// Badger's minutely cache statistics say nothing wrong: a Verify that
	// reads every block once always "misses" the cache.
	if strings.HasPrefix(f, "%s might be too small") || strings.HasPrefix(f, "Cache life expectancy") {
		return
	}
	b.l.Printf("badger WARNING: "+f, a...)
}
func (b badgerLogger) Infof(string, ...any)  {}
func (b badgerLogger) Debugf(string, ...any) {}

// SetOperator sets the name written into this session's audit entries from
// now on.
func (s *Store) SetOperator(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.opts.Operator = name
}
