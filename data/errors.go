// Package data holds Baomi's domain: the types a secrecy office works with
// (units, carriers), the rules they obey, and the errors the rest of the
// program reports. Storage, crypto and audit live in sub-packages that
// implement the interfaces declared here. Nothing under data imports Fyne.
package data

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. Wrap them with %w; test for them with errors.Is. Their
// texts are internal; Message gives the Chinese text a user may read.
var (
	// ErrNotFound means the requested record does not exist.
	ErrNotFound = errors.New("not found")
	// ErrInvalid means an input broke a rule; it usually comes as *FieldErrors.
	ErrInvalid = errors.New("invalid input")
	// ErrConflict means the change clashes with a stored record, such as a
	// duplicate 编号.
	ErrConflict = errors.New("conflict")
	// ErrWrongPassword means the password or recovery code did not unlock the
	// vault.
	ErrWrongPassword = errors.New("wrong password")
	// ErrAlreadyOpen means another Baomi process holds the data folder.
	ErrAlreadyOpen = errors.New("data folder already open")
	// ErrCorrupt means stored bytes failed authentication or the store cannot
	// be opened safely.
	ErrCorrupt = errors.New("data corrupt")
	// ErrAuditBroken means the audit chain does not verify.
	ErrAuditBroken = errors.New("audit chain broken")
	// ErrNotSetUp means the data folder holds no vault yet.
	ErrNotSetUp = errors.New("not set up")
	// ErrLocked means the store is closed because Baomi is locked.
	ErrLocked = errors.New("locked")
	// ErrDiskFull means the disk holding the data folder (or an output
	// file) has too little free space for the write; nothing was written.
	ErrDiskFull = errors.New("disk full")
	// ErrStoreMissing means the data folder was set up but its database
	// files (db/) are gone or incomplete; nothing was created in their place.
	ErrStoreMissing = errors.New("store missing")
)

// FieldError is one broken rule on one named field. Field is the Chinese
// label shown on the form; Problem is a Chinese sentence a user may read.
type FieldError struct {
	Field   string
	Problem string
}

// Error returns "Field：Problem".
func (e FieldError) Error() string { return e.Field + "：" + e.Problem }

// FieldErrors collects every broken rule of one input. It matches ErrInvalid
// under errors.Is.
type FieldErrors []FieldError

// Error joins the field errors with "；".
func (es FieldErrors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "；")
}

// Is reports whether target is ErrInvalid.
func (es FieldErrors) Is(target error) bool { return target == ErrInvalid }

// For returns the problem reported for field, or "" if there is none.
func (es FieldErrors) For(field string) string {
	for _, e := range es {
		if e.Field == field {
			return e.Problem
		}
	}
	return ""
}

// UserError carries a Chinese message meant for the user together with the
// internal cause, which goes to the log only.
type UserError struct {
	Msg   string
	Cause error
}

// Error returns the user message followed by the internal cause.
func (e *UserError) Error() string {
	if e.Cause == nil {
		return e.Msg
	}
	return e.Msg + ": " + e.Cause.Error()
}

// Unwrap returns the internal cause.
func (e *UserError) Unwrap() error { return e.Cause }

// Userf returns a *UserError with a formatted Chinese message wrapping cause.
func Userf(cause error, format string, args ...any) error {
	return &UserError{Msg: fmt.Sprintf(format, args...), Cause: cause}
}

// Message returns the Chinese text to show the user for err. Internal detail
// never appears in it; log err itself for that.
func Message(err error) string {
	if err == nil {
		return ""
	}
	var ue *UserError
	if errors.As(err, &ue) {
		return ue.Msg
	}
	var fe FieldErrors
	if errors.As(err, &fe) {
		return "输入有误：" + fe.Error()
	}
	var f1 FieldError
	if errors.As(err, &f1) {
		return "输入有误：" + f1.Error()
	}
	switch {
	case errors.Is(err, ErrWrongPassword):
		return "密码或恢复码不正确。"
	case errors.Is(err, ErrAlreadyOpen):
		return "保密工作台已在运行，同一数据目录不能同时打开两次。请切换到已打开的窗口。"
	case errors.Is(err, ErrAuditBroken):
		return "审计链校验未通过：记录可能被篡改或损坏。请停止使用并从备份恢复，或联系技术支持。"
	case errors.Is(err, ErrCorrupt):
		return "数据文件已损坏或被改动，无法安全打开。请从备份恢复，或联系技术支持。"
	case errors.Is(err, ErrNotFound):
		return "记录不存在。"
	case errors.Is(err, ErrConflict):
		return "与已有记录冲突。"
	case errors.Is(err, ErrInvalid):
		return "输入有误。"
	case errors.Is(err, ErrNotSetUp):
		return "尚未初始化，请先完成首次设置。"
	case errors.Is(err, ErrLocked):
		return "已锁定，请重新解锁。"
	case errors.Is(err, ErrDiskFull):
		return "磁盘空间不足，未写入任何数据。请清理数据目录所在的磁盘后重试。"
	case errors.Is(err, ErrStoreMissing):
		return "数据库文件缺失：数据目录已经初始化，但其中的数据库（db 文件夹）不见了或不完整。程序没有改动任何文件。请从备份恢复整个数据目录。"
	}
	return "操作失败，发生内部错误。详细信息已写入日志。"
}

// Detail returns, in Chinese, the exact problem err found, when an error
// in its chain names one (a verification names the audit entry and the
// record where it broke), or "".
func Detail(err error) string {
	var d interface{ Chinese() string }
	if errors.As(err, &d) {
		return d.Chinese()
	}
	return ""
}
