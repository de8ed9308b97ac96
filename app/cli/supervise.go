package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"

	"baomi/app/cli/quiet"
)

// childEnv marks the process that runs the command under Main's watch.
const childEnv = "BAOMI_CLI_CHILD"

// Sentences for a command that the Go runtime ended: a fault on a
// memory-mapped store file (SIGBUS when the disk fills under Badger's
// writer), or a panic in a goroutine no recover reaches.
const (
	crashedOnFault = "程序意外中止：读写数据文件时出错（数据目录所在的磁盘可能已满）。请清理磁盘空间，再用 baomi verify 检查数据后重试；设置环境变量 " + quiet.EnvVar + "=1 可看到技术细节。"
	crashed        = "程序意外中止，这次操作可能没有完成。请用 baomi verify 检查数据后重试；设置环境变量 " + quiet.EnvVar + "=1 可看到技术细节。"
	killed         = "程序被系统终止（例如内存不足或被强制结束），这次操作可能没有完成。请用 baomi verify 检查数据后重试。"
)

// Main runs the command line for this process (args without the program
// name) and returns the exit code. Where the system can tie a child's life
// to its parent (Linux), the command runs in a child process of the same
// executable whose standard error Main passes on line by line until the Go
// runtime's crash report begins: a crash in a goroutine that no recover
// reaches (Badger's writer faulting on a full disk) then ends in one
// Chinese sentence, not a stack dump. BAOMI_DEBUG shows the report as is.
func Main(args []string) int {
	env := DefaultEnv()
	if !canSupervise || os.Getenv(childEnv) != "" || quiet.Debug() {
		return Run(args, env)
	}
	exe, err := os.Executable()
	if err != nil {
		return Run(args, env)
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), childEnv+"=1")
	cmd.Stdin, cmd.Stdout = os.Stdin, os.Stdout
	return supervise(cmd, os.Stderr)
}

// supervise runs cmd (whose Stderr it sets), copies its standard error to
// stderr up to the first line of a Go runtime crash report, and returns
// cmd's exit code; a crash or a kill gives one sentence and exit code 1.
func supervise(cmd *exec.Cmd, stderr io.Writer) int {
	// The child is killed when the thread that started it ends (Linux's
	// parent-death signal follows the thread): keep this one.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	dieWithParent(cmd)
	pipe, err := cmd.StderrPipe()
	if err != nil {
		fmt.Fprintln(stderr, "错误：", internalError)
		return 1
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(stderr, "错误： 无法启动命令（"+err.Error()+"）。请检查程序文件是否完整。")
		return 1
	}
	var report strings.Builder // the crash report, dropped
	sc := bufio.NewScanner(pipe)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if report.Len() == 0 && !crashLine(line) {
			fmt.Fprintln(stderr, line)
			continue
		}
		if report.Len() < 64<<10 {
			report.WriteString(line + "\n")
		}
	}
	io.Copy(io.Discard, pipe) // a line past the scanner's limit: drain so that the child never blocks
	err = cmd.Wait()
	var ee *exec.ExitError
	switch {
	case err == nil && report.Len() == 0:
		return 0
	case report.Len() > 0 && strings.Contains(report.String(), "SIGBUS"):
		fmt.Fprintln(stderr, "错误：", crashedOnFault)
	case report.Len() > 0:
		fmt.Fprintln(stderr, "错误：", crashed)
	case errors.As(err, &ee) && ee.ExitCode() >= 0:
		return ee.ExitCode()
	case errors.As(err, &ee):
		fmt.Fprintln(stderr, "错误：", killed)
	default:
		fmt.Fprintln(stderr, "错误：", internalError)
	}
	return 1
}

// crashLine reports whether line begins the Go runtime's report of a
// crash. The commands' own lines begin with Chinese (错误：, 问题：, 用法错误：)
// or are the usage text.
func crashLine(line string) bool {
	for _, p := range []string{"panic: ", "fatal error: ", "unexpected fault address ", "runtime: ", "goroutine ", "[signal "} {
		if strings.HasPrefix(line, p) {
			return true
		}
	}
	return false
}
