package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"baomi/app/version"
	"baomi/data"
)

// unlocked returns an App on a set-up folder, unlocked, its main window
// working on the checked store.
func unlocked(t *testing.T) *App {
	t.Helper()
	a := newTestApp(t, setUpFolder(t))
	test.Type(a.unlock.password, testPassword)
	test.Tap(a.unlock.unlock)
	waitLive(t, a)
	return a
}

// Given the settings page at a hand-over, when the officer's name and the
// superior are changed and confirmed, then the confirmation named each
// change and who records it, the store has the new unit under one more
// audit entry, later entries name the new officer, and the status bar
// shows the new officer at once.
func TestUnitEditedInSettingsIsAuditedAndShownInTheStatusBar(t *testing.T) {
	a := unlocked(t)
	ws := a.workspace()
	oldOfficer := a.unit.Officer
	navTo(t, a, "设置")
	s := a.main.settings
	// an empty officer is refused on its field, with nothing saved
	s.officer.SetText(" ")
	test.Tap(s.unitBtn)
	if p := s.unitForm.Problem(data.FieldOfficer); p != "必须填写" {
		t.Fatalf("empty officer: problem %q", p)
	}
	if s.unitConfirm != nil {
		t.Fatal("an invalid unit was offered for confirmation")
	}
	before := ws.Head()
	s.officer.SetText("李新")
	s.superior.SetText("某市国家保密局（新）")
	test.Tap(s.unitBtn)
	if s.unitConfirm == nil || !s.unitConfirm.Visible() {
		t.Fatal("no confirmation before changing the unit")
	}
	confirm := labelText(s.unitConfirm.Content)
	for _, want := range []string{"保密员：" + oldOfficer + " → 李新", "上级单位：", "操作人“" + oldOfficer + "”"} {
		if !strings.Contains(confirm, want) {
			t.Errorf("confirmation %q lacks %q", confirm, want)
		}
	}
	if strings.Contains(confirm, data.FieldUnitName+"：") {
		t.Errorf("confirmation lists an unchanged field: %q", confirm)
	}
	tapSettled(t, a, s.unitGo)
	u, err := ws.Unit(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if u.Officer != "李新" || u.Superior != "某市国家保密局（新）" || u.CreatedAt.IsZero() {
		t.Errorf("stored unit %+v", u)
	}
	if after := ws.Head(); after.Seq != before.Seq+1 {
		t.Errorf("audit head went from #%d to #%d, want one entry for the unit", before.Seq, after.Seq)
	}
	if !strings.Contains(s.unitMsg.Text, "已保存") || !strings.Contains(s.unitMsg.Text, "保密员："+oldOfficer+" → 李新") {
		t.Errorf("result message %q", s.unitMsg.Text)
	}
	if ws.Operator() != "李新" {
		t.Errorf("later audit entries name %q, want the new officer", ws.Operator())
	}
	if !strings.Contains(a.main.status.Text, "保密员：李新") {
		t.Errorf("status bar %q does not show the new officer", a.main.status.Text)
	}
	if _, err := ws.Store.Verify(context.Background()); err != nil {
		t.Errorf("verify after the change: %v", err)
	}
}

// Given the settings page, the 关于 card names the version `baomi version`
// prints.
func TestSettingsAboutShowsTheVersion(t *testing.T) {
	a := unlocked(t)
	navTo(t, a, "设置")
	if got := a.main.settings.about.Text; !strings.Contains(got, "版本 "+version.String()) {
		t.Errorf("关于 = %q, want the version %q", got, version.String())
	}
}
