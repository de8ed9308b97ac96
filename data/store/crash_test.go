package store

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"baomi/data"
	"baomi/data/datatest"
)

// The kill loop runs a writer child on one store and kills it with SIGKILL
// (TerminateProcess on Windows) at a random moment, again and again, checking
// the store after every kill. build/soak.sh runs it for hundreds of rounds.
//
// Environment:
//
//	BAOMI_CRASH_ROUNDS=n  rounds to run (default 50, 8 with -short)
//	BAOMI_CRASH_SEED=n    seed of the random delays and choices, to replay a run

// Environment of the writer child.
const (
	crashChildEnv = "BAOMI_CRASH_CHILD" // data folder; its presence makes the child
	crashKeysEnv  = "BAOMI_CRASH_KEYS"  // master:record:index in hex
	crashRoundEnv = "BAOMI_CRASH_ROUND" // round number, used in 编号 and notes
	crashSeedEnv  = "BAOMI_CRASH_CHILD_SEED"
)

// crashBigStore is the number of carriers above which the writer mostly
// updates.
const crashBigStore = 1000

// TestCrashChildHelper is not a test on its own: it is the writer process
// that TestKillLoopLosesNothingAcknowledged starts and kills. Run without its
// environment it skips.
//
// Protocol on stdout, one line per event, each written before (BEGIN) or
// after (ACK) the call returned nil:
//
//	BEGIN add <carrier JSON without ID>   ACK add <stored carrier JSON>
//	BEGIN upd <intended carrier JSON>     ACK upd <stored carrier JSON>
//	ERR <message>                         (then the child exits 1)
func TestCrashChildHelper(t *testing.T) {
	dir := os.Getenv(crashChildEnv)
	if dir == "" {
		t.Skip("helper process of TestKillLoopLosesNothingAcknowledged")
	}
	os.Exit(runCrashChild(dir, os.Stdout))
}

func runCrashChild(dir string, out io.Writer) int {
	fail := func(f string, a ...any) int {
		fmt.Fprintf(out, "ERR "+f+"\n", a...)
		return 1
	}
	keys, err := decodeCrashKeys(os.Getenv(crashKeysEnv))
	if err != nil {
		return fail("keys: %v", err)
	}
	round, _ := strconv.Atoi(os.Getenv(crashRoundEnv))
	seed, _ := strconv.ParseUint(os.Getenv(crashSeedEnv), 10, 64)
	rng := rand.New(rand.NewPCG(seed, uint64(round)))
	// No guard here, for speed: the parent opens every store with the guard.
	s, err := Open(dir, keys, Options{Operator: "写入进程", NoGuard: true, Now: fixedNow, Logger: log.New(os.Stderr, "", 0)})
	if err != nil {
		return fail("open: %v", err)
	}
	pool, err := s.Carriers(ctx)
	if err != nil {
		return fail("list: %v", err)
	}
	emit := func(verb string, c data.Carrier) {
		b, _ := json.Marshal(c)
		// One write per line: a kill can come between lines, never inside one.
		out.Write([]byte(verb + " " + string(b) + "\n"))
	}
	deadline := time.Now().Add(2 * time.Minute) // the parent kills us long before
	for i := 0; time.Now().Before(deadline); i++ {
		// A third of the writes are updates; once the store is big, nine in
		// ten, so that hundreds of rounds keep the store (and the checks
		// after each kill) a manageable size.
		updates, of := 1, 3
		if len(pool) >= crashBigStore {
			updates, of = 9, 10
		}
		if len(pool) > 0 && rng.IntN(of) < updates {
			k := rng.IntN(len(pool))
			c := pool[k]
			c.Location = fmt.Sprintf("保密柜%d号", rng.IntN(50))
			c.Note = fmt.Sprintf("第 %d 轮第 %d 次写入时修改", round, i)
			c.UpdatedAt = fixedNow()
			emit("BEGIN upd", c)
			got, err := s.UpdateCarrier(ctx, c)
			if err != nil {
				return fail("update %s: %v", c.Number, err)
			}
			emit("ACK upd", got)
			pool[k] = got
			continue
		}
		c := datatest.NewCarrier(fmt.Sprintf("K-%04d-%05d", round, i))
		c.Note = fmt.Sprintf("第 %d 轮第 %d 次写入", round, i)
		// as AddCarrier stores it, but for the ID it draws
		c.CreatedAt, c.UpdatedAt, c.State = fixedNow(), fixedNow(), data.StateHeld
		emit("BEGIN add", c)
		got, err := s.AddCarrier(ctx, c)
		if err != nil {
			return fail("add %s: %v", c.Number, err)
		}
		emit("ACK add", got)
		pool = append(pool, got)
	}
	s.Close()
	return 0
}

func encodeCrashKeys(k Keys) string {
	return hex.EncodeToString(k.Master) + ":" + hex.EncodeToString(k.Record) + ":" + hex.EncodeToString(k.Index)
}

func decodeCrashKeys(s string) (Keys, error) {
	parts := strings.Split(s, ":")
	if len(parts) != 3 {
		return Keys{}, fmt.Errorf("want 3 keys, got %d", len(parts))
	}
	var bs [3][]byte
	for i, p := range parts {
		b, err := hex.DecodeString(p)
		if err != nil {
			return Keys{}, err
		}
		bs[i] = b
	}
	return Keys{Master: bs[0], Record: bs[1], Index: bs[2]}, nil
}

// crashOp is one BEGIN or ACK line of the child.
type crashOp struct {
	ack     bool
	verb    string // "add" or "upd"
	carrier data.Carrier
}

func parseCrashLine(line string) (crashOp, bool, error) {
	fields := strings.SplitN(line, " ", 3)
	if len(fields) != 3 || (fields[0] != "BEGIN" && fields[0] != "ACK") {
		return crashOp{}, false, nil // test framework output, not ours
	}
	op := crashOp{ack: fields[0] == "ACK", verb: fields[1]}
	if err := json.Unmarshal([]byte(fields[2]), &op.carrier); err != nil {
		return crashOp{}, false, fmt.Errorf("bad line %q: %v", line, err)
	}
	return op, true, nil
}

// crashRound is what one killed child reported.
type crashRound struct {
	ops     []crashOp
	acked   int
	errLine string
	exited  error // the child ended on its own (not killed)
	stderr  string
}

// runCrashRound starts the writer child on dataDir, kills it delay after its
// first ACK and returns every line it wrote.
func runCrashRound(t *testing.T, dataDir string, keys Keys, round int, seed uint64, delay time.Duration) crashRound {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChildHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(),
		crashChildEnv+"="+dataDir, crashKeysEnv+"="+encodeCrashKeys(keys),
		crashRoundEnv+"="+strconv.Itoa(round), crashSeedEnv+"="+strconv.FormatUint(seed, 10))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()

	var r crashRound
	var kill <-chan time.Time
	watchdog := time.After(60 * time.Second)
	killed := false
	for done := false; !done; {
		select {
		case line, ok := <-lines:
			if !ok {
				done = true
				break
			}
			if strings.HasPrefix(line, "ERR ") {
				r.errLine = line
				continue
			}
			op, ours, err := parseCrashLine(line)
			if err != nil {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatal(err)
			}
			if !ours {
				continue
			}
			r.ops = append(r.ops, op)
			if op.ack {
				r.acked++
				if kill == nil && !killed {
					kill = time.After(delay)
				}
			}
		case <-kill:
			kill = nil
			killed = true
			if err := cmd.Process.Kill(); err != nil {
				t.Fatalf("kill: %v", err)
			}
		case <-watchdog:
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("round %d: no progress from the writer child within 60 s; stderr:\n%s", round, stderr.String())
		}
	}
	err = cmd.Wait()
	if !killed {
		r.exited = fmt.Errorf("writer child ended before it was killed: %v", err)
	}
	r.stderr = stderr.String()
	return r
}

// A writer killed with SIGKILL at any moment loses nothing it acknowledged:
// after every kill the store opens with the guard, every acknowledged
// carrier reads back exactly as written, no carrier appears that was never
// written (the one write in flight may have landed, complete and audited),
// and Verify passes. One store lives through all the rounds.
func TestKillLoopLosesNothingAcknowledged(t *testing.T) {
	rounds := 50
	if testing.Short() {
		rounds = 8
	}
	if v := os.Getenv("BAOMI_CRASH_ROUNDS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("BAOMI_CRASH_ROUNDS=%q: want a positive number", v)
		}
		rounds = n
	}
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv("BAOMI_CRASH_SEED"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("BAOMI_CRASH_SEED=%q: %v", v, err)
		}
		seed = n
	}
	rng := rand.New(rand.NewPCG(seed, 0))
	t.Logf("%d rounds, BAOMI_CRASH_SEED=%d", rounds, seed)

	// Given a store holding the unit's description,
	dataDir := t.TempDir()
	keys := testKeys(t)
	s := openTest(t, dataDir, keys, true)
	unit := data.Unit{Name: "某市财政局", Code: "CZJ", Officer: "张保密", CreatedAt: fixedNow()}
	if err := s.SaveUnit(ctx, unit); err != nil {
		t.Fatal(err)
	}
	lastHead := s.Head()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	model := map[string]data.Carrier{} // every carrier the store must hold, by ID
	var acked, ackedAdds, landedUnacked, lostUnacked, maxOps int
	var killWait, checkTime time.Duration
	start := time.Now()
	for round := 1; round <= rounds; round++ {
		// when a writer child adding and updating carriers is killed at a
		// random moment 50–400 ms after its first acknowledged write,
		delay := time.Duration(50+rng.IntN(351)) * time.Millisecond
		t0 := time.Now()
		r := runCrashRound(t, dataDir, keys, round, rng.Uint64(), delay)
		killWait += time.Since(t0)
		if r.errLine != "" || r.exited != nil {
			t.Fatalf("round %d: writer child failed: %s %v\nstderr:\n%s", round, r.errLine, r.exited, r.stderr)
		}
		var pending *crashOp
		for i := range r.ops {
			op := r.ops[i]
			if !op.ack {
				pending = &r.ops[i]
				continue
			}
			pending = nil
			model[op.carrier.ID] = op.carrier
			acked++
			if op.verb == "add" {
				ackedAdds++
			}
		}
		maxOps = max(maxOps, r.acked)

		// then the store opens with the guard and verifies, every
		// acknowledged write reads back exactly, and the only other change
		// allowed is the one write in flight at the kill, complete.
		t1 := time.Now()
		s, err := Open(dataDir, keys, Options{Operator: "检查", Now: fixedNow, Logger: log.New(io.Discard, "", 0)})
		if err != nil {
			t.Fatalf("round %d (killed %v after first ACK, %d acked): reopen: %v", round, delay, r.acked, err)
		}
		touched := map[string]bool{}
		for _, op := range r.ops {
			touched[op.carrier.Number] = true
		}
		landed := checkAfterKill(t, s, round, model, pending, touched, unit)
		switch {
		case pending == nil:
		case landed:
			landedUnacked++
		default:
			lostUnacked++
		}
		rep, err := s.Verify(ctx)
		if err != nil {
			s.Close()
			t.Fatalf("round %d: verify after kill: %v", round, err)
		}
		// every carrier has its registration event besides itself
		if rep.Records != 2*len(model)+1 {
			t.Errorf("round %d: verify checked %d records, want %d carriers, their %d registrations and the unit", round, rep.Records, len(model), len(model))
		}
		if h := s.Head(); h.Seq < lastHead.Seq {
			t.Errorf("round %d: audit head went back from %d to %d", round, lastHead.Seq, h.Seq)
		}
		lastHead = s.Head()
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		checkTime += time.Since(t1)
		if t.Failed() {
			t.Fatalf("stopping after round %d", round)
		}
	}
	t.Logf("%d rounds in %v: %d writes acknowledged (%d adds, %d updates; at most %d in one round), "+
		"%d in-flight writes landed complete, %d did not land; store holds %d carriers, audit head %d",
		rounds, time.Since(start).Round(time.Millisecond), acked, ackedAdds, acked-ackedAdds, maxOps,
		landedUnacked, lostUnacked, len(model), lastHead.Seq)
	t.Logf("time in writer rounds %v, in guarded reopen + checks %v",
		killWait.Round(time.Millisecond), checkTime.Round(time.Millisecond))
}

// checkAfterKill compares the reopened store with model, the acknowledged
// state, allowing only pending (the write in flight at the kill, if any) to
// have landed complete, and looks up the carriers of touched 编号 by number.
// It folds a landed pending write into model and
// reports whether it landed.
func checkAfterKill(t *testing.T, s *Store, round int, model map[string]data.Carrier, pending *crashOp,
	touched map[string]bool, unit data.Unit) bool {
	t.Helper()
	list, err := s.Carriers(ctx)
	if err != nil {
		t.Errorf("round %d: list carriers: %v", round, err)
		return false
	}
	if u, err := s.Unit(ctx); err != nil || !sameJSON(u, unit) {
		t.Errorf("round %d: unit = %+v, %v", round, u, err)
	}
	landed := false
	got := map[string]bool{}
	for _, c := range list {
		got[c.ID] = true
		want, known := model[c.ID]
		switch {
		case known && sameJSON(c, want):
		case known && pending != nil && pending.verb == "upd" && pending.carrier.ID == c.ID && sameJSON(c, pending.carrier):
			landed = true
			model[c.ID] = c
		case known:
			t.Errorf("round %d: acknowledged carrier %s changed:\n got %+v\nwant %+v", round, c.Number, c, want)
		case pending != nil && pending.verb == "add" && c.ID != "" && sameJSON(withID(c, ""), pending.carrier):
			landed = true
			model[c.ID] = c
		default:
			t.Errorf("round %d: carrier %s (%s) was never written", round, c.Number, c.ID)
		}
		if !touched[c.Number] {
			continue // Verify checks the 编号 index of every carrier; look up this round's by hand
		}
		if byNo, err := s.CarrierByNumber(ctx, c.Number); err != nil || !sameJSON(byNo, c) {
			t.Errorf("round %d: carrier %s by 编号: %v, %v", round, c.Number, byNo.ID, err)
		}
	}
	for id, c := range model {
		if !got[id] {
			t.Errorf("round %d: acknowledged carrier %s (%s) is lost", round, c.Number, id)
		}
	}
	return landed
}

func withID(c data.Carrier, id string) data.Carrier {
	c.ID = id
	return c
}
