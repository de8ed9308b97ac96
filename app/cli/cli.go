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
	"io/fs"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"unicode"

	"baomi/app/cli/quiet"
	"baomi/app/version"
	"baomi/data"
	"baomi/data/datadir"
	"baomi/data/workspace"
)

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
	case "init", "verify", "print", "carriers", "people", "keys", "version", "help", "-h", "--help":
		return true
	}
	return false
}

// Run runs the command in args (args[0] is the command) and returns the
// process exit code. A failure prints one Chinese sentence on env.Stderr
// (two for a failed verify); technical detail follows only when
// BAOMI_DEBUG is set. Internal log lines (the store's, Badger's) go to
// env.Workspace.Logger, which Run makes discard them unless BAOMI_DEBUG is
// set. A panic in the command becomes the internal-error sentence.
func Run(args []string, env Env) (code int) {
	if env.Workspace.Logger == nil {
		env.Workspace.Logger = quiet.Logger(env.Stderr)
	}
	// A fault on a memory-mapped store file read by this goroutine becomes
	// a panic that the deferred recover turns into a sentence, not a dump.
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintln(env.Stderr, "错误：", internalError)
			if quiet.Debug() {
				fmt.Fprintf(env.Stderr, "详情： %v\n%s", r, debug.Stack())
			}
			code = 1
		}
	}()
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
	case "people":
		err = runPeople(args[1:], env)
	case "keys":
		err = runKeys(args[1:], env)
	case "version":
		fmt.Fprintf(env.Stdout, "保密工作台 Baomi %s (%s, %s/%s)\n", version.String(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
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
		if ue.msg == flag.ErrHelp.Error() {
			usage(env.Stdout)
			return 0
		}
		fmt.Fprintln(env.Stderr, "用法错误：", FlagMessage(ue.msg))
		return 2
	}
	fmt.Fprintln(env.Stderr, "错误：", message(err))
	if d := data.Detail(err); d != "" {
		fmt.Fprintln(env.Stderr, "问题：", d)
	}
	if quiet.Debug() {
		fmt.Fprintln(env.Stderr, "详情：", err)
	}
	return 1
}

// internalError is the sentence for a failure data.Message has no words
// for. data.Message's own fallback points to the log, which the command
// line does not keep.
const internalError = "发生内部错误。设置环境变量 " + quiet.EnvVar + "=1 后重试可看到技术细节。"

// errUnclassified stands for any error data.Message has no words for.
var errUnclassified = errors.New("unclassified")

// message returns data.Message(err), or internalError where that would be
// data.Message's fallback.
func message(err error) string {
	if m := data.Message(err); m != data.Message(errUnclassified) {
		return m
	}
	return internalError
}

// FlagMessage puts the flag package's English parse errors into Chinese;
// other usage messages are Chinese already and pass unchanged.
func FlagMessage(msg string) string {
	const help = "运行 baomi help 查看用法。"
	var name, value string
	switch {
	case strings.HasPrefix(msg, "flag provided but not defined: "):
		return "没有选项 " + strings.TrimPrefix(msg, "flag provided but not defined: ") + "。" + help
	case strings.HasPrefix(msg, "flag needs an argument: "):
		return "选项 " + strings.TrimPrefix(msg, "flag needs an argument: ") + " 后须跟一个值。" + help
	case strings.HasPrefix(msg, "bad flag syntax: "):
		return "选项写法有误：" + strings.TrimPrefix(msg, "bad flag syntax: ") + "。" + help
	}
	if n, _ := fmt.Sscanf(msg, "invalid value %q for flag %s", &value, &name); n == 2 {
		return "选项 " + strings.TrimSuffix(name, ":") + " 的值 " + value + " 无效。" + help
	}
	if n, _ := fmt.Sscanf(msg, "invalid boolean value %q for %s", &value, &name); n == 2 {
		return "选项 " + strings.TrimSuffix(name, ":") + " 只能不带值，或写成 =true、=false。" + help
	}
	if !hasHan(msg) {
		return "命令行有误（" + msg + "）。" + help
	}
	return msg
}

// hasHan reports whether s holds a Chinese character.
func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
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
              [--state 状态] [--custodian 责任人] [--from 日期] [--to 日期] [--pending]
                                         打印台账（PDF）；--pending 只要待补全的载体；密码从标准输入读取
  baomi carriers import 文件.xlsx|csv [--dry-run] [--all-or-nothing] [--data 目录]
                                         导入台账；--dry-run 只列出每一行将如何处理；
                                         设备缺少序列号的行照常导入，标为待补全
  baomi carriers export 文件.xlsx [筛选同 print] [--data 目录]
                                         导出台账
  baomi people import 文件.xlsx|csv [--dry-run] [--data 目录]
                                         导入涉密人员名单：有人员编号按编号、否则按姓名和部门对应已登记的人员；
                                         有问题的行列出行号和原因，不导入，其余行照常导入
  baomi people export 文件.xlsx|csv [--data 目录]
                                         导出涉密人员名单
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
		return "", err // a *data.UserError naming the way out
	}
	return dir, nil
}

func newFlags(name string, env Env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	// The flag package's own messages are English; Run prints FlagMessage's
	// Chinese one instead.
	fs.SetOutput(io.Discard)
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
		u.Name, dir, head.Fingerprint(), workspace.FormatRecoveryCode(code))
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
	if err := datadir.Check(dir); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil, data.Userf(fmt.Errorf("%w: %w", err, data.ErrNotSetUp),
				"数据目录 %s 不存在。请检查 --data 指定的路径，或先用 baomi init 初始化。", dir)
		}
		return nil, nil, err
	}
	if !workspace.IsSetUp(dir) {
		return nil, nil, data.Userf(data.ErrNotSetUp,
			"数据目录 %s 尚未初始化。请先用 baomi init 初始化，或用 --data 指定已初始化的数据目录。", dir)
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
	for _, n := range ws.Notices() {
		fmt.Fprintln(env.Stderr, "提示：", n)
	}
	return ws, func() { ws.Close(); release() }, nil
}

// DefaultEnv returns the process's standard streams and executable.
func DefaultEnv() Env {
	exe, _ := os.Executable()
	return Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Exe: exe}
}
