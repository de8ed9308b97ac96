package cli

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"

	"baomi/data"
	"baomi/data/datatest"
	"baomi/data/store"
	"baomi/data/vault"
	"baomi/data/workspace"
	"baomi/data/workspace/wstest"
)

// setUpFolder makes an initialised data folder (cheap KDF) holding the
// given carriers and returns it with the carriers as stored.
func setUpFolder(t *testing.T, numbers ...string) (string, []data.Carrier) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "data")
	unit := data.Unit{Name: "某县档案局", Code: "DAJ", Officer: "赵六"}
	var want []data.Carrier
	for _, n := range numbers {
		c := wstest.Carrier(n)
		c.Custodian = unit.Officer
		want = append(want, c)
	}
	return dir, wstest.Folder(t, dir, unit, pw, workspace.Config{KDF: vault.InsecureTestParams}, want...)
}

// built is the real program, built once for all tests of this binary.
var built struct {
	once     sync.Once
	dir, bin string
	out      []byte
	err      error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// buildBaomi builds the real program (main package at the module root)
// once. With a warm build cache it takes 5–20 s.
func buildBaomi(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		built.dir, built.err = os.MkdirTemp("", "baomi-cli-test-")
		if built.err != nil {
			return
		}
		built.bin = filepath.Join(built.dir, "baomi")
		if runtime.GOOS == "windows" {
			built.bin += ".exe"
		}
		built.out, built.err = exec.Command("go", "build", "-o", built.bin, "baomi").CombinedOutput()
	})
	if built.err != nil {
		t.Fatalf("go build: %v\n%s", built.err, built.out)
	}
	return built.bin
}

// runBinary runs the built program with args and stdin under
// LANG=C.UTF-8 (a locale Fyne's init complains about on the standard
// logger: "Fyne error:  Error parsing user locale C") and
// without BAOMI_DEBUG unless debug is set.
func runBinary(t *testing.T, bin, stdin string, debug bool, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "BAOMI_") && !strings.HasPrefix(kv, "LC_ALL=") && !strings.HasPrefix(kv, "LANG=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "LANG=C.UTF-8")
	if debug {
		cmd.Env = append(cmd.Env, "BAOMI_DEBUG=1")
	}
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatalf("run %s: %v", bin, err)
	}
	return code, out.String(), errb.String()
}

// checkOneChineseSentence fails unless stderr is one or two lines, each
// Chinese, with no stack dump, no English log line and no mention of a
// log the command line does not keep.
func checkOneChineseSentence(t *testing.T, how string, code, wantCode int, stderr, want string) {
	t.Helper()
	lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
	ok := code == wantCode && len(lines) >= 1 && len(lines) <= 2 && strings.Contains(stderr, want)
	for _, l := range lines {
		if !hasHan(l) || strings.Contains(l, "goroutine ") || strings.Contains(strings.ToLower(l), "panic") || strings.Contains(l, "日志") {
			ok = false
		}
	}
	if !ok {
		t.Errorf("%s: exit %d, stderr:\n%s\nwant exit %d and one or two Chinese lines containing %q, no stack dump, no log line, no 日志",
			how, code, stderr, wantCode, want)
	}
}

func TestEveryFailureSaysOneChineseSentenceWithoutLogLinesOrStackDumps(t *testing.T) {
	bin := buildBaomi(t)
	tests := []struct {
		name  string
		setup func(t *testing.T) (stdin string, args []string)
		code  int
		want  string
		// window: the arguments go to the window's flags in main, which
		// only the built program has
		window bool
	}{
		{"corrupt anchor and its copy", func(t *testing.T) (string, []string) {
			dir, _ := setUpFolder(t)
			for _, f := range []string{"BAOMI-ANCHOR", "BAOMI-ANCHOR.bak"} {
				if err := os.WriteFile(filepath.Join(dir, store.DBDir, f), bytes.Repeat([]byte{0x5a}, 112), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			return pw + "\n", []string{"verify", "--data", dir}
		}, 1, "数据文件已损坏或被改动", false},
		{"read-only data folder", func(t *testing.T) (string, []string) {
			dir, _ := setUpFolder(t)
			return pw + "\n", []string{"verify", "--data", datatest.ReadOnlyView(t, dir)}
		}, 1, "只读（或没有写权限）", false},
		{"--data names a file", func(t *testing.T) (string, []string) {
			f := filepath.Join(t.TempDir(), "台账.xlsx")
			if err := os.WriteFile(f, []byte("x"), 0o600); err != nil {
				t.Fatal(err)
			}
			return pw + "\n", []string{"verify", "--data", f}
		}, 1, "是一个文件，不是文件夹", false},
		{"init with --data naming a file", func(t *testing.T) (string, []string) {
			f := filepath.Join(t.TempDir(), "台账.xlsx")
			if err := os.WriteFile(f, []byte("x"), 0o600); err != nil {
				t.Fatal(err)
			}
			return pw + "\n", []string{"init", "--data", f, "--unit", "单位", "--code", "DW"}
		}, 1, "是一个文件，不是文件夹", false},
		{"wrong password", func(t *testing.T) (string, []string) {
			dir, _ := setUpFolder(t)
			return "Not-The-Password-1\n", []string{"verify", "--data", dir}
		}, 1, "密码或恢复码不正确", false},
		{"missing folder", func(t *testing.T) (string, []string) {
			return pw + "\n", []string{"verify", "--data", filepath.Join(t.TempDir(), "nowhere")}
		}, 1, "不存在", false},
		{"unknown option", func(t *testing.T) (string, []string) {
			return "", []string{"verify", "--nope"}
		}, 2, "没有选项 -nope", false},
		{"option without its value", func(t *testing.T) (string, []string) {
			return "", []string{"carriers", "export", "x.xlsx", "--data"}
		}, 2, "选项 -data 后须跟一个值", false},
		{"unknown option of the window", func(t *testing.T) (string, []string) {
			return "", []string{"--nope"}
		}, 2, "没有选项 -nope", true},
		{"stray word before the window's options", func(t *testing.T) (string, []string) {
			return "", []string{"veriffy", "--data", t.TempDir()}
		}, 2, "多余的参数", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdin, args := tt.setup(t)
			if !tt.window {
				code, _, stderr := run(t, stdin, args...)
				checkOneChineseSentence(t, "cli.Run", code, tt.code, stderr, tt.want)
			}
			code, _, stderr := runBinary(t, bin, stdin, false, args...)
			checkOneChineseSentence(t, "the built program", code, tt.code, stderr, tt.want)
		})
	}
}

func TestDetailAppearsOnlyWithBaomiDebug(t *testing.T) {
	bin := buildBaomi(t)
	dir, _ := setUpFolder(t)
	anchor := filepath.Join(dir, store.DBDir, "BAOMI-ANCHOR")
	if err := os.WriteFile(anchor, []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(anchor+".bak", []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runBinary(t, bin, pw+"\n", true, "verify", "--data", dir)
	if code != 1 || !strings.Contains(stderr, "错误： 数据文件已损坏") || !strings.Contains(stderr, "详情：") || !strings.Contains(stderr, "anchor") {
		t.Errorf("BAOMI_DEBUG=1: exit %d, stderr:\n%s\nwant the sentence, then 详情： and the store's anchor log lines", code, stderr)
	}
}

func TestMessageNeverPointsToALogTheCommandLineDoesNotKeep(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"unclassified error", errors.New("something internal"), "BAOMI_DEBUG=1"},
		{"wrapped unclassified error", errors.Join(errors.New("a"), errors.New("b")), "BAOMI_DEBUG=1"},
		{"classified error keeps its sentence", data.ErrWrongPassword, "密码或恢复码不正确"},
		{"user error keeps its sentence", data.Userf(errors.New("x"), "无法写入 a.pdf。"), "无法写入 a.pdf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := message(tt.err)
			if !strings.Contains(got, tt.want) || strings.Contains(got, "日志") {
				t.Errorf("message(%v) = %q, want %q and no 日志", tt.err, got, tt.want)
			}
		})
	}
}

func TestFlagErrorsAreChinese(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"unknown flag", "flag provided but not defined: -x", "没有选项 -x。"},
		{"missing value", "flag needs an argument: -data", "选项 -data 后须跟一个值。"},
		{"bad value", `invalid value "abc" for flag -from: parse error`, "选项 -from 的值 abc 无效。"},
		{"bad boolean", `invalid boolean value "x" for -dry-run: parse error`, "选项 -dry-run 只能不带值"},
		{"bad syntax", "bad flag syntax: ---x", "选项写法有误：---x。"},
		{"already Chinese", "须指定导出的 .xlsx 文件", "须指定导出的 .xlsx 文件"},
		{"other English", "something new", "命令行有误（something new）"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FlagMessage(tt.in); !strings.HasPrefix(got, tt.want) {
				t.Errorf("FlagMessage(%q) = %q, want it to start with %q", tt.in, got, tt.want)
			}
		})
	}
}

// tamperRecord replaces the stored value of carrier victim with carrier
// donor's sealed value, through Badger with the right keys: a value that
// decrypts under the key but fails authentication under its own name.
func tamperRecord(t *testing.T, dir string, victim, donor data.Carrier) {
	t.Helper()
	keys, err := vault.Open(dir, pw)
	if err != nil {
		t.Fatal(err)
	}
	db, err := badger.Open(badger.DefaultOptions(filepath.Join(dir, store.DBDir)).
		WithEncryptionKey(keys.Master).WithLogger(nil).
		// as the store opens it: encrypted tables need the index cache
		WithIndexCacheSize(16 << 20).WithBlockCacheSize(32 << 20).WithCompression(options.ZSTD).
		WithValueLogFileSize(64 << 20).WithMemTableSize(8 << 20).WithSyncWrites(true))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	key := func(id string) []byte { return []byte("r/" + store.KindCarrier + "/" + id) }
	err = db.Update(func(txn *badger.Txn) error {
		it, err := txn.Get(key(donor.ID))
		if err != nil {
			return err
		}
		v, err := it.ValueCopy(nil)
		if err != nil {
			return err
		}
		if _, err := txn.Get(key(victim.ID)); err != nil {
			return err
		}
		return txn.Set(key(victim.ID), v)
	})
	if err != nil {
		t.Fatalf("tamper: %v", err)
	}
}

func TestVerifyOfATamperedStoreExitsOneAndNamesTheProblem(t *testing.T) {
	dir, cs := setUpFolder(t, "DAJ-1", "DAJ-2")
	tamperRecord(t, dir, cs[1], cs[0])

	// what the store itself says, to compare with what the command prints
	ws, err := workspace.Unlock(dir, pw, workspace.Config{})
	if err != nil {
		t.Fatal(err)
	}
	_, verr := ws.Store.Verify(context.Background())
	ws.Close()
	var ve *store.VerifyError
	if !errors.As(verr, &ve) || ve.ID != cs[1].ID {
		t.Fatalf("store Verify = %v, want a VerifyError on carrier %s", verr, cs[1].ID)
	}

	code, stdout, stderr := run(t, pw+"\n", "verify", "--data", dir)
	if code != 1 || strings.Contains(stdout+stderr, "校验通过") || !strings.Contains(stderr, "问题： "+ve.Chinese()) ||
		!strings.Contains(stderr, "数据无法通过认证") {
		t.Errorf("verify of a tampered store: exit %d\nstdout:\n%s\nstderr:\n%s\nwant exit 1, no 校验通过, and 问题： %s",
			code, stdout, stderr, ve.Chinese())
	}
}
