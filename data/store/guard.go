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
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"

	"baomi/data"
)

// Badger may panic inside its own goroutines when a table is corrupted
// (tech-notes), which no recover can catch. So before a process opens the
// store for real, it runs itself again as a child that opens the store with
// every checksum on, reads every value and closes it. If the child dies or
// reports a problem, the parent refuses to open with data.ErrCorrupt.
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
	guardOK      = 0
	guardCorrupt = 3
	guardLocked  = 4
	guardKey     = 5
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
func runGuardChild(in io.Reader, errOut io.Writer) int {
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
	if err := checkManifestTail(opt.Dir, opt); err != nil {
		fmt.Fprintln(errOut, "guard:", err)
		return guardCorrupt
	}
	db, err := badger.Open(opt)
	if err != nil {
		fmt.Fprintln(errOut, "guard: open:", err)
		if errors.Is(classifyOpenError(err), data.ErrAlreadyOpen) {
			return guardLocked
		}
		return guardCorrupt
	}
	code := guardOK
	if err := db.VerifyChecksum(); err != nil {
		fmt.Fprintln(errOut, "guard: checksum:", err)
		code = guardCorrupt
	}
	if code == guardOK {
		err := db.View(func(txn *badger.Txn) error {
			it := txn.NewIterator(badger.IteratorOptions{PrefetchValues: true, PrefetchSize: 256, AllVersions: false})
			defer it.Close()
			for it.Rewind(); it.Valid(); it.Next() {
				if err := it.Item().Value(func([]byte) error { return nil }); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			fmt.Fprintln(errOut, "guard: read:", err)
			code = guardCorrupt
		}
	}
	if err := db.Close(); err != nil && code == guardOK {
		fmt.Fprintln(errOut, "guard: close:", err)
		code = guardCorrupt
	}
	return code
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
	}
	return fmt.Errorf("guard: store check failed (exit %d): %s: %w", ee.ExitCode(), detail, data.ErrCorrupt)
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}
