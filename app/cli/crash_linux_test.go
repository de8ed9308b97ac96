package cli

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"

	"baomi/data/vault"
	"baomi/data/workspace"
)

// crashEnv names the environment variable that makes the test binary run
// crashHelper instead of the tests.
const crashEnv = "BAOMI_CLI_CRASH_HELPER"

// panicReader panics on Read: a bug in the command's own goroutine.
type panicReader struct{}

func (panicReader) Read([]byte) (int, error) { panic("reader bug") }

// faultReader reads from a memory-mapped page whose file was truncated
// away, which raises SIGBUS in the reading goroutine: what a store file
// shrunk under Badger's mmap does.
type faultReader struct{ page []byte }

func (r faultReader) Read(p []byte) (int, error) { return copy(p, r.page), nil }

func newFaultReader(t testing.TB, dir string) faultReader {
	f, err := os.Create(filepath.Join(dir, "mapped"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Truncate(1 << 16); err != nil {
		t.Fatal(err)
	}
	page, err := unix.Mmap(int(f.Fd()), 0, 1<<16, unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(0); err != nil {
		t.Fatal(err)
	}
	return faultReader{page: page}
}

// TestCrashHelper is not a test: run by TestAPanicOrAFaultInTheCommandIsOneSentence
// as a child process, it runs `baomi init` with a password reader that
// panics or faults.
func TestCrashHelper(t *testing.T) {
	how := os.Getenv(crashEnv)
	if how == "" {
		t.Skip("helper process only")
	}
	dir := t.TempDir()
	env := Env{Stdout: os.Stdout, Stderr: os.Stderr, Workspace: workspace.Config{KDF: vault.InsecureTestParams}}
	switch how {
	case "panic":
		env.Stdin = panicReader{}
	case "fault":
		env.Stdin = newFaultReader(t, dir)
	}
	os.Exit(Run([]string{"init", "--data", filepath.Join(dir, "data"), "--unit", "单位", "--code", "DW"}, env))
}

func TestAPanicOrAFaultInTheCommandIsOneSentence(t *testing.T) {
	for _, how := range []string{"panic", "fault"} {
		t.Run(how, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestCrashHelper$")
			// TMPDIR: the child crashes before its t.TempDir is removed
			cmd.Env = append(os.Environ(), crashEnv+"="+how, "BAOMI_DEBUG=", "TMPDIR="+t.TempDir())
			var out, errb bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &errb
			err := cmd.Run()
			code := 0
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			checkOneChineseSentence(t, "a "+how+" in the command", code, 1, errb.String(), "发生内部错误")
		})
	}
}
