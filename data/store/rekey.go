package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"

	"baomi/data"
	"baomi/data/safefile"
)

// Re-keying (更换密钥) replaces the three store keys: it writes a complete
// new Badger store under the new master key in RekeyDir beside DBDir, every
// value sealed again under the new record key and every index key blinded
// again under the new index key, with every sealed file of SealedFiles
// sealed again beside it, and checks the new store with Verify. Only then
// does SwitchRekeyed put it in place:
//
//  1. rename db → db.old   (fsync the data folder)
//  2. rename db.rekey → db (fsync)
//  3. rename every staged sealed file outside db/ (X.rekey → X) (fsync)
//
// Renames of one name in one folder are atomic, so after a kill the folder
// is in one of four states (RekeyState), each with one way forward: before
// step 1 the old store is in place and the new one is thrown away; after
// step 1 the new one is complete and verified, so the switch is finished.
// The keys that open each state are the caller's business (workspace keeps
// both sets in the vault until the switch is durable); RemoveOldStore deletes
// the old files only after that.
const (
	// RekeyDir holds the new store while it is written and verified.
	RekeyDir = DBDir + ".rekey"
	// OldDir holds the replaced store between the switch and its removal.
	OldDir = DBDir + ".old"
	// stagedSuffix marks a sealed file outside db/ re-sealed under the new
	// record key and not yet put in place.
	stagedSuffix = ".rekey"
)

// SealedFile is a file the store keeps next to Badger's, sealed with the
// record key under associated data AAD.
type SealedFile struct {
	Rel string // path relative to the data folder, with "/" separators
	AAD string
}

// SealedFiles lists every file the store seals with the record key. Re-keying
// seals each again under the new key; a file missing from this list would be
// left sealed under a key that no longer exists. TestRekeyKnowsEveryFileTheStoreWrites
// fails when the store writes a file that is neither Badger's nor listed.
var SealedFiles = []SealedFile{
	{DBDir + "/" + anchorName, anchorAAD},
	{DBDir + "/" + anchorBackup, anchorAAD},
	{DBDir + "/" + snapshotName, snapshotAAD},
	{outerName, outerAAD},
	{outerBackup, outerAAD},
}

// badgerFile reports whether name is a file Badger keeps in its folder.
func badgerFile(name string) bool {
	switch name {
	case badger.ManifestFilename, "KEYREGISTRY", "DISCARD", "LOCK":
		return true
	}
	for _, ext := range []string{".sst", ".vlog", ".mem"} {
		if strings.HasSuffix(name, ext) {
			return true
		}
	}
	return false
}

// stagedPath returns where the re-sealed copy of f is written: inside the
// new store's folder for a file in db/, beside f with stagedSuffix otherwise.
func stagedPath(dataDir string, f SealedFile) string {
	if rest, ok := strings.CutPrefix(f.Rel, DBDir+"/"); ok {
		return filepath.Join(dataDir, RekeyDir, filepath.FromSlash(rest))
	}
	return filepath.Join(dataDir, filepath.FromSlash(f.Rel)) + stagedSuffix
}

// outside reports whether f lives outside db/ (and so is switched on its own).
func (f SealedFile) outside() bool { return !strings.HasPrefix(f.Rel, DBDir+"/") }

// RekeyProgress receives how much of a re-key is done: done of total units,
// where copying one key and checking it again are a unit each
// (data.Progress).
type RekeyProgress = data.Progress

// BuildRekeyed writes the store of dataDir, opened read-only with old,
// again under next into dataDir/RekeyDir, seals every file of SealedFiles
// again under next.Record, and verifies the result with next. Nothing in
// the store in place changes. No Store may be open on dataDir: close it
// first, so that its anchor and snapshot are at its head. On error, what
// was written is removed (AbandonRekey). opts.NoGuard skips the corruption
// check of the new store in a child process before it is verified.
func BuildRekeyed(ctx context.Context, dataDir string, old, next Keys, opts Options, progress RekeyProgress) (err error) {
	if progress == nil {
		progress = func(int, int) {}
	}
	if st, err := RekeyState(dataDir); err != nil || st != RekeyNone {
		return errors.Join(err, fmt.Errorf("rekey: a previous re-key was not finished (state %d): %w", st, data.ErrConflict))
	}
	newDir := filepath.Join(dataDir, RekeyDir)
	defer func() {
		if err != nil {
			if rerr := AbandonRekey(dataDir); rerr != nil {
				err = errors.Join(err, rerr)
			}
		}
	}()
	if err := checkNoUnknownFiles(dataDir); err != nil {
		return err
	}
	if err := checkRoomForRekey(dataDir); err != nil {
		return err
	}
	if opts.Logger == nil {
		opts.Logger = log.Default()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	oseal, err := newSealer(old.Record, old.Index)
	if err != nil {
		return err
	}
	nseal, err := newSealer(next.Record, next.Index)
	if err != nil {
		return err
	}
	// Read-only: Badger then creates no memtable file and compacts
	// nothing, so the store in place stays exactly as it was, whatever
	// happens here. It was checked (guard, anchor) when it was opened
	// this session and closed cleanly just before; Verify of the new store
	// checks every value again.
	oldDir := filepath.Join(dataDir, DBDir)
	odb, err := badger.Open(badgerOptions(oldDir, old.Master, opts.Logger, false).WithReadOnly(true))
	if err != nil {
		return fmt.Errorf("rekey: open store: %w", classifyOpenError(err))
	}
	s := &Store{dir: oldDir, db: odb, seal: oseal, opts: opts}
	total, err := s.countKeys()
	if err == nil {
		total *= 2 // copy, then verify
		err = os.Mkdir(newDir, 0o700)
	}
	done := 0
	if err == nil {
		done, err = s.copyTo(ctx, newDir, next.Master, nseal, func(n int) { progress(n, total) })
	}
	if cerr := odb.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("rekey: close old store: %w", cerr)
	}
	if err != nil {
		return err
	}
	if err := resealFiles(dataDir, oseal, nseal); err != nil {
		return err
	}
	if !opts.NoGuard {
		if err := guardCheck(newDir, next.Master); err != nil {
			return fmt.Errorf("rekey: check new store: %w", err)
		}
	}
	if err := verifyAt(ctx, newDir, next, opts, func(f float64) { progress(done+int(f*float64(total-done)), total) }); err != nil {
		return err
	}
	if err := syncTree(newDir); err != nil {
		return err
	}
	progress(total, total)
	return nil
}

// checkNoUnknownFiles refuses a store folder holding a file that is neither
// Badger's nor listed in SealedFiles: it could not be carried over.
func checkNoUnknownFiles(dataDir string) error {
	known := map[string]bool{}
	for _, f := range SealedFiles {
		if !f.outside() {
			known[strings.TrimPrefix(f.Rel, DBDir+"/")] = true
		}
	}
	entries, err := os.ReadDir(filepath.Join(dataDir, DBDir))
	if err != nil {
		return fmt.Errorf("rekey: list store folder: %w", err)
	}
	for _, e := range entries {
		if !badgerFile(e.Name()) && !known[e.Name()] && !strings.HasPrefix(e.Name(), ".") {
			return data.Userf(fmt.Errorf("rekey: unknown file %s in the store folder: %w", e.Name(), data.ErrConflict),
				"数据库目录中有无法识别的文件 %s，更换密钥无法处理它。请先备份，移走该文件后再更换密钥。", e.Name())
		}
	}
	return nil
}

// freeSpace is freeBytes (diskspace.go); tests replace it.
var freeSpace = freeBytes

// rekeyHeadroom is what the new store needs beyond the size of the old
// one: Badger maps two value-log files of 64 MiB and its memtables at full
// size before they are written. Measured at 100,000 carriers: db/ 422 MB
// before, the new store 420 MB after.
const rekeyHeadroom = 200 << 20

// checkRoomForRekey refuses, with data.ErrDiskFull, to start a re-key
// that would fill the disk: the new store is about as big as the old one,
// and both exist until the switch. A disk filled while Badger writes
// through a memory map ends the process with SIGBUS, which the next unlock
// would undo, but the user should hear why before, not after.
func checkRoomForRekey(dataDir string) error {
	var size int64
	err := filepath.WalkDir(filepath.Join(dataDir, DBDir), func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err == nil {
			size += info.Size()
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("rekey: measure store: %w", err)
	}
	free, err := freeSpace(dataDir)
	if err != nil {
		return fmt.Errorf("rekey: free space: %w", err)
	}
	need := uint64(size) + rekeyHeadroom
	if free < need {
		return data.Userf(fmt.Errorf("rekey: %d bytes free, %d needed: %w", free, need, data.ErrDiskFull),
			"磁盘空间不足：更换密钥需要约 %d MB 可用空间，数据目录 %s 所在磁盘只有 %d MB。请清理磁盘后重试；数据没有改动。",
			need>>20, dataDir, free>>20)
	}
	return nil
}

// countKeys counts the live keys of the store (keys only, no values read).
func (s *Store) countKeys() (int, error) {
	n := 0
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			n++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("rekey: count keys: %w", err)
	}
	return n, nil
}

// rekeyBatch is how many keys go into one write batch flush; progress is
// reported as often.
const rekeyBatch = 4096

// copyTo writes every key of s into a new Badger store at dir with master
// key master: values opened with s's sealer and sealed again with nseal,
// index keys blinded again. It returns how many keys it copied.
func (s *Store) copyTo(ctx context.Context, dir string, master []byte, nseal *sealer, progress func(done int)) (int, error) {
	// No fsync per batch: nothing is acknowledged until the whole folder
	// is synced (syncTree) after Verify, and a kill before that throws the
	// folder away. With SyncWrites each of the few hundred batches at
	// 100,000 carriers waited for the disk.
	db, err := badger.Open(badgerOptions(dir, master, s.opts.Logger, false).WithSyncWrites(false))
	if err != nil {
		return 0, fmt.Errorf("rekey: create new store: %w", err)
	}
	wb := db.NewWriteBatch()
	done := 0
	err = s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{PrefetchValues: true, PrefetchSize: 256})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			if err := ctx.Err(); err != nil {
				return err
			}
			item := it.Item()
			key := item.KeyCopy(nil)
			sealed, err := item.ValueCopy(nil)
			if err != nil {
				return fmt.Errorf("rekey: read %s: %v: %w", printableKey(key), err, data.ErrCorrupt)
			}
			plain, err := s.seal.open(key, sealed)
			if err != nil {
				return fmt.Errorf("rekey: %w", err)
			}
			newKey := key
			if strings.HasPrefix(string(key), prefixIndex) {
				if newKey, err = s.reblind(txn, key, string(plain), nseal); err != nil {
					return err
				}
			}
			v, err := nseal.seal(newKey, plain)
			clear(plain)
			if err != nil {
				return err
			}
			if err := wb.Set(newKey, v); err != nil {
				return fmt.Errorf("rekey: write %s: %w", printableKey(newKey), err)
			}
			done++
			if done%rekeyBatch == 0 {
				progress(done)
			}
		}
		return nil
	})
	if err == nil {
		err = wb.Flush()
	} else {
		wb.Cancel()
	}
	if cerr := db.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("rekey: close new store: %w", cerr)
	}
	if err != nil {
		return done, err
	}
	progress(done)
	return done, nil
}

// reblind returns the index key key (i/<kind>/<field>/<blind>, mapping to
// record id) blinded under nseal. The blinded value cannot be recovered from
// the blind, so it is read from the record: its JSON field named field. The
// old blind of that value must equal the key's, so an index the records do
// not back stops the re-key instead of being carried over wrong.
func (s *Store) reblind(txn *badger.Txn, key []byte, id string, nseal *sealer) ([]byte, error) {
	parts := strings.SplitN(string(key[len(prefixIndex):]), "/", 3)
	if len(parts) != 3 {
		return nil, fmt.Errorf("rekey: index key %s: %w", printableKey(key), data.ErrCorrupt)
	}
	kind, field, blind := parts[0], parts[1], parts[2]
	plain, err := s.getSealed(txn, recordKey(kind, id))
	if err != nil {
		return nil, fmt.Errorf("rekey: index %s/%s names record %s: %w", kind, field, id, err)
	}
	var rec map[string]json.RawMessage
	if err := json.Unmarshal(plain, &rec); err != nil {
		return nil, fmt.Errorf("rekey: decode %s/%s: %v: %w", kind, id, err, data.ErrCorrupt)
	}
	var value string
	if err := json.Unmarshal(rec[field], &value); err != nil || s.seal.blind(value) != blind {
		return nil, &VerifyError{Kind: kind, ID: id, Reason: reasonIndex, Err: data.ErrAuditBroken}
	}
	return indexKey(kind, field, nseal.blind(value)), nil
}

// resealFiles seals every present file of SealedFiles again, from oseal to
// nseal, into its staged path. A listed file that does not open with the old
// key stops the re-key: carried over it would be lost.
func resealFiles(dataDir string, oseal, nseal *sealer) error {
	for _, f := range SealedFiles {
		path := filepath.Join(dataDir, filepath.FromSlash(f.Rel))
		b, err := os.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("rekey: read %s: %w", f.Rel, err)
		}
		plain, err := oseal.open([]byte(f.AAD), b)
		if err != nil {
			return fmt.Errorf("rekey: %s: %w", f.Rel, err)
		}
		v, err := nseal.seal([]byte(f.AAD), plain)
		clear(plain)
		if err != nil {
			return err
		}
		if err := safefile.Write(stagedPath(dataDir, f), v, 0o600); err != nil {
			return fmt.Errorf("rekey: write %s: %w", f.Rel, err)
		}
	}
	return nil
}

// verifyAt opens the store in dir (not necessarily dataDir/db) with keys
// and runs Verify on it.
func verifyAt(ctx context.Context, dir string, keys Keys, opts Options, progress func(float64)) error {
	seal, err := newSealer(keys.Record, keys.Index)
	if err != nil {
		return err
	}
	if err := dropEmptyLogs(dir); err != nil {
		return fmt.Errorf("rekey: %w", err)
	}
	db, err := badger.Open(badgerOptions(dir, keys.Master, opts.Logger, false))
	if err != nil {
		return fmt.Errorf("rekey: open new store: %w", classifyOpenError(err))
	}
	s := &Store{dir: dir, db: db, seal: seal, opts: opts}
	err = s.loadHead()
	if err == nil {
		err = s.checkAnchor()
	}
	if err == nil {
		_, err = s.VerifyProgress(ctx, progress)
	}
	if cerr := s.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("rekey: check new store: %w", err)
	}
	return nil
}

// syncTree makes every file under dir and dir itself durable and sets the
// permissions the data folder keeps (0600, folders 0700), whatever Badger
// and the umask chose.
func syncTree(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("rekey: %w", err)
	}
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		if e.IsDir() {
			continue
		}
		if err := os.Chmod(p, 0o600); err != nil {
			return fmt.Errorf("rekey: %w", err)
		}
		if err := syncFile(p); err != nil {
			return err
		}
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return fmt.Errorf("rekey: %w", err)
	}
	return syncDir(dir)
}

// syncFile makes the file p durable. It opens p for writing because
// Windows flushes only handles with write access.
func syncFile(p string) error {
	f, err := os.OpenFile(p, os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("rekey: %w", err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("rekey: sync %s: %w", filepath.Base(p), err)
	}
	return nil
}

// State of a re-key in a data folder, read from which store folders exist.
const (
	// RekeyNone: only db/ (no re-key, or one that never created db.rekey).
	RekeyNone = iota
	// RekeyBuilding: db/ and db.rekey/: the old store is in place; the new
	// one may be incomplete.
	RekeyBuilding
	// RekeySwitching: db.old/ and db.rekey/ but no db/: killed between the
	// two renames; the new store is complete and verified.
	RekeySwitching
	// RekeySwitched: db.old/ and db/: the new store is in place; staged
	// files outside db/ may still wait for their rename, and the old store
	// for its removal.
	RekeySwitched
)

// RekeyState returns the re-key state of dataDir (RekeyNone ...
// RekeySwitched). It reads folder names only.
func RekeyState(dataDir string) (int, error) {
	exists := func(name string) (bool, error) {
		_, err := os.Lstat(filepath.Join(dataDir, name))
		if errors.Is(err, fs.ErrNotExist) {
			return false, nil
		}
		return err == nil, err
	}
	db, err1 := exists(DBDir)
	nw, err2 := exists(RekeyDir)
	old, err3 := exists(OldDir)
	if err := errors.Join(err1, err2, err3); err != nil {
		return RekeyNone, fmt.Errorf("rekey: %w", err)
	}
	switch {
	case old && nw && !db:
		return RekeySwitching, nil
	case old && db:
		return RekeySwitched, nil
	case nw:
		return RekeyBuilding, nil
	}
	return RekeyNone, nil
}

// SwitchRekeyed puts the new store built by BuildRekeyed in place (steps 1
// to 3 above), from whatever state a kill left, and returns once the switch
// is durable. note, if not nil, is told each step once it is durable.
func SwitchRekeyed(dataDir string, note func(step string)) error {
	if note == nil {
		note = func(string) {}
	}
	st, err := RekeyState(dataDir)
	if err != nil {
		return err
	}
	rename := func(from, to, step string) error {
		if err := os.Rename(filepath.Join(dataDir, from), filepath.Join(dataDir, to)); err != nil {
			return fmt.Errorf("rekey: %w", err)
		}
		if err := syncDir(dataDir); err != nil {
			return err
		}
		note(step)
		return nil
	}
	switch st {
	case RekeyNone:
		return fmt.Errorf("rekey: no new store to switch to: %w", data.ErrNotFound)
	case RekeyBuilding:
		if err := rename(DBDir, OldDir, "旧数据库已移开（db.old）"); err != nil {
			return err
		}
		fallthrough
	case RekeySwitching:
		if err := rename(RekeyDir, DBDir, "新数据库已就位（db）"); err != nil {
			return err
		}
	}
	for _, f := range SealedFiles {
		if !f.outside() {
			continue
		}
		staged := stagedPath(dataDir, f)
		if _, err := os.Lstat(staged); errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err := os.Rename(staged, filepath.Join(dataDir, filepath.FromSlash(f.Rel))); err != nil {
			return fmt.Errorf("rekey: %w", err)
		}
		if err := syncDir(filepath.Dir(staged)); err != nil {
			return err
		}
		note(f.Rel + " 已就位")
	}
	return nil
}

// RemoveOldStore deletes the replaced store (db.old) once the keys that
// open the new one are durable in the vault.
func RemoveOldStore(dataDir string) error {
	if err := os.RemoveAll(filepath.Join(dataDir, OldDir)); err != nil {
		return fmt.Errorf("rekey: remove old store: %w", err)
	}
	return syncDir(dataDir)
}

// AbandonRekey deletes a new store that was not switched to (db.rekey) and
// the staged sealed files outside db/. It refuses in RekeySwitching and
// RekeySwitched, where the new store is, or is about to be, the one in
// place.
func AbandonRekey(dataDir string) error {
	st, err := RekeyState(dataDir)
	if err != nil {
		return err
	}
	if st == RekeySwitching || st == RekeySwitched {
		return fmt.Errorf("rekey: the new store is already being switched to (state %d): %w", st, data.ErrConflict)
	}
	var errs []error
	for _, f := range SealedFiles {
		if f.outside() {
			if err := os.Remove(stagedPath(dataDir, f)); err != nil && !errors.Is(err, fs.ErrNotExist) {
				errs = append(errs, err)
			}
		}
	}
	if err := os.RemoveAll(filepath.Join(dataDir, RekeyDir)); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("rekey: abandon: %w", err)
	}
	return syncDir(dataDir)
}

// SealedUnder reports whether the store in dataDir/db is sealed under
// keys, judged by its anchor files (Badger is not opened): true when one
// of them opens with keys.Record. A store without anchor files (never
// opened) gives false.
func SealedUnder(dataDir string, keys Keys) (bool, error) {
	seal, err := newSealer(keys.Record, keys.Index)
	if err != nil {
		return false, err
	}
	for _, n := range []string{anchorName, anchorBackup} {
		b, err := os.ReadFile(filepath.Join(dataDir, DBDir, n))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return false, fmt.Errorf("rekey: %w", err)
		}
		if _, err := seal.open([]byte(anchorAAD), b); err == nil {
			return true, nil
		}
	}
	return false, nil
}
