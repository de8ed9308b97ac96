package data

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Carrier kinds (载体类型).
const (
	KindPaper     = "纸质文件"
	KindDisc      = "光盘"
	KindUSB       = "U盘"
	KindDisk      = "移动硬盘"
	KindComputer  = "计算机"
	KindLaptop    = "笔记本电脑"
	KindFax       = "传真机"
	KindNotebook  = "涉密笔记本" // a paper notebook for classified work notes
	KindOtherKind = "其他"

	// KindNotebookOld is what KindNotebook was called before a laptop had
	// its own kind: "笔记本", a paper notebook. Records written then keep
	// it (a data folder opens unchanged); it is valid and means
	// KindNotebook (CanonicalKind), but forms no longer offer it.
	KindNotebookOld = "笔记本"
)

// CarrierKinds lists the carrier kinds in the order forms offer them.
var CarrierKinds = []string{KindPaper, KindDisc, KindUSB, KindDisk, KindComputer, KindLaptop, KindFax, KindNotebook, KindOtherKind}

// CanonicalKind returns the kind of CarrierKinds that kind means: the
// kind itself, or KindNotebook for KindNotebookOld.
func CanonicalKind(kind string) string {
	if kind == KindNotebookOld {
		return KindNotebook
	}
	return kind
}

// IsDeviceKind reports whether kind is a device that carries a model and a
// serial number.
func IsDeviceKind(kind string) bool {
	switch kind {
	case KindUSB, KindDisk, KindComputer, KindLaptop, KindFax:
		return true
	}
	return false
}

// Classification is one entry of the configurable 密级 list with its default
// 保密期限 in years (0: the level has no period, as for 内部).
type Classification struct {
	Name         string
	DefaultYears int
}

// DefaultClassifications is the 密级 list of a new unit.
var DefaultClassifications = []Classification{
	{"绝密", 30}, {"机密", 20}, {"秘密", 10}, {"内部", 0},
}

// Carrier states (状态). The full life cycle arrives with events; a newly
// registered carrier is 在册.
const (
	StateHeld = "在册"
)

// Field labels of a carrier, as forms show them and FieldErrors name them.
const (
	FieldNumber       = "编号"
	FieldTitle        = "名称"
	FieldKind         = "载体类型"
	FieldLevel        = "密级"
	FieldPeriod       = "保密期限"
	FieldDeclassifyOn = "解密时间"
	FieldCondition    = "解密条件"
	FieldSource       = "来源"
	FieldDocNumber    = "文号"
	FieldReceivedOn   = "收到日期"
	FieldCopies       = "份数"
	FieldCopyNumbers  = "份号"
	FieldPages        = "页数或容量"
	FieldScope        = "知悉范围"
	FieldCustodian    = "责任人"
	FieldLocation     = "存放位置"
	FieldModel        = "设备型号"
	FieldSerial       = "序列号"
	FieldNote         = "备注"
)

// Carrier is one classified carrier (涉密载体) in the register.
type Carrier struct {
	ID                  string    `json:"id"`                  // internal identifier, never shown
	Number              string    `json:"number"`              // 编号, unique
	Title               string    `json:"title"`               // 名称/标题
	Kind                string    `json:"kind"`                // 载体类型
	Level               string    `json:"level"`               // 密级
	PeriodYears         int       `json:"periodYears"`         // 保密期限 in years, or 0
	DeclassifyOn        Date      `json:"declassifyOn"`        // 解密时间, or zero
	DeclassifyCondition string    `json:"declassifyCondition"` // 解密条件, or ""
	Source              string    `json:"source"`              // 来源 (制发/来文单位)
	DocNumber           string    `json:"docNumber"`           // 文号
	ReceivedOn          Date      `json:"receivedOn"`          // 收到/产生日期
	Copies              int       `json:"copies"`              // 份数
	CopyNumbers         string    `json:"copyNumbers"`         // 份号, e.g. "1-5" or "3"
	Pages               string    `json:"pages"`               // 页数或容量
	Scope               string    `json:"scope"`               // 知悉范围
	Custodian           string    `json:"custodian"`           // 责任人
	Location            string    `json:"location"`            // 存放位置
	Model               string    `json:"model"`               // 设备型号
	Serial              string    `json:"serial"`              // 序列号
	State               string    `json:"state"`               // 状态, derived from events
	Note                string    `json:"note"`                // 备注
	CopyOf              string    `json:"copyOf,omitempty"`    // the original, for a copy (复制件)
	Borrower            string    `json:"borrower,omitempty"`  // while lent, derived
	DueOn               Date      `json:"dueOn"`               // while lent, derived
	LastSeen            Date      `json:"lastSeen"`            // last stocktake that found it, derived
	Missing             bool      `json:"missing,omitempty"`   // the last stocktake did not find it, derived
	Pending             string    `json:"pending,omitempty"`   // 待补全: labels of completable fields an import left empty, joined by 、
	CreatedAt           time.Time `json:"createdAt"`
	UpdatedAt           time.Time `json:"updatedAt"`
}

// Mark returns the 标志 printed on the carrier: 机密★20年,
// 秘密★2030年12月31日, 秘密★<解密条件>, or the bare level when it has no period.
func (c Carrier) Mark() string {
	switch {
	case c.PeriodYears > 0:
		return fmt.Sprintf("%s★%d年", c.Level, c.PeriodYears)
	case !c.DeclassifyOn.IsZero():
		return c.Level + "★" + c.DeclassifyOn.Chinese()
	case c.DeclassifyCondition != "":
		return c.Level + "★" + c.DeclassifyCondition
	}
	return c.Level
}

// Normalize trims spaces and maps full-width letters and digits in the
// 编号 to half-width, so that equal numbers compare equal.
func (c *Carrier) Normalize() {
	for _, p := range []*string{&c.Number, &c.Title, &c.Kind, &c.Level, &c.DeclassifyCondition,
		&c.Source, &c.DocNumber, &c.CopyNumbers, &c.Pages, &c.Scope, &c.Custodian,
		&c.Location, &c.Model, &c.Serial, &c.Note} {
		*p = strings.TrimSpace(*p)
	}
	c.Number = HalfWidth(c.Number)
	c.Serial = HalfWidth(c.Serial)
	c.prunePending()
}

// CompletableFields lists the fields a register requires that an import
// may leave empty, flagging the carrier 待补全 instead of refusing the row:
// details that describe the item and can be read off it later. An old
// register that kept a device's 序列号 in 备注, or not at all, lost every
// such device on import (7 of 12 good rows of a branch office's register).
// The 编号, 名称, 载体类型 and 密级 identify and classify a carrier, and the
// 收到日期 starts its 保密期限 and 责任人 says who answers for it: a row
// without them is still refused.
var CompletableFields = []string{FieldSerial}

// pendingSep joins the labels in Carrier.Pending. A string rather than a
// slice keeps Carrier comparable with ==, as its tests and callers use it.
const pendingSep = "、"

// missingCompletable returns the completable fields c requires but lacks,
// in CompletableFields order, joined by 、; "" for none.
func (c *Carrier) missingCompletable() string {
	if IsDeviceKind(c.Kind) && c.Serial == "" {
		return FieldSerial
	}
	return ""
}

// MarkPending flags every completable field c requires but lacks as 待补全,
// so that Validate accepts c without them. Only an import calls it: a
// carrier registered by hand must be complete.
func (c *Carrier) MarkPending() { c.Pending = c.missingCompletable() }

// PendingFields returns the labels of the fields flagged 待补全, or nil.
func (c *Carrier) PendingFields() []string {
	if c.Pending == "" {
		return nil
	}
	return strings.Split(c.Pending, pendingSep)
}

// IsPending reports whether the field labelled field is flagged 待补全.
func (c *Carrier) IsPending(field string) bool { return contains(c.PendingFields(), field) }

// prunePending keeps in c.Pending only the flagged fields still missing,
// so that filling a field clears its flag.
func (c *Carrier) prunePending() {
	if c.Pending == "" {
		return
	}
	missing := strings.Split(c.missingCompletable(), pendingSep)
	var kept []string
	for _, f := range c.PendingFields() {
		if contains(missing, f) && !contains(kept, f) {
			kept = append(kept, f)
		}
	}
	c.Pending = strings.Join(kept, pendingSep)
}

// KeepPending is for an edit of the stored carrier old: c stays 待补全 on
// the fields old had pending and c still lacks, whatever c.Pending says, so
// that a hand edit never flags a new field and filling one clears its flag.
// It returns the FieldErrors of the required fields c then lacks, or nil.
func (c *Carrier) KeepPending(old Carrier) error {
	c.Pending = old.Pending
	c.prunePending()
	if errs := c.completableErrors(); len(errs) > 0 {
		return errs
	}
	return nil
}

// completableErrors reports the completable fields c lacks and has not
// flagged 待补全.
func (c *Carrier) completableErrors() FieldErrors {
	var errs FieldErrors
	if IsDeviceKind(c.Kind) && c.Serial == "" && !c.IsPending(FieldSerial) {
		errs = append(errs, FieldError{FieldSerial, "设备类载体必须填写序列号"})
	}
	return errs
}

// Validate checks c against the rules of the register with the unit's 密级
// list and today's date. It returns FieldErrors naming every broken rule, or
// nil. A completable field c lacks is accepted only when c.Pending names it
// (MarkPending).
func (c Carrier) Validate(levels []Classification, today Date) error {
	var errs FieldErrors
	add := func(field, problem string) { errs = append(errs, FieldError{field, problem}) }
	maxLen := func(field, v string, n int) {
		if utf8.RuneCountInString(v) > n {
			add(field, fmt.Sprintf("不能超过 %d 个字", n))
		}
	}
	switch {
	case c.Number == "":
		add(FieldNumber, "必须填写")
	case strings.ContainsAny(c.Number, "\t\r\n"):
		add(FieldNumber, "不能包含换行或制表符")
	default:
		maxLen(FieldNumber, c.Number, 64)
	}
	if c.Title == "" {
		add(FieldTitle, "必须填写")
	}
	maxLen(FieldTitle, c.Title, 200)
	if !contains(CarrierKinds, CanonicalKind(c.Kind)) {
		add(FieldKind, "请从列表中选择")
	}
	var level *Classification
	for i := range levels {
		if levels[i].Name == c.Level {
			level = &levels[i]
		}
	}
	if level == nil {
		add(FieldLevel, "请从列表中选择")
	}
	set := 0
	if c.PeriodYears != 0 {
		set++
	}
	if !c.DeclassifyOn.IsZero() {
		set++
	}
	if c.DeclassifyCondition != "" {
		set++
	}
	switch {
	case c.PeriodYears < 0 || c.PeriodYears > 99:
		add(FieldPeriod, "年数应在 1 到 99 之间")
	case set > 1:
		add(FieldPeriod, "保密期限、解密时间、解密条件只能填写一项")
	case set == 0 && level != nil && level.DefaultYears > 0:
		add(FieldPeriod, "须填写保密期限、解密时间或解密条件之一")
	}
	if !c.DeclassifyOn.IsZero() && !c.ReceivedOn.IsZero() && !c.ReceivedOn.Before(c.DeclassifyOn) {
		add(FieldDeclassifyOn, "应晚于收到日期")
	}
	maxLen(FieldCondition, c.DeclassifyCondition, 100)
	switch {
	case c.ReceivedOn.IsZero():
		add(FieldReceivedOn, "必须填写")
	case today.Before(c.ReceivedOn):
		add(FieldReceivedOn, "不能晚于今天")
	}
	if c.Copies < 1 || c.Copies > 9999 {
		add(FieldCopies, "应为 1 到 9999 之间的整数")
	}
	if c.Custodian == "" {
		add(FieldCustodian, "必须填写")
	}
	errs = append(errs, c.completableErrors()...)
	for _, f := range []struct{ name, v string }{
		{FieldSource, c.Source}, {FieldDocNumber, c.DocNumber}, {FieldCopyNumbers, c.CopyNumbers},
		{FieldPages, c.Pages}, {FieldScope, c.Scope}, {FieldCustodian, c.Custodian},
		{FieldLocation, c.Location}, {FieldModel, c.Model}, {FieldSerial, c.Serial},
	} {
		maxLen(f.name, f.v, 100)
	}
	maxLen(FieldNote, c.Note, 1000)
	if len(errs) == 0 {
		return nil
	}
	return errs
}

func contains(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}

// CarrierService is what the carrier register screen needs from storage.
type CarrierService interface {
	// Carriers returns every carrier, ordered by 编号.
	Carriers(ctx context.Context) ([]Carrier, error)
	// Carrier returns the carrier with internal id, or ErrNotFound.
	Carrier(ctx context.Context, id string) (Carrier, error)
	// AddCarrier validates, stores and audits a new carrier and returns it
	// with its ID and timestamps set. A duplicate 编号 is ErrConflict.
	AddCarrier(ctx context.Context, c Carrier) (Carrier, error)
	// UpdateCarrier validates, stores and audits a changed carrier.
	UpdateCarrier(ctx context.Context, c Carrier) (Carrier, error)
	// Classifications returns the unit's 密级 list.
	Classifications(ctx context.Context) ([]Classification, error)
	// Settings returns the unit's settings (编号 pattern, 密级 list …).
	Settings(ctx context.Context) (Settings, error)
	// Events returns a carrier's events in recorded order.
	Events(ctx context.Context, carrierID string) ([]Event, error)
	// Record checks and stores a new step of a carrier's life and applies
	// its effect; a refused step writes nothing.
	Record(ctx context.Context, e Event) (Event, error)
	// RecordBatch checks every event first, then stores them all (a
	// stocktake, a batch destruction); progress is told how many are done.
	RecordBatch(ctx context.Context, events []Event, progress func(done, total int)) ([]Event, error)
}
