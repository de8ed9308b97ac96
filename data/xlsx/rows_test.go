package xlsx

import (
	"strings"
	"testing"

	"baomi/data"
)

// parseOne reads one row under a header, both given as column → text.
func parseOne(t *testing.T, cells map[string]string, opt Options) Row {
	t.Helper()
	base := map[string]string{
		"编号": "BM-1", "名称": "年度工作要点", "载体类型": "纸质文件", "密级": "秘密",
		"收到日期": "2024-03-05", "责任人": "张三",
	}
	for k, v := range cells {
		base[k] = v
	}
	var header, row []string
	for k, v := range base {
		header = append(header, k)
		row = append(row, v)
	}
	s := &Sheet{Cells: [][]string{header, row}}
	h, m := s.FindHeader()
	if h != 0 {
		t.Fatalf("header not found in %v", header)
	}
	rows := s.Rows(h, m, opt)
	if len(rows) != 1 {
		t.Fatalf("%d rows", len(rows))
	}
	return rows[0]
}

func TestRowsReadDatesInEveryFormOfficesType(t *testing.T) {
	want := data.NewDate(2024, 3, 5)
	for _, in := range []string{
		"2024.3.5", "2024年3月5日", "2024/03/05", "2024-3-5", "2024-03-05",
		"２０２４年３月５日", "２０２４．３．５", "45356", "４５３５６", "20240305",
		"2024-03-05 10:30:00", "2024/3/5 0:00", "2024年3月5号", " 2024.03.05 ",
		"2024-03-05T00:00:00Z", "2024-03-05T00:00:00",
	} {
		t.Run(in, func(t *testing.T) {
			r := parseOne(t, map[string]string{"收到日期": in}, testOptions)
			if r.Carrier.ReceivedOn != want || len(r.Problems) > 0 {
				t.Errorf("收到日期 %q → %v, problems %v", in, r.Carrier.ReceivedOn, r.Problems)
			}
		})
	}
	for _, in := range []string{"2024.13.1", "明天", "2024年2月30日", "24.3.5", "3/5"} {
		t.Run(in, func(t *testing.T) {
			r := parseOne(t, map[string]string{"收到日期": in}, testOptions)
			if p := r.Problems.For(data.FieldReceivedOn); !strings.Contains(p, "不是有效日期") {
				t.Errorf("收到日期 %q: problem %q, want 不是有效日期", in, p)
			}
		})
	}
}

func TestRowsReadExcelSerialsAsDates(t *testing.T) {
	tests := []struct {
		serial string
		want   data.Date
	}{
		{"1", data.NewDate(1900, 1, 1)},
		{"59", data.NewDate(1900, 2, 28)},
		{"61", data.NewDate(1900, 3, 1)},
		{"36526", data.NewDate(2000, 1, 1)},
		{"45356", data.NewDate(2024, 3, 5)},
		{"45356.75", data.NewDate(2024, 3, 5)},
		{"46354", data.NewDate(2026, 11, 28)},
	}
	for _, tt := range tests {
		if got, ok := serialDate(tt.serial, false); !ok || got != tt.want {
			t.Errorf("serialDate(%s) = %v, %v; want %v", tt.serial, got, ok, tt.want)
		}
	}
	if got, ok := serialDate("0", true); ok {
		t.Errorf("serial 0 gave %v", got)
	}
	if got, _ := serialDate("43894", true); got != data.NewDate(2024, 3, 5) {
		t.Errorf("1904 serial 43894 = %v, want 2024-03-05", got)
	}
}

func TestRowsReadLevelAndPeriod(t *testing.T) {
	tests := []struct {
		name, level, period string
		wantLevel           string
		years               int
		on                  data.Date
		condition           string
		problem             string // field with a problem, "" for none
	}{
		{"period in the level cell", "机密★10年", "", "机密", 10, data.Date{}, "", ""},
		{"date in the level cell", "秘密★2030年12月31日", "", "秘密", 0, data.NewDate(2030, 12, 31), "", ""},
		{"condition in the level cell", "秘密★项目结束", "", "秘密", 0, data.Date{}, "项目结束", ""},
		{"spaces and other stars", "机密 ☆ 10 年", "", "机密", 10, data.Date{}, "", ""},
		{"asterisk", "机密*10年", "", "机密", 10, data.Date{}, "", ""},
		{"full-width asterisk and digits", "机密＊１０年", "", "机密", 10, data.Date{}, "", ""},
		{"Chinese numerals", "机密★十年", "", "机密", 10, data.Date{}, "", ""},
		{"level alone takes its default", "机密", "", "机密", 20, data.Date{}, "", ""},
		{"绝密 default", "绝密", "", "绝密", 30, data.Date{}, "", ""},
		{"内部 has no period", "内部", "", "内部", 0, data.Date{}, "", ""},
		{"机密级", "机密级", "", "机密", 20, data.Date{}, "", ""},
		{"period column in years", "机密", "10年", "机密", 10, data.Date{}, "", ""},
		{"period column as a number", "机密", "10", "机密", 10, data.Date{}, "", ""},
		{"period column as a date", "秘密", "2030年12月31日", "秘密", 0, data.NewDate(2030, 12, 31), "", ""},
		{"period column as a condition", "秘密", "项目验收后", "秘密", 0, data.Date{}, "项目验收后", ""},
		{"period column as a whole mark", "机密", "机密★5年", "机密", 5, data.Date{}, "", ""},
		{"same period twice", "机密★10年", "10年", "机密", 10, data.Date{}, "", ""},
		{"长期 is refused", "机密", "长期", "机密", 0, data.Date{}, "", data.FieldPeriod},
		{"长期 in the level cell is refused", "机密★长期", "", "机密", 0, data.Date{}, "", data.FieldLevel},
		{"100 years is refused", "机密★100年", "", "机密", 0, data.Date{}, "", data.FieldLevel},
		{"two different periods", "机密★10年", "20年", "机密", 10, data.Date{}, "", data.FieldPeriod},
		{"unknown level", "公开", "", "公开", 0, data.Date{}, "", data.FieldLevel},
		{"missing level", "", "", "", 0, data.Date{}, "", data.FieldLevel},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := parseOne(t, map[string]string{"密级": tt.level, "保密期限": tt.period}, testOptions)
			c := r.Carrier
			if c.Level != tt.wantLevel || c.PeriodYears != tt.years || c.DeclassifyOn != tt.on || c.DeclassifyCondition != tt.condition {
				t.Errorf("got %s %d年 %v %q; want %s %d年 %v %q", c.Level, c.PeriodYears, c.DeclassifyOn, c.DeclassifyCondition,
					tt.wantLevel, tt.years, tt.on, tt.condition)
			}
			switch {
			case tt.problem == "" && len(r.Problems) > 0:
				t.Errorf("problems: %v", r.Problems)
			case tt.problem != "" && r.Problems.For(tt.problem) == "":
				t.Errorf("no problem on %s: %v", tt.problem, r.Problems)
			}
		})
	}
}

func TestRowsUseTheUnitsClassifications(t *testing.T) {
	opt := testOptions
	opt.Classifications = []data.Classification{{Name: "核心商密", DefaultYears: 5}, {Name: "普通商密", DefaultYears: 2}}
	r := parseOne(t, map[string]string{"密级": "核心商密"}, opt)
	if r.Carrier.Level != "核心商密" || r.Carrier.PeriodYears != 5 || len(r.Problems) > 0 {
		t.Errorf("got %+v, %v", r.Carrier, r.Problems)
	}
	r = parseOne(t, map[string]string{"密级": "秘密"}, opt)
	if !strings.Contains(r.Problems.For(data.FieldLevel), "不在本单位的密级列表中") {
		t.Errorf("秘密 outside the list: %v", r.Problems)
	}
}

func TestRowsReadCopies(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"3", 3, true}, {"3份", 3, true}, {"共3份", 3, true}, {"３", 3, true}, {"３份", 3, true},
		{"3.0", 3, true}, {" 2 份 ", 2, true}, {"五份", 5, true}, {"", 1, true},
		{"三四份", 0, false}, {"几份", 0, false}, {"0", 0, false}, {"2.5", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			r := parseOne(t, map[string]string{"份数": tt.in}, testOptions)
			p := r.Problems.For(data.FieldCopies)
			if tt.ok && (r.Carrier.Copies != tt.want || p != "") {
				t.Errorf("份数 %q → %d, %q; want %d", tt.in, r.Carrier.Copies, p, tt.want)
			}
			if !tt.ok && p == "" {
				t.Errorf("份数 %q → %d without a problem", tt.in, r.Carrier.Copies)
			}
		})
	}
}

func TestRowsMapKindVariants(t *testing.T) {
	tests := []struct{ in, want string }{
		{"纸质文件", data.KindPaper}, {"文件", data.KindPaper}, {"纸质", data.KindPaper}, {"纸介质", data.KindPaper},
		{"光盘", data.KindDisc}, {"CD", data.KindDisc}, {"dvd", data.KindDisc}, {"DVD-R光盘", data.KindDisc},
		{"U盘", data.KindUSB}, {"u盘", data.KindUSB}, {"Ｕ盘", data.KindUSB}, {"优盘", data.KindUSB}, {"移动存储介质", data.KindUSB},
		{"移动硬盘", data.KindDisk},
		{"计算机", data.KindComputer}, {"笔记本电脑", data.KindLaptop}, {"便携式计算机", data.KindLaptop}, {"涉密笔记本", data.KindNotebook}, {"台式机", data.KindComputer},
		{"传真机", data.KindFax}, {"笔记本", data.KindNotebook}, {"其他", data.KindOtherKind},
		{"磁带", data.KindOtherKind}, {"", data.KindOtherKind},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			r := parseOne(t, map[string]string{"载体类型": tt.in, "序列号": "SN1"}, testOptions)
			if r.Carrier.Kind != tt.want {
				t.Errorf("载体类型 %q → %q, want %q", tt.in, r.Carrier.Kind, tt.want)
			}
		})
	}
	opt := testOptions
	opt.DefaultKind = data.KindPaper
	if r := parseOne(t, map[string]string{"载体类型": "磁带"}, opt); r.Carrier.Kind != data.KindPaper {
		t.Errorf("unknown kind with DefaultKind 纸质文件 → %q", r.Carrier.Kind)
	}
}

func TestRowsMapFullWidthDigitsToHalfWidth(t *testing.T) {
	r := parseOne(t, map[string]string{"编号": "ＢＭ－２０２４－００１", "份数": "２", "收到日期": "２０２４．３．５", "序列号": "ＳＮ００１"}, testOptions)
	c := r.Carrier
	if c.Number != "BM-2024-001" || c.Copies != 2 || c.ReceivedOn != data.NewDate(2024, 3, 5) || c.Serial != "SN001" {
		t.Errorf("got %+v", c)
	}
}

func TestRowsReportProblemsNamingTheField(t *testing.T) {
	tests := []struct {
		name    string
		cells   map[string]string
		field   string
		problem string
	}{
		{"missing 编号", map[string]string{"编号": ""}, data.FieldNumber, "必须填写"},
		{"missing 名称", map[string]string{"名称": ""}, data.FieldTitle, "必须填写"},
		{"future date", map[string]string{"收到日期": "2099-01-01"}, data.FieldReceivedOn, "不能晚于今天"},
		{"missing date", map[string]string{"收到日期": ""}, data.FieldReceivedOn, "必须填写"},
		{"missing custodian", map[string]string{"责任人": ""}, data.FieldCustodian, "必须填写"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := parseOne(t, tt.cells, testOptions)
			if p := r.Problems.For(tt.field); !strings.Contains(p, tt.problem) {
				t.Errorf("problem on %s = %q, want %q (all: %v)", tt.field, p, tt.problem, r.Problems)
			}
			n := 0
			for _, e := range r.Problems {
				if e.Field == tt.field {
					n++
				}
			}
			if n != 1 {
				t.Errorf("%d problems on %s, want one: %v", n, tt.field, r.Problems)
			}
			if !strings.HasPrefix(r.Problems.Error(), tt.field+"：") && !strings.Contains(r.Problems.Error(), "；"+tt.field+"：") {
				t.Errorf("message %q does not name %s", r.Problems.Error(), tt.field)
			}
		})
	}
}

func TestRowsSkipBlankTotalAndRepeatedHeaderRows(t *testing.T) {
	s := &Sheet{Cells: [][]string{
		{"序号", "编号", "名称", "密级", "收到日期", "责任人", "备注"},
		{"1", "A-1", "通知", "秘密", "2024-3-5", "张三", "共计3页"},
		nil,
		{"", "", "", "", "", "", ""},
		{"2", "  ", "", "", "", "", ""},
		{"序号", "编号", "名称", "密级", "收到日期", "责任人", "备注"},
		{"某局涉密载体台账", "某局涉密载体台账", "某局涉密载体台账", "某局涉密载体台账", "某局涉密载体台账", "某局涉密载体台账"},
		{"合计", "", "", "", "", "", "25份"},
		{"", "总 计：", "", "", "", "", ""},
		{"小计", "小计", "", "", "", "", ""},
		{"", "", "", "", "", "", "合计12份"},
		{"3", "A-3", "函", "机密", "2024-3-6", "李四"},
	}}
	h, m := s.FindHeader()
	rows := s.Rows(h, m, testOptions)
	want := []struct {
		line   int
		reason string
	}{
		{2, ""}, {3, "空行"}, {4, "空行"}, {5, "空行"}, {6, "重复的表头行"}, {7, "标题行"},
		{8, "合计行"}, {9, "合计行"}, {10, "合计行"}, {11, "合计行"}, {12, ""},
	}
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d", len(rows), len(want))
	}
	for i, w := range want {
		r := rows[i]
		if r.Line != w.line || r.Skip != (w.reason != "") || r.SkipReason != w.reason {
			t.Errorf("row %d: line %d skip %v %q; want line %d %q", i, r.Line, r.Skip, r.SkipReason, w.line, w.reason)
		}
	}
	// Line 5 has only a 序号, as templates numbered in advance do: blank.
	// Line 2's note 共计3页 does not make it a total row.
	if rows[0].Carrier.Number != "A-1" || rows[0].Carrier.Note != "共计3页" {
		t.Errorf("line 2: %+v", rows[0].Carrier)
	}
}

// TestRowsReadAMessyRegister reads a register the way offices keep them:
// a merged title, a blank row, a header with line breaks and units, a
// merged 来源 over several rows, dates and levels in mixed forms, full-width
// digits, blank and total rows.
func TestRowsReadAMessyRegister(t *testing.T) {
	b := book(t, [][]any{
		{"某局涉密载体台账（2026年）"},
		{},
		{"序号", "文号或编号", "文件资料名称", "载体\n类别", "密级", "制作发文单位", "收到日期", "页数或容量", "份数（份）", "份号", "使用范围", "责任人", "存放位置", "备注"},
		{1, "保发〔2024〕1号", "关于做好年度保密自查的通知", "文件", "机密★10年", "市保密局", "2024.3.5", 12, "2份", "1-2", "办公室", "张三", "保密柜1号", ""},
		{2, "保发〔2024〕2号", "保密工作要点", "文件", "秘密", nil, "2024年3月6日", 4, 1, "1", "全局", "张三", "保密柜1号", ""},
		{3, "ＢＭ－２０２４－００３", "会议纪要光盘", "DVD", "秘密★2030年12月31日", nil, 45358, "4.7GB", "１", "", "", "李四", "保密柜2号", "第一行\n第二行"},
		{},
		{4, "BM-2024-004", "项目资料", "纸介质", "绝密★项目验收后", "省局", "2024/03/08", "300页", "共3份", "1-3", "项目组", "王五", "保密室", ""},
		{"合计", nil, nil, nil, nil, nil, nil, nil, "7份"},
	}, "A1:N1", "F4:F6")
	_, h, rows := importRows(t, b, "messy.xlsx", testOptions)
	if h != 2 {
		t.Fatalf("header row %d, want 2", h)
	}
	got := dataRows(rows)
	want := []data.Carrier{
		{Number: "保发〔2024〕1号", Title: "关于做好年度保密自查的通知", Kind: data.KindPaper, Level: "机密", PeriodYears: 10,
			Source: "市保密局", ReceivedOn: data.NewDate(2024, 3, 5), Pages: "12", Copies: 2, CopyNumbers: "1-2",
			Scope: "办公室", Custodian: "张三", Location: "保密柜1号"},
		{Number: "保发〔2024〕2号", Title: "保密工作要点", Kind: data.KindPaper, Level: "秘密", PeriodYears: 10,
			Source: "市保密局", ReceivedOn: data.NewDate(2024, 3, 6), Pages: "4", Copies: 1, CopyNumbers: "1",
			Scope: "全局", Custodian: "张三", Location: "保密柜1号"},
		{Number: "BM-2024-003", Title: "会议纪要光盘", Kind: data.KindDisc, Level: "秘密", DeclassifyOn: data.NewDate(2030, 12, 31),
			Source: "市保密局", ReceivedOn: data.NewDate(2024, 3, 7), Pages: "4.7GB", Copies: 1,
			Custodian: "李四", Location: "保密柜2号", Note: "第一行\n第二行"},
		{Number: "BM-2024-004", Title: "项目资料", Kind: data.KindPaper, Level: "绝密", DeclassifyCondition: "项目验收后",
			Source: "省局", ReceivedOn: data.NewDate(2024, 3, 8), Pages: "300页", Copies: 3, CopyNumbers: "1-3",
			Scope: "项目组", Custodian: "王五", Location: "保密室"},
	}
	if len(got) != len(want) {
		t.Fatalf("%d data rows, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		if got[i].Carrier != w || len(got[i].Problems) > 0 {
			t.Errorf("line %d:\n got %+v %v\nwant %+v", got[i].Line, got[i].Carrier, got[i].Problems, w)
		}
	}
	if lines := []int{got[0].Line, got[3].Line}; lines[0] != 4 || lines[1] != 8 {
		t.Errorf("lines %v, want 4 and 8", lines)
	}
	last := rows[len(rows)-1]
	if !last.Skip || last.SkipReason != "合计行" {
		t.Errorf("total row: %+v", last)
	}
	if s := Summary(Plan(rows, nil)); s != "将导入 4 条，更新 0 条，无变化 0 条，拒绝 0 条" {
		t.Errorf("Summary = %q", s)
	}
}

func TestRowsCSVWithSerialDigitsInTheDateColumn(t *testing.T) {
	csv := "编号,名称,密级,收到日期,责任人\nA-1,通知,秘密,45356,张三\n"
	_, _, rows := importRows(t, []byte(csv), "x.csv", testOptions)
	if rows[0].Carrier.ReceivedOn != data.NewDate(2024, 3, 5) {
		t.Errorf("收到日期 = %v", rows[0].Carrier.ReceivedOn)
	}
}
