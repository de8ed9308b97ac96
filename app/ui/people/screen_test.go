package people

import (
	"slices"
	"strings"
	"testing"
	"time"

	"baomi/app/ui/kit"
	"baomi/app/ui/kit/kittest"
	"baomi/data"
)

func TestAPersonWithoutANameIsRefusedOnTheFieldThenRegistered(t *testing.T) {
	h := newHarness(t)
	h.tap(t, h.ps.add)
	f := h.ps.form
	if f == nil || !f.popup.Visible() {
		t.Fatalf("the 登记 form is not shown; log: %v", h.sh.Logs())
	}
	for _, label := range []string{data.FieldName, data.FieldSecrecyLevel, data.FieldPersonState} {
		if !f.form.Required(label) {
			t.Errorf("%s is not marked required", label)
		}
	}
	f.level.SetSelected(data.SecrecyImportant)
	f.department.SetText("办公室")
	h.tap(t, f.ok)
	if got := f.form.Problem(data.FieldName); got == "" {
		t.Errorf("姓名 left empty shows no problem on its field")
	}
	if !f.popup.Visible() {
		t.Errorf("the form closed on a refused save")
	}
	if n := len(h.stored(t)); n != 0 {
		t.Fatalf("a person without a name was saved: %d stored", n)
	}

	f.name.SetText("张三")
	if got := f.form.Problem(data.FieldName); got != "" {
		t.Errorf("姓名 typed in still shows %q", got)
	}
	h.tap(t, f.ok)
	if f.popup.Visible() {
		t.Fatalf("the form stays open after saving: %s", f.message.Text)
	}
	stored := h.stored(t)
	if len(stored) != 1 || stored[0].Name != "张三" || stored[0].State != data.PersonOnPost {
		t.Fatalf("stored %+v, want 张三 在岗", stored)
	}
	if got := h.names(); !slices.Equal(got, []string{"张三"}) {
		t.Errorf("rows %v, want [张三]", got)
	}
	if got := h.ps.count.Text; got != "共 1 人" {
		t.Errorf("count %q, want 共 1 人", got)
	}
	if h.ps.empty.Visible() {
		t.Errorf("the empty-register text stays shown over a person")
	}
}

func TestALeftStateAsksForTheLeavingDate(t *testing.T) {
	h := newHarness(t)
	h.tap(t, h.ps.add)
	f := h.ps.form
	if f.form.Shown(data.FieldLeftOn) || f.form.Required(data.FieldLeftOn) {
		t.Fatalf("a person on the post is asked for a 离岗日期")
	}
	f.state.SetSelected(data.PersonInExitPeriod)
	if !f.form.Shown(data.FieldLeftOn) || !f.form.Required(data.FieldLeftOn) {
		t.Fatalf("a person in the 脱密期 is not asked for a 离岗日期 (shown %v, required %v)",
			f.form.Shown(data.FieldLeftOn), f.form.Required(data.FieldLeftOn))
	}
	f.name.SetText("李四")
	f.level.SetSelected(data.SecrecyCore)
	h.tap(t, f.ok)
	if got := f.form.Problem(data.FieldLeftOn); got == "" {
		t.Errorf("a 脱密期中 person without a 离岗日期 shows no problem on it")
	}
	if n := len(h.stored(t)); n != 0 {
		t.Fatalf("saved without a 离岗日期: %d stored", n)
	}
}

func TestEditingAPersonKeepsItsRecord(t *testing.T) {
	h := newHarness(t, person("张三", "001", "办公室", data.SecrecyImportant))
	before := h.stored(t)[0]
	h.ps.table.SelectRow(0)
	if h.ps.edit.Disabled() {
		t.Fatal("修改 is disabled with a person selected")
	}
	h.tap(t, h.ps.edit)
	f := h.ps.form
	if got := f.name.Text; got != "张三" {
		t.Fatalf("the form shows 姓名 %q, want 张三", got)
	}
	f.post.SetText("保密员")
	h.tap(t, f.ok)
	if f.popup.Visible() {
		t.Fatalf("the form stays open after saving: %s", f.message.Text)
	}
	after := h.stored(t)
	if len(after) != 1 {
		t.Fatalf("%d people stored after an edit, want 1", len(after))
	}
	if a := after[0]; a.ID != before.ID || !a.CreatedAt.Equal(before.CreatedAt) || a.Post != "保密员" || a.StaffNumber != "001" {
		t.Errorf("after the edit %+v; before %+v", a, before)
	}
	if got := h.cell(0, "职务"); got != "保密员" {
		t.Errorf("the row shows 职务 %q, want 保密员", got)
	}
	if h.ps.table.Selected() != 0 {
		t.Errorf("the edited person is not selected after the save (row %d)", h.ps.table.Selected())
	}
}

func TestSearchFindsByNameAndPinyin(t *testing.T) {
	h := newHarness(t, person("张三", "001", "办公室", data.SecrecyImportant),
		person("李四", "002", "财务处", data.SecrecyCore), person("王五", "003", "办公室", data.SecrecyGeneral))
	tests := []struct {
		name, query string
		want        []string
	}{
		{"pinyin initials", "ls", []string{"李四"}},
		{"upper-case initials", "WW", []string{"王五"}},
		{"whole pinyin", "zhangsan", []string{"张三"}},
		{"the name", "王五", []string{"王五"}},
		{"a department's initials", "bgs", []string{"张三", "王五"}},
		{"nobody", "zl", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.ps.search.SetText(tt.query)
			got := h.names()
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("%q finds %v, want %v", tt.query, got, tt.want)
			}
		})
	}
	if !h.ps.empty.Visible() || h.ps.empty.Text != noMatch {
		t.Errorf("no match shows %q (visible %v), want %q", h.ps.empty.Text, h.ps.empty.Visible(), noMatch)
	}
	h.ps.clear.OnTapped()
	if got := len(h.names()); got != 3 || h.ps.search.Text != "" {
		t.Errorf("清除筛选 leaves %d rows and search %q", got, h.ps.search.Text)
	}
}

func TestFiltersByLevelDepartmentAndState(t *testing.T) {
	left := person("赵六", "004", "财务处", data.SecrecyCore)
	left.State, left.LeftOn = data.PersonInExitPeriod, data.DateOf(time.Now().AddDate(0, 0, -30))
	h := newHarness(t, person("张三", "001", "办公室", data.SecrecyImportant),
		person("李四", "002", "财务处", data.SecrecyCore), person("王五", "003", "办公室", data.SecrecyGeneral), left)
	if got := h.ps.department.Options; !slices.Equal(got, []string{all, "办公室", "财务处"}) {
		t.Errorf("部门 choices %v", got)
	}
	tests := []struct {
		name               string
		dept, level, state string
		want               []string
	}{
		{"涉密等级 核心", all, data.SecrecyCore, all, []string{"李四", "赵六"}},
		{"涉密等级 一般", all, data.SecrecyGeneral, all, []string{"王五"}},
		{"部门 办公室", "办公室", all, all, []string{"张三", "王五"}},
		{"状态 脱密期中", all, all, data.PersonInExitPeriod, []string{"赵六"}},
		{"财务处 and 核心 and 在岗", "财务处", data.SecrecyCore, data.PersonOnPost, []string{"李四"}},
		{"all", all, all, all, []string{"张三", "李四", "王五", "赵六"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.ps.department.SetSelected(tt.dept)
			h.ps.level.SetSelected(tt.level)
			h.ps.state.SetSelected(tt.state)
			got, want := h.names(), slices.Clone(tt.want)
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("shows %v, want %v", got, want)
			}
			if c := h.ps.count.Text; c != "共 "+kit.Itoa(len(want))+" 人" {
				t.Errorf("count %q for %d rows", c, len(want))
			}
		})
	}
	h.ps.state.SetSelected(data.PersonInExitPeriod)
	if got, want := h.cell(0, "脱密期止"), left.ExitEnd(data.DefaultExitPeriods()).Chinese(); got != want || !strings.HasSuffix(got, "日") {
		t.Errorf("赵六's 脱密期止 shows %q, want %q", got, want)
	}
	h.ps.state.SetSelected(data.PersonOnPost)
	if got := h.cell(0, "脱密期止"); got != "" {
		t.Errorf("a person on the post shows 脱密期止 %q", got)
	}
}

func TestAnEmptyRegisterSaysHowToBegin(t *testing.T) {
	h := newHarness(t)
	if !h.ps.empty.Visible() || h.ps.empty.Text != emptyRegister {
		t.Errorf("an empty register shows %q (visible %v), want %q", h.ps.empty.Text, h.ps.empty.Visible(), emptyRegister)
	}
	if emptyRegister != "还没有涉密人员。点“登记人员”登记第一位。" {
		t.Errorf("the empty-register text is %q", emptyRegister)
	}
	if got := h.ps.count.Text; got != "共 0 人" {
		t.Errorf("count %q", got)
	}
	kittest.Shot(t, h.sh.Window(), "people-empty")
}

func TestShotsOfThePeopleRegisterAndItsForm(t *testing.T) {
	left := person("赵六", "004", "财务处", data.SecrecyCore)
	left.State, left.LeftOn, left.Gender = data.PersonInExitPeriod, data.NewDate(2025, 6, 30), data.GenderMale
	zhang := person("张三", "001", "办公室", data.SecrecyImportant)
	zhang.Gender = data.GenderMale
	li := person("李四", "002", "财务处", data.SecrecyCore)
	li.Gender, li.Post = data.GenderFemale, "会计"
	wang := person("王五", "003", "信息中心", data.SecrecyGeneral)
	wang.Post = "网络管理员"
	h := newHarness(t, zhang, li, wang, left)
	h.ps.table.SelectRow(1)
	kittest.Shot(t, h.sh.Window(), "people-register")
	h.tap(t, h.ps.edit)
	h.ps.form.state.SetSelected(data.PersonLeft)
	h.ps.form.name.SetText("")
	h.tap(t, h.ps.form.ok)
	kittest.Shot(t, h.sh.Window(), "people-form")
	if h.ps.form.form.Problem(data.FieldName) == "" || h.ps.form.form.Problem(data.FieldLeftOn) == "" {
		t.Errorf("the form shows no problem on 姓名 and 离岗日期")
	}
}
