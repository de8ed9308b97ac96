package data

import (
	"fmt"
	"strings"
	"time"
)

// Date is a calendar day without time or zone, stored as "2006-01-02". The
// zero Date is "no date".
type Date struct{ t time.Time }

// NewDate returns the Date of year, month and day.
func NewDate(year int, month time.Month, day int) Date {
	return Date{time.Date(year, month, day, 0, 0, 0, 0, time.UTC)}
}

// DateOf returns the calendar day of t in t's location.
func DateOf(t time.Time) Date { return NewDate(t.Date()) }

// Today returns the current local calendar day.
func Today() Date { return DateOf(time.Now()) }

// IsZero reports whether d is "no date".
func (d Date) IsZero() bool { return d.t.IsZero() }

// Time returns midnight UTC of d.
func (d Date) Time() time.Time { return d.t }

// String returns d as 2006-01-02, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format("2006-01-02")
}

// Chinese returns d as 2026年11月28日, or "" for the zero Date.
func (d Date) Chinese() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%d年%d月%d日", d.t.Year(), d.t.Month(), d.t.Day())
}

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.t.Before(e.t) }

// MarshalText encodes d as 2006-01-02.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText decodes 2006-01-02 or "".
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	p, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// dateSeparators turns the separators users type into dashes.
var dateSeparators = strings.NewReplacer("年", "-", "月", "-", "日", "", ".", "-", "/", "-")

// ParseDate reads a date typed by a user: 2026-11-28, 2026.11.28,
// 2026/11/28 or 2026年11月28日, with or without leading zeros, with
// full-width digits. An empty string gives the zero Date.
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(HalfWidth(s))
	if s == "" {
		return Date{}, nil
	}
	norm := dateSeparators.Replace(s)
	var y, m, dd int
	var rest string
	n, _ := fmt.Sscanf(norm, "%d-%d-%d%s", &y, &m, &dd, &rest)
	if n != 3 {
		return Date{}, fmt.Errorf("日期 %q 格式不对，应为 2026-11-28 或 2026年11月28日: %w", s, ErrInvalid)
	}
	if y < 1900 || y > 2200 || m < 1 || m > 12 || dd < 1 || dd > 31 {
		return Date{}, fmt.Errorf("日期 %q 不存在: %w", s, ErrInvalid)
	}
	d := NewDate(y, time.Month(m), dd)
	if d.t.Day() != dd {
		return Date{}, fmt.Errorf("日期 %q 不存在: %w", s, ErrInvalid)
	}
	return d, nil
}

// HalfWidth maps full-width ASCII forms (０-９, Ａ-Ｚ, －, ．, ／, the
// ideographic space) to their half-width forms, as typed with a Chinese
// input method.
func HalfWidth(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\u3000':
			return ' '
		case r >= '\uff01' && r <= '\uff5e':
			return r - 0xfee0
		}
		return r
	}, s)
}
