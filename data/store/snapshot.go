package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"
	"unsafe"

	"github.com/klauspost/compress/zstd"

	"baomi/data"
	"baomi/data/safefile"
)

// The register snapshot lets Baomi show the register the moment the keys
// are derived, before the guard, Badger and Verify have run (seconds at
// 100,000 carriers). It is the whole register as it stood at one audit
// head: unit, settings and every carrier with its derived fields, in a
// compact binary form, compressed with zstd and sealed (SM4-GCM under the
// record key) in one file next to the anchor. The store writes it when it
// closes, from its own register cache, which only ever holds what was read
// from or committed to Badger; Verify checks that cache against the
// audited digests. A snapshot is used only when its head is the anchored
// head, that is when no change was committed after it was written; a
// damaged, stale or missing snapshot only means the slow path.
const (
	snapshotName    = "BAOMI-REGISTER"
	snapshotAAD     = "baomi-register-snapshot-v1"
	snapshotVersion = 3
	// snapshotV2 is the version before carriers had Pending (待补全): its
	// records end at UpdatedAt. Such a snapshot, written by the code before,
	// still opens.
	snapshotV2 = 2
	// snapshotChunk carriers are compressed together; chunks decode on
	// all cores.
	snapshotChunk = 8192
)

// Snapshot is the register as it stood at Head (data.RegisterSnapshot).
type Snapshot = data.RegisterSnapshot

// ReadSnapshot reads the register snapshot of the store in dataDir without
// opening the store. It returns an error wrapping data.ErrNotFound when
// there is no snapshot or when changes were committed after it was written
// (its head is not the anchored head), and one wrapping data.ErrCorrupt
// when the file does not open with keys or does not decode.
func ReadSnapshot(dataDir string, keys Keys) (*Snapshot, error) {
	seal, err := newSealer(keys.Record, keys.Index)
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(dataDir, DBDir)
	b, err := os.ReadFile(filepath.Join(dir, snapshotName))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("register snapshot: %w", data.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read register snapshot: %w", err)
	}
	raw, err := seal.open([]byte(snapshotAAD), b)
	if err != nil {
		return nil, fmt.Errorf("register snapshot: %w", err)
	}
	snap, err := decodeSnapshot(raw)
	if err != nil {
		return nil, err
	}
	// Only the anchor tells whether a change was committed after the
	// snapshot: it is rewritten after every commit.
	probe := &Store{dir: dir, seal: seal, opts: Options{Logger: discardLogger}}
	a, found, err := probe.readAnchor()
	if err != nil {
		return nil, fmt.Errorf("register snapshot: %w", err)
	}
	if !found || a != snap.Head {
		return nil, fmt.Errorf("register snapshot at #%d, anchor at #%d: %w", snap.Head.Seq, a.Seq, data.ErrNotFound)
	}
	return snap, nil
}

// writeSnapshot writes snap to the store's folder; the caller holds s.mu.
func (s *Store) writeSnapshot(snap *Snapshot) error {
	raw, err := encodeSnapshot(snap)
	if err != nil {
		return err
	}
	sealed, err := s.seal.seal([]byte(snapshotAAD), raw)
	if err != nil {
		return err
	}
	if err := safefile.Write(filepath.Join(s.dir, snapshotName), sealed, 0o600); err != nil {
		return fmt.Errorf("write register snapshot: %w", err)
	}
	return nil
}

var (
	zstdEncoder, _ = zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(1))
	zstdDecoder, _ = zstd.NewReader(nil, zstd.WithDecoderConcurrency(0), zstd.WithDecoderMaxMemory(1<<31))
)

// encodeSnapshot lays snap out as: version, head, unit and settings as
// JSON, the number of carriers, then the carriers in chunks of
// snapshotChunk, each compressed with zstd on its own (a table of chunk
// sizes first) so that they decode in parallel. Inside a chunk the
// carriers go field by field (strings length-prefixed, numbers as varints,
// dates as day numbers, times in their binary form). Every field of
// data.Carrier must appear here; TestSnapshotKeepsEveryCarrierField fails
// when one is added without it.
func encodeSnapshot(snap *Snapshot) ([]byte, error) {
	e := &snapEncoder{}
	e.uint(snapshotVersion)
	e.uint(snap.Head.Seq)
	e.str(snap.Head.Hash)
	if snap.HasUnit {
		u, err := json.Marshal(snap.Unit)
		if err != nil {
			return nil, fmt.Errorf("encode snapshot unit: %w", err)
		}
		e.str(string(u))
	} else {
		e.str("")
	}
	set, err := json.Marshal(snap.Settings)
	if err != nil {
		return nil, fmt.Errorf("encode snapshot settings: %w", err)
	}
	e.str(string(set))
	e.uint(uint64(len(snap.Carriers)))
	var chunks [][]byte
	for lo := 0; lo < len(snap.Carriers); lo += snapshotChunk {
		ce := &snapEncoder{buf: make([]byte, 0, snapshotChunk*300)}
		for i := lo; i < min(lo+snapshotChunk, len(snap.Carriers)); i++ {
			if err := ce.carrier(&snap.Carriers[i]); err != nil {
				return nil, err
			}
		}
		chunks = append(chunks, zstdEncoder.EncodeAll(ce.buf, nil))
	}
	e.uint(uint64(len(chunks)))
	for _, c := range chunks {
		e.uint(uint64(len(c)))
	}
	for _, c := range chunks {
		e.buf = append(e.buf, c...)
	}
	return e.buf, nil
}

func (e *snapEncoder) carrier(c *data.Carrier) error {
	for _, v := range [...]string{c.ID, c.Number, c.Title, c.Kind, c.Level, c.DeclassifyCondition,
		c.Source, c.DocNumber, c.CopyNumbers, c.Pages, c.Scope, c.Custodian, c.Location,
		c.Model, c.Serial, c.State, c.Note, c.CopyOf, c.Borrower} {
		e.str(v)
	}
	e.int(int64(c.PeriodYears))
	e.int(int64(c.Copies))
	for _, d := range [...]data.Date{c.DeclassifyOn, c.ReceivedOn, c.DueOn, c.LastSeen} {
		e.date(d)
	}
	if c.Missing {
		e.uint(1)
	} else {
		e.uint(0)
	}
	for _, t := range [...]time.Time{c.CreatedAt, c.UpdatedAt} {
		if err := e.time(t); err != nil {
			return err
		}
	}
	e.str(c.Pending)
	return nil
}

type snapEncoder struct{ buf []byte }

func (e *snapEncoder) uint(v uint64) { e.buf = binary.AppendUvarint(e.buf, v) }
func (e *snapEncoder) int(v int64)   { e.buf = binary.AppendVarint(e.buf, v) }
func (e *snapEncoder) str(s string)  { e.uint(uint64(len(s))); e.buf = append(e.buf, s...) }

// date writes 0 for no date, else 1 + days since 1970-01-01 (zig-zag).
func (e *snapEncoder) date(d data.Date) {
	if d.IsZero() {
		e.uint(0)
		return
	}
	days := d.Time().Unix() / 86400
	e.uint(1 + uint64(days<<1^days>>63))
}

func (e *snapEncoder) time(t time.Time) error {
	b, err := t.MarshalBinary()
	if err != nil {
		return fmt.Errorf("encode snapshot time: %w", err)
	}
	e.str(string(b))
	return nil
}

// snapDecoder reads what snapEncoder wrote. All strings are substrings of
// one copy of the input, so decoding allocates little. The first problem
// sticks in err; later reads return zero values.
type snapDecoder struct {
	s   string
	off int
	err error
}

func (d *snapDecoder) fail(what string) {
	if d.err == nil {
		d.err = fmt.Errorf("register snapshot: %s at byte %d: %w", what, d.off, data.ErrCorrupt)
	}
}

func (d *snapDecoder) uint() uint64 {
	if d.err != nil {
		return 0
	}
	var v uint64
	var shift uint
	for i := 0; i < binary.MaxVarintLen64; i++ {
		if d.off >= len(d.s) {
			d.fail("truncated number")
			return 0
		}
		b := d.s[d.off]
		d.off++
		if b < 0x80 {
			if i == binary.MaxVarintLen64-1 && b > 1 {
				break
			}
			return v | uint64(b)<<shift
		}
		v |= uint64(b&0x7f) << shift
		shift += 7
	}
	d.fail("number too long")
	return 0
}

func (d *snapDecoder) int() int64 {
	u := d.uint()
	return int64(u>>1) ^ -int64(u&1)
}

func (d *snapDecoder) str() string {
	n := d.uint()
	if d.err != nil {
		return ""
	}
	if n > uint64(len(d.s)-d.off) {
		d.fail("truncated text")
		return ""
	}
	v := d.s[d.off : d.off+int(n)]
	d.off += int(n)
	return v
}

func (d *snapDecoder) date() data.Date {
	u := d.uint()
	if u == 0 || d.err != nil {
		return data.Date{}
	}
	u--
	days := int64(u>>1) ^ -int64(u&1)
	if days < -1e6 || days > 1e6 {
		d.fail("date out of range")
		return data.Date{}
	}
	return data.DateOf(time.Unix(days*86400, 0).UTC())
}

func (d *snapDecoder) time() time.Time {
	b := d.str()
	if d.err != nil {
		return time.Time{}
	}
	var t time.Time
	if err := t.UnmarshalBinary(unsafe.Slice(unsafe.StringData(b), len(b))); err != nil { // only read
		d.fail("bad time")
	}
	return t
}

// bytesAsString returns b as a string without copying it. The decoders
// use it on buffers they own and never write again, so that the carriers'
// texts are substrings of one buffer instead of 25 MB of copies (at
// 100,000 carriers) made while the officer waits for the first rows.
func bytesAsString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// decodeSnapshot decodes what encodeSnapshot wrote; anything else is an
// error wrapping data.ErrCorrupt. raw must not be changed afterwards: the
// snapshot's texts point into it.
func decodeSnapshot(raw []byte) (*Snapshot, error) {
	d := &snapDecoder{s: bytesAsString(raw)}
	version := d.uint()
	if d.err == nil && version != snapshotVersion && version != snapshotV2 {
		return nil, fmt.Errorf("register snapshot: version %d: %w", version, data.ErrCorrupt)
	}
	snap := &Snapshot{}
	snap.Head.Seq = d.uint()
	snap.Head.Hash = d.str()
	if u := d.str(); u != "" {
		if err := json.Unmarshal([]byte(u), &snap.Unit); err != nil {
			d.fail("bad unit")
		}
		snap.HasUnit = true
	}
	if err := json.Unmarshal([]byte(d.str()), &snap.Settings); err != nil {
		d.fail("bad settings")
	}
	n := d.uint()
	chunks := d.uint()
	if d.err == nil && (chunks != (n+snapshotChunk-1)/snapshotChunk || chunks > uint64(len(d.s)-d.off)) {
		d.fail("chunk count does not fit the carrier count")
	}
	if d.err != nil {
		return nil, d.err
	}
	sizes := make([]uint64, chunks)
	total := uint64(0)
	for i := range sizes {
		sizes[i] = d.uint()
		total += sizes[i]
		if d.err == nil && (sizes[i] > uint64(len(d.s)) || total > uint64(len(d.s)-d.off)) {
			d.fail("chunk larger than the file")
		}
	}
	if d.err == nil && total != uint64(len(d.s)-d.off) {
		d.fail("chunks do not fill the file")
	}
	if d.err != nil {
		return nil, d.err
	}
	snap.Carriers = make([]data.Carrier, n)
	errs := make([]error, chunks)
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	off := uint64(d.off)
	for i := range sizes {
		lo := uint64(i) * snapshotChunk
		part := snap.Carriers[lo:min(lo+snapshotChunk, n)]
		chunk := raw[off : off+sizes[i]]
		off += sizes[i]
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			errs[i] = decodeChunk(chunk, part, version)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return snap, nil
}

// decodeChunk decompresses one chunk and decodes exactly len(out)
// carriers of the snapshot version from it.
func decodeChunk(chunk []byte, out []data.Carrier, version uint64) error {
	plain, err := zstdDecoder.DecodeAll(chunk, make([]byte, 0, len(out)*300))
	if err != nil {
		return fmt.Errorf("register snapshot: decompress: %v: %w", err, data.ErrCorrupt)
	}
	d := &snapDecoder{s: bytesAsString(plain)}
	for i := range out {
		c := &out[i]
		for _, p := range [...]*string{&c.ID, &c.Number, &c.Title, &c.Kind, &c.Level, &c.DeclassifyCondition,
			&c.Source, &c.DocNumber, &c.CopyNumbers, &c.Pages, &c.Scope, &c.Custodian, &c.Location,
			&c.Model, &c.Serial, &c.State, &c.Note, &c.CopyOf, &c.Borrower} {
			*p = d.str()
		}
		c.PeriodYears = int(d.int())
		c.Copies = int(d.int())
		for _, p := range [...]*data.Date{&c.DeclassifyOn, &c.ReceivedOn, &c.DueOn, &c.LastSeen} {
			*p = d.date()
		}
		c.Missing = d.uint() == 1
		c.CreatedAt = d.time()
		c.UpdatedAt = d.time()
		if version > snapshotV2 {
			c.Pending = d.str()
		}
		if d.err != nil {
			return d.err
		}
	}
	if d.off != len(d.s) {
		d.fail("trailing bytes")
		return d.err
	}
	return nil
}
