package pdf

import (
	"bytes"
	"strings"
	"testing"

	"baomi/data"
	"baomi/data/datatest"
)

func TestStocktakeReportListsMissingFirstWithCounts(t *testing.T) {
	cs := datatest.Carriers(5)
	var buf bytes.Buffer
	err := StocktakeReport(&buf, StocktakeDoc{Unit: "某市财政局", On: data.NewDate(2026, 11, 28), Scope: "存放位置：保密柜1号",
		Operator: "张保密", Found: cs[:3], Missing: cs[3:], Unexpected: []string{"XX-404"}, Fingerprint: "ab12-cd34-ef56",
		Classified: true, Fonts: bundledFonts(t)})
	if err != nil {
		t.Fatal(err)
	}
	pages := pdfPages(t, writePDF(t, "stocktake.pdf", buf.Bytes()))
	all := squash(strings.Join(pages, ""))
	for _, want := range []string{"涉密载体清点报告", "清点日期：2026年11月28日", "范围：存放位置：保密柜1号", "未找到", cs[3].Number,
		"XX-404", "应清点5件：找到3件，未找到2件；范围外1件。", "清点人（签字）", "张保密", "台账校验码：ab12-cd34-ef56", "第1页共1页"} {
		if !strings.Contains(all, squash(want)) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Index(all, cs[3].Number) > strings.Index(all, cs[0].Number) {
		t.Error("missing carriers are not listed first")
	}
}
