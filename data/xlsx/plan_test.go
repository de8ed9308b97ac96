package xlsx

import (
	"slices"
	"strings"
	"testing"

	"baomi/data"
)

const planSheet = `某局涉密载体台账
编号,名称,密级,收到日期,责任人,存放位置
A-1,年度工作要点,机密★10年,2024.3.5,张三,保密柜1号
A-2,保密工作通知,秘密,2024.3.6,李四,保密柜3号
A-3,新收文件,秘密,2024.3.7,王五,保密柜1号
A-4,,秘密,2024.3.8,王五,保密柜1号
A-3,又一份新收文件,秘密,2024.3.9,王五,保密柜1号
,,,,,
合计,,,,,
`

func planRows(t *testing.T, sheet string) []Row {
	t.Helper()
	_, _, rows := importRows(t, []byte(sheet), "plan.csv", testOptions)
	return rows
}

func registered(number, title, level string, years int, on data.Date, custodian, location string) data.Carrier {
	return data.Carrier{
		ID: "id-" + number, Number: number, Title: title, Kind: data.KindPaper, Level: level, PeriodYears: years,
		ReceivedOn: on, Copies: 1, Custodian: custodian, Location: location, State: "借出", Borrower: "赵六",
		Source: "市保密局", Note: "登记时的备注",
	}
}

func TestPlanIsADryRunOfEveryRow(t *testing.T) {
	existing := byNumber([]data.Carrier{
		registered("A-1", "年度工作要点", "机密", 10, data.NewDate(2024, 3, 5), "张三", "保密柜1号"),
		registered("A-2", "保密工作通知", "秘密", 10, data.NewDate(2024, 3, 6), "李四", "保密柜2号"),
	})
	actions := Plan(planRows(t, planSheet), existing)
	want := []struct {
		line   int
		op     string
		reason string
	}{
		{3, OpUnchanged, "与台账中的记录相同"},
		{4, OpUpdate, "将更新：存放位置"},
		{5, OpImport, "新载体，将登记"},
		{6, OpRefuse, "名称：必须填写"},
		{7, OpRefuse, "与第 5 行编号重复"},
	}
	if len(actions) != len(want) {
		t.Fatalf("%d actions, want %d: %+v", len(actions), len(want), actions)
	}
	for i, w := range want {
		a := actions[i]
		if a.Row.Line != w.line || a.Op != w.op || a.Reason != w.reason {
			t.Errorf("action %d: line %d %s %q; want line %d %s %q", i, a.Row.Line, a.Op, a.Reason, w.line, w.op, w.reason)
		}
	}
	if a := actions[1]; a.Existing.ID != "id-A-2" || !slices.Equal(a.Changes, []string{data.FieldLocation}) {
		t.Errorf("update: existing %q, changes %v", a.Existing.ID, a.Changes)
	}
	if got, want := Summary(actions), "将导入 1 条，更新 1 条，无变化 1 条，拒绝 2 条"; got != want {
		t.Errorf("Summary = %q, want %q", got, want)
	}
}

func TestPlanTwiceChangesNothing(t *testing.T) {
	rows := planRows(t, planSheet)
	register := map[string]data.Carrier{}
	apply := func() {
		for _, a := range Plan(rows, register) {
			switch a.Op {
			case OpImport:
				c := a.Row.Carrier
				c.ID, c.State = "id-"+c.Number, data.StateHeld
				register[c.Number] = c
			case OpUpdate:
				register[a.Existing.Number] = ApplyTo(*a.Existing, *a.Row)
			}
		}
	}
	apply()
	before := len(register)
	apply()
	if len(register) != before {
		t.Errorf("second import added %d carriers", len(register)-before)
	}
	for _, a := range Plan(rows, register) {
		if a.Op != OpUnchanged && a.Op != OpRefuse {
			t.Errorf("line %d after importing twice: %s %s", a.Row.Line, a.Op, a.Reason)
		}
	}
	if s := Summary(Plan(rows, register)); s != "将导入 0 条，更新 0 条，无变化 3 条，拒绝 2 条" {
		t.Errorf("Summary = %q", s)
	}
}

func TestPlanRefusesEveryRepeatOfANumberInTheSheet(t *testing.T) {
	sheet := "编号,名称,密级,收到日期,责任人\n" +
		"B-1,甲,秘密,2024.3.5,张三\n" +
		"B-2,乙,秘密,2024.3.5,张三\n" +
		"Ｂ－１,丙,秘密,2024.3.5,张三\n" +
		"B-1,丁,秘密,2024.3.5,张三\n"
	actions := Plan(planRows(t, sheet), nil)
	ops := make([]string, len(actions))
	for i, a := range actions {
		ops[i] = a.Op + " " + a.Reason
	}
	want := []string{"import 新载体，将登记", "import 新载体，将登记", "refuse 与第 2 行编号重复", "refuse 与第 2 行编号重复"}
	if !slices.Equal(ops, want) {
		t.Errorf("ops = %q\nwant %q", ops, want)
	}
}

func TestPlanRefusalListsEveryProblem(t *testing.T) {
	sheet := "编号,名称,密级,收到日期,责任人\n,, 绝密★长期,明天,\n"
	actions := Plan(planRows(t, sheet), nil)
	if len(actions) != 1 || actions[0].Op != OpRefuse {
		t.Fatalf("actions = %+v", actions)
	}
	for _, field := range []string{data.FieldNumber, data.FieldTitle, data.FieldLevel, data.FieldReceivedOn, data.FieldCustodian} {
		if !strings.Contains(actions[0].Reason, field+"：") {
			t.Errorf("reason %q does not name %s", actions[0].Reason, field)
		}
	}
}

func TestApplyToChangesOnlyTheFieldsTheSheetGives(t *testing.T) {
	old := registered("A-2", "保密工作通知", "秘密", 10, data.NewDate(2024, 3, 6), "李四", "保密柜2号")
	sheet := "编号,名称,密级,收到日期,责任人,存放位置\nA-2,保密工作通知（修订）,秘密★2030年1月1日,2024.3.6,李四,保密柜3号\n"
	r := planRows(t, sheet)[0]
	got := ApplyTo(old, r)
	want := old
	want.Title, want.Location = "保密工作通知（修订）", "保密柜3号"
	want.PeriodYears, want.DeclassifyOn = 0, data.NewDate(2030, 1, 1)
	if got != want {
		t.Errorf("ApplyTo:\n got %+v\nwant %+v", got, want)
	}
	changes := Changes(old, r)
	if !slices.Equal(changes, []string{data.FieldTitle, data.FieldPeriod, data.FieldDeclassifyOn, data.FieldLocation}) {
		t.Errorf("Changes = %v", changes)
	}
	// The sheet has no 来源, 份数, 备注 or 载体类型: they are not compared.
	if a := Plan([]Row{r}, map[string]data.Carrier{"A-2": got}); a[0].Op != OpUnchanged {
		t.Errorf("after ApplyTo: %s %s", a[0].Op, a[0].Reason)
	}
}
