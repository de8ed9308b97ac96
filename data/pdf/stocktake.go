package pdf

import (
	"fmt"
	"io"
	"strconv"

	"baomi/data"
)

// StocktakeDoc is what a stocktake report (清点报告) needs.
type StocktakeDoc struct {
	Unit        string
	On          data.Date // 清点日期
	Scope       string    // e.g. "存放位置：保密柜1号"; "" means all carriers
	Operator    string    // 清点人
	Found       []data.Carrier
	Missing     []data.Carrier
	Unexpected  []string // scanned 编号 outside the scope or not registered
	Fingerprint string   // 台账校验码
	Classified  bool
	Fonts       *Fonts // nil: DefaultFonts()
}

var stocktakeColumns = []column{
	{"序号", 10, centre, whole}, {"清点结果", 18, centre, wraps}, {"编号", 28, left, whole}, {"名称", 56, left, lends},
	{"标志", 34, left, lends}, {"存放位置", 22, left, lends}, {"责任人", 16, centre, wraps},
}

// StocktakeReport writes the report of a stocktake on portrait A4: the
// counts, the missing carriers first, then the found ones, the unexpected
// 编号, and signature lines for the 清点人 and the 保密办.
func StocktakeReport(w io.Writer, d StocktakeDoc) error {
	title := "涉密载体清点报告"
	doc, err := newDoc(d.Fonts, false, title)
	if err != nil {
		return fmt.Errorf("stocktake report: %w", err)
	}
	s := newSheet(doc, stocktakeColumns, 12, 11, 15)
	mark := ""
	if d.Classified {
		mark = highestLevel(append(append([]data.Carrier(nil), d.Missing...), d.Found...))
	}
	if d.Fingerprint != "" {
		s.footLeft = "台账校验码：" + d.Fingerprint
	}
	s.head = func(n int) (float64, error) {
		return s.documentHead(n, headInfo{mark: mark, title: title, unit: d.Unit, printed: d.On,
			dateLabel: "清点日期", scope: d.Scope, scopeLabel: "范围", allScope: "全部载体"})
	}
	i := 0
	var rows [][]string
	for _, group := range []struct {
		label string
		list  []data.Carrier
	}{{"未找到", d.Missing}, {"在", d.Found}} {
		for _, c := range group.list {
			i++
			rows = append(rows, []string{strconv.Itoa(i), group.label, c.Number, c.Title, c.Mark(), c.Location, c.Custodian})
		}
	}
	for _, n := range d.Unexpected {
		i++
		rows = append(rows, []string{strconv.Itoa(i), "范围外", n, "（台账中没有，或不在本次清点范围内）"})
	}
	if err := s.table(rows); err != nil {
		return fmt.Errorf("stocktake report: %w", err)
	}
	y, err := s.space(40)
	if err != nil {
		return fmt.Errorf("stocktake report: %w", err)
	}
	summary := fmt.Sprintf("应清点 %d 件：找到 %d 件，未找到 %d 件；范围外 %d 件。",
		len(d.Found)+len(d.Missing), len(d.Found), len(d.Missing), len(d.Unexpected))
	if _, err := s.text(s.left, y+7, Song, 10, summary); err != nil {
		return fmt.Errorf("stocktake report: %w", err)
	}
	if _, err := s.signature(s.left, y+20, "清点人（签字）", d.Operator, 10.5, 24); err != nil {
		return fmt.Errorf("stocktake report: %w", err)
	}
	if _, err := s.signature(s.left, y+32, "保密办（签字）", "", 10.5, 24); err != nil {
		return fmt.Errorf("stocktake report: %w", err)
	}
	if err := s.numberPages(); err != nil {
		return fmt.Errorf("stocktake report: %w", err)
	}
	return doc.finish(w, "stocktake report")
}
