package xlsx

import (
	"strings"
	"unicode"

	"baomi/data"
)

// Field keys name the carrier fields a sheet column can feed. A Mapping maps
// column indexes to these keys.
const (
	KeyNumber       = "number"       // 编号
	KeyTitle        = "title"        // 名称
	KeyKind         = "kind"         // 载体类型
	KeyLevel        = "level"        // 密级, may carry the period: 机密★10年
	KeyPeriod       = "period"       // 保密期限: 10年, a 解密 date or a 解密 condition
	KeyDeclassifyOn = "declassifyOn" // 解密时间
	KeyCondition    = "condition"    // 解密条件
	KeySource       = "source"       // 来源
	KeyDocNumber    = "docNumber"    // 文号
	KeyReceivedOn   = "receivedOn"   // 收到日期
	KeyCopies       = "copies"       // 份数
	KeyCopyNumbers  = "copyNumbers"  // 份号
	KeyPages        = "pages"        // 页数或容量
	KeyScope        = "scope"        // 知悉范围
	KeyCustodian    = "custodian"    // 责任人
	KeyLocation     = "location"     // 存放位置
	KeyModel        = "model"        // 设备型号
	KeySerial       = "serial"       // 序列号
	KeyNote         = "note"         // 备注
)

// Mapping maps a column index (0 for column A) to the field key the column
// feeds. Columns not in the map are ignored. The UI may edit it before
// calling Rows.
type Mapping map[int]string

// FieldInfo is one importable field as a mapping editor lists it.
type FieldInfo struct {
	Key   string // one of the Key constants
	Label string // the Chinese label, one of the data.Field constants
}

var fields = []FieldInfo{
	{KeyNumber, data.FieldNumber},
	{KeyTitle, data.FieldTitle},
	{KeyKind, data.FieldKind},
	{KeyLevel, data.FieldLevel},
	{KeyPeriod, data.FieldPeriod},
	{KeyDeclassifyOn, data.FieldDeclassifyOn},
	{KeyCondition, data.FieldCondition},
	{KeySource, data.FieldSource},
	{KeyDocNumber, data.FieldDocNumber},
	{KeyReceivedOn, data.FieldReceivedOn},
	{KeyCopies, data.FieldCopies},
	{KeyCopyNumbers, data.FieldCopyNumbers},
	{KeyPages, data.FieldPages},
	{KeyScope, data.FieldScope},
	{KeyCustodian, data.FieldCustodian},
	{KeyLocation, data.FieldLocation},
	{KeyModel, data.FieldModel},
	{KeySerial, data.FieldSerial},
	{KeyNote, data.FieldNote},
}

// Fields lists the importable fields in form order, for a mapping editor.
func Fields() []FieldInfo {
	return append([]FieldInfo(nil), fields...)
}

// Label returns the Chinese label of a field key, or "" for an unknown key.
func Label(key string) string {
	for _, f := range fields {
		if f.Key == key {
			return f.Label
		}
	}
	return ""
}

// keyIgnore marks a known header that feeds no field (序号, 状态): it counts
// when looking for the header row but is never mapped.
const keyIgnore = "-"

// headerAlias is a header text (normalized) and the key it maps to; rank
// orders aliases of one key, lower is better, so that 密级 beats 标志.
type headerAlias struct {
	key  string
	rank int
}

var headerAliases = func() map[string]headerAlias {
	m := map[string]headerAlias{}
	add := func(key string, names ...string) {
		for i, n := range names {
			m[normalizeHeader(n)] = headerAlias{key, i}
		}
	}
	add(keyIgnore, "序号", "顺序号", "状态", "载体状态", "当前状态")
	add(KeyNumber, "编号", "载体编号", "登记号", "登记编号", "文号或编号", "编号或文号", "台账编号")
	add(KeyTitle, "文件资料名称", "名称", "文件名称", "标题", "载体名称", "文件标题", "资料名称", "文件资料标题", "涉密载体名称")
	add(KeyKind, "载体类别", "载体类型", "类别", "类型", "载体种类", "种类")
	add(KeyLevel, "密级", "密级及保密期限", "密级和保密期限", "密级/保密期限", "密级标志", "标志")
	add(KeyPeriod, "保密期限", "期限", "保密期", "密级期限")
	add(KeyDeclassifyOn, "解密时间", "解密日期")
	add(KeyCondition, "解密条件")
	add(KeySource, "制作发文单位", "来源", "来文单位", "发文单位", "制发单位", "制作单位", "来文机关", "发文机关", "制发机关", "来源单位")
	add(KeyDocNumber, "文号", "发文字号", "文件编号")
	add(KeyReceivedOn, "收到日期", "登记日期", "日期", "产生日期", "收文日期", "收到时间", "登记时间", "制作日期", "接收日期")
	add(KeyPages, "页数或容量", "页数", "容量", "页数/容量", "页数容量")
	add(KeyCopies, "份数")
	add(KeyCopyNumbers, "份号")
	add(KeyScope, "使用范围", "知悉范围", "阅知范围")
	add(KeyCustodian, "责任人", "保管人", "保管责任人", "使用人", "管理人")
	add(KeyLocation, "存放位置", "存放地点", "存放处", "存放场所", "保存位置")
	add(KeyModel, "型号", "设备型号", "规格型号")
	add(KeySerial, "序列号", "设备序列号", "设备编号", "编号(设备)", "出厂编号", "SN")
	add(KeyNote, "备注", "说明")
	return m
}()

// normalizeHeader reduces a header cell to a comparable form: half-width,
// no spaces or line breaks, no leading *, no trailing colon, upper-case
// Latin letters.
func normalizeHeader(s string) string {
	s = data.HalfWidth(s)
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return unicode.ToUpper(r)
	}, s)
	s = strings.Trim(s, "*:")
	return s
}

// stripParens removes parenthesised parts: 份数(份) → 份数. It expects
// half-width text, as normalizeHeader gives.
func stripParens(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch r {
		case '(', '[', '【', '〔':
			depth++
		case ')', ']', '】', '〕':
			if depth > 0 {
				depth--
			}
		default:
			if depth == 0 {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

// matchHeader returns the alias a header cell matches, trying the text with
// its parenthesised parts first (编号(设备) is a serial number) and then
// without (份数(份) is 份数).
func matchHeader(cell string) (headerAlias, bool) {
	n := normalizeHeader(cell)
	if n == "" {
		return headerAlias{}, false
	}
	if a, ok := headerAliases[n]; ok {
		return a, true
	}
	if strings.HasPrefix(n, "编号(") && strings.Contains(n, "设备") {
		return headerAliases[normalizeHeader("序列号")], true
	}
	s := stripParens(n)
	if s == "" || s == n {
		return headerAlias{}, false
	}
	a, ok := headerAliases[s]
	return a, ok
}

// headerRowsScanned is how many rows FindHeader looks at.
const headerRowsScanned = 15

// FindHeader looks in the first 15 rows for the header row: the one whose
// cells match the most known header names. It returns the row's index in
// Cells (0-based; the sheet line is row+1) and the suggested mapping. With
// fewer than two known headers in any row it returns -1 and an empty
// mapping; the user then maps the columns by hand.
func (s *Sheet) FindHeader() (row int, mapping Mapping) {
	best, bestScore := -1, 1
	for i := 0; i < len(s.Cells) && i < headerRowsScanned; i++ {
		if score := headerScore(s.Cells[i]); score > bestScore {
			best, bestScore = i, score
		}
	}
	if best < 0 {
		return -1, Mapping{}
	}
	return best, suggestMapping(s.Cells[best])
}

// headerScore counts the distinct known headers in a row.
func headerScore(cells []string) int {
	seen := map[string]bool{}
	for _, c := range cells {
		if a, ok := matchHeader(c); ok {
			k := a.key
			if k == keyIgnore {
				k = normalizeHeader(c)
			}
			seen[k] = true
		}
	}
	return len(seen)
}

// suggestMapping maps each field to the column with its best alias, the
// leftmost on a tie. A 文号 column alone, without an 编号 column, is taken
// as the 编号.
func suggestMapping(cells []string) Mapping {
	type pick struct{ col, rank int }
	best := map[string]pick{}
	for col, c := range cells {
		a, ok := matchHeader(c)
		if !ok || a.key == keyIgnore {
			continue
		}
		if p, ok := best[a.key]; !ok || a.rank < p.rank {
			best[a.key] = pick{col, a.rank}
		}
	}
	if _, ok := best[KeyNumber]; !ok {
		if p, ok := best[KeyDocNumber]; ok {
			best[KeyNumber] = p
			delete(best, KeyDocNumber)
		}
	}
	m := Mapping{}
	for key, p := range best {
		m[p.col] = key
	}
	return m
}
