package cli

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// superviseEnv names the environment variable that makes the test binary
// run TestSuperviseHelper in one of its modes instead of the tests.
const superviseEnv = "BAOMI_CLI_SUPERVISE_HELPER"

// TestSuperviseHelper is not a test: run as a child process by the tests
// below, it behaves as its mode says.
func TestSuperviseHelper(t *testing.T) {
	mode := os.Getenv(superviseEnv)
	if mode == "" {
		t.Skip("helper process only")
	}
	switch mode {
	case "ok":
		fmt.Println("校验通过：2 条审计记录")
		os.Exit(0)
	case "sentence":
		fmt.Fprintln(os.Stderr, "错误： 密码或恢复码不正确。")
		os.Exit(1)
	case "usage":
		fmt.Fprintln(os.Stderr, "用法错误： 没有选项 -x。")
		os.Exit(2)
	case "goroutine panic":
		fmt.Fprintln(os.Stderr, "错误： 已导入 300 条之前的一句。")
		go func() { panic("badger: something inside") }()
	case "goroutine fault":
		r := newFaultReader(t, t.TempDir())
		go func() { r.Read(make([]byte, 16)) }()
	case "killed":
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
	case "sleeper":
		if err := os.WriteFile(os.Getenv("BAOMI_PID_FILE"), []byte(strconv.Itoa(os.Getpid())), 0o600); err != nil {
			os.Exit(9)
		}
	case "supervisor":
		os.Exit(supervise(helper("sleeper"), os.Stderr))
	}
	time.Sleep(30 * time.Second)
	os.Exit(7)
}

func helper(mode string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^TestSuperviseHelper$")
	cmd.Env = append(os.Environ(), superviseEnv+"="+mode)
	return cmd
}

func TestSupervisedCommandCrashEndsInOneSentence(t *testing.T) {
	tests := []struct {
		mode   string
		code   int
		stderr []string // the lines, each to be contained
		stdout string
	}{
		{"ok", 0, nil, "校验通过"},
		{"sentence", 1, []string{"错误： 密码或恢复码不正确。"}, ""},
		{"usage", 2, []string{"用法错误： 没有选项 -x。"}, ""},
		{"goroutine panic", 1, []string{"错误： 已导入 300 条之前的一句。", crashed}, ""},
		{"goroutine fault", 1, []string{crashedOnFault}, ""},
		{"killed", 1, []string{killed}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			cmd := helper(tt.mode)
			// the child dies before its t.TempDir is removed: keep it in ours
			cmd.Env = append(cmd.Env, "TMPDIR="+t.TempDir())
			var out, errb bytes.Buffer
			cmd.Stdout = &out
			code := supervise(cmd, &errb)
			lines := strings.Split(strings.TrimRight(errb.String(), "\n"), "\n")
			if errb.Len() == 0 {
				lines = nil
			}
			ok := code == tt.code && len(lines) == len(tt.stderr) && strings.Contains(out.String(), tt.stdout)
			for i := range lines {
				if ok && !strings.Contains(lines[i], tt.stderr[i]) {
					ok = false
				}
			}
			if !ok || strings.Contains(errb.String(), "goroutine ") || strings.Contains(errb.String(), "panic") {
				t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant exit %d, stdout with %q, stderr lines %q",
					code, out.String(), errb.String(), tt.code, tt.stdout, tt.stderr)
			}
		})
	}
}

func TestKillingTheSupervisorKillsTheCommand(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "pid")
	cmd := helper("supervisor")
	cmd.Env = append(cmd.Env, "TMPDIR="+t.TempDir())
	cmd.Env = append(cmd.Env, "BAOMI_PID_FILE="+pidFile)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var pid int
	deadline := time.Now().Add(10 * time.Second)
	for pid == 0 && time.Now().Before(deadline) {
		b, _ := os.ReadFile(pidFile)
		pid, _ = strconv.Atoi(string(b))
		time.Sleep(10 * time.Millisecond)
	}
	if pid == 0 {
		cmd.Process.Kill()
		t.Fatal("the command never started")
	}
	cmd.Process.Kill() // kill -9 of baomi, as a user or a test would
	cmd.Wait()
	for time.Now().Before(deadline) {
		if !alive(pid) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	syscall.Kill(pid, syscall.SIGKILL)
	t.Errorf("the command (pid %d) outlived its killed supervisor", pid)
}

// alive reports whether pid runs (a zombie waiting to be reaped does not).
func alive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if errors.Is(err, os.ErrNotExist) {
		return false
	}
	// the state follows the parenthesised command name
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return err != nil || i < 0 || i+2 >= len(s) || s[i+2] != 'Z'
}
