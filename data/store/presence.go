package store

import (
	"errors"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/table"

	"baomi/data"
	"baomi/data/safefile"
)

// A store, once created, must never be created again in its place: a
// deleted or emptied db folder would otherwise open as a new, empty store
// that verifies ("校验通过：0 条审计记录") and starts a fresh audit chain.
// Two things outside db/ remember that a store exists:
//
//   - the outer anchor (BAOMI-HEAD beside the vault, see anchor.go), which
//     Open writes as soon as the store is complete, and
//   - Options.MustExist, which the workspace sets when the vault records
//     that setup finished (the vault is the file a user keeps longest).
//
// With either present, a missing or empty db/ is data.ErrStoreMissing, and
// nothing is created. Without both, an absent store is new: a first setup,
// or a setup that was killed after writing the vault but before creating
// the store. Creation itself cannot leave a half-made db/ behind: the store
// is created in db.new/, closed and renamed to db/ in one step, and only
// then is the outer anchor written. So a db/ with files always held a
// complete store once, and one with a part missing is refused.

// stagingDir is where a new store is created before it becomes db/.
const stagingDir = DBDir + ".new"

// Files Badger keeps in every store folder; each one's absence means the
// folder is not a whole store. Tables are checked against MANIFEST.
const keyRegistryName = "KEYREGISTRY"

// inspectStore checks, reading only, that dataDir/db holds a whole store:
// MANIFEST, the key registry, a value log and every table MANIFEST names,
// and a MANIFEST that Badger will not cut short on open (checkManifestTail).
// absent is true when the folder is missing or empty. A folder with some
// store files but not all gives an error wrapping data.ErrStoreMissing that
// names the missing file; nothing in the folder is changed either way.
func inspectStore(dataDir string) (absent bool, err error) {
	dir := filepath.Join(dataDir, DBDir)
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("list store folder: %w", err)
	}
	if len(entries) == 0 {
		return true, nil
	}
	names := map[string]bool{}
	vlog := false
	for _, e := range entries {
		names[e.Name()] = true
		if strings.HasSuffix(e.Name(), ".vlog") {
			vlog = true
		}
	}
	for _, n := range []string{badger.ManifestFilename, keyRegistryName} {
		if !names[n] {
			return false, missingPart(dir, n)
		}
	}
	if !vlog {
		return false, missingPart(dir, "*.vlog")
	}
	opt := badgerOptions(dir, nil, discardLogger, false)
	mf, err := readManifest(opt)
	if err != nil {
		return false, err
	}
	for id := range mf.Tables {
		n := filepath.Base(table.NewFilename(id, dir))
		if !names[n] {
			return false, missingPart(dir, n)
		}
	}
	if err := checkManifestTail(dir, opt); err != nil {
		return false, err
	}
	return false, nil
}

func missingPart(dir, name string) error {
	return data.Userf(fmt.Errorf("store folder %s: %s missing: %w", dir, name, data.ErrStoreMissing),
		"数据库文件缺失：%s 中缺少 %s，数据库不完整。程序没有改动任何文件。请从备份恢复整个数据目录。", dir, name)
}

// errStoreGone is the refusal of a missing or empty db/ in a data folder
// that held a store.
func errStoreGone(dataDir, why string) error {
	return data.Userf(fmt.Errorf("store folder %s missing or empty (%s): %w", filepath.Join(dataDir, DBDir), why, data.ErrStoreMissing),
		"数据库文件缺失：数据目录 %s 已经初始化，但其中的数据库（db 文件夹）不见了或是空的。程序没有改动任何文件，也没有新建数据库。请从备份恢复整个数据目录。", dataDir)
}

// outerAnchorPresent reports whether either outer anchor file exists,
// readable or not: the store was created once.
func outerAnchorPresent(dataDir string) bool {
	for _, n := range []string{outerName, outerBackup} {
		if _, err := os.Lstat(filepath.Join(dataDir, n)); err == nil || !errors.Is(err, fs.ErrNotExist) {
			return true
		}
	}
	return false
}

// createStore creates an empty store in dataDir/db.new, closes it and
// renames it to dataDir/db (which must be missing or an empty folder). A
// db.new left by a creation that was killed never held a record (records
// are written only after the rename) and is removed first.
func createStore(dataDir string, master []byte, lg *log.Logger) error {
	stage := filepath.Join(dataDir, stagingDir)
	if err := os.RemoveAll(stage); err != nil {
		return fmt.Errorf("create store: remove unfinished %s: %w", stage, err)
	}
	if err := os.MkdirAll(stage, 0o700); err != nil {
		return fmt.Errorf("create store folder: %w", err)
	}
	db, err := badger.Open(badgerOptions(stage, master, lg, false))
	if err != nil {
		return classifyOpenError(err)
	}
	if err := db.Close(); err != nil {
		return fmt.Errorf("create store: close: %w", err)
	}
	dir := filepath.Join(dataDir, DBDir)
	// Remove refuses a folder that is not empty, which inspectStore has
	// just seen empty.
	if err := os.Remove(dir); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("create store: %w", err)
	}
	if err := os.Rename(stage, dir); err != nil {
		return fmt.Errorf("create store: %w", err)
	}
	return syncDir(dataDir)
}

// Exists reports whether dataDir holds a store or the trace of one: files
// in its db folder, or an outer anchor. Setup refuses such a folder.
func Exists(dataDir string) bool {
	if outerAnchorPresent(dataDir) {
		return true
	}
	entries, err := os.ReadDir(filepath.Join(dataDir, DBDir))
	return err == nil && len(entries) > 0 || err != nil && !errors.Is(err, fs.ErrNotExist)
}

// Discard deletes the store of dataDir: its db folder, an unfinished
// db.new and the outer anchor. Only Setup calls it, to undo a store it has
// just created in the same call; it must never be used on a store that
// holds records someone relies on.
func Discard(dataDir string) error {
	var errs []error
	for _, p := range []string{DBDir, stagingDir} {
		if err := os.RemoveAll(filepath.Join(dataDir, p)); err != nil {
			errs = append(errs, err)
		}
	}
	for _, n := range []string{outerName, outerBackup} {
		if err := os.Remove(filepath.Join(dataDir, n)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("discard store: %w", err)
	}
	return nil
}

// syncDir makes a rename inside dir durable (safefile.SyncDir), naming the
// folder when it fails.
func syncDir(dir string) error {
	if err := safefile.SyncDir(dir); err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}
