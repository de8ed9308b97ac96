package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"baomi/data"
	"baomi/data/safefile"
	"baomi/data/xlsx"
)

// runPeople handles `baomi people import|export`.
func runPeople(args []string, env Env) error {
	if len(args) == 0 {
		return usageError{"baomi people import 文件 [--dry-run] 或 baomi people export 文件.xlsx|csv"}
	}
	switch args[0] {
	case "import":
		return runPeopleImport(args[1:], env)
	case "export":
		return runPeopleExport(args[1:], env)
	}
	return usageError{"未知的子命令 " + args[0]}
}

// runPeopleImport reads a 涉密人员名单 and adds or updates the people it
// lists, one store write per person (a personnel list has hundreds of
// rows, not the carriers' hundreds of thousands). A refused row is listed
// with its line and problems; the other rows are imported all the same.
func runPeopleImport(args []string, env Env) error {
	file, rest := splitFileArg(args)
	fs := newFlags("people import", env)
	dirFlag := fs.String("data", "", "数据目录")
	dry := fs.Bool("dry-run", false, "只列出将导入、更新、拒绝的行，不写入")
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
	header, mapping := sheet.FindPeopleHeader()
	if header < 0 {
		return data.Userf(data.ErrInvalid, "%s 中找不到表头行（姓名、部门、涉密等级等）。", file)
	}
	ws, closeWS, err := unlock(*dirFlag, env)
	if err != nil {
		return err
	}
	defer closeWS()
	ctx := context.Background()
	existing, err := ws.People(ctx)
	if err != nil {
		return err
	}
	today := data.Today()
	actions := xlsx.PlanPeople(sheet.PersonRows(header, mapping, today), existing, today)
	for _, a := range actions {
		if *dry || a.Op == xlsx.OpRefuse {
			fmt.Fprintf(env.Stdout, "第 %d 行\t%s\t%s\t%s\n", a.Row.Line, a.Label(), a.Row.Person.Name, a.Reason)
		}
	}
	fmt.Fprintln(env.Stdout, xlsx.SummarizePeople(actions))
	if *dry {
		return nil
	}
	added, updated := 0, 0
	for _, a := range actions {
		switch a.Op {
		case xlsx.OpImport:
			_, err = ws.AddPerson(ctx, a.Row.Person)
			if err == nil {
				added++
			}
		case xlsx.OpUpdate:
			_, err = ws.UpdatePerson(ctx, a.Updated)
			if err == nil {
				updated++
			}
		default:
			continue
		}
		if err != nil {
			// a person the store refuses (a 人员编号 taken meanwhile) is
			// one refused row; anything else stops the import
			if !errors.Is(err, data.ErrInvalid) && !errors.Is(err, data.ErrConflict) {
				return fmt.Errorf("第 %d 行: %w", a.Row.Line, err)
			}
			fmt.Fprintf(env.Stdout, "第 %d 行\t拒绝\t%s\t%s\n", a.Row.Line, a.Row.Person.Name, data.Message(err))
		}
	}
	fmt.Fprintf(env.Stdout, "已导入 %d 人，更新 %d 人。台账校验码 %s\n", added, updated, ws.Head().Fingerprint())
	return nil
}

// runPeopleExport writes the personnel register to an .xlsx or, by the
// file's extension, a .csv file.
func runPeopleExport(args []string, env Env) error {
	file, rest := splitFileArg(args)
	fs := newFlags("people export", env)
	dirFlag := fs.String("data", "", "数据目录")
	if err := fs.Parse(rest); err != nil {
		return usageError{err.Error()}
	}
	ext := strings.ToLower(filepath.Ext(file))
	if file == "" || (ext != ".xlsx" && ext != ".csv") {
		return usageError{"须指定导出的 .xlsx 或 .csv 文件"}
	}
	ws, closeWS, err := unlock(*dirFlag, env)
	if err != nil {
		return err
	}
	defer closeWS()
	ctx := context.Background()
	people, err := ws.People(ctx)
	if err != nil {
		return err
	}
	u, err := ws.Unit(ctx)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	write := xlsx.WritePeople
	if ext == ".csv" {
		write = xlsx.WritePeopleCSV
	}
	if err := write(&buf, u.Name+"涉密人员名单", people); err != nil {
		return err
	}
	// recorded before it is written, as the carriers' export
	if err := recordOutput(ws, data.OutputExport, "涉密人员名单", len(people), file, ""); err != nil {
		return err
	}
	if err := safefile.Write(file, buf.Bytes(), 0o600); err != nil {
		return data.Userf(err, "无法写入 %s。", file)
	}
	fmt.Fprintf(env.Stdout, "已导出 %d 人到 %s\n", len(people), file)
	return nil
}
