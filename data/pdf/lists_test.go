package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"baomi/data"
	"baomi/data/datatest"
)

func destroyEvent(c data.Carrier) data.Event {
	return data.Event{ID: "d" + c.ID, CarrierID: c.ID, Kind: data.EventDestroy, On: data.NewDate(2026, 11, 28),
		Operator: "张三", Witness: "李四", Approver: "王局长", Method: "粉碎", Place: "机要室"}
}

func TestDestructionList(t *testing.T) {
	var items []DestructionItem
	carriers := datatest.Carriers(40)
	copies := 0
	for _, c := range carriers {
		items = append(items, DestructionItem{Carrier: c, Destroy: destroyEvent(c)})
		copies += c.Copies
	}
	items[3].Destroy.Method, items[3].Destroy.Place = "送销毁中心", "市保密局销毁中心"
	var buf bytes.Buffer
	err := DestructionList(&buf, DestructionDoc{Unit: "某市财政局", On: data.NewDate(2026, 11, 28), Items: items,
		Fingerprint: "SM3:00aa11bb", Fonts: bundledFonts(t)})
	if err != nil {
		t.Fatal(err)
	}
	pages := pdfPages(t, writePDF(t, "destruction.pdf", buf.Bytes()))
	n := len(pages)
	if n < 2 {
		t.Fatalf("%d pages for 40 carriers, want at least 2", n)
	}
	all := ""
	for i, p := range pages {
		sq := squash(p)
		all += sq
		for _, want := range []string{fmt.Sprintf("第%d页共%d页", i+1, n), "台账校验码：SM3:00aa11bb"} {
			if !strings.Contains(sq, want) {
				t.Errorf("page %d lacks %q", i+1, want)
			}
		}
		if strings.Contains(sq, "BM-") && !strings.Contains(sq, "序号编号名称标志份数销毁方式地点") {
			t.Errorf("page %d lacks the header row:\n%s", i+1, p)
		}
	}
	for _, want := range []string{"涉密载体销毁清单", "单位：某市财政局", "销毁日期：2026年11月28日",
		"经办人（签字）：", "监销人（签字）：", "批准人（签字）：", "（张三）", "（李四）", "（王局长）",
		"送销毁中心", fmt.Sprintf("以上涉密载体共%d件，%d份，已全部销毁。", len(items), copies)} {
		if !strings.Contains(all, want) {
			t.Errorf("destruction list lacks %q", want)
		}
	}
	for _, c := range carriers {
		if !strings.Contains(all, c.Number) || !strings.Contains(all, c.Mark()) {
			t.Errorf("destruction list lacks %s or its mark %s", c.Number, c.Mark())
		}
	}
	// Methods differ, so none is printed in the head.
	if strings.Contains(squash(pages[0]), "销毁方式：") {
		t.Errorf("head names one method although the items differ")
	}
}

func TestDestructionListRefusesWitnessAsOperator(t *testing.T) {
	c := datatest.Carrier(0)
	e := destroyEvent(c)
	for name, d := range map[string]DestructionDoc{
		"doc":   {Operator: "张三", Witness: "张三", Items: []DestructionItem{{Carrier: c}}},
		"event": {Items: []DestructionItem{{Carrier: c, Destroy: func() data.Event { e.Witness = e.Operator; return e }()}}},
	} {
		d.Fonts = bundledFonts(t)
		var buf bytes.Buffer
		if err := DestructionList(&buf, d); !errors.Is(err, ErrWitnessIsOperator) {
			t.Errorf("%s: err = %v, want ErrWitnessIsOperator", name, err)
		}
		if buf.Len() != 0 {
			t.Errorf("%s: a refused list wrote %d bytes", name, buf.Len())
		}
	}
}

func TestLoansPairLendAndReturnIgnoringVoided(t *testing.T) {
	c := datatest.Carrier(0)
	d := func(day int) data.Date { return data.NewDate(2026, 10, day) }
	events := []data.Event{
		{ID: "1", Kind: data.EventRegister, On: d(1)},
		{ID: "2", Kind: data.EventLend, On: d(2), Borrower: "甲", DueOn: d(9)},
		{ID: "3", Kind: data.EventReturn, On: d(5), CheckedBy: "张三"},
		{ID: "4", Kind: data.EventLend, On: d(6), Borrower: "误录"},
		{ID: "5", Kind: data.EventCorrect, Voids: "4"},
		{ID: "6", Kind: data.EventLend, On: d(7), Borrower: "乙", DueOn: d(8)},
	}
	loans := Loans(c, events)
	if len(loans) != 2 {
		t.Fatalf("%d loans, want 2: %+v", len(loans), loans)
	}
	if loans[0].Lend.Borrower != "甲" || !loans[0].Returned() || loans[0].Return.On != d(5) {
		t.Errorf("first loan = %+v", loans[0])
	}
	if loans[1].Lend.Borrower != "乙" || loans[1].Returned() {
		t.Errorf("second loan = %+v", loans[1])
	}
}

func TestLoanList(t *testing.T) {
	carriers := datatest.Carriers(6)
	events := map[string][]data.Event{}
	d := func(m, day int) data.Date { return data.NewDate(2026, time.Month(m), day) }
	for i, c := range carriers[:4] {
		events[c.ID] = []data.Event{
			{Kind: data.EventLend, On: d(10, 10-i), Borrower: "孙七", Approver: "王局长", DueOn: d(11, 10), Note: "查阅"},
		}
		if i%2 == 0 {
			events[c.ID] = append(events[c.ID], data.Event{Kind: data.EventReturn, On: d(11, 1+i), CheckedBy: "张三", Condition: "完好"})
		}
	}
	var buf bytes.Buffer
	err := LoanList(&buf, LoanDoc{Unit: "某市财政局", Period: "2026年10月—11月", Printed: data.NewDate(2026, 11, 28),
		Carriers: carriers, Events: events, Fingerprint: "SM3:77", Fonts: bundledFonts(t)})
	if err != nil {
		t.Fatal(err)
	}
	pages := pdfPages(t, writePDF(t, "loans.pdf", buf.Bytes()))
	all := squash(strings.Join(pages, ""))
	for _, want := range []string{"涉密载体借阅登记", "序号编号名称标志借阅人借出日期应还日期归还日期批准人备注",
		"范围：2026年10月—11月", "逾期未还", "检查人：张三，状况：完好", "2026-11-01", "王局长",
		"共借阅4次，未归还2次，其中逾期2次。", "登记人（签字）：", "保密办（签字）：", "台账校验码：SM3:77",
		fmt.Sprintf("第%d页共%d页", len(pages), len(pages))} {
		if !strings.Contains(all, want) {
			t.Errorf("loan list lacks %q:\n%s", want, all)
		}
	}
	for _, c := range carriers[:4] {
		if !strings.Contains(all, c.Number) || !strings.Contains(all, c.Mark()) {
			t.Errorf("loan list lacks %s or its mark", c.Number)
		}
	}
	if strings.Contains(all, carriers[5].Number) {
		t.Errorf("a carrier never lent is listed")
	}
	// Ordered by lending date: carrier 3 was lent first (10月7日).
	if i, j := strings.Index(all, carriers[3].Number), strings.Index(all, carriers[0].Number); i > j {
		t.Errorf("loans not ordered by lending date")
	}
}
