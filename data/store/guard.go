package store

import (
	"bufio"
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/fb"
	"github.com/dgraph-io/badger/v4/options"
	"github.com/dgraph-io/badger/v4/table"
	"github.com/dgraph-io/ristretto/v2"
	"github.com/dgraph-io/ristretto/v2/z"

	"baomi/data"
	"baomi/data/datadir"
)

// Badger may panic inside its own goroutines when a table is corrupted
// (tech-notes), which no recover can catch. So before a process opens the
// store for real, it runs itself again as a child that reads every table
// with every checksum on, opening each file read-only (runGuardChild says
// why not through Badger's own open). If the child dies or reports a
// problem, the parent refuses to open with data.ErrCorrupt. The child
// never writes, moves or deletes a file: a check must not change what it
// checks (TestGuardLeavesTheFolderAsFound).
//
// The child is this same executable started with guardEnv set; the init
// function below turns such a process into the checker before main (or a
// test binary's TestMain) runs, so every binary that imports store can serve
// as its own guard.

const guardEnv = "BAOMI_STORE_GUARD"

// guardTimeout bounds the check; a store on a very slow stick may need long.
const guardTimeout = 15 * time.Minute

// Exit codes of the guard child.
const (
	guardOK       = 0
	guardCorrupt  = 3
	guardLocked   = 4
	guardKey      = 5
	guardWrongKey = 6 // the master key does not open the key registry
)

var bg = context.Background()

func init() {
	if os.Getenv(guardEnv) != "1" {
		return
	}
	os.Exit(runGuardChild(os.Stdin, os.Stderr))
}

// runGuardChild reads the folder and hex master key from in, checks the
// store and returns the exit code.
//
// The child never writes: it does not let Badger open the folder at all.
// Badger's read-only mode was measured unfit: it refuses every store a
// crash left behind (the write-ahead log is preallocated, so replaying it
// read-only always ends in ErrTruncateNeeded: "end offset: 10711 < size:
// 16777216"), it is not available on Windows, and even read-only its open
// deletes every table file MANIFEST does not name (revertToManifest).
// Instead the child reads the store the way Badger's open would, through
// Badger's own table and key-registry code, with every file opened
// O_RDONLY: MANIFEST is replayed, the key registry read, and every table
// MANIFEST names is opened with full checksum verification and read entry
// by entry (each block decrypted, decompressed and checked), which is what
// makes a damaged table panic inside Badger. What it leaves to the real
// open: the write-ahead logs (.mem), whose entries carry a CRC and which
// Badger replays up to the first damaged entry (the anchor turns such a cut
// into an audit break), and the value log, which holds only values over
// 1 MB (Badger's threshold; Baomi's records are a few hundred bytes).
func runGuardChild(in io.Reader, errOut io.Writer) int {
	datadir.RestrictUmask()
	r := bufio.NewReader(in)
	dir, _ := r.ReadString('\n')
	keyHex, _ := r.ReadString('\n')
	key, err := hex.DecodeString(strings.TrimSpace(keyHex))
	if err != nil {
		fmt.Fprintln(errOut, "guard: bad key on stdin")
		return guardKey
	}
	lg := log.New(errOut, "guard: ", 0)
	opt := badgerOptions(strings.TrimSpace(dir), key, lg, true)
	unlock, err := lockShared(opt.Dir)
	if err != nil {
		fmt.Fprintln(errOut, "guard: lock:", err)
		return guardLocked
	}
	defer unlock()
	if err := checkTablesReadOnly(opt); err != nil {
		fmt.Fprintln(errOut, "guard:", err)
		if errors.Is(err, badger.ErrEncryptionKeyMismatch) {
			return guardWrongKey
		}
		return guardCorrupt
	}
	return guardOK
}

// checkTablesReadOnly replays MANIFEST and reads every table it names,
// opening every file read-only. A table is never released with DecrRef,
// which deletes its file when the count reaches zero; its mapping is
// closed directly.
func checkTablesReadOnly(opt badger.Options) error {
	mf, err := readManifest(opt)
	if err != nil {
		return err
	}
	kr, err := badger.OpenKeyRegistry(badger.KeyRegistryOptions{
		ReadOnly: true, Dir: opt.Dir, EncryptionKey: opt.EncryptionKey,
		EncryptionKeyRotationDuration: opt.EncryptionKeyRotationDuration,
	})
	if err != nil {
		return fmt.Errorf("key registry: %w", err)
	}
	defer kr.Close()
	// Encrypted tables need an index cache (Badger panics without one);
	// the block cache is left out: every block is read once.
	icache, err := ristretto.NewCache(&ristretto.Config[uint64, *fb.TableIndex]{NumCounters: 1 << 12, MaxCost: 16 << 20, BufferItems: 64})
	if err != nil {
		return fmt.Errorf("index cache: %w", err)
	}
	defer icache.Close()
	ids := make([]uint64, 0, len(mf.Tables))
	for id := range mf.Tables {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if err := checkTable(opt, kr, icache, id, mf.Tables[id]); err != nil {
			return err
		}
	}
	return nil
}

func checkTable(opt badger.Options, kr *badger.KeyRegistry, icache *ristretto.Cache[uint64, *fb.TableIndex], id uint64, tm badger.TableManifest) error {
	name := table.NewFilename(id, opt.Dir)
	dk, err := kr.DataKey(tm.KeyID)
	if err != nil {
		return fmt.Errorf("table %s: data key: %w", filepath.Base(name), err)
	}
	mm, err := z.OpenMmapFile(name, os.O_RDONLY, 0)
	if err != nil {
		return fmt.Errorf("table %s: %w", filepath.Base(name), err)
	}
	// OnBlockRead: every block's checksum is verified as the iteration
	// below reads it, so each block is decrypted and decompressed once
	// (OnTableAndBlockRead would read the whole table twice: measured
	// 532 ms against 300 ms for the old guard on 2,000 carriers).
	t, err := table.OpenTable(mm, table.Options{
		ReadOnly: true, ChkMode: options.OnBlockRead,
		BlockSize: opt.BlockSize, BloomFalsePositive: opt.BloomFalsePositive,
		Compression: tm.Compression, ZSTDCompressionLevel: opt.ZSTDCompressionLevel,
		DataKey: dk, IndexCache: icache,
	})
	if err != nil {
		// OpenTable has closed the mapping.
		return fmt.Errorf("table %s: %w", filepath.Base(name), err)
	}
	defer t.MmapFile.Close(-1) // -1: no truncation; the descriptor is read-only anyway
	it := t.NewIterator(0)
	var n uint32
	for it.Rewind(); it.Valid(); it.Next() {
		_ = it.Key()
		_ = it.Value()
		n++
	}
	// Iterator.Close would call DecrRef; the table's own reference keeps
	// the count above zero, so it cannot delete the file.
	if err := it.Close(); err != nil {
		return fmt.Errorf("table %s: %w", filepath.Base(name), err)
	}
	// The iterator stops quietly at a block that fails its checksum or
	// does not decode: reading fewer entries than the index counts is the
	// sign.
	if n != t.KeyCount() {
		return fmt.Errorf("table %s: read %d of its %d entries", filepath.Base(name), n, t.KeyCount())
	}
	return nil
}

// guardCheck runs the guard child on dir and maps its outcome to an error.
func guardCheck(dir string, master []byte) error {
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("guard: find executable: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), guardTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, exe)
	cmd.Env = append(os.Environ(), guardEnv+"=1")
	cmd.Stdin = strings.NewReader(dir + "\n" + hex.EncodeToString(master) + "\n")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Stdout = io.Discard
	err = cmd.Run()
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		return data.Userf(ctx.Err(), "打开数据前的完整性检查超过 %d 分钟仍未完成。请把数据目录放在本机硬盘上后重试。", int(guardTimeout.Minutes()))
	}
	detail := strings.TrimSpace(lastLines(stderr.String(), 6))
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		return fmt.Errorf("guard: start check: %w", err)
	}
	switch ee.ExitCode() {
	case guardLocked:
		return fmt.Errorf("guard: %s: %w", detail, data.ErrAlreadyOpen)
	case guardKey:
		return fmt.Errorf("guard: the check got no usable key: %s", detail)
	case guardWrongKey:
		return errWrongKeys(fmt.Errorf("guard: %s: %w", detail, data.ErrCorrupt))
	}
	return fmt.Errorf("guard: store check failed (exit %d): %s: %w", ee.ExitCode(), detail, data.ErrCorrupt)
}

// errWrongKeys says that the vault's keys do not open this store's key
// registry: most likely a vault.json from before a re-key (更换密钥) or
// another data folder's, but a damaged KEYREGISTRY looks the same (the full
// flip sweep turns some of its flips into this). Nothing was changed.
func errWrongKeys(cause error) error {
	return data.Userf(cause, "密钥文件与数据库不匹配：vault.json 中的密钥打不开这个数据库（可能是更换密钥之前的旧密钥文件副本、别的数据目录的密钥文件，或数据库中的 KEYREGISTRY 文件已损坏）。程序没有改动任何文件。请换用这个数据目录当前的密钥文件，或从备份恢复整个数据目录。")
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}
