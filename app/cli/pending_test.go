package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"baomi/data"
	"baomi/data/vault"
	"baomi/data/workspace"
)

// branchRegister writes the register a branch office kept in Excel: a
// title row, the header, twelve good rows (seven documents and discs,
// three devices with their serial only in 备注, two devices with no serial
// at all) and two bad rows (no 名称; a repeated 编号).
func branchRegister(t *testing.T) string {
	t.Helper()
	rows := [][]any{
		{"某支行涉密载体台账（2024年）"},
		{"序号", "编号", "文件资料名称", "载体类型", "密级", "收到日期", "份数", "责任人", "存放位置", "备注"},
		{1, "FH-2024-001", "年度保密工作要点", "纸质文件", "机密★10年", "2024.1.5", 1, "王芳", "保密柜1号", ""},
		{2, "FH-2024-002", "保密检查通报", "纸质文件", "秘密", "2024.2.1", 2, "王芳", "保密柜1号", ""},
		{3, "FH-2024-003", "行务会议纪要", "纸质文件", "秘密", "2024.3.8", 1, "李强", "保密柜2号", ""},
		{4, "FH-2024-004", "保密培训课件", "光盘", "秘密", "2024.4.2", 1, "李强", "保密柜2号", ""},
		{5, "FH-2024-005", "信贷档案", "纸质文件", "内部", "2024.5.6", 1, "赵敏", "档案室", ""},
		{6, "FH-2024-006", "审计资料", "光盘", "机密", "2024.6.3", 1, "赵敏", "保密柜3号", ""},
		{7, "FH-2024-007", "上级来文汇编", "纸质文件", "秘密", "2024.7.1", 3, "王芳", "保密柜1号", ""},
		{8, "FH-2024-008", "财务处U盘", "U盘", "秘密", "2024.8.1", 1, "赵敏", "保密柜3号", "序列号 AA12BB34"},
		{9, "FH-2024-009", "涉密计算机", "计算机", "机密", "2024.8.15", 1, "李强", "机房", "S/N: C02XK1JHJG5H，已拆除无线网卡"},
		{10, "FH-2024-010", "移动硬盘", "移动硬盘", "秘密", "2024.9.2", 1, "王芳", "保密柜1号", "SN：WX31A2B4"},
		{11, "FH-2024-011", "旧传真机", "传真机", "秘密", "2024.9.20", 1, "李强", "机要室", ""},
		{12, "FH-2024-012", "备用计算机", "计算机", "秘密", "2024.10.8", 1, "赵敏", "机房", "SNMP 已关闭"},
		{13, "FH-2024-013", "", "纸质文件", "秘密", "2024.10.9", 1, "赵敏", "保密柜3号", ""},
		{14, "FH-2024-002", "重复登记的通报", "纸质文件", "秘密", "2024.2.1", 1, "王芳", "保密柜1号", ""},
	}
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "支行台账.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestABranchRegisterImportsEveryGoodRowWithTheDevicesLackingASerialPending
// is the register of issue #8: before, every device without a 序列号
// column was refused and 7 of its 12 good rows were imported.
func TestABranchRegisterImportsEveryGoodRowWithTheDevicesLackingASerialPending(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	if code, _, e := run(t, pw+"\n", "init", "--data", dir, "--unit", "某支行", "--code", "FH"); code != 0 {
		t.Fatal(e)
	}
	file := branchRegister(t)

	code, out, errOut := run(t, pw+"\n", "carriers", "import", file, "--data", dir, "--dry-run")
	if code != 0 {
		t.Fatalf("dry run: %d\n%s%s", code, out, errOut)
	}
	for _, line := range []string{
		"第 10 行\t导入\tFH-2024-008\t新载体，将登记；序列号取自备注",
		"第 13 行\t导入（待补全：序列号）\tFH-2024-011\t新载体，将登记",
		"第 14 行\t导入（待补全：序列号）\tFH-2024-012\t新载体，将登记",
		"第 15 行\t拒绝\tFH-2024-013\t名称：必须填写",
		"第 16 行\t拒绝\tFH-2024-002\t与第 4 行编号重复",
		"将导入 12 条，更新 0 条，无变化 0 条，拒绝 2 条；其中 2 条导入后信息待补全",
	} {
		if !strings.Contains(out, line+"\n") {
			t.Errorf("dry run lacks %q:\n%s", line, out)
		}
	}

	code, out, errOut = run(t, pw+"\n", "carriers", "import", file, "--data", dir)
	if code != 0 || !strings.Contains(out, "已导入 12 条，更新 0 条。其中 2 件载体信息待补全") {
		t.Fatalf("import: %d\n%s%s", code, out, errOut)
	}

	ws, err := workspace.Unlock(dir, pw, workspace.Config{KDF: vault.InsecureTestParams})
	if err != nil {
		t.Fatal(err)
	}
	list, err := ws.Store.Carriers(t.Context())
	ws.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 12 {
		t.Fatalf("%d of the 12 good rows imported", len(list))
	}
	got := map[string]data.Carrier{}
	for _, c := range list {
		got[c.Number] = c
	}
	want := []struct{ number, serial, pending, note string }{
		{"FH-2024-001", "", "", ""},
		{"FH-2024-004", "", "", ""},
		{"FH-2024-008", "AA12BB34", "", "序列号 AA12BB34"},
		{"FH-2024-009", "C02XK1JHJG5H", "", "S/N: C02XK1JHJG5H，已拆除无线网卡"},
		{"FH-2024-010", "WX31A2B4", "", "SN：WX31A2B4"},
		{"FH-2024-011", "", data.FieldSerial, ""},
		{"FH-2024-012", "", data.FieldSerial, "SNMP 已关闭"},
	}
	for _, w := range want {
		c, ok := got[w.number]
		if !ok {
			t.Errorf("%s not imported", w.number)
			continue
		}
		if c.Serial != w.serial || c.Pending != w.pending || c.Note != w.note {
			t.Errorf("%s: serial %q, pending %q, 备注 %q; want %q, %q, %q", w.number, c.Serial, c.Pending, c.Note, w.serial, w.pending, w.note)
		}
	}
	if got["FH-2024-002"].Title != "保密检查通报" {
		t.Errorf("the repeated 编号 replaced the first row: %+v", got["FH-2024-002"])
	}
	if s := data.AlertCounts(data.Alerts(list, data.Today(), data.DefaultReviewDays)); !strings.Contains(s, "2 件载体信息待补全") {
		t.Errorf("alerts = %q", s)
	}

	// the 待补全 filter, on the command line
	xl := filepath.Join(t.TempDir(), "待补全.xlsx")
	if code, out, errOut := run(t, pw+"\n", "carriers", "export", "--pending", xl, "--data", dir); code != 0 || !strings.Contains(out, "已导出 2 件") {
		t.Fatalf("export --pending: %d %s %s", code, out, errOut)
	}
	if _, err := os.Stat(xl); err != nil {
		t.Fatal(err)
	}
	// importing the register again changes nothing and flags nothing new
	if code, out, _ := run(t, pw+"\n", "carriers", "import", file, "--data", dir, "--dry-run"); code != 0 ||
		!strings.Contains(out, "将导入 0 条，更新 0 条，无变化 12 条，拒绝 2 条\n") {
		t.Errorf("second dry run:\n%s", out)
	}
}
