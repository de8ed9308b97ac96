package carriers

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/widget"

	"baomi/app/ui/kit/kittest"
	"baomi/data"
)

// TestDetailSaysWhichCarrierItShowsWithTheFactsOfItsKind is issue #9
// item 2: the heading names the carrier as read from the store, and the
// facts are those of its kind, none of them empty.
func TestDetailSaysWhichCarrierItShowsWithTheFactsOfItsKind(t *testing.T) {
	cases := []struct {
		name    string
		c       data.Carrier
		heading string
		has     []string // texts the facts hold
		hasNot  []string // labels the facts must not show
	}{
		{
			name: "paper with every detail",
			c: data.Carrier{Number: "CZJ-2026-0007", Title: "关于做好年度保密自查工作的通知", Kind: data.KindPaper, Level: "机密",
				PeriodYears: 20, Source: "市保密局", DocNumber: "市保〔2026〕12号", ReceivedOn: data.NewDate(2026, 3, 5),
				Copies: 2, CopyNumbers: "3-4", Pages: "12页", Scope: "局领导、办公室主任", Custodian: "李四", Location: "保密柜2号"},
			heading: "CZJ-2026-0007　关于做好年度保密自查工作的通知",
			has: []string{"名称", "关于做好年度保密自查工作的通知", "密级", "机密", "保密期限", "20年", "知悉范围", "局领导、办公室主任",
				"页数", "12页", "来源", "市保密局", "文号", "市保〔2026〕12号", "份号", "3-4", "2026年3月5日", "保密柜2号", "李四", "在册"},
			hasNot: []string{"设备型号", "序列号", "容量"},
		},
		{
			name: "paper with a condition and nothing optional",
			c: data.Carrier{Number: "CZJ-2026-0008", Title: "某项目技术方案", Kind: data.KindPaper, Level: "秘密",
				DeclassifyCondition: "项目验收后", ReceivedOn: data.NewDate(2026, 4, 1), Copies: 1, Custodian: "王五"},
			heading: "CZJ-2026-0008　某项目技术方案",
			has:     []string{"解密条件", "项目验收后", "秘密"},
			hasNot:  []string{"保密期限", "来源", "文号", "份号", "知悉范围", "页数", "存放位置", "设备型号"},
		},
		{
			name: "U盘",
			c: data.Carrier{Number: "CZJ-U-003", Title: "涉密U盘", Kind: data.KindUSB, Level: "机密", PeriodYears: 20,
				Model: "朗科 U208", Serial: "SN20260042", Pages: "32GB", ReceivedOn: data.NewDate(2026, 2, 1), Copies: 1,
				Custodian: "李四", Location: "保密柜1号"},
			heading: "CZJ-U-003　涉密U盘",
			has:     []string{"设备型号", "朗科 U208", "序列号", "SN20260042", "容量", "32GB", "U盘"},
			hasNot:  []string{"页数", "来源", "文号", "份号", "知悉范围"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, c.c)
			cs := h.cs
			cs.table.Select(widget.TableCellID{Row: 0, Col: 1})
			tapSettled(t, h, cs.open)
			d := cs.detail
			if d == nil || !d.popup.Visible() {
				t.Fatal("detail view not shown")
			}
			if d.heading.Text != c.heading {
				t.Errorf("heading %q, want %q", d.heading.Text, c.heading)
			}
			facts := kittest.LabelText(d.factsBox)
			for _, want := range c.has {
				if !strings.Contains(facts, want) {
					t.Errorf("facts lack %q:\n%s", want, facts)
				}
			}
			for _, label := range c.hasNot {
				if strings.Contains(facts, label) {
					t.Errorf("facts show %q:\n%s", label, facts)
				}
			}
			shot(t, h, "detail-"+strings.ReplaceAll(c.name, " ", "-"))
		})
	}
}
