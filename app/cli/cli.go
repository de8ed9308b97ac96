// Package cli is Baomi's command line: init, verify and version. It uses
// the same workspace functions as the screens. Passwords come on standard
// input, one per line, so that scripts can pipe them in.
package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"

	"baomi/data"
	"baomi/data/datadir"
	"baomi/data/store"
	"baomi/data/vault"
	"baomi/data/workspace"
)

// Version is Baomi's version, set at build time with
// -ldflags "-X baomi/app/cli.Version=…".
var Version = "0.1.0"

// Env is what a command reads and writes besides its arguments.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Exe is the executable's path, for the portable-folder check.
	Exe string
	// Workspace configures key derivation and the store guard.
	Workspace workspace.Config
}

// IsCommand reports whether arg names a command-line command rather than a
// GUI flag.
func IsCommand(arg string) bool {
	switch arg {
	case "init", "verify", "print", "carriers", "keys", "version", "help", "-h", "--help":
		return true
	}
	return false
}

// Run runs the command in args (args[0] is the command) and returns the
// process exit code.
func Run(args []string, env Env) int {
	if len(args) == 0 {
		usage(env.Stderr)
		return 2
	}
	var err error
	switch args[0] {
	case "init":
		err = runInit(args[1:], env)
	case "verify":
		err = runVerify(args[1:], env)
	case "print":
		err = runPrint(args[1:], env)
	case "carriers":
		err = runCarriers(args[1:], env)
	case "keys":
		err = runKeys(args[1:], env)
	case "version":
		fmt.Fprintf(env.Stdout, "保密工作台 Baomi %s (%s, %s/%s)\n", Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
		return 0
	default:
		usage(env.Stdout)
		return 0
	}
	if err == nil {
		return 0
	}
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintln(env.Stderr, "用法错误：", ue.msg)
		return 2
	}
	fmt.Fprintln(env.Stderr, "错误：", data.Message(err))
	var ve *store.VerifyError
	if errors.As(err, &ve) {
		fmt.Fprintln(env.Stderr, "问题：", ve.Chinese())
	}
	if os.Getenv("BAOMI_DEBUG") != "" {
		fmt.Fprintln(env.Stderr, "详情：", err)
	}
	return 1
}

type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usage(w io.Writer) {
	fmt.Fprint(w, `保密工作台 Baomi

用法：
  baomi [--data 目录]                     启动图形界面
  baomi init --unit 名称 --code 代码 [--superior 上级单位] [--officer 保密员] [--data 目录]
                                         初始化数据目录；密码从标准输入读取，打印恢复码
  baomi verify [--data 目录]              校验全部记录和审计链；密码从标准输入读取
  baomi print register --out 文件.pdf [--data 目录] [--text 查找] [--kind 类型] [--level 密级]
              [--state 状态] [--custodian 责任人] [--from 日期] [--to 日期]
                                         打印台账（PDF）；密码从标准输入读取
  baomi carriers import 文件.xlsx|csv [--dry-run] [--all-or-nothing] [--data 目录]
                                         导入台账；--dry-run 只列出每一行将如何处理
  baomi carriers export 文件.xlsx [筛选同 print] [--data 目录]
                                         导出台账
  baomi keys rotate [--data 目录]          更换密钥：用新密钥重新加密全部数据，旧密钥文件副本随之失效；
                                         密码从标准输入读取（修改密码不会更换密钥）
  baomi version                          显示版本

数据目录依次取自 --data、环境变量 BAOMI_DATA、程序旁的 baomi.portable 标记、系统默认目录。
`)
}

func readPassword(in io.Reader) (string, error) {
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", data.Userf(data.ErrInvalid, "未从标准输入读到密码。")
	}
	return pw, nil
}

// lockAndReadPassword takes the data folder's lock, then reads the
// password from standard input. Call release when done.
func lockAndReadPassword(dir string, env Env) (pw string, release func(), err error) {
	release, err = datadir.Lock(dir)
	if err != nil {
		return "", nil, err
	}
	pw, err = readPassword(env.Stdin)
	if err != nil {
		release()
		return "", nil, err
	}
	return pw, release, nil
}

func dataDir(flagValue string, env Env) (string, error) {
	dir, _, err := datadir.Resolve(flagValue, env.Exe)
	if err != nil {
		return "", data.Userf(err, "找不到数据目录，请用 --data 指定。")
	}
	return dir, nil
}

func newFlags(name string, env Env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	return fs
}

func runInit(args []string, env Env) error {
	fs := newFlags("init", env)
	dirFlag := fs.String("data", "", "数据目录")
	u := data.Unit{}
	fs.StringVar(&u.Name, "unit", "", "单位名称")
	fs.StringVar(&u.Code, "code", "", "单位代码")
	fs.StringVar(&u.Superior, "superior", "", "上级单位")
	fs.StringVar(&u.Officer, "officer", "保密员", "保密员姓名")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{"多余的参数：" + strings.Join(fs.Args(), " ")}
	}
	dir, err := dataDir(*dirFlag, env)
	if err != nil {
		return err
	}
	pw, release, err := lockAndReadPassword(dir, env)
	if err != nil {
		return err
	}
	defer release()
	ws, code, err := workspace.Setup(dir, u, pw, env.Workspace)
	if err != nil {
		return err
	}
	head := ws.Store.Head()
	if err := ws.Close(); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "已初始化：%s\n数据目录：%s\n审计链校验码：%s\n恢复码（只显示这一次，请抄写后存放于保密柜）：\n%s\n",
		u.Name, dir, head.Fingerprint(), vault.FormatRecoveryCode(code))
	return nil
}

func runVerify(args []string, env Env) error {
	fs := newFlags("verify", env)
	dirFlag := fs.String("data", "", "数据目录")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	ws, closeWS, err := unlock(*dirFlag, env)
	if err != nil {
		return err
	}
	defer closeWS()
	rep, err := ws.Store.Verify(context.Background())
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "校验通过：%d 条审计记录，%d 条数据记录。\n链头：#%d %s\n校验码：%s\n",
		rep.Entries, rep.Records, rep.Head.Seq, rep.Head.Hash, rep.Head.Fingerprint())
	return nil
}

// unlock resolves the data folder, takes its lock, reads the password from
// standard input and unlocks the workspace. closeWS closes it and releases
// the folder.
func unlock(dirFlag string, env Env) (ws *workspace.Workspace, closeWS func(), err error) {
	dir, err := dataDir(dirFlag, env)
	if err != nil {
		return nil, nil, err
	}
	if !workspace.IsSetUp(dir) {
		return nil, nil, fmt.Errorf("%s: %w", dir, data.ErrNotSetUp)
	}
	pw, release, err := lockAndReadPassword(dir, env)
	if err != nil {
		return nil, nil, err
	}
	ws, err = workspace.Unlock(dir, pw, env.Workspace)
	if err != nil {
		release()
		return nil, nil, err
	}
	return ws, func() { ws.Close(); release() }, nil
}

// DefaultEnv returns the process's standard streams and executable.
func DefaultEnv() Env {
	exe, _ := os.Executable()
	return Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Exe: exe}
}
