package people

import (
	"strings"
	"testing"

	"baomi/app/ui/kit/kittest"
	"baomi/data"
	"baomi/data/datatest"
)

func TestLeavingIsRefusedWhileACarrierIsHeldThenAllowedWithAnOverride(t *testing.T) {
	h := newHarness(t, person("李四", "002", "财务处", data.SecrecyCore))
	if _, err := h.ws.AddCarrier(t.Context(), datatest.NewCarrier("H-1")); err != nil { // 责任人 李四
		t.Fatal(err)
	}
	if !h.ps.leave.Disabled() {
		t.Error("离岗 is enabled with nobody selected")
	}
	h.ps.table.SelectRow(0)
	if h.ps.leave.Disabled() {
		t.Fatal("离岗 is disabled with a person on the post selected")
	}
	h.tap(t, h.ps.leave)
	d := h.ps.leaving
	if d.form.Shown(data.FieldApprover) {
		t.Error("批准人 is shown before any carrier was found held")
	}
	d.reminderBy.SetText("保密办 王芳")
	h.tap(t, d.ok)
	if !d.popup.Visible() {
		t.Fatal("the dialog closed although 李四 still holds H-1")
	}
	if got := d.form.Problem(data.FieldHeldCarriers); !strings.Contains(got, "H-1 关于加强保密管理工作的通知") {
		t.Errorf("the carriers held read %q, want H-1 listed", got)
	}
	if !d.form.Shown(data.FieldApprover) || !d.form.Shown(data.FieldReason) {
		t.Error("the override fields are not shown after the refusal")
	}
	kittest.Shot(t, h.sh.Window(), "people-leave-refused")
	if p := h.stored(t)[0]; p.State != data.PersonOnPost || !p.LeftOn.IsZero() {
		t.Fatalf("a refused leaving changed the person: %+v", p)
	}

	d.approver.SetText("赵主任")
	d.reason.SetText("载体由王五代管，三日内交回")
	h.tap(t, d.ok)
	if d.popup.Visible() {
		t.Fatalf("the dialog stays open after an approved leaving: %s", d.message.Text)
	}
	p := h.stored(t)[0]
	if p.State != data.PersonInExitPeriod || p.LeftOn != data.Today() {
		t.Errorf("after leaving: %+v", p)
	}
	events, err := h.ws.PersonEvents(t.Context(), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if last := events[len(events)-1]; last.Kind != data.PersonEventLeave || last.Approver != "赵主任" || last.ReminderBy != "保密办 王芳" {
		t.Errorf("the leaving recorded: %+v", last)
	}
	if h.cell(0, "状态") != data.PersonInExitPeriod || !h.ps.leave.Disabled() {
		t.Errorf("the register shows %s with 离岗 enabled %v", h.cell(0, "状态"), !h.ps.leave.Disabled())
	}

	h.tap(t, h.ps.edit)
	h.tap(t, h.ps.form.history)
	lines := h.ps.history.lines
	if len(lines) != 2 || !strings.Contains(lines[0], "登记") || !strings.Contains(lines[1], "离岗") ||
		!strings.Contains(lines[1], "批准人 赵主任") || !strings.Contains(lines[1], "保密办 王芳") || !strings.Contains(lines[1], "H-1") {
		t.Errorf("经历 lists %q, want the 登记 and the approved 离岗", lines)
	}
	kittest.Shot(t, h.sh.Window(), "people-history")
}
