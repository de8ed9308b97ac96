package data

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want Date
		ok   bool
	}{
		{"2026-11-28", NewDate(2026, 11, 28), true},
		{"2026.3.5", NewDate(2026, 3, 5), true},
		{"2026/03/05", NewDate(2026, 3, 5), true},
		{"2026年3月5日", NewDate(2026, 3, 5), true},
		{"２０２６年１１月２８日", NewDate(2026, 11, 28), true},
		{"  2026-11-28 ", NewDate(2026, 11, 28), true},
		{"", Date{}, true},
		{"2026-02-30", Date{}, false},
		{"2026-13-01", Date{}, false},
		{"明天", Date{}, false},
		{"2026-11-28x", Date{}, false},
		{"1800-01-01", Date{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDate(tt.in)
			if (err == nil) != tt.ok || got != tt.want {
				t.Errorf("ParseDate(%q) = %v, %v; want %v, ok=%v", tt.in, got, err, tt.want, tt.ok)
			}
			if err != nil && !errors.Is(err, ErrInvalid) {
				t.Errorf("error %v is not ErrInvalid", err)
			}
		})
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-11-28", "2026年3月5日", "２０２６.１.２", "", "2026-02-29", "9999-99-99"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			return
		}
		if d.IsZero() {
			return
		}
		// a parsed date prints and parses back to itself in both forms
		for _, form := range []string{d.String(), d.Chinese()} {
			again, err := ParseDate(form)
			if err != nil || again != d {
				t.Fatalf("%q -> %v -> %q -> %v, %v", s, d, form, again, err)
			}
		}
	})
}

func TestDateChineseForm(t *testing.T) {
	if got := NewDate(2026, 11, 28).Chinese(); got != "2026年11月28日" {
		t.Errorf("Chinese = %q", got)
	}
	if got := DateOf(time.Date(2026, 1, 2, 23, 59, 0, 0, time.Local)).String(); got != "2026-01-02" {
		t.Errorf("String = %q", got)
	}
}

func TestMark(t *testing.T) {
	tests := []struct {
		name string
		c    Carrier
		want string
	}{
		{"period", Carrier{Level: "机密", PeriodYears: 20}, "机密★20年"},
		{"date", Carrier{Level: "秘密", DeclassifyOn: NewDate(2030, 12, 31)}, "秘密★2030年12月31日"},
		{"condition", Carrier{Level: "秘密", DeclassifyCondition: "项目验收后"}, "秘密★项目验收后"},
		{"no period", Carrier{Level: "内部"}, "内部"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.Mark(); got != tt.want {
				t.Errorf("Mark = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestInternalLevelNeedsNoPeriod(t *testing.T) {
	c := Carrier{Number: "N-1", Title: "内部资料", Kind: KindPaper, Level: "内部", ReceivedOn: NewDate(2026, 1, 1), Copies: 1, Custodian: "李四"}
	if err := c.Validate(DefaultClassifications, NewDate(2026, 11, 28)); err != nil {
		t.Errorf("内部 without period refused: %v", err)
	}
}

func TestNormalizeMakesFullWidthNumbersEqual(t *testing.T) {
	c := Carrier{Number: " ＣＺＪ－２０２６－０１ ", Serial: "ＳＮ１"}
	c.Normalize()
	if c.Number != "CZJ-2026-01" || c.Serial != "SN1" {
		t.Errorf("normalized = %q %q", c.Number, c.Serial)
	}
}

func TestUnitValidation(t *testing.T) {
	tests := []struct {
		name  string
		u     Unit
		field string
	}{
		{"ok", Unit{Name: "单位", Code: "DW-1", Officer: "张"}, ""},
		{"missing name", Unit{Code: "DW", Officer: "张"}, FieldUnitName},
		{"code with space", Unit{Name: "单位", Code: "D W", Officer: "张"}, FieldUnitCode},
		{"long code", Unit{Name: "单位", Code: strings.Repeat("A", 33), Officer: "张"}, FieldUnitCode},
		{"missing officer", Unit{Name: "单位", Code: "DW"}, FieldOfficer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := tt.u
			u.Normalize()
			err := u.Validate()
			var fe FieldErrors
			switch {
			case tt.field == "" && err != nil:
				t.Errorf("unexpected %v", err)
			case tt.field != "" && (!errors.As(err, &fe) || fe.For(tt.field) == ""):
				t.Errorf("err = %v, want a problem on %s", err, tt.field)
			}
		})
	}
}

func TestPasswordRules(t *testing.T) {
	if err := CheckPassword("short", "short"); err == nil {
		t.Error("short password accepted")
	}
	if err := CheckPassword("Long-Enough-1", "Long-Enough-2"); err == nil || err.(FieldErrors).For(FieldPassword2) == "" {
		t.Errorf("mismatch: %v", err)
	}
	if err := CheckPassword("Long-Enough-1", "Long-Enough-1"); err != nil {
		t.Errorf("good password refused: %v", err)
	}
	for pw, want := range map[string]int{"abc": 0, "abcdefghijk": 1, "Abcdefgh12": 2, "Abcdefgh-12345678": 3} {
		if got, hint := PasswordStrength(pw); got != want || hint == "" {
			t.Errorf("strength(%q) = %d %q, want %d", pw, got, hint, want)
		}
	}
}

func TestMessageNeverLeaksInternalDetail(t *testing.T) {
	internal := fmt.Errorf("badger: table 000123.sst offset 4096: %w", ErrCorrupt)
	tests := []struct {
		err  error
		want string
	}{
		{internal, "数据文件已损坏"},
		{fmt.Errorf("x: %w", ErrWrongPassword), "密码或恢复码不正确"},
		{fmt.Errorf("x: %w", ErrAlreadyOpen), "已在运行"},
		{FieldErrors{{FieldTitle, "必须填写"}}, "名称：必须填写"},
		{Userf(internal, "无法打开 %s。", "备份"), "无法打开 备份。"},
		{errors.New("something odd"), "内部错误"},
	}
	for _, tt := range tests {
		msg := Message(tt.err)
		if !strings.Contains(msg, tt.want) {
			t.Errorf("Message(%v) = %q, want %q", tt.err, msg, tt.want)
		}
		if strings.Contains(msg, "sst") || strings.Contains(msg, "badger") {
			t.Errorf("Message(%v) leaks detail: %q", tt.err, msg)
		}
	}
}

func TestNextNumber(t *testing.T) {
	used := []string{"CZJ-2026-0001", "CZJ-2026-0007", "CZJ-2025-0042", "OTHER-9", "CZJ-2026-00x9"}
	tests := []struct {
		pattern string
		want    string
	}{
		{DefaultNumberPattern, "CZJ-2026-0008"},
		{"{单位代码}{年}{序号}", "CZJ20261"},
		{"密{年}-{序号6}号", "密2026-000001号"},
		{"no serial", "CZJ-2026-0008"}, // an invalid pattern falls back to the default
	}
	for _, tt := range tests {
		if got := NextNumber(tt.pattern, "CZJ", 2026, used); got != tt.want {
			t.Errorf("NextNumber(%q) = %q, want %q", tt.pattern, got, tt.want)
		}
	}
	if CheckNumberPattern("{年}") == nil || CheckNumberPattern("{序号}{序号}") == nil || CheckNumberPattern("{序号3}") != nil {
		t.Error("CheckNumberPattern")
	}
}

func TestSettingsValidation(t *testing.T) {
	s := DefaultSettings()
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	s.Classifications = append(s.Classifications, Classification{"机密", 5}, Classification{"", 1})
	s.NumberPattern = "{年}"
	err := s.Validate()
	var fe FieldErrors
	if !errors.As(err, &fe) || fe.For(FieldLevels) == "" || fe.For(FieldNumberPattern) == "" {
		t.Errorf("settings errors: %v", err)
	}
}
