package data

import (
	"sort"
	"strings"
	"unicode"

	"github.com/mozillazg/go-pinyin"
)

// Filter narrows the register. Empty fields match everything.
type Filter struct {
	Text      string // 编号, 名称, 责任人, 借阅人, 存放位置, 文号, 序列号, or pinyin initials (zs → 张三)
	Kind      string
	Level     string
	State     string
	Custodian string
	From, To  Date // 收到日期 range, inclusive
}

// SortKey names a register column to sort by.
type SortKey string

// Sort keys.
const (
	SortNumber     SortKey = "编号"
	SortTitle      SortKey = "名称"
	SortKind       SortKey = "载体类型"
	SortLevel      SortKey = "密级"
	SortCustodian  SortKey = "责任人"
	SortLocation   SortKey = "存放位置"
	SortReceivedOn SortKey = "收到日期"
	SortState      SortKey = "状态"
)

// SortKeys lists the sort keys in the order forms offer them.
var SortKeys = []SortKey{SortNumber, SortTitle, SortKind, SortLevel, SortCustodian, SortLocation, SortReceivedOn, SortState}

// Register is the register held in memory for finding things fast: the
// carriers and, for each, a lower-case search text that includes the
// pinyin initials of its Chinese names.
type Register struct {
	carriers []Carrier
	keys     []string
	index    map[string]int // carrier ID -> position
	ini      *initialsCache
}

// NewRegister indexes carriers for Find. It keeps the slice.
func NewRegister(carriers []Carrier) *Register {
	r := &Register{carriers: carriers, keys: make([]string, len(carriers)),
		index: make(map[string]int, len(carriers)), ini: newInitials()}
	var b strings.Builder
	for i, c := range carriers {
		r.keys[i] = r.key(&b, c)
		r.index[c.ID] = i
	}
	return r
}

// key builds a carrier's search text.
func (r *Register) key(b *strings.Builder, c Carrier) string {
	b.Reset()
	for _, v := range []string{c.Number, c.Title, c.Custodian, c.Borrower, c.Location, c.DocNumber, c.Serial} {
		b.WriteString(strings.ToLower(v))
		b.WriteByte(0)
	}
	for _, v := range []string{c.Title, c.Custodian, c.Borrower, c.Location} {
		r.ini.write(b, v)
		b.WriteByte(0)
	}
	return b.String()
}

// Put adds c, or replaces the carrier with its ID, without indexing the
// whole register again (after one carrier was saved or took a step).
func (r *Register) Put(c Carrier) {
	var b strings.Builder
	if i, ok := r.index[c.ID]; ok {
		r.carriers[i], r.keys[i] = c, r.key(&b, c)
		return
	}
	r.index[c.ID] = len(r.carriers)
	r.carriers = append(r.carriers, c)
	r.keys = append(r.keys, r.key(&b, c))
}

// initialsCache maps Han characters to their pinyin initial; looking each
// character up once makes indexing 100,000 titles fast.
type initialsCache struct {
	args  pinyin.Args
	cache map[rune]string
}

func newInitials() *initialsCache {
	args := pinyin.NewArgs()
	args.Style = pinyin.FirstLetter
	return &initialsCache{args: args, cache: map[rune]string{}}
}

// write appends the pinyin initials of the Han characters of s, with other
// letters and digits kept (lower case): 张三 → zs, 保密柜2号 → bmg2h.
func (ic *initialsCache) write(b *strings.Builder, s string) {
	for _, r := range s {
		switch {
		case r < 0x80:
			if r >= 'A' && r <= 'Z' {
				r += 'a' - 'A'
			}
			if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
				b.WriteRune(r)
			}
		case unicode.Is(unicode.Han, r):
			p, ok := ic.cache[r]
			if !ok {
				if ps := pinyin.SinglePinyin(r, ic.args); len(ps) > 0 {
					p = ps[0]
				}
				ic.cache[r] = p
			}
			b.WriteString(p)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		}
	}
}

// Len returns the number of carriers.
func (r *Register) Len() int { return len(r.carriers) }

// Carriers returns every carrier, in the order given to NewRegister.
func (r *Register) Carriers() []Carrier { return r.carriers }

// Find returns the carriers matching f, sorted by key (ascending, or
// descending with desc; ties keep 编号 order).
func (r *Register) Find(f Filter, key SortKey, desc bool) []Carrier {
	q := strings.ToLower(strings.TrimSpace(HalfWidth(f.Text)))
	out := make([]Carrier, 0, 256)
	for i := range r.carriers {
		c := &r.carriers[i]
		if f.Kind != "" && c.Kind != f.Kind || f.Level != "" && c.Level != f.Level ||
			f.State != "" && c.State != f.State || f.Custodian != "" && c.Custodian != f.Custodian ||
			!f.From.IsZero() && c.ReceivedOn.Before(f.From) || !f.To.IsZero() && f.To.Before(c.ReceivedOn) {
			continue
		}
		if q != "" && !strings.Contains(r.keys[i], q) {
			continue
		}
		out = append(out, *c)
	}
	less := lessFor(key)
	sort.SliceStable(out, func(i, j int) bool {
		if desc {
			return less(out[j], out[i])
		}
		return less(out[i], out[j])
	})
	return out
}

func lessFor(key SortKey) func(a, b Carrier) bool {
	str := func(f func(Carrier) string) func(a, b Carrier) bool {
		return func(a, b Carrier) bool {
			x, y := f(a), f(b)
			if x != y {
				return x < y
			}
			return a.Number < b.Number
		}
	}
	switch key {
	case SortTitle:
		return str(func(c Carrier) string { return c.Title })
	case SortKind:
		return str(func(c Carrier) string { return c.Kind })
	case SortLevel:
		return str(func(c Carrier) string { return c.Level })
	case SortCustodian:
		return str(func(c Carrier) string { return c.Custodian })
	case SortLocation:
		return str(func(c Carrier) string { return c.Location })
	case SortReceivedOn:
		return str(func(c Carrier) string { return c.ReceivedOn.String() })
	case SortState:
		return str(func(c Carrier) string { return c.State })
	}
	return func(a, b Carrier) bool { return a.Number < b.Number }
}

// Custodians returns the distinct custodians, sorted, for a filter list.
func (r *Register) Custodians() []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range r.carriers {
		if c.Custodian != "" && !seen[c.Custodian] {
			seen[c.Custodian] = true
			out = append(out, c.Custodian)
		}
	}
	sort.Strings(out)
	return out
}
