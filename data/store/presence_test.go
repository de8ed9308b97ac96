package store

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dgraph-io/badger/v4"

	"baomi/data"
)

// folderState describes every entry under dir: path, mode, size and a hash
// of the bytes, so that two states compare equal only when nothing in the
// folder was created, removed, rewritten or re-moded.
func folderState(t *testing.T, dir string) map[string]string {
	t.Helper()
	st := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		desc := info.Mode().String()
		if info.Mode().IsRegular() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			sum := sha256.Sum256(b)
			desc += fmt.Sprintf(" %d %s", len(b), hex.EncodeToString(sum[:8]))
		}
		st[rel] = desc
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func diffStates(a, b map[string]string) string {
	var out []string
	for k, v := range a {
		if w, ok := b[k]; !ok {
			out = append(out, "removed "+k)
		} else if w != v {
			out = append(out, fmt.Sprintf("changed %s: %s -> %s", k, v, w))
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			out = append(out, "added "+k)
		}
	}
	slices.Sort(out)
	return strings.Join(out, "; ")
}

// closedStore makes a closed store with records in a new data folder.
func closedStore(t *testing.T) (string, Keys) {
	t.Helper()
	dir, keys := t.TempDir(), testKeys(t)
	s := openTest(t, dir, keys, false)
	addN(t, s, 0, 4)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return dir, keys
}

func TestStoreWithAMissingPartIsRefusedAndLeftAsFound(t *testing.T) {
	tests := []struct {
		name    string
		remove  func(db string) []string // returns the removed names
		mention string                   // the file the message must name
	}{
		{"MANIFEST", func(string) []string { return []string{badger.ManifestFilename} }, badger.ManifestFilename},
		{"key registry", func(string) []string { return []string{keyRegistryName} }, keyRegistryName},
		{"a table MANIFEST names", func(string) []string { return []string{"000001.sst"} }, "000001.sst"},
		{"value log", func(db string) []string {
			vlogs, _ := filepath.Glob(filepath.Join(db, "*.vlog"))
			for i := range vlogs {
				vlogs[i] = filepath.Base(vlogs[i])
			}
			return vlogs
		}, "*.vlog"},
		{"every Badger file, anchors left", func(db string) []string {
			var names []string
			entries, _ := os.ReadDir(db)
			for _, e := range entries {
				if !strings.HasPrefix(e.Name(), "BAOMI-") {
					names = append(names, e.Name())
				}
			}
			return names
		}, badger.ManifestFilename},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, keys := closedStore(t)
			db := filepath.Join(dir, DBDir)
			for _, n := range tt.remove(db) {
				if err := os.Remove(filepath.Join(db, n)); err != nil {
					t.Fatal(err)
				}
			}
			before := folderState(t, dir)
			s, err := Open(dir, keys, Options{Logger: discardLogger}) // with the guard
			if err == nil {
				s.Close()
			}
			if d := diffStates(before, folderState(t, dir)); d != "" {
				t.Errorf("open changed the folder: %s", d)
			}
			if !errors.Is(err, data.ErrStoreMissing) || !strings.Contains(data.Message(err), tt.mention) ||
				!strings.Contains(data.Message(err), "数据库文件缺失") {
				t.Errorf("open = %v (%s), want ErrStoreMissing naming %s", err, data.Message(err), tt.mention)
			}
		})
	}
}

func TestMissingOrEmptyStoreIsRefusedNotRecreated(t *testing.T) {
	tests := []struct {
		name      string
		damage    func(dir string)
		mustExist bool
	}{
		{"db deleted", func(dir string) { os.RemoveAll(filepath.Join(dir, DBDir)) }, false},
		{"db emptied", func(dir string) {
			db := filepath.Join(dir, DBDir)
			entries, _ := os.ReadDir(db)
			for _, e := range entries {
				os.Remove(filepath.Join(db, e.Name()))
			}
		}, false},
		{"db and outer anchor deleted, vault says set up", func(dir string) {
			os.RemoveAll(filepath.Join(dir, DBDir))
			os.Remove(filepath.Join(dir, outerName))
			os.Remove(filepath.Join(dir, outerBackup))
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, keys := closedStore(t)
			tt.damage(dir)
			before := folderState(t, dir)
			s, err := Open(dir, keys, Options{Logger: discardLogger, MustExist: tt.mustExist})
			if err == nil {
				s.Close()
			}
			if !errors.Is(err, data.ErrStoreMissing) || !strings.Contains(data.Message(err), "数据库文件缺失") ||
				!strings.Contains(data.Message(err), "备份") {
				t.Errorf("open = %v (%s), want ErrStoreMissing", err, data.Message(err))
			}
			if d := diffStates(before, folderState(t, dir)); d != "" {
				t.Errorf("open changed the folder: %s", d)
			}
		})
	}
}

func TestAbsentStoreIsCreatedOnlyWhenNothingSaysOneExisted(t *testing.T) {
	// given a data folder with the leftover of a creation that was killed
	dir, keys := t.TempDir(), testKeys(t)
	if err := os.MkdirAll(filepath.Join(dir, stagingDir), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, stagingDir, "MANIFEST"), []byte("half"), 0o600); err != nil {
		t.Fatal(err)
	}
	// when the store is opened
	s := openTest(t, dir, keys, true)
	// then a new store is in place, with both anchors, and no staging folder
	if s.Head().Seq != 0 {
		t.Errorf("head of a new store = %+v", s.Head())
	}
	s.Close()
	for _, p := range []string{filepath.Join(DBDir, badger.ManifestFilename), filepath.Join(DBDir, anchorName), outerName, outerBackup} {
		if _, err := os.Stat(filepath.Join(dir, p)); err != nil {
			t.Errorf("after creation: %v", err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, stagingDir)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("staging folder left: %v", err)
	}
}

func TestFolderWithoutOuterAnchorOpensAndGetsOne(t *testing.T) {
	// given a data folder written before the outer anchor existed
	dir, keys := closedStore(t)
	for _, n := range []string{outerName, outerBackup} {
		if err := os.Remove(filepath.Join(dir, n)); err != nil {
			t.Fatal(err)
		}
	}
	// then it opens and has the outer anchor afterwards
	s := openTest(t, dir, keys, false)
	head := s.Head()
	s.Close()
	s = openTest(t, dir, keys, false)
	defer s.Close()
	a, found, err := s.readAnchorSet(s.anchorSets()[1])
	if err != nil || !found || a != head {
		t.Errorf("outer anchor = %+v %v %v, want %+v", a, found, err, head)
	}
	// but a vault that records a finished setup makes its absence a break
	s.Close()
	os.Remove(filepath.Join(dir, outerName))
	os.Remove(filepath.Join(dir, outerBackup))
	_, err = Open(dir, keys, Options{NoGuard: true, MustExist: true, Logger: discardLogger})
	var ve *VerifyError
	if !errors.As(err, &ve) || ve.Reason != reasonNoAnchor {
		t.Errorf("open without outer anchor, vault says set up: %v", err)
	}
}

func TestOlderCopyOfTheDBFolderAloneIsARollback(t *testing.T) {
	// given a copy of db/ at head N (its inner anchors included)
	dir, keys := closedStore(t)
	s := openTest(t, dir, keys, false)
	old := s.Head()
	s.Close()
	aside := filepath.Join(t.TempDir(), DBDir)
	if err := restoreDB(filepath.Join(dir, DBDir), aside); err != nil {
		t.Fatal(err)
	}
	// and three more changes
	s = openTest(t, dir, keys, false)
	addN(t, s, 10, 3)
	s.Close()
	// when the old db/ is put back whole, vault and outer anchor current
	if err := restoreDB(aside, filepath.Join(dir, DBDir)); err != nil {
		t.Fatal(err)
	}
	// then opening reports the rollback
	_, err := Open(dir, keys, Options{Logger: discardLogger})
	var ve *VerifyError
	if !errors.Is(err, data.ErrAuditBroken) || !errors.As(err, &ve) || ve.Reason != reasonRolledBack || ve.Seq != old.Seq+1 {
		t.Fatalf("open after putting back an old db/: %v", err)
	}
}

// TestChainSplitFromTheAnchoredOneIsRefused opens a store with the same keys
// whose chain left the anchored one after entry 3 and then grew to the same
// length, or longer: the anchored entry's hash differs, which only the hash
// comparison in checkAnchor can see.
func TestChainSplitFromTheAnchoredOneIsRefused(t *testing.T) {
	for _, extra := range []int{1, 3} {
		t.Run(fmt.Sprintf("fork %d entries past the split", extra), func(t *testing.T) {
			// given a store at head 3, copied whole as the fork's start
			dir, keys := t.TempDir(), testKeys(t)
			s := openTest(t, dir, keys, false)
			addN(t, s, 0, 3)
			s.Close()
			fork := t.TempDir()
			if err := restoreDB(filepath.Join(dir, DBDir), filepath.Join(fork, DBDir)); err != nil {
				t.Fatal(err)
			}
			for _, n := range []string{outerName, outerBackup} {
				b, _ := os.ReadFile(filepath.Join(dir, n))
				os.WriteFile(filepath.Join(fork, n), b, 0o600)
			}
			// the original goes on by one change, the fork by other ones
			s = openTest(t, dir, keys, false)
			addN(t, s, 100, 1)
			anchored := s.Head()
			s.Close()
			f := openTest(t, fork, keys, false)
			addN(t, f, 200, extra)
			if f.Head().Seq < anchored.Seq {
				t.Fatalf("fork at %d, anchored %d", f.Head().Seq, anchored.Seq)
			}
			f.Close()
			// when the fork's db/ replaces the original's, every anchor current
			keep := map[string][]byte{}
			for _, n := range []string{anchorName, anchorBackup} {
				keep[n], _ = os.ReadFile(filepath.Join(dir, DBDir, n))
			}
			if err := restoreDB(filepath.Join(fork, DBDir), filepath.Join(dir, DBDir)); err != nil {
				t.Fatal(err)
			}
			for n, b := range keep {
				os.WriteFile(filepath.Join(dir, DBDir, n), b, 0o600)
			}
			// then open refuses with the anchor mismatch at the anchored entry
			_, err := Open(dir, keys, Options{Logger: discardLogger})
			var ve *VerifyError
			if !errors.As(err, &ve) || ve.Reason != reasonAnchorMismatch || ve.Seq != anchored.Seq || !errors.Is(err, data.ErrAuditBroken) {
				t.Fatalf("open of a split chain: %v", err)
			}
		})
	}
}

func TestGuardLeavesTheFolderAsFound(t *testing.T) {
	// a closed store, and the image a crash leaves (write-ahead log,
	// preallocated value log, Badger's LOCK file)
	closed, keys := closedStore(t)
	s := openTest(t, closed, keys, false)
	addN(t, s, 50, 3)
	crash := t.TempDir()
	if err := restoreDB(filepath.Join(closed, DBDir), filepath.Join(crash, DBDir)); err != nil {
		t.Fatal(err)
	}
	s.Close()
	for name, dir := range map[string]string{"closed": closed, "crashed": crash} {
		t.Run(name, func(t *testing.T) {
			before := folderState(t, dir)
			if err := guardCheck(filepath.Join(dir, DBDir), keys.Master); err != nil {
				t.Errorf("guard: %v", err)
			}
			if d := diffStates(before, folderState(t, dir)); d != "" {
				t.Errorf("guard changed the folder: %s", d)
			}
		})
	}
}

func TestGuardFindsADamagedTable(t *testing.T) {
	dir, keys := closedStore(t)
	sst := filepath.Join(dir, DBDir, "000001.sst")
	info, err := os.Stat(sst)
	if err != nil {
		t.Fatal(err)
	}
	if err := flipByte(sst, info.Size()/3, 0xFF); err != nil {
		t.Fatal(err)
	}
	before := folderState(t, dir)
	err = guardCheck(filepath.Join(dir, DBDir), keys.Master)
	if !errors.Is(err, data.ErrCorrupt) || !strings.Contains(err.Error(), "000001.sst") {
		t.Errorf("guard on a damaged table: %v", err)
	}
	if d := diffStates(before, folderState(t, dir)); d != "" {
		t.Errorf("guard changed the folder: %s", d)
	}
}

func TestOuterAnchorDamagedOrMissing(t *testing.T) {
	tests := []struct {
		name   string
		damage func(dir string)
		want   error // nil: opens and reads back everything
	}{
		{"primary damaged", func(dir string) { flipByte(filepath.Join(dir, outerName), 40, 0xFF) }, nil},
		{"backup damaged", func(dir string) { flipByte(filepath.Join(dir, outerBackup), 40, 0xFF) }, nil},
		{"both missing (a folder from before the outer anchor)", func(dir string) {
			os.Remove(filepath.Join(dir, outerName))
			os.Remove(filepath.Join(dir, outerBackup))
		}, nil},
		{"both damaged", func(dir string) {
			flipByte(filepath.Join(dir, outerName), 40, 0xFF)
			flipByte(filepath.Join(dir, outerBackup), 40, 0xFF)
		}, data.ErrCorrupt},
		{"inner anchor put in its place", func(dir string) {
			b, _ := os.ReadFile(filepath.Join(dir, DBDir, anchorName))
			os.WriteFile(filepath.Join(dir, outerName), b, 0o600)
			os.WriteFile(filepath.Join(dir, outerBackup), b, 0o600)
		}, data.ErrCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, keys := closedStore(t)
			tt.damage(dir)
			s, err := Open(dir, keys, Options{NoGuard: true, Logger: discardLogger})
			if tt.want != nil {
				if !errors.Is(err, tt.want) {
					t.Fatalf("open = %v, want %v", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatalf("open: %v", err)
			}
			defer s.Close()
			if list, err := s.Carriers(ctx); err != nil || len(list) != 4 {
				t.Errorf("carriers: %d, %v", len(list), err)
			}
		})
	}
}
