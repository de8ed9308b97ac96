package workspace

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"baomi/data"
	"baomi/data/store"
	"baomi/data/vault"
)

var ctx = context.Background()

// rekeyWorkspace sets up a workspace with n generated carriers (and their
// events) and returns it open.
func rekeyWorkspace(t *testing.T, dir string, n int) *Workspace {
	t.Helper()
	w, _, err := Setup(dir, data.Unit{Name: "某市财政局", Code: "CZJ", Officer: "张保密"}, pw, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Generate(ctx, w.Store, store.GenOptions{Carriers: n, Seed: 7}, nil); err != nil {
		t.Fatal(err)
	}
	return w
}

// registerState is what a re-key must keep: the audit head and every
// carrier with its events, as JSON.
func registerState(t *testing.T, w *Workspace) (store.Head, string) {
	t.Helper()
	cs, err := w.Carriers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, c := range cs {
		evs, err := w.Events(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		j, _ := json.Marshal(struct {
			C data.Carrier
			E []data.Event
		}{c, evs})
		b.Write(j)
		b.WriteByte('\n')
	}
	return w.Head(), b.String()
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestPasswordChangeAloneLeavesAnOldVaultCopyOpeningTheStore(t *testing.T) {
	// This is the limitation RotateKeys exists for, and what the README and
	// the settings screen tell the user.
	dir, saved := t.TempDir(), t.TempDir()
	w := rekeyWorkspace(t, dir, 20)
	copyFile(t, filepath.Join(dir, vault.FileName), filepath.Join(saved, vault.FileName))
	if err := w.ChangePassword(pw, "New-Pass-12345", "New-Pass-12345", cfg); err != nil {
		t.Fatal(err)
	}
	w.Close()
	copyFile(t, filepath.Join(saved, vault.FileName), filepath.Join(dir, vault.FileName))
	copyFile(t, filepath.Join(saved, vault.FileName), filepath.Join(dir, vault.BackupName))
	w, err := Unlock(dir, pw, cfg)
	if err != nil {
		t.Fatalf("old vault copy with the old password: %v", err)
	}
	w.Close()
}

func TestRotateKeysKeepsTheDataAndRevokesOldVaultCopies(t *testing.T) {
	dir, saved := t.TempDir(), t.TempDir()
	w, code, err := Setup(dir, data.Unit{Name: "某市财政局", Code: "CZJ", Officer: "张保密"}, pw, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Generate(ctx, w.Store, store.GenOptions{Carriers: 200, Seed: 7}, nil); err != nil {
		t.Fatal(err)
	}
	head, want := registerState(t, w)
	copyFile(t, filepath.Join(dir, vault.FileName), filepath.Join(saved, vault.FileName))
	before, err := vault.Open(dir, pw)
	if err != nil {
		t.Fatal(err)
	}

	if err := w.RotateKeys(ctx, "wrong-password", cfg, nil); !errors.As(err, new(data.FieldErrors)) {
		t.Fatalf("wrong password: %v", err)
	}
	var last, total int
	if err := w.RotateKeys(ctx, pw, cfg, func(d, n int) { last, total = d, n }); err != nil {
		t.Fatalf("rotate: %v", err)
	}
	if last != total || total == 0 {
		t.Errorf("progress ended at %d of %d", last, total)
	}

	// the open workspace goes on with the new keys
	if h, got := registerState(t, w); h != head || got != want {
		t.Error("register differs right after the re-key")
	}
	if _, err := w.Verify(ctx); err != nil {
		t.Errorf("verify after the re-key: %v", err)
	}
	if _, err := w.AddCarrier(ctx, data.Carrier{Number: "NEW-1", Title: "新登记", Kind: data.KindPaper, Level: "秘密", PeriodYears: 10,
		Source: "本单位", ReceivedOn: data.NewDate(2026, 3, 5), Copies: 1, Custodian: "李四", Location: "保密柜"}); err != nil {
		t.Errorf("write after the re-key: %v", err)
	}
	head, want = registerState(t, w)
	w.Close()

	after, err := vault.Open(dir, pw)
	if err != nil {
		t.Fatal(err)
	}
	if string(after.Master) == string(before.Master) || string(after.Record) == string(before.Record) || string(after.Index) == string(before.Index) {
		t.Error("a store key is unchanged")
	}
	if _, ok := vault.Staged(after); ok {
		t.Error("staged keys left in the vault")
	}
	for _, gone := range []string{store.RekeyDir, store.OldDir} {
		if _, err := os.Stat(filepath.Join(dir, gone)); !os.IsNotExist(err) {
			t.Errorf("%s left behind", gone)
		}
	}

	for name, unlock := range map[string]func() (*Workspace, error){
		"password":      func() (*Workspace, error) { return Unlock(dir, pw, Config{KDF: cfg.KDF}) },
		"recovery code": func() (*Workspace, error) { return Recover(dir, code, pw, cfg) },
	} {
		t.Run(name, func(t *testing.T) {
			w, err := unlock()
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			if h, got := registerState(t, w); h != head || got != want {
				t.Error("register differs after unlocking again")
			}
			if _, err := w.Verify(ctx); err != nil {
				t.Error(err)
			}
		})
	}

	// an old copy of the vault, with the old password, no longer opens it
	copyFile(t, filepath.Join(saved, vault.FileName), filepath.Join(dir, vault.FileName))
	copyFile(t, filepath.Join(saved, vault.FileName), filepath.Join(dir, vault.BackupName))
	if w, err := Unlock(dir, pw, cfg); err == nil {
		w.Close()
		t.Fatal("an old vault copy opened the re-keyed store")
	} else if !errors.Is(err, data.ErrCorrupt) || !strings.HasPrefix(data.Message(err), "密钥文件与数据库不匹配") {
		t.Errorf("old vault copy: %v (%s), want corrupt, told as a vault that does not match", err, data.Message(err))
	}
}

// The kill loop: a child process runs RotateKeys (or an unlock that
// settles an interrupted one) and is killed with SIGKILL, either right
// after a chosen durable step or after a random delay. After each kill the
// parent unlocks with the vault as it is, which finishes or undoes the
// re-key, and checks that the store verifies and holds exactly what it held.
//
//	BAOMI_REKEY_ROUNDS=n  random-delay rounds (default 12, 4 with -short)
//	BAOMI_REKEY_SEED=n    seed of the delays
const (
	rekeyChildEnv = "BAOMI_REKEY_CHILD" // data folder; its presence makes the child
	rekeyModeEnv  = "BAOMI_REKEY_MODE"  // "rotate" or "unlock"
	rekeyStopEnv  = "BAOMI_REKEY_STOP"  // stop (wait to be killed) after this many steps; 0: never
)

// TestRekeyChildHelper is the process TestKillDuringRekeyLosesNothing
// starts and kills. Run without its environment it skips. It prints "STEP
// n <step>" after every durable step, then "DONE" or "ERR <message>".
func TestRekeyChildHelper(t *testing.T) {
	dir := os.Getenv(rekeyChildEnv)
	if dir == "" {
		t.Skip("helper process of TestKillDuringRekeyLosesNothing")
	}
	os.Exit(runRekeyChild(dir, os.Stdout))
}

func runRekeyChild(dir string, out io.Writer) int {
	stop, _ := strconv.Atoi(os.Getenv(rekeyStopEnv))
	n := 0
	testHookRekey = func(step string) {
		n++
		fmt.Fprintf(out, "STEP %d %s\n", n, step)
		if n == stop {
			time.Sleep(time.Hour) // the parent kills us now
		}
	}
	w, err := Unlock(dir, pw, cfg)
	if err == nil && os.Getenv(rekeyModeEnv) == "rotate" {
		err = w.RotateKeys(ctx, pw, cfg, nil)
	}
	if err != nil {
		fmt.Fprintf(out, "ERR %v\n", err)
		return 1
	}
	w.Close()
	fmt.Fprintln(out, "DONE")
	return 0
}

// rekeyChild starts a child in mode on dir, stopping after stop steps (0:
// never), and kills it after the stop or after delay (0: no timer). It
// returns the last step the child reported and whether it ran to the end.
func rekeyChild(t *testing.T, dir, mode string, stop int, delay time.Duration) (last string, done bool) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestRekeyChildHelper$")
	cmd.Env = append(os.Environ(), rekeyChildEnv+"="+dir, rekeyModeEnv+"="+mode, rekeyStopEnv+"="+strconv.Itoa(stop))
	outPipe, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if delay > 0 {
		timer := time.AfterFunc(delay, func() { cmd.Process.Kill() })
		defer timer.Stop()
	}
	sc := bufio.NewScanner(outPipe)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "STEP "):
			last = line
			if f := strings.Fields(line); stop > 0 && f[1] == strconv.Itoa(stop) {
				cmd.Process.Kill()
			}
		case line == "DONE":
			done = true
		case strings.HasPrefix(line, "ERR "):
			t.Errorf("child (%s): %s", mode, line)
		}
	}
	cmd.Wait()
	return last, done
}

func TestKillDuringRekeyLosesNothing(t *testing.T) {
	dir := t.TempDir()
	w := rekeyWorkspace(t, dir, 300)
	head, want := registerState(t, w)
	w.Close()

	check := func(t *testing.T, what string) []byte {
		t.Helper()
		w, err := Unlock(dir, pw, Config{KDF: cfg.KDF}) // with the guard
		if err != nil {
			t.Fatalf("%s: unlock: %v", what, err)
		}
		defer w.Close()
		if _, err := w.Verify(ctx); err != nil {
			t.Fatalf("%s: verify: %v", what, err)
		}
		if h, got := registerState(t, w); h != head || got != want {
			t.Fatalf("%s: register differs (head %v, want %v)", what, h, head)
		}
		if st, _ := store.RekeyState(dir); st != store.RekeyNone {
			t.Fatalf("%s: re-key state %d after unlock", what, st)
		}
		k, err := vault.Open(dir, pw)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := vault.Staged(k); ok {
			t.Fatalf("%s: staged keys left in the vault", what)
		}
		return k.Master
	}
	master := check(t, "before")

	// A full run, to count its steps and time it.
	start := time.Now()
	steps, done := rekeyChild(t, dir, "rotate", 0, 0)
	full := time.Since(start)
	if !done {
		t.Fatalf("uninterrupted re-key did not finish (last %q)", steps)
	}
	nsteps, _ := strconv.Atoi(strings.Fields(steps)[1])
	t.Logf("a full re-key of 300 carriers in a child: %v, %d steps", full, nsteps)
	changed := 0
	update := func(m []byte) {
		if string(m) != string(master) {
			changed++
		}
		master = m
	}
	update(check(t, "after a full run"))

	// Killed right after each durable step, and the unlock that settles it
	// killed too after its first step.
	for stop := 1; stop < nsteps; stop++ {
		last, _ := rekeyChild(t, dir, "rotate", stop, 0)
		settled, _ := rekeyChild(t, dir, "unlock", 1, 0)
		t.Logf("killed after %q; the settling unlock killed after %q", last, settled)
		update(check(t, fmt.Sprintf("kill after step %d", stop)))
	}

	rounds := 12
	if testing.Short() {
		rounds = 4
	}
	if s := os.Getenv("BAOMI_REKEY_ROUNDS"); s != "" {
		rounds, _ = strconv.Atoi(s)
	}
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("BAOMI_REKEY_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	t.Logf("BAOMI_REKEY_SEED=%d", seed)
	rng := rand.New(rand.NewPCG(seed, 7))
	for round := range rounds {
		delay := time.Duration(rng.Int64N(int64(full))) + time.Millisecond
		last, done := rekeyChild(t, dir, "rotate", 0, delay)
		t.Logf("round %d: killed after %v, last %q, finished %v", round, delay, last, done)
		update(check(t, fmt.Sprintf("round %d", round)))
	}
	t.Logf("%d of %d interrupted or full runs changed the keys", changed, nsteps+rounds)
	if changed == 0 {
		t.Error("no run ever changed the keys")
	}
}

func TestCloseDuringRotateKeysWaitsAndClosesTheNewStore(t *testing.T) {
	dir := t.TempDir()
	w := rekeyWorkspace(t, dir, 200)
	head, want := registerState(t, w)
	started := make(chan struct{})
	var once bool
	rotated := make(chan error, 1)
	go func() {
		rotated <- w.RotateKeys(ctx, pw, cfg, func(done, total int) {
			if !once {
				once = true
				close(started)
			}
		})
	}()
	<-started
	// as the window's Shutdown does: close while the store is out for the work
	if err := w.Close(); err != nil {
		t.Errorf("close: %v", err)
	}
	if err := <-rotated; err != nil {
		t.Fatalf("rotate: %v", err)
	}
	// the store the work reopened was closed, so the folder opens again
	w, err := Unlock(dir, pw, cfg)
	if err != nil {
		t.Fatalf("unlock after close during the re-key: %v", err)
	}
	defer w.Close()
	if h, got := registerState(t, w); h != head || got != want {
		t.Error("register differs")
	}
}

func TestAVaultCopyFromBeforeTheCommitStillOpensTheReKeyedStore(t *testing.T) {
	// A kill between the vault's two copies leaves the backup as it was
	// before the commit (old keys, new ones staged); if the primary is
	// lost later, that backup is all there is. Unlocking with it must
	// finish the re-key, not undo it: the store in place is the new one.
	dir, saved := t.TempDir(), t.TempDir()
	w := rekeyWorkspace(t, dir, 50)
	head, want := registerState(t, w)
	testHookRekey = func(step string) {
		if strings.HasPrefix(step, "新数据库已写好") {
			copyFile(t, filepath.Join(dir, vault.FileName), filepath.Join(saved, vault.FileName))
		}
	}
	defer func() { testHookRekey = nil }()
	if err := w.RotateKeys(ctx, pw, cfg, nil); err != nil {
		t.Fatal(err)
	}
	w.Close()
	copyFile(t, filepath.Join(saved, vault.FileName), filepath.Join(dir, vault.BackupName))
	if err := os.Remove(filepath.Join(dir, vault.FileName)); err != nil {
		t.Fatal(err)
	}

	w, err := Unlock(dir, pw, cfg)
	if err != nil {
		t.Fatalf("unlock with the pre-commit vault copy: %v", err)
	}
	defer w.Close()
	if h, got := registerState(t, w); h != head || got != want {
		t.Error("register differs")
	}
	k, err := vault.Open(dir, pw)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := vault.Staged(k); ok {
		t.Error("keys still staged after the unlock finished the re-key")
	}
}

func TestFailedRotateKeysKeepsTheOldKeysAndTheWorkspaceUsable(t *testing.T) {
	dir := t.TempDir()
	w := rekeyWorkspace(t, dir, 20)
	defer w.Close()
	before, err := vault.Open(dir, pw)
	if err != nil {
		t.Fatal(err)
	}
	// a file the re-key cannot carry over stops it before anything changes
	if err := os.WriteFile(filepath.Join(dir, store.DBDir, "STRANGER"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	err = w.RotateKeys(ctx, pw, cfg, nil)
	if !errors.Is(err, data.ErrConflict) || !strings.HasPrefix(data.Message(err), "更换密钥未完成，数据仍用原来的密钥加密：") ||
		!strings.Contains(data.Message(err), "STRANGER") {
		t.Fatalf("error %v, message %q", err, data.Message(err))
	}
	after, err := vault.Open(dir, pw)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(after.Master, before.Master) {
		t.Error("keys changed")
	}
	if _, ok := vault.Staged(after); ok {
		t.Error("keys left staged")
	}
	if cs, err := w.Carriers(ctx); err != nil || len(cs) != 20 {
		t.Errorf("workspace after the failed re-key: %d carriers, %v", len(cs), err)
	}
	if _, err := w.Verify(ctx); err != nil {
		t.Errorf("verify after the failed re-key: %v", err)
	}
}
