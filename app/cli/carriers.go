package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"

	"baomi/data"
	"baomi/data/safefile"
	"baomi/data/xlsx"
)

// runCarriers handles `baomi carriers import|export`.
func runCarriers(args []string, env Env) error {
	if len(args) == 0 {
		return usageError{"baomi carriers import 文件 [--dry-run] 或 baomi carriers export 文件.xlsx"}
	}
	switch args[0] {
	case "import":
		return runImport(args[1:], env)
	case "export":
		return runExport(args[1:], env)
	}
	return usageError{"未知的子命令 " + args[0]}
}

// splitFileArg takes the first non-flag argument as the file, so that it
// may come before or after the flags.
func splitFileArg(args []string) (string, []string) {
	for i, a := range args {
		if !strings.HasPrefix(a, "-") && (i == 0 || !flagTakesValue(args[i-1])) {
			return a, append(append([]string(nil), args[:i]...), args[i+1:]...)
		}
	}
	return "", args
}

func flagTakesValue(f string) bool {
	if strings.Contains(f, "=") {
		return false
	}
	switch strings.TrimLeft(f, "-") {
	case "dry-run", "all-or-nothing", "pending":
		return false
	}
	return strings.HasPrefix(f, "-")
}

// importMemoryLimit is the soft memory limit (debug.SetMemoryLimit) of an
// import. The live heap of reading the largest file accepted peaks at about
// 240 MB, and the collector's default target of twice the live heap took a
// 199,990-row dry run to 613 MB of RSS; with this limit it peaks at 372 MB.
// Where more than the limit stays live the collector runs more often and
// the command takes longer: a dry run of the same rows against a register
// of 199,990 carriers (Badger compacting at open) 1,158 MB in 23 s without
// the limit, 776 MB in 32 s with it. A real import of them into an empty
// register keeps its rows (about 100 MB) and Badger's compaction buffers
// (store.badgerOptions) live beside the store's reads: with the limit it
// completes in a 400 MB memory cgroup, its anonymous memory peaking at
// 330-400 MB (TestRealImportOfTheLargestRegisterFitsInA450MBCgroup).
const importMemoryLimit = 350 << 20

// limitMemory sets importMemoryLimit unless a limit is set already or
// GOMEMLIMIT is set (off included), and returns the function that puts
// back the limit it replaced.
func limitMemory() (restore func()) {
	old := debug.SetMemoryLimit(-1)
	if old != math.MaxInt64 || os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	debug.SetMemoryLimit(importMemoryLimit)
	return func() { debug.SetMemoryLimit(old) }
}

func runImport(args []string, env Env) error {
	defer limitMemory()()
	file, rest := splitFileArg(args)
	fs := newFlags("carriers import", env)
	dirFlag := fs.String("data", "", "数据目录")
	dry := fs.Bool("dry-run", false, "只列出将导入、更新、拒绝的行，不写入")
	all := fs.Bool("all-or-nothing", false, "有任何一行被拒绝时全部不导入；导入中途被打断（断电、被结束）时，下次打开数据会撤销已写入的部分")
	if err := fs.Parse(rest); err != nil {
		return usageError{err.Error()}
	}
	if file == "" {
		return usageError{"须指定要导入的 .xlsx 或 .csv 文件"}
	}
	sheet, err := readSheet(file)
	if err != nil {
		return err
	}
	header, mapping := sheet.FindHeader()
	if header < 0 {
		return data.Userf(data.ErrInvalid, "%s 中找不到表头行（编号、名称、密级等）。", file)
	}
	ws, closeWS, err := unlock(*dirFlag, env)
	if err != nil {
		return err
	}
	defer closeWS()
	ctx := context.Background()
	levels, err := ws.Classifications(ctx)
	if err != nil {
		return err
	}
	// Each row is parsed, planned and printed as it is read, dropping its
	// part of the sheet, and its 编号 is looked up in the store's index
	// instead of the whole register being loaded beside the sheet. Holding
	// the sheet, every row, every action (each with copies of its row and
	// of the registered carrier) and the register took a 199,990-row dry
	// run to 886 MB of RSS, 1.8 GB against a register of the same 199,990
	// carriers; loading that register (its list and the store's cached
	// copy, 273 MB live while read) still cost 961 MB where the lookups
	// take 776 MB in the same time.
	var lookupErr error
	plan := xlsx.NewPlanner(func(number string) *data.Carrier {
		c, err := ws.CarrierByNumber(ctx, number)
		if err != nil {
			if !errors.Is(err, data.ErrNotFound) && lookupErr == nil {
				lookupErr = err
			}
			return nil
		}
		return &c
	})
	var adds, updates []data.Carrier
	// pendingNumbers are the 编号 of the rows that leave their carrier
	// 待补全, to count those the store then writes.
	var pendingNumbers []string
	for r := range sheet.ConsumeRows(header, mapping, xlsx.Options{Classifications: levels}) {
		a, ok := plan.Next(&r)
		if lookupErr != nil {
			return lookupErr
		}
		if !ok {
			continue
		}
		switch {
		case *dry:
		case a.Op == xlsx.OpImport:
			adds = append(adds, r.Carrier)
		case a.Op == xlsx.OpUpdate:
			updates = append(updates, xlsx.ApplyTo(*a.Existing, r))
		}
		if a.Pending() != "" {
			pendingNumbers = append(pendingNumbers, r.Carrier.Number)
		}
		if *dry || a.Op == xlsx.OpRefuse {
			fmt.Fprintf(env.Stdout, "第 %d 行\t%s\t%s\t%s\n", r.Line, a.Label(), r.Carrier.Number, a.Reason)
		}
	}
	fmt.Fprintln(env.Stdout, plan.Summary())
	if *dry {
		return nil
	}
	refusedRows := plan.Count(xlsx.OpRefuse)
	if *all && refusedRows > 0 {
		return data.Userf(data.ErrInvalid, "有 %d 行被拒绝，按 --all-or-nothing 未导入任何一行。", refusedRows)
	}
	res, refused, err := ws.Import(ctx, adds, updates, *all, nil)
	if err != nil {
		return err
	}
	numbers := make([]string, 0, len(refused))
	for n := range refused {
		numbers = append(numbers, n)
	}
	sort.Strings(numbers)
	for _, n := range numbers {
		fmt.Fprintf(env.Stdout, "拒绝\t%s\t%s\n", n, data.Message(refused[n]))
	}
	pending := 0
	for _, n := range pendingNumbers {
		if refused[n] == nil {
			pending++
		}
	}
	done := fmt.Sprintf("已导入 %d 条，更新 %d 条。", res.Added, res.Updated)
	if pending > 0 {
		done += fmt.Sprintf("其中 %d 件载体信息待补全，可用 --pending 筛选后打印或导出，在窗口中逐件补全。", pending)
	}
	fmt.Fprintf(env.Stdout, "%s台账校验码 %s\n", done, ws.Head().Fingerprint())
	return nil
}

func runExport(args []string, env Env) error {
	file, rest := splitFileArg(args)
	fs := newFlags("carriers export", env)
	dirFlag := fs.String("data", "", "数据目录")
	var ff filterFlags
	ff.define(fs)
	if err := fs.Parse(rest); err != nil {
		return usageError{err.Error()}
	}
	if file == "" || !strings.HasSuffix(strings.ToLower(file), ".xlsx") {
		return usageError{"须指定导出的 .xlsx 文件"}
	}
	f, desc, err := ff.filter()
	if err != nil {
		return err
	}
	ws, closeWS, err := unlock(*dirFlag, env)
	if err != nil {
		return err
	}
	defer closeWS()
	u, rows, err := filtered(ws, f)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := xlsx.Write(&buf, u.Name+"涉密载体台账", rows); err != nil {
		return err
	}
	// recorded before it is written, as from the window (carriers.onExport)
	if err := recordOutput(ws, data.OutputExport, "涉密载体台账", len(rows), file, desc); err != nil {
		return err
	}
	if err := safefile.Write(file, buf.Bytes(), 0o600); err != nil {
		return data.Userf(err, "无法写入 %s。", file)
	}
	fmt.Fprintf(env.Stdout, "已导出 %d 件到 %s\n", len(rows), file)
	return nil
}

// readSheet reads the .xlsx or .csv file an import names.
func readSheet(file string) (*xlsx.Sheet, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, data.Userf(err, "无法打开 %s。", file)
	}
	defer f.Close()
	return xlsx.Read(f, filepath.Base(file))
}
