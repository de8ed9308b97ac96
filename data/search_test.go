package data

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func searchSample() []Carrier {
	mk := func(n, title, kind, level, state, custodian, loc string, on Date) Carrier {
		return Carrier{ID: n, Number: n, Title: title, Kind: kind, Level: level, State: state, Custodian: custodian, Location: loc, ReceivedOn: on}
	}
	return []Carrier{
		mk("CZJ-2026-0003", "年度保密工作要点", KindPaper, "机密", StateHeld, "张三", "保密柜2号", NewDate(2026, 3, 5)),
		mk("CZJ-2026-0001", "涉密计算机", KindComputer, "秘密", StateLent, "李四", "机房", NewDate(2026, 1, 10)),
		mk("CZJ-2026-0002", "会议纪要", KindPaper, "秘密", StateHeld, "王五", "保密柜1号", NewDate(2025, 12, 1)),
	}
}

func TestRegisterFind(t *testing.T) {
	r := NewRegister(searchSample())
	tests := []struct {
		name string
		f    Filter
		key  SortKey
		desc bool
		want string
	}{
		{"everything by 编号", Filter{}, SortNumber, false, "0001 0002 0003"},
		{"descending", Filter{}, SortNumber, true, "0003 0002 0001"},
		{"by title text", Filter{Text: "保密工作"}, SortNumber, false, "0003"},
		{"by 编号 part, full-width", Filter{Text: "００２"}, SortNumber, false, "0002"},
		{"by pinyin initials of the custodian", Filter{Text: "zs"}, SortNumber, false, "0003"},
		{"by pinyin initials of the title", Filter{Text: "hyjy"}, SortNumber, false, "0002"},
		{"by pinyin of the location", Filter{Text: "bmg"}, SortNumber, false, "0002 0003"},
		{"kind", Filter{Kind: KindPaper}, SortNumber, false, "0002 0003"},
		{"level", Filter{Level: "秘密"}, SortNumber, false, "0001 0002"},
		{"state", Filter{State: StateLent}, SortNumber, false, "0001"},
		{"custodian", Filter{Custodian: "王五"}, SortNumber, false, "0002"},
		{"date range", Filter{From: NewDate(2026, 1, 1), To: NewDate(2026, 2, 1)}, SortNumber, false, "0001"},
		{"sorted by receipt", Filter{}, SortReceivedOn, false, "0002 0001 0003"},
		{"sorted by custodian in pinyin order (李 王 张)", Filter{}, SortCustodian, false, "0001 0002 0003"},
		{"sorted by custodian descending", Filter{}, SortCustodian, true, "0003 0002 0001"},
		{"sorted by title in pinyin order (会 年 涉)", Filter{}, SortTitle, false, "0002 0003 0001"},
		{"sorted by 密级 from the highest", Filter{}, SortLevel, false, "0003 0001 0002"},
		{"nothing", Filter{Text: "不存在"}, SortNumber, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ""
			for i, c := range r.Find(tt.f, tt.key, tt.desc) {
				if i > 0 {
					got += " "
				}
				got += c.Number[len(c.Number)-4:]
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	if got := fmt.Sprint(r.Custodians()); got != "[李四 王五 张三]" {
		t.Errorf("custodians = %s", got)
	}
}

func benchRegister(n int) *Register {
	cs := make([]Carrier, n)
	names := []string{"张三", "李四", "王五", "赵六", "钱七", "孙八"}
	for i := range cs {
		cs[i] = Carrier{ID: fmt.Sprint(i), Number: fmt.Sprintf("BM-%d-%06d", 2020+i%7, i), Title: fmt.Sprintf("关于第%d号保密事项的通知", i),
			Kind: CarrierKinds[i%len(CarrierKinds)], Level: DefaultClassifications[i%3].Name, State: StateHeld,
			Custodian: names[i%len(names)], Location: fmt.Sprintf("保密柜%d号", i%40), ReceivedOn: NewDate(2020+i%7, time.Month(1+i%12), 1+i%28)}
	}
	return NewRegister(cs)
}

// BenchmarkFind100k measures one search over 100,000 carriers (target:
// < 30 ms median, issue #3), once the search texts are built (the window
// builds them in the background right after the first rows:
// BenchmarkNewRegister100k).
func BenchmarkFind100k(b *testing.B) {
	r := benchRegister(100000)
	r.Prepare()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r.Find(Filter{Text: "zs", Level: "机密"}, SortNumber, false)
	}
}

// BenchmarkNewRegister100k measures indexing 100,000 carriers (pinyin
// initials included), as Prepare does in the background after the first
// rows are shown.
func BenchmarkNewRegister100k(b *testing.B) {
	for i := 0; i < b.N; i++ {
		benchRegister(100000).Prepare()
	}
}

// BenchmarkSelectAll100k measures showing the whole register again (the
// search box cleared): no carrier is copied.
func BenchmarkSelectAll100k(b *testing.B) {
	r := benchRegister(100000)
	r.Select(Filter{}, SortNumber, false)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r.Select(Filter{}, SortNumber, i%2 == 0)
	}
}

// BenchmarkSortByTitle100k measures the first sort of 100,000 carriers by a
// column (later sorts by it are cached until a carrier changes).
func BenchmarkSortByTitle100k(b *testing.B) {
	r := benchRegister(100000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r.Put(r.Carriers()[i%1000]) // a change drops the cached orders
		r.Select(Filter{}, SortTitle, false)
	}
}

func TestSelectionShowsPutCarriersAndKeepsOrder(t *testing.T) {
	r := NewRegister(searchSample())
	sel := r.Select(Filter{}, SortNumber, false)
	c := sel.At(0)
	c.Title = "改过的名称"
	r.Put(c)
	if got := sel.At(0).Title; got != "改过的名称" {
		t.Errorf("selection shows %q after Put", got)
	}
	// a new carrier takes its place in every order
	r.Put(Carrier{ID: "new", Number: "CZJ-2026-0000", Title: "啊", State: StateHeld, ReceivedOn: NewDate(2027, 1, 1)})
	for _, tt := range []struct {
		key   SortKey
		desc  bool
		first string
	}{
		{SortNumber, false, "CZJ-2026-0000"},
		{SortNumber, true, "CZJ-2026-0003"},
		{SortReceivedOn, true, "CZJ-2026-0000"},
		{SortReceivedOn, false, "CZJ-2026-0002"},
	} {
		sel := r.Select(Filter{}, tt.key, tt.desc)
		if sel.Len() != 4 || sel.At(0).Number != tt.first {
			t.Errorf("%s desc=%v: %d rows, first %s", tt.key, tt.desc, sel.Len(), sel.At(0).Number)
		}
	}
	if got := r.Select(Filter{Text: "gg"}, SortNumber, false).Carriers(); len(got) != 1 || got[0].Title != "改过的名称" {
		t.Errorf("search texts not rebuilt for the changed carrier: %v", got)
	}
}

func TestPrepareRunsBesideFinding(t *testing.T) {
	r := benchRegister(2000)
	done := make(chan struct{})
	go func() { r.Prepare(); close(done) }()
	if n := r.Select(Filter{Text: "zs"}, SortTitle, true).Len(); n == 0 {
		t.Error("search while preparing found nothing")
	}
	<-done
	if n := r.Select(Filter{Text: "zs"}, SortTitle, true).Len(); n == 0 {
		t.Error("search after preparing found nothing")
	}
}

func TestRegisterPutReplacesOrAdds(t *testing.T) {
	r := NewRegister(searchSample())
	c := r.Carriers()[1]
	c.Custodian = "赵六"
	r.Put(c)
	if got := r.Find(Filter{Text: "zl"}, SortNumber, false); len(got) != 1 || got[0].ID != c.ID {
		t.Errorf("replaced carrier not found by its new custodian: %v", got)
	}
	if got := r.Find(Filter{Text: "ls"}, SortNumber, false); len(got) != 0 {
		t.Errorf("old custodian still indexed: %v", got)
	}
	r.Put(Carrier{ID: "new", Number: "CZJ-2026-0009", Title: "新登记", State: StateHeld})
	if r.Len() != 4 || len(r.Find(Filter{Text: "xdj"}, SortNumber, false)) != 1 {
		t.Errorf("added carrier: len %d", r.Len())
	}
}

func TestRegisterFindsByWholePinyinAndPastBorrowers(t *testing.T) {
	cs := append(searchSample(),
		Carrier{ID: "b", Number: "CZJ-2026-0004", Title: "培训教材", Custodian: "李娜", State: StateLent, Borrower: "赵敏", Location: "档案室"},
		Carrier{ID: "c", Number: "CZJ-2026-0005", Title: "工作总结", Custodian: "王建国", State: StateHeld, Location: "档案室"})
	r := NewRegister(cs)
	r.SetPastBorrowers(map[string][]string{"c": {"刘洋", "陈静"}})
	tests := []struct {
		name, text, want string
	}{
		{"whole pinyin of the custodian", "lina", "0004"},
		{"whole pinyin, three characters", "wangjianguo", "0005"},
		{"whole pinyin in upper case", "WangJianGuo", "0005"},
		{"whole pinyin of the title", "peixun", "0004"},
		{"whole pinyin of the present borrower", "zhaomin", "0004"},
		{"initials still work", "wjg", "0005"},
		{"a past borrower by name", "陈静", "0005"},
		{"a past borrower by whole pinyin", "liuyang", "0005"},
		{"a past borrower by initials", "cj", "0005"},
		{"no match across two names", "linapeixun", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ""
			for i, c := range r.Find(Filter{Text: tt.text}, SortNumber, false) {
				if i > 0 {
					got += " "
				}
				got += c.Number[len(c.Number)-4:]
			}
			if got != tt.want {
				t.Errorf("find %q = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestRegisterPutKeepsTheBorrowerOfAReturnedCarrierFindable(t *testing.T) {
	r := NewRegister(searchSample())
	lent := r.Find(Filter{}, SortNumber, false)[0]
	lent.State, lent.Borrower = StateLent, "孙丽"
	r.Put(lent)
	returned := lent
	returned.State, returned.Borrower = StateHeld, ""
	r.Put(returned)
	for _, q := range []string{"孙丽", "sunli", "sl"} {
		if got := r.Find(Filter{Text: q}, SortNumber, false); len(got) != 1 || got[0].ID != lent.ID {
			t.Errorf("find %q after the return = %v, want %s", q, got, lent.Number)
		}
	}
}

func TestPinyinKeyFindsNamesByPinyin(t *testing.T) {
	key := PinyinKey("张三", "办公室")
	tests := []struct {
		name, query string
		found       bool
	}{
		{"the name itself", "张三", true},
		{"initials", "zs", true},
		{"whole pinyin", "zhangsan", true},
		{"upper-case initials", "ZS", true},
		{"department initials", "bgs", true},
		{"across two names", "sanb", false},
		{"another name", "ls", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := strings.Contains(key, strings.ToLower(tt.query)); got != tt.found {
				t.Errorf("%q found in %q: %v, want %v", tt.query, key, got, tt.found)
			}
		})
	}
}
