package data

import (
	"context"
	"strings"
	"time"
)

// Ways a plaintext copy of classified data leaves Baomi (an 输出记录's 方式).
const (
	// OutputExport is an export of a register to a spreadsheet file.
	OutputExport = "导出"
	// OutputPrint is a print file sent to the printer.
	OutputPrint = "打印"
	// OutputSavePDF is a print file saved as a PDF where the officer chose.
	OutputSavePDF = "另存为PDF"
	// OutputView is a print file opened in the system's PDF viewer, from
	// which it may be printed or saved.
	OutputView = "打开查看"
)

// Field labels of an output record.
const (
	FieldOutputWay      = "方式"
	FieldOutputDocument = "文件"
	FieldOutputRows     = "件数"
	FieldOutputWhere    = "去向"
)

// Output is one plaintext copy of classified data that left the program
// (输出记录): an export, a print, a print saved as PDF. Every one is a record
// of its own with its audit entry, so the audit chain says when, by whom,
// what document, how many rows and where to; the copy itself is a 涉密载体
// the officer registers or destroys.
type Output struct {
	ID       string `json:"id"`               // internal identifier, never shown
	Way      string `json:"way"`              // OutputExport, OutputPrint …
	Document string `json:"document"`         // what: 涉密载体台账, 载体标签 …
	Rows     int    `json:"rows"`             // how many carriers (rows) it lists
	Where    string `json:"where"`            // the file's path, or the printer
	Filter   string `json:"filter,omitempty"` // the register's filter, as printed on it
	// Fingerprint is the 台账校验码 of the data the copy shows, as printed
	// on it. The output record itself moves the audit head on, so the
	// code under the window changes after every print and export; the
	// record keeps the paper's code, which an inspector finds in the
	// chain as the head just before it.
	Fingerprint string    `json:"fingerprint,omitempty"`
	At          time.Time `json:"at"` // set by the store
}

// Normalize trims the text fields.
func (o *Output) Normalize() {
	o.Way = strings.TrimSpace(o.Way)
	o.Document = strings.TrimSpace(o.Document)
	o.Where = strings.TrimSpace(o.Where)
	o.Filter = strings.TrimSpace(o.Filter)
}

// Validate reports what an output record lacks: the way, the document and
// where it went are needed to trace the copy, and a count is never
// negative.
func (o Output) Validate() error {
	var es FieldErrors
	switch o.Way {
	case OutputExport, OutputPrint, OutputSavePDF, OutputView:
	case "":
		es = append(es, FieldError{FieldOutputWay, "请说明输出方式（导出、打印或另存为PDF）"})
	default:
		es = append(es, FieldError{FieldOutputWay, "输出方式“" + o.Way + "”不认识，应为导出、打印、另存为PDF或打开查看"})
	}
	if o.Document == "" {
		es = append(es, FieldError{FieldOutputDocument, "请说明输出的是哪一份文件"})
	}
	if o.Where == "" {
		es = append(es, FieldError{FieldOutputWhere, "请说明文件去了哪里（保存位置或打印机）"})
	}
	if o.Rows < 0 {
		es = append(es, FieldError{FieldOutputRows, "件数不能为负数"})
	}
	if len(es) > 0 {
		return es
	}
	return nil
}

// OutputService records the plaintext copies that leave the program. The
// carrier screens (export) and the shell (print) use it.
type OutputService interface {
	// RecordOutput validates o, stamps it and stores it with its audit
	// entry; it returns o as stored.
	RecordOutput(ctx context.Context, o Output) (Output, error)
	// Outputs returns every output record, oldest first.
	Outputs(ctx context.Context) ([]Output, error)
}
