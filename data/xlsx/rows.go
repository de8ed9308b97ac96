package xlsx

import (
	"errors"
	"fmt"
	"iter"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"

	"baomi/data"
)

// Options tells Rows how to read values that depend on the unit.
type Options struct {
	// Classifications is the unit's 密级 list; nil means
	// data.DefaultClassifications.
	Classifications []data.Classification
	// Today is the day the rows are checked against; zero means today.
	Today data.Date
	// DefaultKind is the 载体类型 of rows whose kind is blank or unknown;
	// "" means 其他.
	DefaultKind string
}

// Row is one sheet row read as a carrier.
type Row struct {
	// Line is the sheet's row number, 1-based, as Excel shows it.
	Line int
	// Carrier holds the parsed register fields, normalized
	// (data.Carrier.Normalize) and with the completable fields it lacks
	// flagged 待补全 (data.Carrier.MarkPending). ID, State and the derived
	// fields are empty.
	Carrier data.Carrier
	// Fields lists the keys of the fields the sheet supplied (the mapped
	// columns), in Fields() order. Only these change when a row updates a
	// carrier (ApplyTo).
	Fields []string
	// Skip is set for rows that are not carriers: blank rows, total rows
	// (合计/总计/小计) and repeated header or title rows.
	Skip bool
	// SerialFromNote is set when the 序列号 was taken from the 备注
	// (SerialInNote): a device row whose 序列号 is blank or has no column.
	SerialFromNote bool
	// SkipReason says why, in Chinese.
	SkipReason string
	// Problems lists what is wrong with the row: values that could not be
	// read and broken register rules (data.Carrier.Validate). A row with
	// problems is refused by Plan.
	Problems data.FieldErrors
}

// Rows reads the rows below headerRow (an index into s.Cells, as FindHeader
// returns; -1 means the sheet has no header row) as carriers, with the
// columns mapped by m.
func (s *Sheet) Rows(headerRow int, m Mapping, opt Options) []Row {
	rows := make([]Row, 0, max(len(s.Cells)-max(headerRow+1, 0), 0))
	for r := range s.EachRow(headerRow, m, opt) {
		rows = append(rows, r)
	}
	return rows
}

// EachRow yields the rows Rows returns, one at a time, so that a caller
// that needs each row only once (the command-line import) never holds them
// all: 200,000 parsed rows take about 100 MB.
func (s *Sheet) EachRow(headerRow int, m Mapping, opt Options) iter.Seq[Row] {
	return s.eachRow(headerRow, m, opt, false)
}

// ConsumeRows is EachRow that frees each sheet row once it is parsed: the
// sheet is left empty, and the grid of a 200,000-row register (about
// 70 MB of slices besides the texts the rows keep) is given back while the
// rows are read instead of after.
func (s *Sheet) ConsumeRows(headerRow int, m Mapping, opt Options) iter.Seq[Row] {
	return s.eachRow(headerRow, m, opt, true)
}

func (s *Sheet) eachRow(headerRow int, m Mapping, opt Options, consume bool) iter.Seq[Row] {
	if opt.Classifications == nil {
		opt.Classifications = data.DefaultClassifications
	}
	if opt.Today.IsZero() {
		opt.Today = data.Today()
	}
	if opt.DefaultKind == "" || !containsString(data.CarrierKinds, opt.DefaultKind) {
		opt.DefaultKind = data.KindOtherKind
	}
	cols := make(map[string]int, len(m))
	for col, key := range m {
		if Label(key) == "" || col < 0 {
			continue
		}
		if old, ok := cols[key]; !ok || col < old {
			cols[key] = col
		}
	}
	var present, withSerial []string
	for _, f := range fields {
		_, ok := cols[f.Key]
		if ok {
			present = append(present, f.Key)
		}
		if ok || f.Key == KeySerial {
			withSerial = append(withSerial, f.Key)
		}
	}
	return func(yield func(Row) bool) {
		p := &rowParser{s: s, cols: cols, opt: opt}
		start := max(headerRow+1, 0)
		if consume {
			defer func() { s.Cells, s.raw = nil, nil }()
		}
		for i := start; i < len(s.Cells); i++ {
			r := p.parse(i)
			r.Fields = present
			if r.SerialFromNote {
				// the serial is supplied, by the 备注: an update takes it
				r.Fields = withSerial
			}
			if consume {
				// A row reads only its own cells (merged ranges were
				// copied into every cell they cover when read).
				s.Cells[i] = nil
				if i < len(s.raw) {
					s.raw[i] = nil
				}
			}
			if !yield(r) {
				return
			}
		}
	}
}

type rowParser struct {
	s    *Sheet
	cols map[string]int
	opt  Options
	i    int
	errs data.FieldErrors
}

// text returns the trimmed text of the field key in the current row.
func (p *rowParser) text(key string) string {
	col, ok := p.cols[key]
	if !ok {
		return ""
	}
	return strings.TrimSpace(p.s.Cell(p.i, col))
}

// raw returns the stored value of the field key in the current row.
func (p *rowParser) raw(key string) string {
	col, ok := p.cols[key]
	if !ok {
		return ""
	}
	return strings.TrimSpace(p.s.rawCell(p.i, col))
}

func (p *rowParser) problem(field, format string, args ...any) {
	p.errs = append(p.errs, data.FieldError{Field: field, Problem: fmt.Sprintf(format, args...)})
}

func (p *rowParser) parse(i int) Row {
	p.i, p.errs = i, nil
	row := Row{Line: i + 1}
	if reason := p.skipReason(); reason != "" {
		row.Skip, row.SkipReason = true, reason
		return row
	}
	c := data.Carrier{
		Number:      p.text(KeyNumber),
		Title:       p.text(KeyTitle),
		Source:      p.text(KeySource),
		DocNumber:   p.text(KeyDocNumber),
		CopyNumbers: p.text(KeyCopyNumbers),
		Pages:       p.text(KeyPages),
		Scope:       p.text(KeyScope),
		Custodian:   p.text(KeyCustodian),
		Location:    p.text(KeyLocation),
		Model:       p.text(KeyModel),
		Serial:      p.text(KeySerial),
		Note:        p.text(KeyNote),
	}
	c.Kind = parseKind(p.text(KeyKind), p.opt.DefaultKind)
	c.ReceivedOn = p.date(KeyReceivedOn, data.FieldReceivedOn)
	c.Copies = p.copies()
	p.levelAndPeriod(&c)
	if c.Serial == "" && data.IsDeviceKind(c.Kind) {
		if sn := SerialInNote(c.Note); sn != "" {
			c.Serial, row.SerialFromNote = sn, true
		}
	}
	c.Normalize()
	// a detail an old register lacks is added later, not a reason to
	// leave the carrier out of the register
	c.MarkPending()
	if c.Level != "" && !p.knownLevel(c.Level) {
		p.problem(data.FieldLevel, "“%s”不在本单位的密级列表中", c.Level)
	}
	if c.Number == "" {
		p.problem(data.FieldNumber, "必须填写")
	}
	var fe data.FieldErrors
	if err := c.Validate(p.opt.Classifications, p.opt.Today); errors.As(err, &fe) {
		for _, e := range fe {
			if p.errs.For(e.Field) == "" {
				p.errs = append(p.errs, e)
			}
		}
	}
	row.Carrier, row.Problems = c, p.errs
	return row
}

// skipReason tells whether the current row is not a carrier.
func (p *rowParser) skipReason() string {
	cells := p.s.Cells[p.i]
	var mapped []string
	for _, col := range p.cols {
		if v := strings.TrimSpace(p.s.Cell(p.i, col)); v != "" {
			mapped = append(mapped, v)
		}
	}
	if len(mapped) == 0 {
		return "空行"
	}
	// A total row has 合计 somewhere and no 编号 of its own, so a carrier
	// whose note says 共计3页 stays a carrier.
	if number := p.text(KeyNumber); number == "" || isTotal(number) {
		for _, v := range cells {
			if isTotal(v) {
				return "合计行"
			}
		}
	}
	return layoutRow(mapped, func(v string) bool { _, ok := matchHeader(v); return ok })
}

// layoutRow names a row that only repeats the layout: a header repeated
// on a later page (most of its mapped cells are header names, isHeader) or
// a title spread over merged cells (one text in every cell); "" for any
// other row.
func layoutRow(mapped []string, isHeader func(string) bool) string {
	headers := 0
	for _, v := range mapped {
		if isHeader(v) {
			headers++
		}
	}
	if headers >= 2 && headers*2 >= len(mapped) {
		return "重复的表头行"
	}
	if len(mapped) >= 3 {
		same := true
		for _, v := range mapped[1:] {
			same = same && v == mapped[0]
		}
		if same {
			return "标题行"
		}
	}
	return ""
}

// isTotal reports whether a cell marks a total row: 合计, 总 计, 小计：12,
// 共计 25 份.
func isTotal(v string) bool {
	v = compact(v)
	for _, w := range []string{"合计", "总计", "小计", "共计", "累计"} {
		if rest, ok := strings.CutPrefix(v, w); ok {
			if rest == "" || strings.HasPrefix(rest, ":") || rest[0] >= '0' && rest[0] <= '9' {
				return true
			}
		}
	}
	return false
}

// compact returns s half-width without any white space.
func compact(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, data.HalfWidth(s))
}

var kindNames = func() map[string]string {
	m := map[string]string{}
	add := func(kind string, names ...string) {
		m[strings.ToUpper(kind)] = kind
		for _, n := range names {
			m[strings.ToUpper(n)] = kind
		}
	}
	add(data.KindPaper, "文件", "纸质", "纸介质", "纸件", "纸质载体", "纸介质载体", "纸质文件资料", "文件资料", "公文", "资料", "文件材料")
	add(data.KindDisc, "CD", "DVD", "光碟", "CD-R", "DVD-R", "CD-ROM", "DVD-ROM", "蓝光盘", "光介质")
	add(data.KindUSB, "优盘", "移动存储介质", "移动存储", "闪存盘", "U盘", "涉密U盘", "移动存储设备", "存储介质")
	add(data.KindDisk, "硬盘", "移动硬盘盒")
	add(data.KindComputer, "台式机", "电脑", "台式计算机", "台式电脑", "涉密计算机")
	add(data.KindLaptop, "便携式计算机", "便携机", "涉密笔记本电脑", "笔记本计算机", "便携式电脑")
	add(data.KindFax, "传真", "传真设备", "密码传真机")
	add(data.KindNotebook, "工作笔记", "保密笔记本", "笔记本册", data.KindNotebookOld)
	add(data.KindOtherKind, "其它")
	return m
}()

// parseKind maps the kinds offices type to data.CarrierKinds; blank or
// unknown text gives def.
func parseKind(s, def string) string {
	n := strings.ToUpper(compact(s))
	if n == "" {
		return def
	}
	if k, ok := kindNames[n]; ok {
		return k
	}
	switch {
	case strings.Contains(n, "光盘") || strings.Contains(n, "CD") || strings.Contains(n, "DVD"):
		return data.KindDisc
	case strings.Contains(n, "硬盘"):
		return data.KindDisk
	case strings.Contains(n, "U盘") || strings.Contains(n, "优盘"):
		return data.KindUSB
	case strings.Contains(n, "笔记本电脑") || strings.Contains(n, "便携"):
		return data.KindLaptop
	case strings.Contains(n, "电脑") || strings.Contains(n, "计算机") || strings.Contains(n, "台式机"):
		return data.KindComputer
	case strings.Contains(n, "传真"):
		return data.KindFax
	case strings.Contains(n, "笔记本"):
		return data.KindNotebook
	case strings.Contains(n, "纸") || strings.Contains(n, "文件"):
		return data.KindPaper
	}
	return def
}

// date reads a date column: a date cell's serial number, a serial or
// yyyymmdd typed as digits, or a date typed as text (2024.3.5,
// 2024年3月5日, 2024/03/05, 2024-3-5, with a time after it).
func (p *rowParser) date(key, field string) data.Date {
	v := p.text(key)
	if v == "" {
		return data.Date{}
	}
	if raw := p.raw(key); raw != v {
		if d, ok := serialDate(raw, p.s.date1904); ok {
			return d
		}
	}
	d, err := parseDateText(v, p.s.date1904, true)
	if err != nil {
		p.problem(field, "“%s”不是有效日期，应为 2024-3-5、2024.3.5 或 2024年3月5日", v)
	}
	return d
}

// parseDateText reads the date forms offices type into a cell; with
// serials, digits alone are taken as an Excel serial day number.
func parseDateText(v string, date1904, serials bool) (data.Date, error) {
	v = strings.TrimSpace(data.HalfWidth(v))
	if d, ok := serialDate(v, date1904); ok && serials && len(v) != 8 {
		return d, nil
	}
	if len(v) == 8 && allDigits(v) {
		if d, err := data.ParseDate(v[:4] + "-" + v[4:6] + "-" + v[6:]); err == nil {
			return d, nil
		}
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return data.NewDate(t.Date()), nil
	}
	v = strings.ReplaceAll(v, "号", "日")
	if date, rest, ok := strings.Cut(v, " "); ok && strings.Contains(rest, ":") {
		v = date
	} else if date, rest, ok := strings.Cut(v, "T"); ok && strings.Contains(rest, ":") {
		v = date
	}
	return data.ParseDate(v)
}

// serialDate reads an Excel serial day number (1900 or 1904 date system),
// possibly with a time fraction. Only days from 1900 to 2200 count.
func serialDate(v string, date1904 bool) (data.Date, bool) {
	if v == "" || !(v[0] >= '0' && v[0] <= '9') || len(v) > 20 {
		return data.Date{}, false
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 1 || f >= 110_000 || math.IsNaN(f) {
		return data.Date{}, false
	}
	day := int(f)
	var base time.Time
	switch {
	case date1904:
		base = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	case day >= 61:
		// Excel counts a 29 February 1900 that never was.
		base = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	default:
		base = time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC)
	}
	if !date1904 && day == 60 {
		return data.Date{}, false
	}
	return data.DateOf(base.AddDate(0, 0, day)), true
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// copies reads 份数: 3, 3份, 共3份, 3.0. Blank means one copy.
func (p *rowParser) copies() int {
	v := compact(p.text(KeyCopies))
	if v == "" {
		return 1
	}
	n := strings.TrimSuffix(strings.TrimPrefix(v, "共"), "份")
	if f, err := strconv.ParseFloat(n, 64); err == nil && f == math.Trunc(f) && f >= 0 && f < 1e6 {
		return int(f)
	}
	if k, ok := chineseNumber(n); ok {
		return k
	}
	p.problem(data.FieldCopies, "“%s”不是整数", v)
	return 0
}

// levelAndPeriod reads 密级 and the 保密期限 from the level cell (机密,
// 机密★10年, 秘密★2030年12月31日, 秘密★项目结束), the period cell (10年,
// 10, a date, a condition) and the 解密时间/解密条件 cells; a level alone
// takes its default period.
func (p *rowParser) levelAndPeriod(c *data.Carrier) {
	name, markPeriod, hasMark := splitMark(p.text(KeyLevel))
	c.Level = p.level(name)

	var fromMark, fromColumn period
	if hasMark && markPeriod != "" {
		fromMark = p.period(markPeriod, data.FieldLevel)
	}
	if v := p.text(KeyPeriod); v != "" {
		if raw := p.raw(KeyPeriod); raw != v {
			if d, ok := serialDate(raw, p.s.date1904); ok {
				fromColumn.on = d
			}
		}
		if fromColumn.empty() {
			if l, pv, has := splitMark(v); has && p.level(l) == c.Level {
				v = pv
			}
			fromColumn = p.period(v, data.FieldPeriod)
		}
	}
	if v := p.text(KeyDeclassifyOn); v != "" && fromColumn.empty() && !fromColumn.bad {
		fromColumn.on = p.date(KeyDeclassifyOn, data.FieldDeclassifyOn)
	}
	if v := p.text(KeyCondition); v != "" && fromColumn.empty() && !fromColumn.bad {
		fromColumn.condition = v
	}
	got := fromMark
	switch {
	case fromMark.empty():
		got = fromColumn
	case !fromColumn.empty() && fromColumn != fromMark:
		p.problem(data.FieldPeriod, "与密级栏中的期限“%s”不一致", markPeriod)
	}
	if got.empty() && !got.bad && !fromMark.bad {
		for _, l := range p.opt.Classifications {
			if l.Name == c.Level {
				got.years = l.DefaultYears
			}
		}
	}
	c.PeriodYears, c.DeclassifyOn, c.DeclassifyCondition = got.years, got.on, got.condition
}

func (p *rowParser) knownLevel(name string) bool {
	for _, l := range p.opt.Classifications {
		if l.Name == name {
			return true
		}
	}
	return false
}

// level matches a 密级 against the unit's list, also in the forms 机密级
// and 机 密; a level not in the list is a problem.
func (p *rowParser) level(name string) string {
	name = compact(name)
	if name == "" {
		return ""
	}
	for _, n := range []string{name, strings.TrimSuffix(name, "级")} {
		for _, l := range p.opt.Classifications {
			if l.Name == n {
				return n
			}
		}
	}
	return name
}

// splitMark splits 机密★10年 at the star (★, ☆, *, ＊) into the level and
// the period, both trimmed; has reports whether there was a star.
func splitMark(s string) (level, period string, has bool) {
	i := strings.IndexAny(s, "★☆*＊")
	if i < 0 {
		return strings.TrimSpace(s), "", false
	}
	rest := strings.TrimLeft(s[i:], "★☆*＊ \t\u3000")
	return strings.TrimSpace(s[:i]), strings.TrimSpace(rest), true
}

// period is a 保密期限 in one of its three forms.
type period struct {
	years     int
	on        data.Date
	condition string
	bad       bool // could not be read; a problem was reported
}

func (q period) empty() bool { return q.years == 0 && q.on.IsZero() && q.condition == "" }

// period reads 10年, 10, 十年, 2030年12月31日 or a 解密 condition; 长期 is
// refused because a carrier needs a period, a date or a condition.
func (p *rowParser) period(v, field string) period {
	v = strings.TrimSpace(v)
	n := compact(v)
	for _, prefix := range []string{"保密期限", "解密条件", "解密时间", "解密日期"} {
		if rest, ok := strings.CutPrefix(n, prefix); ok {
			n = strings.TrimPrefix(rest, ":")
			if _, after, ok := strings.Cut(v, ":"); ok {
				v = strings.TrimSpace(after)
			} else if _, after, ok := strings.Cut(v, "："); ok {
				v = strings.TrimSpace(after)
			} else {
				v = n
			}
		}
	}
	switch n {
	case "":
		return period{}
	case "长期", "永久", "无限期", "长久", "永久保密", "长期保密":
		p.problem(field, "“%s”不是有效的保密期限，请填写年数、解密时间或解密条件", n)
		return period{bad: true}
	}
	if y, ok := parseYears(n); ok {
		if y < 1 || y > 99 {
			p.problem(field, "“%s”：年数应在 1 到 99 之间", n)
			return period{bad: true}
		}
		return period{years: y}
	}
	if d, err := parseDateText(n, false, false); err == nil {
		return period{on: d}
	}
	return period{condition: v}
}

// parseYears reads 10年, 10, 十年, 二十年.
func parseYears(v string) (int, bool) {
	n := strings.TrimSuffix(v, "年")
	if allDigits(n) && len(n) <= 3 {
		k, err := strconv.Atoi(n)
		return k, err == nil
	}
	if strings.HasSuffix(v, "年") {
		return chineseNumber(n)
	}
	return 0, false
}

// chineseNumber reads 一 to 九十九.
func chineseNumber(s string) (int, bool) {
	digits := map[rune]int{'一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
	r := []rune(s)
	switch {
	case len(r) == 1 && r[0] == '十':
		return 10, true
	case len(r) == 1:
		d, ok := digits[r[0]]
		return d, ok
	case len(r) == 2 && r[0] == '十':
		d, ok := digits[r[1]]
		return 10 + d, ok
	case len(r) == 2 && r[1] == '十':
		d, ok := digits[r[0]]
		return d * 10, ok
	case len(r) == 3 && r[1] == '十':
		d1, ok1 := digits[r[0]]
		d2, ok2 := digits[r[2]]
		return d1*10 + d2, ok1 && ok2
	}
	return 0, false
}

func containsString(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}
