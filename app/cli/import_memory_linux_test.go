package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"baomi/data"
	"baomi/data/vault"
	"baomi/data/workspace"
	"baomi/data/xlsx"
)

// importMemoryEnv names the environment variable that makes the test
// binary run TestImportMemoryHelper: the file and the data folder,
// separated by a newline.
const importMemoryEnv = "BAOMI_CLI_IMPORT_MEMORY_HELPER"

// TestImportMemoryHelper is not a test: run by
// TestDryRunOfTheLargestRegisterStaysUnder500MB as a child process, so that
// its peak RSS is the import's alone, it runs `baomi carriers import
// --dry-run`.
func TestImportMemoryHelper(t *testing.T) {
	file, dir, ok := strings.Cut(os.Getenv(importMemoryEnv), "\n")
	if !ok {
		t.Skip("helper process only")
	}
	env := Env{Stdin: strings.NewReader(pw + "\n"), Stdout: io.Discard, Stderr: os.Stderr,
		Workspace: workspace.Config{KDF: vault.InsecureTestParams}}
	os.Exit(Run([]string{"carriers", "import", file, "--dry-run", "--data", dir}, env))
}

// TestDryRunOfTheLargestRegisterStaysUnder500MB plans the largest register
// Read accepts (199,990 rows, MaxRows with the title and header) in a
// child process and checks its peak RSS: 1,047 MB here (886 MB for the
// built command) before the plan stopped copying rows and carriers, the
// command stopped holding them all and set its memory limit; 346 MB after.
func TestDryRunOfTheLargestRegisterStaysUnder500MB(t *testing.T) {
	if testing.Short() {
		t.Skip("writes and plans a 199,990-row register (about 10 s)")
	}
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "data")
	if code, _, e := run(t, pw+"\n", "init", "--data", dir, "--unit", "某局", "--code", "BM"); code != 0 {
		t.Fatal(e)
	}
	const n = 199_990
	cs := make([]data.Carrier, n)
	for i := range cs {
		cs[i] = data.Carrier{Number: fmt.Sprintf("BM-2026-%06d", i+1),
			Title: fmt.Sprintf("关于第%d号保密工作事项的通知（含附件及有关材料的说明）", i+1),
			Kind:  data.CarrierKinds[i%len(data.CarrierKinds)], Level: "秘密", PeriodYears: 10,
			Source: "市保密局", DocNumber: fmt.Sprintf("市保〔2026〕%d号", i%300+1),
			ReceivedOn: data.NewDate(2026, time.Month(1+i%11), 1+i%28), Copies: 1 + i%3,
			Custodian: "张三", Location: fmt.Sprintf("保密柜%d号", i%40+1), Note: "第一行\n第二行"}
		if data.IsDeviceKind(cs[i].Kind) {
			cs[i].Model, cs[i].Serial = "Kingston DT50", fmt.Sprintf("SN%08d", i)
		}
	}
	var buf bytes.Buffer
	if err := xlsx.Write(&buf, "某局涉密载体台账", cs); err != nil {
		t.Fatal(err)
	}
	cs = nil
	file := filepath.Join(tmp, "台账.xlsx")
	if err := os.WriteFile(file, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	buf = bytes.Buffer{}

	cmd := exec.Command(os.Args[0], "-test.run=^TestImportMemoryHelper$")
	cmd.Env = append(os.Environ(), importMemoryEnv+"="+file+"\n"+dir, "GOMEMLIMIT=", "GOGC=")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("dry run: %v\n%s", err, stderr.String())
	}
	rss := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss << 10 // KiB on Linux
	t.Logf("dry run of %d rows: peak RSS %d MB", n, rss/1e6)
	if rss >= 500e6 {
		t.Errorf("dry run of %d rows peaked at %d MB of RSS, want under 500 MB", n, rss/1e6)
	}
}
