package cli

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"baomi/data"
	"baomi/data/pdf"
	"baomi/data/safefile"
	"baomi/data/workspace"
)

// filterFlags are the register filters shared by print and export.
type filterFlags struct {
	text, kind, level, state, custodian, from, to string
	pending                                       bool
}

func (f *filterFlags) define(fs interface {
	StringVar(p *string, name, value, usage string)
	BoolVar(p *bool, name string, value bool, usage string)
}) {
	fs.StringVar(&f.text, "text", "", "查找：编号、名称、责任人、拼音首字母")
	fs.StringVar(&f.kind, "kind", "", "载体类型")
	fs.StringVar(&f.level, "level", "", "密级")
	fs.StringVar(&f.state, "state", "", "状态")
	fs.StringVar(&f.custodian, "custodian", "", "责任人")
	fs.StringVar(&f.from, "from", "", "收到日期自")
	fs.StringVar(&f.to, "to", "", "收到日期至")
	fs.BoolVar(&f.pending, "pending", false, "只要导入时缺少信息、待补全的载体")
}

// filter builds the data.Filter and its description for the print head.
func (f *filterFlags) filter() (data.Filter, string, error) {
	out := data.Filter{Text: f.text, Kind: f.kind, Level: f.level, State: f.state, Custodian: f.custodian, Pending: f.pending}
	var err error
	if out.From, err = data.ParseDate(f.from); err != nil {
		return out, "", usageError{"--from：" + data.Message(err)}
	}
	if out.To, err = data.ParseDate(f.to); err != nil {
		return out, "", usageError{"--to：" + data.Message(err)}
	}
	var parts []string
	for _, p := range [][2]string{{"查找：", f.text}, {"类型：", f.kind}, {"密级：", f.level}, {"状态：", f.state}, {"责任人：", f.custodian}} {
		if p[1] != "" {
			parts = append(parts, p[0]+p[1])
		}
	}
	if f.from != "" || f.to != "" {
		parts = append(parts, "收到日期："+out.From.Chinese()+"至"+out.To.Chinese())
	}
	if f.pending {
		parts = append(parts, "待补全")
	}
	return out, strings.Join(parts, "；"), nil
}

// runPrint handles `baomi print register`.
func runPrint(args []string, env Env) error {
	if len(args) == 0 || args[0] != "register" {
		return usageError{"只支持 baomi print register --out 文件.pdf"}
	}
	fs := newFlags("print register", env)
	dirFlag := fs.String("data", "", "数据目录")
	out := fs.String("out", "", "输出的 PDF 文件")
	var ff filterFlags
	ff.define(fs)
	if err := fs.Parse(args[1:]); err != nil {
		return usageError{err.Error()}
	}
	if *out == "" || !strings.HasSuffix(strings.ToLower(*out), ".pdf") {
		return usageError{"须用 --out 指定 .pdf 文件"}
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
	fp := ws.Head().Fingerprint()
	if err := pdf.Register(&buf, pdf.RegisterDoc{Unit: u.Name, Filter: desc, Carriers: rows, Printed: data.Today(),
		Fingerprint: fp, Classified: true}); err != nil {
		return err
	}
	// recorded before it is written; the record keeps the code printed
	// on the register, which the record itself moves the head past
	if err := recordOutput(ws, data.OutputSavePDF, "涉密载体台账", len(rows), *out, desc); err != nil {
		return err
	}
	if err := safefile.Write(*out, buf.Bytes(), 0o600); err != nil {
		return data.Userf(err, "无法写入 %s。", *out)
	}
	fmt.Fprintf(env.Stdout, "已打印台账 %d 件到 %s（台账校验码 %s）\n", len(rows), *out, fp)
	return nil
}

// recordOutput records in the audit chain a copy the command is about to
// write: what, how many rows, where (the absolute path), the filter and
// the 台账校验码 of the data it shows.
func recordOutput(ws *workspace.Workspace, way, doc string, rows int, file, filter string) error {
	where, err := filepath.Abs(file)
	if err != nil {
		where = file
	}
	_, err = ws.RecordOutput(context.Background(), data.Output{Way: way, Document: doc, Rows: rows, Where: where,
		Filter: filter, Fingerprint: ws.Head().Fingerprint()})
	if err != nil {
		return data.Userf(err, "无法记入审计记录，没有写出 %s：%s", file, data.Message(err))
	}
	return nil
}

// filtered returns the unit and its carriers matching f, by 编号.
func filtered(ws *workspace.Workspace, f data.Filter) (data.Unit, []data.Carrier, error) {
	ctx := context.Background()
	list, err := ws.Carriers(ctx)
	if err != nil {
		return data.Unit{}, nil, err
	}
	u, err := ws.Unit(ctx)
	if err != nil {
		return data.Unit{}, nil, err
	}
	return u, data.NewRegister(list).Find(f, data.SortNumber, false), nil
}
