package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"baomi/app/version"
	"baomi/data"
	"baomi/data/vault"
	"baomi/data/workspace"
)

const pw = "Cli-Test-Password-1"

func run(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb,
		Workspace: workspace.Config{KDF: vault.InsecureTestParams}}
	code = Run(args, env)
	return code, out.String(), errb.String()
}

func TestInitThenVerify(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	code, out, errOut := run(t, pw+"\n", "init", "--data", dir, "--unit", "某县档案局", "--code", "daj", "--superior", "某市保密局", "--officer", "赵六")
	if code != 0 {
		t.Fatalf("init exit %d: %s", code, errOut)
	}
	if !regexp.MustCompile(`[0-9A-Z]{5}(-[0-9A-Z]{5}){4}`).MatchString(out) || !strings.Contains(out, "已初始化：某县档案局") {
		t.Errorf("init output lacks recovery code:\n%s", out)
	}
	code, out, errOut = run(t, pw+"\n", "verify", "--data", dir)
	if code != 0 || !strings.Contains(out, "校验通过：2 条审计记录，2 条数据记录") {
		t.Errorf("verify exit %d:\n%s%s", code, out, errOut)
	}
	ws, err := workspace.Unlock(dir, pw, workspace.Config{})
	if err != nil {
		t.Fatal(err)
	}
	u, _ := ws.Store.Unit(t.Context())
	ws.Close()
	if u.Code != "DAJ" || u.Officer != "赵六" || u.Superior != "某市保密局" {
		t.Errorf("unit = %+v", u)
	}
}

func TestCommandErrors(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	if code, _, e := run(t, pw+"\n", "init", "--data", dir, "--unit", "单位", "--code", "DW"); code != 0 {
		t.Fatalf("init: %s", e)
	}
	tests := []struct {
		name     string
		stdin    string
		args     []string
		code     int
		inStderr string
	}{
		{"wrong password", "nope-nope-nope\n", []string{"verify", "--data", dir}, 1, "密码或恢复码不正确"},
		{"no password", "", []string{"verify", "--data", dir}, 1, "未从标准输入读到密码"},
		{"init twice", pw + "\n", []string{"init", "--data", dir, "--unit", "单位", "--code", "DW"}, 1, "已经初始化过"},
		{"init without unit", pw + "\n", []string{"init", "--data", dir + "2", "--code", "DW"}, 1, "单位名称：必须填写"},
		{"init with short password", "short\n", []string{"init", "--data", dir + "3", "--unit", "单位", "--code", "DW"}, 1, "密码：至少需要 10 个字符"},
		{"verify an empty folder", pw + "\n", []string{"verify", "--data", t.TempDir()}, 1, "尚未初始化"},
		{"unknown flag", "", []string{"verify", "--nope"}, 2, "用法错误"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := run(t, tt.stdin, tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.inStderr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errOut, tt.code, tt.inStderr)
			}
		})
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := run(t, "", "version")
	if code != 0 || !strings.Contains(out, "Baomi "+version.Version) {
		t.Errorf("version: %d %q", code, out)
	}
}

// TestMarkerNeverReachesDisk types a marker into every text field of a
// carrier and the unit, and looks for it in every byte of every file in
// the data folder: with the store open, after closing, and after an update.
func TestMarkerNeverReachesDisk(t *testing.T) {
	const marker = "绝密标记XYZZY-7319"
	dir := filepath.Join(t.TempDir(), "data")
	ws, _, err := workspace.Setup(dir, data.Unit{Name: "单位" + marker, Code: "DW", Officer: "张" + marker}, pw, workspace.Config{KDF: vault.InsecureTestParams})
	if err != nil {
		t.Fatal(err)
	}
	c := data.Carrier{Number: "XYZZY-7319", Title: marker, Kind: data.KindUSB, Level: "秘密", PeriodYears: 10,
		ReceivedOn: data.NewDate(2026, 1, 2), Copies: 1, Custodian: marker, Serial: "SN-XYZZY-7319", Note: marker, Location: marker}
	c, err = ws.Store.AddCarrier(t.Context(), c)
	if err != nil {
		t.Fatal(err)
	}
	check := func(when string) {
		t.Helper()
		files, err := workspace.Files(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, needle := range []string{marker, "XYZZY", "绝密标记"} {
				if bytes.Contains(b, []byte(needle)) {
					t.Errorf("%s: %q found in %s", when, needle, f)
				}
			}
		}
	}
	check("store open")
	ws.Close()
	check("after close")
	ws, err = workspace.Unlock(dir, pw, workspace.Config{})
	if err != nil {
		t.Fatal(err)
	}
	c.Note = marker + "二"
	if _, err := ws.Store.UpdateCarrier(t.Context(), c); err != nil {
		t.Fatal(err)
	}
	check("after update")
	ws.Close()
	check("after second close")
}

func TestPrintRegisterCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	if code, _, e := run(t, pw+"\n", "init", "--data", dir, "--unit", "某县档案局", "--code", "DAJ"); code != 0 {
		t.Fatal(e)
	}
	ws, err := workspace.Unlock(dir, pw, workspace.Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"DAJ-1", "DAJ-2"} {
		lv := "机密"
		if n == "DAJ-2" {
			lv = "秘密"
		}
		if _, err := ws.AddCarrier(t.Context(), data.Carrier{Number: n, Title: "档案" + n, Kind: data.KindPaper, Level: lv,
			PeriodYears: 10, ReceivedOn: data.NewDate(2026, 1, 2), Copies: 1, Custodian: "赵六"}); err != nil {
			t.Fatal(err)
		}
	}
	ws.Close()
	out := filepath.Join(t.TempDir(), "台账.pdf")
	code, stdout, errOut := run(t, pw+"\n", "print", "register", "--data", dir, "--out", out, "--level", "机密")
	if code != 0 || !strings.Contains(stdout, "已打印台账 1 件") {
		t.Fatalf("print: %d %s %s", code, stdout, errOut)
	}
	b, err := os.ReadFile(out)
	if err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("output: %v", err)
	}
	if code, _, errOut := run(t, pw+"\n", "print", "register", "--data", dir, "--out", "x.txt"); code != 2 || !strings.Contains(errOut, ".pdf") {
		t.Errorf("bad --out: %d %s", code, errOut)
	}
}

func TestCarriersImportDryRunImportTwiceAndExport(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	if code, _, e := run(t, pw+"\n", "init", "--data", dir, "--unit", "某县档案局", "--code", "DAJ"); code != 0 {
		t.Fatal(e)
	}
	csv := filepath.Join(t.TempDir(), "台账.csv")
	content := "某县档案局涉密载体台账（2026年）\n" +
		"序号,编号,文件资料名称,载体类别,密级,收到日期,份数,责任人,存放位置\n" +
		"1,DAJ-2026-001,年度工作要点,纸质,机密★10年,2026.3.5,2,赵六,保密柜1号\n" +
		"2,DAJ-2026-002,会议纪要,文件,秘密,2026年4月1日,1,钱七,保密柜2号\n" +
		"3,,没有编号的一行,文件,秘密,2026/05/01,1,钱七,保密柜2号\n" +
		"合计,,,,,,3,,\n"
	if err := os.WriteFile(csv, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, pw+"\n", "carriers", "import", csv, "--data", dir, "--dry-run")
	if code != 0 || !strings.Contains(out, "将导入 2 条") || !strings.Contains(out, "拒绝 1 条") || !strings.Contains(out, "编号") {
		t.Fatalf("dry run: %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut := run(t, pw+"\n", "carriers", "import", csv, "--data", dir); code != 0 || !strings.Contains(out, "已导入 2 条，更新 0 条") {
		t.Fatalf("import: %d\n%s%s", code, out, errOut)
	}
	if code, out, _ := run(t, pw+"\n", "carriers", "import", csv, "--data", dir); code != 0 || !strings.Contains(out, "已导入 0 条，更新 0 条") {
		t.Fatalf("second import changed something:\n%s", out)
	}
	xl := filepath.Join(t.TempDir(), "导出.xlsx")
	if code, out, errOut := run(t, pw+"\n", "carriers", "export", xl, "--data", dir, "--level", "机密"); code != 0 || !strings.Contains(out, "已导出 1 件") {
		t.Fatalf("export: %d %s %s", code, out, errOut)
	}
	// the exported file imports back unchanged
	if code, out, _ := run(t, pw+"\n", "carriers", "import", xl, "--data", dir, "--dry-run"); code != 0 || !strings.Contains(out, "无变化 1 条") {
		t.Fatalf("re-import of the export:\n%s", out)
	}
}
