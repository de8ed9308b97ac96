package vault

import (
	"fmt"
	"runtime"
	"time"

	"golang.org/x/crypto/argon2"

	"baomi/data"
)

// KDFParams are the Argon2id cost parameters used to turn a password or a
// recovery code into a key-encryption key. Each wrap in the vault file stores
// the parameters it was made with, so a vault made on a fast machine still
// opens on a slow one (only more slowly).
type KDFParams struct {
	Time      uint32 // passes over memory
	MemoryKiB uint32 // memory in KiB
	Threads   uint8  // parallelism
}

// InsecureTestParams makes the KDF almost free. It is for tests only: a vault
// wrapped with it can be brute-forced cheaply. Production code passes the
// result of Calibrate.
var InsecureTestParams = KDFParams{Time: 1, MemoryKiB: 8, Threads: 1}

const (
	calibrateMemoryKiB  = 64 * 1024 // 64 MiB
	calibrateMaxThreads = 4
	calibrateMaxTime    = 30

	// Bounds accepted from a caller or from a vault file. They keep a
	// damaged or hostile file from making Open allocate gigabytes or spin
	// for minutes.
	minMemoryKiB = 8
	maxMemoryKiB = 1 << 20 // 1 GiB
	maxTime      = 64
)

// Calibrate picks Argon2id parameters for this machine: 64 MiB of memory,
// 4 threads (or runtime.NumCPU if fewer, at least 1), and the smallest Time
// (from 1, capped at 30) for which one derivation takes at least target.
// Setup calls it with a target of about 600 ms so that unlocking takes
// between half a second and a second.
//
// Rather than trying Time = 1, 2, 3, … in turn (which would cost the sum of
// all those runs), it times one pass, estimates the Time needed, and then
// confirms the estimate, raising Time while the measurement stays short.
func Calibrate(target time.Duration) KDFParams {
	threads := min(runtime.NumCPU(), calibrateMaxThreads)
	if threads < 1 {
		threads = 1
	}
	p := KDFParams{Time: 1, MemoryKiB: calibrateMemoryKiB, Threads: uint8(threads)}
	password := []byte("baomi calibration")
	salt := make([]byte, saltLen)
	measure := func() time.Duration {
		start := time.Now()
		argon2.IDKey(password, salt, p.Time, p.MemoryKiB, p.Threads, kekLen)
		return time.Since(start)
	}

	one := measure()
	if one >= target {
		return p
	}
	estimate := uint32(calibrateMaxTime)
	if one > 0 {
		if n := (target + one - 1) / one; n < calibrateMaxTime {
			estimate = uint32(n)
		}
	}
	p.Time = max(estimate, 2)
	for measure() < target && p.Time < calibrateMaxTime {
		p.Time++
	}
	return p
}

// validate reports whether p is within the bounds Baomi accepts.
func (p KDFParams) validate() error {
	if p.Time < 1 || p.Time > maxTime ||
		p.MemoryKiB < minMemoryKiB || p.MemoryKiB > maxMemoryKiB ||
		p.Threads < 1 {
		return fmt.Errorf("vault: KDF parameters %+v out of range: %w", p, data.ErrInvalid)
	}
	return nil
}

// deriveKEK runs Argon2id over secret and returns a key-encryption key for
// SM4. p must have passed validate (argon2 panics on zero Time or Threads).
func deriveKEK(secret, salt []byte, p KDFParams) []byte {
	return argon2.IDKey(secret, salt, p.Time, p.MemoryKiB, p.Threads, kekLen)
}
