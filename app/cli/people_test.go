package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"baomi/data"
	"baomi/data/vault"
	"baomi/data/workspace"
)

// peopleIn returns the people registered in dir and its audit head.
func peopleIn(t *testing.T, dir string) ([]data.Person, data.AuditHead) {
	t.Helper()
	ws, err := workspace.Unlock(dir, pw, workspace.Config{KDF: vault.InsecureTestParams})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	people, err := ws.People(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return people, ws.Head()
}

func initDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "data")
	if code, _, e := run(t, pw+"\n", "init", "--data", dir, "--unit", "某县档案局", "--code", "DAJ"); code != 0 {
		t.Fatal(e)
	}
	return dir
}

func TestPeopleImportDryRunRefusedRowReimportAndExportRoundTrip(t *testing.T) {
	dir := initDir(t)
	list := "某县档案局涉密人员名单,,,,,\n" +
		"序号,名字,科室,职务（岗位）,涉密类别,确定时间,工号\n" +
		"1,张三,办公室,主任,核心,2024.3.5,A01\n" +
		"2,李四,财务科,会计,特级,2024.3.5,A02\n" +
		"3,王五,档案室,,一般,2023年1月2日,\n" +
		"合计,3人,,,,,\n"
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(list)
	if err != nil {
		t.Fatal(err)
	}
	csv := filepath.Join(t.TempDir(), "名单.csv")
	if err := os.WriteFile(csv, []byte(gbk), 0o600); err != nil {
		t.Fatal(err)
	}
	_, before := peopleIn(t, dir)

	code, out, errOut := run(t, pw+"\n", "people", "import", csv, "--data", dir, "--dry-run")
	if code != 0 || !strings.Contains(out, "将导入 2 人，更新 0 人，无变化 0 人，拒绝 1 行") ||
		!strings.Contains(out, "第 4 行\t拒绝\t李四\t涉密等级：请选择核心、重要或一般") || !strings.Contains(out, "第 3 行\t导入\t张三") {
		t.Fatalf("dry run: %d\n%s%s", code, out, errOut)
	}
	if people, head := peopleIn(t, dir); len(people) != 0 || head != before {
		t.Fatalf("the dry run wrote: %d people, head %v → %v", len(people), before, head)
	}

	code, out, errOut = run(t, pw+"\n", "people", "import", csv, "--data", dir)
	if code != 0 || !strings.Contains(out, "已导入 2 人，更新 0 人") || !strings.Contains(out, "第 4 行\t拒绝\t李四") {
		t.Fatalf("import: %d\n%s%s", code, out, errOut)
	}
	people, afterImport := peopleIn(t, dir)
	if len(people) != 2 || people[0].Name != "张三" || people[0].StaffNumber != "A01" || people[1].Name != "王五" || people[1].Department != "档案室" {
		t.Fatalf("registered %+v", people)
	}

	// importing the same list again changes nothing, 王五 matched by 姓名 and 部门
	code, out, _ = run(t, pw+"\n", "people", "import", csv, "--data", dir, "--dry-run")
	if code != 0 || !strings.Contains(out, "按人员编号 A01 匹配，与名单中的记录相同") || !strings.Contains(out, "按姓名和部门匹配，与名单中的记录相同") {
		t.Fatalf("dry run of the second import:\n%s", out)
	}
	if code, out, _ := run(t, pw+"\n", "people", "import", csv, "--data", dir); code != 0 || !strings.Contains(out, "已导入 0 人，更新 0 人") {
		t.Fatalf("second import changed something:\n%s", out)
	}
	if _, head := peopleIn(t, dir); head != afterImport {
		t.Fatalf("second import wrote: head %v → %v", afterImport, head)
	}

	for _, name := range []string{"导出.xlsx", "导出.csv"} {
		t.Run(name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), name)
			if code, out, errOut := run(t, pw+"\n", "people", "export", file, "--data", dir); code != 0 || !strings.Contains(out, "已导出 2 人") {
				t.Fatalf("export: %d %s %s", code, out, errOut)
			}
			// into the same folder: nothing changes
			_, head := peopleIn(t, dir)
			if code, out, _ := run(t, pw+"\n", "people", "import", file, "--data", dir); code != 0 || !strings.Contains(out, "无变化 2 人") {
				t.Fatalf("re-import of the export:\n%s", out)
			}
			if _, after := peopleIn(t, dir); after != head {
				t.Errorf("re-import of the export wrote: head %v → %v", head, after)
			}
			// into a fresh folder: the same people
			fresh := initDir(t)
			if code, out, errOut := run(t, pw+"\n", "people", "import", file, "--data", fresh); code != 0 || !strings.Contains(out, "已导入 2 人") {
				t.Fatalf("import into a fresh folder: %d\n%s%s", code, out, errOut)
			}
			got, _ := peopleIn(t, fresh)
			if len(got) != len(people) {
				t.Fatalf("%d people, want %d", len(got), len(people))
			}
			for i := range got {
				got[i].KeepStored(people[i])
				got[i].UpdatedAt = people[i].UpdatedAt
				if got[i] != people[i] {
					t.Errorf("person %d\n got %+v\nwant %+v", i, got[i], people[i])
				}
			}
		})
	}
}

func TestPeopleCommandErrors(t *testing.T) {
	dir := initDir(t)
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no file", []string{"people", "import", "--data", dir}, 2, "须指定要导入的"},
		{"export to a pdf", []string{"people", "export", "x.pdf", "--data", dir}, 2, "须指定导出的 .xlsx 或 .csv 文件"},
		{"unknown subcommand", []string{"people", "list"}, 2, "未知的子命令"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := run(t, pw+"\n", tc.args...)
			if code != tc.code || !strings.Contains(errOut, tc.want) {
				t.Errorf("exit %d, %q; want %d, %q", code, errOut, tc.code, tc.want)
			}
		})
	}
}
