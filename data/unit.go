package data

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Field labels of the unit and of settings.
const (
	FieldUnitName      = "单位名称"
	FieldUnitCode      = "单位代码"
	FieldSuperior      = "上级单位"
	FieldOfficer       = "保密员"
	FieldPassword      = "密码"
	FieldPassword2     = "确认密码"
	FieldAutoLock      = "自动锁定"
	FieldNumberPattern = "编号规则"
	FieldLevels        = "密级列表"
)

// Unit describes the unit (单位) whose secrecy office uses this Baomi.
type Unit struct {
	Name      string    `json:"name"`     // 单位名称
	Code      string    `json:"code"`     // 单位代码, used in 编号 and summaries
	Superior  string    `json:"superior"` // 上级单位
	Officer   string    `json:"officer"`  // 保密员
	CreatedAt time.Time `json:"createdAt"`
}

// Normalize trims spaces and maps full-width letters and digits in the code
// to half-width.
func (u *Unit) Normalize() {
	u.Name = strings.TrimSpace(u.Name)
	u.Code = strings.ToUpper(strings.TrimSpace(HalfWidth(u.Code)))
	u.Superior = strings.TrimSpace(u.Superior)
	u.Officer = strings.TrimSpace(u.Officer)
}

// Validate checks the unit's fields and returns FieldErrors or nil.
func (u Unit) Validate() error {
	var errs FieldErrors
	if u.Name == "" {
		errs = append(errs, FieldError{FieldUnitName, "必须填写"})
	} else if utf8.RuneCountInString(u.Name) > 100 {
		errs = append(errs, FieldError{FieldUnitName, "不能超过 100 个字"})
	}
	switch {
	case u.Code == "":
		errs = append(errs, FieldError{FieldUnitCode, "必须填写"})
	case len(u.Code) > 32:
		errs = append(errs, FieldError{FieldUnitCode, "不能超过 32 个字符"})
	default:
		for _, r := range u.Code {
			if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
				errs = append(errs, FieldError{FieldUnitCode, "只能包含字母、数字、- 和 _"})
				break
			}
		}
	}
	if utf8.RuneCountInString(u.Superior) > 100 {
		errs = append(errs, FieldError{FieldSuperior, "不能超过 100 个字"})
	}
	if u.Officer == "" {
		errs = append(errs, FieldError{FieldOfficer, "必须填写"})
	} else if utf8.RuneCountInString(u.Officer) > 50 {
		errs = append(errs, FieldError{FieldOfficer, "不能超过 50 个字"})
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// MinPasswordLength is the shortest password setup and change accept, in
// characters.
const MinPasswordLength = 10

// CheckPassword returns a FieldError if the password is too short or the
// two entries differ.
func CheckPassword(pw, again string) error {
	var errs FieldErrors
	if utf8.RuneCountInString(pw) < MinPasswordLength {
		errs = append(errs, FieldError{FieldPassword, fmt.Sprintf("至少需要 %d 个字符", MinPasswordLength)})
	}
	if pw != again {
		errs = append(errs, FieldError{FieldPassword2, "两次输入的密码不一致"})
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// PasswordStrength rates a password 0 (weak) to 3 (strong) by length and the
// kinds of characters it mixes, with a Chinese hint for the setup form.
func PasswordStrength(pw string) (score int, hint string) {
	var lower, upper, digit, other bool
	for _, r := range pw {
		switch {
		case r >= 'a' && r <= 'z':
			lower = true
		case r >= 'A' && r <= 'Z':
			upper = true
		case r >= '0' && r <= '9':
			digit = true
		default:
			other = true
		}
	}
	kinds := 0
	for _, b := range []bool{lower, upper, digit, other} {
		if b {
			kinds++
		}
	}
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLength:
		return 0, fmt.Sprintf("太短：至少 %d 个字符", MinPasswordLength)
	case n >= 16 && kinds >= 3:
		return 3, "强"
	case kinds >= 3 || n >= 16 && kinds >= 2:
		return 2, "中：可再加长或混用大小写、数字、符号"
	default:
		return 1, "弱：请混用大小写字母、数字和符号"
	}
}

// Settings are the unit's preferences kept in the store.
type Settings struct {
	AutoLockMinutes int              `json:"autoLockMinutes"` // idle minutes before locking; 0 never
	Classifications []Classification `json:"classifications"` // the 密级 list
	NumberPattern   string           `json:"numberPattern"`   // 编号 pattern for new carriers
}

// DefaultSettings returns the settings of a new unit.
func DefaultSettings() Settings {
	return Settings{AutoLockMinutes: 10, Classifications: append([]Classification(nil), DefaultClassifications...),
		NumberPattern: DefaultNumberPattern}
}

// Validate checks the settings and returns FieldErrors or nil.
func (s Settings) Validate() error {
	var errs FieldErrors
	if s.AutoLockMinutes < 0 || s.AutoLockMinutes > 240 {
		errs = append(errs, FieldError{FieldAutoLock, "应在 0（不锁定）到 240 分钟之间"})
	}
	if s.NumberPattern != "" {
		if err := CheckNumberPattern(s.NumberPattern); err != nil {
			errs = append(errs, err.(FieldErrors)...)
		}
	}
	seen := map[string]bool{}
	for _, c := range s.Classifications {
		switch {
		case strings.TrimSpace(c.Name) == "":
			errs = append(errs, FieldError{FieldLevels, "密级名称不能为空"})
		case seen[c.Name]:
			errs = append(errs, FieldError{FieldLevels, "密级“" + c.Name + "”重复"})
		case c.DefaultYears < 0 || c.DefaultYears > 99:
			errs = append(errs, FieldError{FieldLevels, "“" + c.Name + "”的默认期限应在 0 到 99 年之间"})
		}
		seen[c.Name] = true
	}
	if len(s.Classifications) == 0 {
		errs = append(errs, FieldError{FieldLevels, "至少需要一个密级"})
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// UnitService is what the setup and settings screens need from storage.
type UnitService interface {
	// Unit returns the unit's description.
	Unit(ctx context.Context) (Unit, error)
	// SaveUnit validates and stores the unit's description.
	SaveUnit(ctx context.Context, u Unit) error
	// Settings returns the unit's settings.
	Settings(ctx context.Context) (Settings, error)
	// SaveSettings validates and stores the unit's settings.
	SaveSettings(ctx context.Context, s Settings) error
}
