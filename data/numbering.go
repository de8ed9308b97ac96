package data

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// DefaultNumberPattern is the 编号 pattern of a new unit: unit code, year,
// four-digit serial, e.g. CZJ-2026-0001.
const DefaultNumberPattern = "{单位代码}-{年}-{序号4}"

var serialRE = regexp.MustCompile(`\{序号(\d?)\}`)

// CheckNumberPattern reports a problem with a 编号 pattern: it must hold
// exactly one {序号} (optionally with a width 1–9, {序号4}).
func CheckNumberPattern(p string) error {
	if n := len(serialRE.FindAllString(p, -1)); n != 1 {
		return FieldErrors{{Field: FieldNumberPattern, Problem: "必须包含且只包含一个 {序号}（可写作 {序号4} 表示 4 位）"}}
	}
	return nil
}

// NextNumber returns the next free 编号 for pattern with the unit's code
// and year: one more than the highest serial already used in numbers that
// fit the pattern, zero-padded to the pattern's width.
func NextNumber(pattern, code string, year int, used []string) string {
	if CheckNumberPattern(pattern) != nil {
		pattern = DefaultNumberPattern
	}
	base := strings.NewReplacer("{单位代码}", code, "{年}", strconv.Itoa(year)).Replace(pattern)
	m := serialRE.FindStringSubmatchIndex(base)
	prefix, suffix := base[:m[0]], base[m[1]:]
	width := 1
	if m[2] < m[3] {
		width, _ = strconv.Atoi(base[m[2]:m[3]])
	}
	max := 0
	for _, n := range used {
		if !strings.HasPrefix(n, prefix) || !strings.HasSuffix(n, suffix) || len(n) < len(prefix)+len(suffix) {
			continue
		}
		if v, err := strconv.Atoi(n[len(prefix) : len(n)-len(suffix)]); err == nil && v > max {
			max = v
		}
	}
	return fmt.Sprintf("%s%0*d%s", prefix, width, max+1, suffix)
}
