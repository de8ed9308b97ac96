package data

import (
	"bytes"
	"context"
	"runtime"
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/mozillazg/go-pinyin"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// Filter narrows the register. Empty fields match everything.
type Filter struct {
	Text      string // 编号, 名称, 责任人, 借阅人 (present or past), 存放位置, 文号, 序列号, or their pinyin, whole or initials (zhangsan, zs → 张三)
	Kind      string
	Level     string
	State     string
	Custodian string
	From, To  Date // 收到日期 range, inclusive
	Pending   bool // only carriers flagged 待补全
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
// pinyin of its Chinese names, whole and as initials, and the people who
// borrowed it before (SetPastBorrowers). The search texts and the sort
// orders are built when first needed (Prepare builds the texts ahead), so
// that a register of 100,000 carriers can be shown at once.
type Register struct {
	carriers []Carrier

	mu     sync.Mutex          // guards what is built lazily: Prepare may run on another goroutine
	keys   []string            // search texts, nil until built
	index  map[string]int      // carrier ID -> position, nil until built
	orders map[SortKey][]int32 // ascending order of positions per sort key
	past   map[string][]string // carrier ID -> who borrowed it before (see SetPastBorrowers)
}

// PastBorrowers is implemented by a CarrierService that can say, for
// every carrier, who has borrowed it (from its lend events), so that a
// carrier is found by the name of someone who had it last year.
type PastBorrowers interface {
	// PastBorrowers returns, by carrier ID, the distinct borrowers of its
	// lend events in the order they borrowed it (voided lends left out).
	PastBorrowers(ctx context.Context) (map[string][]string, error)
}

// SetPastBorrowers makes the carriers findable by the people who borrowed
// them before (by carrier ID, as PastBorrowers returns). The search texts
// are built again when next needed. It is safe to call from any goroutine.
func (r *Register) SetPastBorrowers(past map[string][]string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.past = past
	r.keys = nil
}

// NewRegister returns the register of carriers. It keeps the slice.
func NewRegister(carriers []Carrier) *Register {
	return &Register{carriers: carriers, orders: map[SortKey][]int32{}}
}

// Prepare builds the search texts now, on all cores, so that the first
// search does not wait for them. It is safe to call from any goroutine.
func (r *Register) Prepare() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.buildKeys()
}

// buildKeys makes the search texts; the caller holds r.mu.
func (r *Register) buildKeys() {
	if r.keys != nil {
		return
	}
	keys := make([]string, len(r.carriers))
	workers := runtime.GOMAXPROCS(0)
	chunk := (len(keys) + workers - 1) / workers
	var wg sync.WaitGroup
	for lo := 0; lo < len(keys); lo += chunk {
		hi := min(lo+chunk, len(keys))
		wg.Add(1)
		go func() {
			defer wg.Done()
			py := newPinyinCache()
			var b strings.Builder
			for i := lo; i < hi; i++ {
				c := &r.carriers[i]
				keys[i] = searchKey(&b, py, c, r.past[c.ID])
			}
		}()
	}
	wg.Wait()
	r.keys = keys
}

// searchKey builds a carrier's search text: its texts in lower case, then
// the pinyin initials and the whole pinyin of its names (past borrowers
// included), each ended by a 0 byte so that no match spans two of them.
func searchKey(b *strings.Builder, py *pinyinCache, c *Carrier, past []string) string {
	b.Reset()
	for _, v := range []string{c.Number, c.Title, c.Custodian, c.Borrower, c.Location, c.DocNumber, c.Serial} {
		b.WriteString(strings.ToLower(v))
		b.WriteByte(0)
	}
	for _, v := range past {
		b.WriteString(strings.ToLower(v))
		b.WriteByte(0)
	}
	for _, full := range []bool{false, true} {
		for _, v := range []string{c.Title, c.Custodian, c.Borrower, c.Location} {
			py.write(b, v, full)
			b.WriteByte(0)
		}
		for _, v := range past {
			py.write(b, v, full)
			b.WriteByte(0)
		}
	}
	return b.String()
}

// Put adds c, or replaces the carrier with its ID, without indexing the
// whole register again (after one carrier was saved or took a step).
func (r *Register) Put(c Carrier) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.index == nil {
		r.index = make(map[string]int, len(r.carriers))
		for i := range r.carriers {
			r.index[r.carriers[i].ID] = i
		}
	}
	clear(r.orders)
	i, ok := r.index[c.ID]
	if ok {
		if old := r.carriers[i].Borrower; old != "" && !slices.Contains(r.past[c.ID], old) {
			// returned or lent on: the one who had it stays findable
			if r.past == nil {
				r.past = map[string][]string{}
			}
			r.past[c.ID] = append(r.past[c.ID], old)
		}
	}
	if !ok {
		i = len(r.carriers)
		r.index[c.ID] = i
		r.carriers = append(r.carriers, c)
		if r.keys != nil {
			r.keys = append(r.keys, "")
		}
	}
	r.carriers[i] = c
	if r.keys != nil {
		var b strings.Builder
		r.keys[i] = searchKey(&b, newPinyinCache(), &c, r.past[c.ID])
	}
}

// PinyinKey returns the search text of names for a register other than
// the carriers' (the people's): each name in lower case, then its pinyin
// initials and its whole pinyin, each ended by a 0 byte so that no match
// spans two of them (张三 → "张三\x00zs\x00zhangsan\x00"). A query is found
// in it with strings.Contains(key, strings.ToLower(query)).
func PinyinKey(names ...string) string {
	var b strings.Builder
	for _, v := range names {
		b.WriteString(strings.ToLower(v))
		b.WriteByte(0)
	}
	py := newPinyinCache()
	for _, full := range []bool{false, true} {
		for _, v := range names {
			py.write(&b, v, full)
			b.WriteByte(0)
		}
	}
	return b.String()
}

// pinyinCache maps Han characters to their pinyin, whole and initial;
// looking each character up once makes indexing 100,000 titles fast.
type pinyinCache struct {
	args  pinyin.Args
	cache map[rune][2]string // initial, whole
}

func newPinyinCache() *pinyinCache {
	return &pinyinCache{args: pinyin.NewArgs(), cache: map[rune][2]string{}}
}

// write appends the pinyin of the Han characters of s, whole (full) or
// initials, with other letters and digits kept (lower case): 张三 → zs or
// zhangsan, 保密柜2号 → bmg2h or baomigui2hao.
func (pc *pinyinCache) write(b *strings.Builder, s string, full bool) {
	for _, r := range s {
		switch {
		case r < 0x80:
			if r >= 'A' && r <= 'Z' {
				r += 'a' - 'A'
			}
			if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
				b.WriteByte(byte(r))
			}
		case unicode.Is(unicode.Han, r):
			p, ok := pc.cache[r]
			if !ok {
				if ps := pinyin.SinglePinyin(r, pc.args); len(ps) > 0 && ps[0] != "" {
					p = [2]string{ps[0][:1], ps[0]}
				}
				pc.cache[r] = p
			}
			if full {
				b.WriteString(p[1])
			} else {
				b.WriteString(p[0])
			}
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		}
	}
}

// Len returns the number of carriers.
func (r *Register) Len() int { return len(r.carriers) }

// Carriers returns every carrier, in the order given to NewRegister (and
// then Put). It is for the goroutine that Puts: the slice is the
// register's own.
func (r *Register) Carriers() []Carrier { return r.carriers }

// Find returns the carriers matching f, sorted by key (ascending, or
// descending with desc; ties keep 编号 order).
func (r *Register) Find(f Filter, key SortKey, desc bool) []Carrier {
	return r.Select(f, key, desc).Carriers()
}

// Selection is the result of Select: positions in the register, in the
// order asked for. It stays valid when carriers are Put afterwards (they
// show their new values) and costs 4 bytes a row, so that showing 100,000
// rows copies nothing.
type Selection struct {
	r   *Register
	pos []int32
}

// Len returns the number of carriers selected.
func (s Selection) Len() int { return len(s.pos) }

// At returns the i-th carrier selected.
func (s Selection) At(i int) Carrier {
	s.r.mu.Lock()
	defer s.r.mu.Unlock()
	return s.r.carriers[s.pos[i]]
}

// Carriers returns a copy of the carriers selected, in order.
func (s Selection) Carriers() []Carrier {
	if s.r == nil {
		return nil
	}
	s.r.mu.Lock()
	defer s.r.mu.Unlock()
	out := make([]Carrier, len(s.pos))
	for i, p := range s.pos {
		out[i] = s.r.carriers[p]
	}
	return out
}

// Select returns the carriers matching f as a Selection, sorted by key
// (ascending, or descending with desc; ties keep 编号 order).
func (r *Register) Select(f Filter, key SortKey, desc bool) Selection {
	r.mu.Lock()
	defer r.mu.Unlock()
	q := strings.ToLower(strings.TrimSpace(HalfWidth(f.Text)))
	if q != "" {
		r.buildKeys()
	}
	order := r.order(key)
	all := q == "" && f == Filter{Text: f.Text}
	capacity := 256
	if all {
		capacity = len(order)
	}
	out := make([]int32, 0, capacity)
	for k := range order {
		if desc {
			k = len(order) - 1 - k
		}
		i := order[k]
		c := &r.carriers[i]
		if !all && (f.Kind != "" && CanonicalKind(c.Kind) != CanonicalKind(f.Kind) || f.Level != "" && c.Level != f.Level ||
			f.State != "" && c.State != f.State || f.Custodian != "" && c.Custodian != f.Custodian ||
			!f.From.IsZero() && c.ReceivedOn.Before(f.From) || !f.To.IsZero() && f.To.Before(c.ReceivedOn) ||
			f.Pending && c.Pending == "") {
			continue
		}
		if q != "" && !strings.Contains(r.keys[i], q) {
			continue
		}
		out = append(out, i)
	}
	return Selection{r: r, pos: out}
}

// order returns the positions of the carriers in ascending key order,
// sorting once per key until the next Put; the caller holds r.mu. Chinese
// columns sort in pinyin order (李四 before 张三), 密级 by rank (绝密 first),
// ties by 编号.
func (r *Register) order(key SortKey) []int32 {
	if o, ok := r.orders[key]; ok {
		return o
	}
	o := make([]int32, len(r.carriers))
	for i := range o {
		o[i] = int32(i)
	}
	byNumber := func(a, b int32) int { return strings.Compare(r.carriers[a].Number, r.carriers[b].Number) }
	var cmp func(a, b int32) int
	switch key {
	case SortReceivedOn:
		cmp = func(a, b int32) int {
			x, y := r.carriers[a].ReceivedOn, r.carriers[b].ReceivedOn
			switch {
			case x.Before(y):
				return -1
			case y.Before(x):
				return 1
			}
			return byNumber(a, b)
		}
	case SortLevel:
		keys := r.collationKeys(func(c *Carrier) string { return c.Level })
		cmp = func(a, b int32) int {
			if d := levelRank(r.carriers[a].Level) - levelRank(r.carriers[b].Level); d != 0 {
				return d
			}
			if d := bytes.Compare(keys[a], keys[b]); d != 0 {
				return d
			}
			return byNumber(a, b)
		}
	case SortTitle, SortKind, SortCustodian, SortLocation, SortState:
		field := map[SortKey]func(c *Carrier) string{
			SortTitle:     func(c *Carrier) string { return c.Title },
			SortKind:      func(c *Carrier) string { return c.Kind },
			SortCustodian: func(c *Carrier) string { return c.Custodian },
			SortLocation:  func(c *Carrier) string { return c.Location },
			SortState:     func(c *Carrier) string { return c.State },
		}[key]
		keys := r.collationKeys(field)
		cmp = func(a, b int32) int {
			if d := bytes.Compare(keys[a], keys[b]); d != 0 {
				return d
			}
			return byNumber(a, b)
		}
	default:
		cmp = byNumber
	}
	if !slices.IsSortedFunc(o, cmp) {
		slices.SortFunc(o, cmp)
	}
	r.orders[key] = o
	return o
}

// levelRank orders the standard 密级 from the highest (绝密); other levels
// come after them.
func levelRank(level string) int {
	for i, c := range DefaultClassifications {
		if c.Name == level {
			return i
		}
	}
	return len(DefaultClassifications)
}

// collationKeys returns, for every carrier, the sort key of field in
// Chinese collation (pinyin order).
func (r *Register) collationKeys(field func(*Carrier) string) [][]byte {
	col := collate.New(language.Chinese)
	var buf collate.Buffer
	keys := make([][]byte, len(r.carriers))
	for i := range r.carriers {
		keys[i] = bytes.Clone(col.KeyFromString(&buf, field(&r.carriers[i])))
		buf.Reset()
	}
	return keys
}

// Alerts returns the register's alerts (see Alerts). Like Custodians and
// Prepare it may run on another goroutine than the one that Puts.
func (r *Register) Alerts(today Date, reviewDays int) []Alert {
	r.mu.Lock()
	defer r.mu.Unlock()
	return Alerts(r.carriers, today, reviewDays)
}

// Custodians returns the distinct custodians in pinyin order, for a
// filter list.
func (r *Register) Custodians() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	seen := map[string]bool{}
	var out []string
	for i := range r.carriers {
		c := &r.carriers[i]
		if c.Custodian != "" && !seen[c.Custodian] {
			seen[c.Custodian] = true
			out = append(out, c.Custodian)
		}
	}
	collate.New(language.Chinese).SortStrings(out)
	return out
}
