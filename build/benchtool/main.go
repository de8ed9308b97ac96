// Command benchtool makes the inputs of build/bench.sh: a register of -rows
// carriers as .xlsx and the same register printed by Baomi as PDF,
// reporting how long Baomi's print took (for the comparison with
// LibreOffice); or, with -folder, a whole data folder (vault with the
// password read from stdin, a generated register of -carriers carriers,
// read once so that its register snapshot is written) for timing the
// real window's unlock.
package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"baomi/data"
	"baomi/data/pdf"
	"baomi/data/store"
	"baomi/data/workspace"
	"baomi/data/xlsx"
)

func main() {
	rows := flag.Int("rows", 10000, "carriers in the register")
	out := flag.String("out", ".", "folder for register.xlsx and register.pdf")
	folder := flag.String("folder", "", "make a data folder here instead (password on stdin)")
	carriers := flag.Int("carriers", 100000, "carriers generated into -folder")
	flag.Parse()
	if *folder != "" {
		makeFolder(*folder, *carriers)
		return
	}
	cs := make([]data.Carrier, *rows)
	names := []string{"张三", "李四", "王五", "赵六", "钱七", "孙八"}
	for i := range cs {
		cs[i] = data.Carrier{ID: fmt.Sprint(i), Number: fmt.Sprintf("BM-2026-%06d", i+1),
			Title: fmt.Sprintf("关于第%d号保密工作事项的通知（含附件及有关材料的说明）", i+1), Kind: data.CarrierKinds[i%len(data.CarrierKinds)],
			Level: data.DefaultClassifications[i%3].Name, PeriodYears: data.DefaultClassifications[i%3].DefaultYears,
			Source: "市保密局", DocNumber: fmt.Sprintf("市保〔2026〕%d号", i%300+1), ReceivedOn: data.NewDate(2026, time.Month(1+i%11), 1+i%28),
			Copies: 1 + i%3, Custodian: names[i%len(names)], Location: fmt.Sprintf("保密柜%d号", i%40+1), State: data.StateHeld}
		if data.IsDeviceKind(cs[i].Kind) {
			cs[i].Serial = fmt.Sprintf("SN%08d", i)
		}
	}
	var xb bytes.Buffer
	if err := xlsx.Write(&xb, "基准测试单位涉密载体台账", cs); err != nil {
		fail(err)
	}
	if err := os.WriteFile(filepath.Join(*out, "register.xlsx"), xb.Bytes(), 0o644); err != nil {
		fail(err)
	}
	start := time.Now()
	var pb bytes.Buffer
	if err := pdf.Register(&pb, pdf.RegisterDoc{Unit: "基准测试单位", Carriers: cs, Printed: data.NewDate(2026, 11, 28), Fingerprint: "0000-0000-0000"}); err != nil {
		fail(err)
	}
	took := time.Since(start)
	if err := os.WriteFile(filepath.Join(*out, "register.pdf"), pb.Bytes(), 0o644); err != nil {
		fail(err)
	}
	fmt.Printf("baomi_pdf_seconds %.3f\n", took.Seconds())
}

// makeFolder sets up a unit in dir with the password on stdin, generates
// n carriers and reads the register once, so that closing writes its
// snapshot as a session of the window would.
func makeFolder(dir string, n int) {
	pw, err := bufio.NewReader(os.Stdin).ReadString('\n')
	if err != nil {
		fail(fmt.Errorf("password on stdin: %w", err))
	}
	ws, _, err := workspace.Setup(dir, data.Unit{Name: "基准测试单位", Code: "BM", Officer: "基准测试员"},
		strings.TrimSpace(pw), workspace.Config{})
	if err != nil {
		fail(err)
	}
	start := time.Now()
	if err := store.Generate(context.Background(), ws.Store, store.GenOptions{Carriers: n, Seed: 42}, nil); err != nil {
		fail(err)
	}
	if _, err := ws.Carriers(context.Background()); err != nil {
		fail(err)
	}
	if err := ws.Close(); err != nil {
		fail(err)
	}
	fmt.Printf("generated %d carriers in %s in %.1f s\n", n, dir, time.Since(start).Seconds())
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "benchtool:", err)
	os.Exit(1)
}
