package xlsx

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"baomi/data"
)

// peopleRows runs Read, FindPeopleHeader and PersonRows.
func peopleRows(t *testing.T, b []byte, name string) (int, []PersonRow) {
	t.Helper()
	s, err := Read(bytes.NewReader(b), name)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	h, m := s.FindPeopleHeader()
	return h, s.PersonRows(h, m, testToday)
}

func TestFindPeopleHeaderMapsTheAliasesOfAPersonnelList(t *testing.T) {
	for _, tc := range []struct {
		name string
		rows [][]string
		row  int
		want map[string]int // key → column
	}{
		{"export headers", [][]string{{"某单位涉密人员名单"}, {"序号", "姓名", "性别", "部门", "职务", "涉密等级", "确定日期", "人员编号"}}, 1,
			map[string]int{PersonKeyName: 1, PersonKeyGender: 2, PersonKeyDepartment: 3, PersonKeyPost: 4, PersonKeyLevel: 5, PersonKeyDeterminedOn: 6, PersonKeyStaffNumber: 7}},
		{"office aliases", [][]string{{"名单"}, {"填报单位：办公室", "", ""}, {"名字", "科室", "职务（岗位）", "涉密类别", "确定时间", "工号"}}, 2,
			map[string]int{PersonKeyName: 0, PersonKeyDepartment: 1, PersonKeyPost: 2, PersonKeyLevel: 3, PersonKeyDeterminedOn: 4, PersonKeyStaffNumber: 5}},
		{"单位 岗位 等级 编号", [][]string{{"姓 名", "单位", "岗位", "等级", "编号", "培训学时（小时）"}}, 0,
			map[string]int{PersonKeyName: 0, PersonKeyDepartment: 1, PersonKeyPost: 2, PersonKeyLevel: 3, PersonKeyStaffNumber: 4, PersonKeyTrainingHours: 5}},
		{"no 姓名 column", [][]string{{"部门", "职务", "涉密等级"}}, -1, map[string]int{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &Sheet{Cells: tc.rows}
			row, m := s.FindPeopleHeader()
			if row != tc.row {
				t.Fatalf("header row %d, want %d", row, tc.row)
			}
			got := map[string]int{}
			for col, key := range m {
				got[key] = col
			}
			if len(got) != len(tc.want) {
				t.Errorf("mapping %v, want %v", got, tc.want)
			}
			for k, col := range tc.want {
				if c, ok := got[k]; !ok || c != col {
					t.Errorf("%s in column %d (%v), want %d", k, c, ok, col)
				}
			}
		})
	}
}

func TestPersonRowsParseEachRowOrNameItsProblems(t *testing.T) {
	header := []string{"姓名", "性别", "部门", "涉密等级", "确定日期", "培训学时", "状态", "离岗日期", "人员编号"}
	for _, tc := range []struct {
		name     string
		cells    []string
		want     data.Person
		problems []string // fields with a problem
		skip     bool
	}{
		{"plain", []string{"张三", "男", "办公室", "核心", "2024.3.5", "12", "在岗", "", "A01"},
			data.Person{Name: "张三", Gender: "男", Department: "办公室", Level: "核心", DeterminedOn: data.NewDate(2024, 3, 5), TrainingHours: 12, State: "在岗", StaffNumber: "A01"}, nil, false},
		{"office wording", []string{" 李四 ", "女性", "财务科", "重要涉密人员", "2023年1月2日", "4.5学时", "", "", "Ａ02"},
			data.Person{Name: "李四", Gender: "女", Department: "财务科", Level: "重要", DeterminedOn: data.NewDate(2023, 1, 2), TrainingHours: 4.5, State: "在岗", StaffNumber: "A02"}, nil, false},
		{"left without a state", []string{"王五", "", "", "一般", "2020-1-1", "", "", "2025-6-30", ""},
			data.Person{Name: "王五", Level: "一般", DeterminedOn: data.NewDate(2020, 1, 1), State: "离岗", LeftOn: data.NewDate(2025, 6, 30)}, nil, false},
		{"no name and bad values", []string{"", "男士", "", "特级", "去年", "十二", "", "", ""},
			data.Person{}, []string{data.FieldName, data.FieldGender, data.FieldSecrecyLevel, data.FieldDeterminedOn, data.FieldTrainingHours}, false},
		{"future date", []string{"赵六", "", "", "核心", "2099-1-1", "", "", "", ""},
			data.Person{}, []string{data.FieldDeterminedOn}, false},
		{"blank row", []string{"", "", "", "", "", "", "", "", ""}, data.Person{}, nil, true},
		{"total row", []string{"合计", "", "", "", "", "", "", "", ""}, data.Person{}, nil, true},
		{"repeated header", header, data.Person{}, nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &Sheet{Cells: [][]string{header, tc.cells}}
			h, m := s.FindPeopleHeader()
			rows := s.PersonRows(h, m, testToday)
			if len(rows) != 1 {
				t.Fatalf("%d rows, want 1", len(rows))
			}
			r := rows[0]
			if r.Line != 2 || r.Skip != tc.skip {
				t.Fatalf("line %d skip %v (%s), want 2 %v", r.Line, r.Skip, r.SkipReason, tc.skip)
			}
			if tc.skip {
				return
			}
			if len(tc.problems) > 0 {
				for _, f := range tc.problems {
					if r.Problems.For(f) == "" {
						t.Errorf("no problem on %s: %v", f, r.Problems)
					}
				}
				return
			}
			if len(r.Problems) > 0 {
				t.Fatalf("problems: %v", r.Problems)
			}
			if r.Person != tc.want {
				t.Errorf("person\n got %+v\nwant %+v", r.Person, tc.want)
			}
		})
	}
}

func TestPlanPeopleMatchesByStaffNumberElseNameAndDepartment(t *testing.T) {
	existing := []data.Person{
		{ID: "1", Name: "张三", Department: "办公室", Level: "核心", State: "在岗", StaffNumber: "A01", DeterminedOn: data.NewDate(2024, 3, 5)},
		{ID: "2", Name: "李四", Department: "财务科", Level: "重要", State: "在岗"},
		{ID: "3", Name: "王五", Department: "档案室", Level: "一般", State: "在岗"},
		{ID: "4", Name: "王五", Department: "档案室", Level: "一般", State: "在岗"},
	}
	for _, tc := range []struct {
		name   string
		header []string
		cells  [][]string
		ops    []string
		ids    []string // Existing.ID per action, "" for none
		reason string   // in the first action's reason
	}{
		{"by staff number despite a new name", []string{"姓名", "部门", "涉密等级", "人员编号"}, [][]string{{"张三丰", "办公室", "核心", "A01"}},
			[]string{OpUpdate}, []string{"1"}, "按人员编号 A01 匹配"},
		{"by name and department", []string{"姓名", "部门", "涉密等级"}, [][]string{{"李四", "财务科", "重要"}},
			[]string{OpUnchanged}, []string{"2"}, "按姓名和部门匹配"},
		{"a number added to a person without one", []string{"姓名", "部门", "涉密等级", "工号"}, [][]string{{"李四", "财务科", "核心", "B9"}},
			[]string{OpUpdate}, []string{"2"}, "补上人员编号"},
		{"new person", []string{"姓名", "部门", "涉密等级"}, [][]string{{"李四", "办公室", "一般"}},
			[]string{OpImport}, []string{""}, "新人员"},
		{"two registered namesakes", []string{"姓名", "部门", "涉密等级"}, [][]string{{"王五", "档案室", "一般"}},
			[]string{OpRefuse}, []string{""}, "请在表中填写人员编号"},
		{"a row repeated", []string{"姓名", "部门", "涉密等级", "人员编号"}, [][]string{{"新人", "", "一般", "C1"}, {"新人", "", "一般", "C1"}},
			[]string{OpImport, OpRefuse}, []string{"", ""}, "新人员"},
		{"bad row beside a good one", []string{"姓名", "部门", "涉密等级"}, [][]string{{"", "x", "一般"}, {"钱七", "x", "一般"}},
			[]string{OpRefuse, OpImport}, []string{"", ""}, "姓名"},
		{"list without 涉密等级 updates but cannot add", []string{"姓名", "部门", "职务"}, [][]string{{"李四", "财务科", "会计"}, {"孙八", "财务科", "出纳"}},
			[]string{OpUpdate, OpRefuse}, []string{"2", ""}, "将更新：职务"},
		{"update that breaks a rule", []string{"姓名", "状态", "离岗日期", "人员编号"}, [][]string{{"张三", "离岗", "2020-1-1", "A01"}},
			[]string{OpRefuse}, []string{""}, "更新后"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &Sheet{Cells: append([][]string{tc.header}, tc.cells...)}
			h, m := s.FindPeopleHeader()
			acts := PlanPeople(s.PersonRows(h, m, testToday), append([]data.Person(nil), existing...), testToday)
			if len(acts) != len(tc.ops) {
				t.Fatalf("%d actions, want %d", len(acts), len(tc.ops))
			}
			for i, a := range acts {
				id := ""
				if a.Existing != nil {
					id = a.Existing.ID
				}
				if a.Op != tc.ops[i] || id != tc.ids[i] {
					t.Errorf("action %d: %s %q (%s), want %s %q", i, a.Op, id, a.Reason, tc.ops[i], tc.ids[i])
				}
			}
			if !strings.Contains(acts[0].Reason, tc.reason) {
				t.Errorf("reason %q, want it to say %q", acts[0].Reason, tc.reason)
			}
		})
	}
}

// people is a small personnel register with every field used.
var testPeople = []data.Person{
	{ID: "1", Name: "张三", Gender: "男", Department: "办公室", Post: "主任", Level: "核心", DeterminedOn: data.NewDate(2024, 3, 5),
		VettedOn: data.NewDate(2024, 2, 1), VettingResult: "合格", TrainingHours: 12.5, State: "在岗", StaffNumber: "A01", Note: "两行\n备注"},
	{ID: "2", Name: "李四", Department: "财务科", Level: "一般", State: "离岗", LeftOn: data.NewDate(2025, 6, 30)},
}

func TestWritePeopleImportsBackUnchanged(t *testing.T) {
	var buf bytes.Buffer
	if err := WritePeople(&buf, "某单位涉密人员名单", testPeople); err != nil {
		t.Fatal(err)
	}
	h, rows := peopleRows(t, buf.Bytes(), "名单.xlsx")
	if h != 1 {
		t.Fatalf("header row %d, want 1 (below the merged title)", h)
	}
	acts := PlanPeople(rows, append([]data.Person(nil), testPeople...), testToday)
	if len(acts) != len(testPeople) {
		t.Fatalf("%d actions, want %d", len(acts), len(testPeople))
	}
	for _, a := range acts {
		if a.Op != OpUnchanged {
			t.Errorf("line %d: %s %s, want unchanged", a.Row.Line, a.Op, a.Reason)
		}
	}
	var csvBuf bytes.Buffer
	if err := WritePeopleCSV(&csvBuf, "某单位涉密人员名单", testPeople); err != nil {
		t.Fatal(err)
	}
	_, rows = peopleRows(t, csvBuf.Bytes(), "名单.csv")
	for _, a := range PlanPeople(rows, append([]data.Person(nil), testPeople...), testToday) {
		if a.Op != OpUnchanged {
			t.Errorf("csv line %d: %s %s, want unchanged", a.Row.Line, a.Op, a.Reason)
		}
	}
}

func TestMessyPersonnelListsImport(t *testing.T) {
	const list = "某某局涉密人员名单,,,,\n填报日期：2026年1月5日,,,,\n序号,名字,科室,职务（岗位）,涉密类别,确定时间,工号\n" +
		"1,张三,办公室,主任,核心,2024/3/5,A01\n2,,,,,,\n3,李四,财务科,会计,重要,20230102,A02\n合计,2人,,,,,\n"
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(list)
	if err != nil {
		t.Fatal(err)
	}
	xl := book(t, [][]any{{"某某局涉密人员名单"}, {"填报日期：2026年1月5日"}, {"序号", "名字", "科室", "职务（岗位）", "涉密类别", "确定时间", "工号"},
		{1, "张三", "办公室", "主任", "核心", "2024/3/5", "A01"}, {}, {3, "李四", "财务科", "会计", "重要", "20230102", "A02"}}, "A1:G1")
	for _, tc := range []struct {
		name, file string
		b          []byte
	}{
		{"GBK csv", "名单.csv", []byte(gbk)},
		{"xlsx with a merged title", "名单.xlsx", xl},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, rows := peopleRows(t, tc.b, tc.file)
			if h != 2 {
				t.Fatalf("header row %d, want 2", h)
			}
			var got []data.Person
			for _, r := range rows {
				if r.Skip {
					continue
				}
				if len(r.Problems) > 0 {
					t.Fatalf("line %d: %v", r.Line, r.Problems)
				}
				got = append(got, r.Person)
			}
			want := []data.Person{
				{Name: "张三", Department: "办公室", Post: "主任", Level: "核心", DeterminedOn: data.NewDate(2024, 3, 5), State: "在岗", StaffNumber: "A01"},
				{Name: "李四", Department: "财务科", Post: "会计", Level: "重要", DeterminedOn: data.NewDate(2023, 1, 2), State: "在岗", StaffNumber: "A02"},
			}
			if len(got) != len(want) {
				t.Fatalf("%d people %+v, want %d", len(got), got, len(want))
			}
			for i := range want {
				if got[i] != want[i] {
					t.Errorf("person %d\n got %+v\nwant %+v", i, got[i], want[i])
				}
			}
		})
	}
}

// FuzzPersonRows feeds arbitrary CSV text to the personnel list import and
// checks that every row it would add or update is a valid person, that a
// refused row says why, and that reading a row never panics.
func FuzzPersonRows(f *testing.F) {
	var csvBuf bytes.Buffer
	if err := WritePeopleCSV(&csvBuf, "名单", testPeople); err != nil {
		f.Fatal(err)
	}
	f.Add(csvBuf.Bytes())
	f.Add([]byte("名单\n名字,科室,涉密类别,确定时间,工号,培训学时,状态,离岗日期\n张三,办公室,核心,2024.3.5,A01,4.5学时,离职,2025-1-1\n,,,,,,\n合计,2人\n"))
	f.Add([]byte("姓名,性别,等级,学时\n李四,M,重要涉密人员,NaN\n李四,女性,一般,1e9\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := Read(bytes.NewReader(b), "fuzz.csv")
		if err != nil {
			return
		}
		h, m := s.FindPeopleHeader()
		if h < 0 {
			return
		}
		existing := append([]data.Person(nil), testPeople...)
		for _, a := range PlanPeople(s.PersonRows(h, m, testToday), existing, testToday) {
			switch a.Op {
			case OpImport:
				if err := a.Row.Person.Validate(testToday); err != nil {
					t.Errorf("line %d imports an invalid person: %v", a.Row.Line, err)
				}
			case OpUpdate, OpUnchanged:
				if err := a.Updated.Validate(testToday); err != nil {
					t.Errorf("line %d updates to an invalid person: %v", a.Row.Line, err)
				}
			case OpRefuse:
				if a.Reason == "" {
					t.Errorf("line %d refused without a reason", a.Row.Line)
				}
			}
		}
	})
}
