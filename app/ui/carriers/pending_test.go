package carriers

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"baomi/data"
)

// branchCSV is a branch office's register: two documents, a USB stick
// whose serial is in 备注, and a fax machine and a computer without any.
const branchCSV = "某支行涉密载体台账\n" +
	"序号,编号,文件资料名称,载体类型,密级,收到日期,份数,责任人,存放位置,备注\n" +
	"1,FH-2024-001,年度保密工作要点,纸质文件,机密★10年,2024.1.5,1,王芳,保密柜1号,\n" +
	"2,FH-2024-002,保密检查通报,纸质文件,秘密,2024.2.1,2,王芳,保密柜1号,\n" +
	"3,FH-2024-008,财务处U盘,U盘,秘密,2024.8.1,1,赵敏,保密柜3号,序列号 AA12BB34\n" +
	"4,FH-2024-011,旧传真机,传真机,秘密,2024.9.20,1,李强,机要室,\n" +
	"5,FH-2024-012,备用计算机,计算机,秘密,2024.10.8,1,赵敏,机房,SNMP 已关闭\n"

func TestImportedDevicesWithoutSerialAreAlertedFilteredAndCompletedByAnEdit(t *testing.T) {
	h := newHarness(t)
	h.sh.Window().Resize(fyne.NewSize(1280, 800))
	cs := h.cs

	// the import dialog lists the devices without serial as 待补全
	cs.startImport("支行台账.csv", fileOf(branchCSV))
	waitFor(t, "import dialog", func() bool { return cs.importer != nil })
	imp := cs.importer
	tapSettled(t, h, imp.preview)
	if want := "将导入 5 条，更新 0 条，无变化 0 条，拒绝 0 条；其中 2 条导入后信息待补全"; imp.summary.Text != want {
		t.Fatalf("dry run summary = %q, want %q", imp.summary.Text, want)
	}
	if got := imp.actions[3].Label(); got != "导入（待补全：序列号）" {
		t.Errorf("fax machine line says %q", got)
	}
	shot(t, h, "pending-1-import-preview")
	test.Tap(imp.run)
	waitFor(t, "import", func() bool { return strings.Contains(imp.summary.Text, "已导入") && idle(h) })
	if !strings.Contains(imp.summary.Text, "已导入 5 条，更新 0 条。其中 2 件载体信息待补全") {
		t.Fatalf("after import: %q", imp.summary.Text)
	}
	imp.popup.Hide()

	// the register raises the alert and filters the two
	waitAlerts(t, cs)
	if !strings.Contains(cs.alertLabel.Text, "2 件载体信息待补全") {
		t.Fatalf("alert bar = %q", cs.alertLabel.Text)
	}
	cs.pendingOnly.SetChecked(true)
	if cs.shown.Len() != 2 || cs.shown.At(0).Number != "FH-2024-011" || cs.shown.At(1).Number != "FH-2024-012" {
		t.Fatalf("待补全 filter shows %d carriers", cs.shown.Len())
	}
	if ft := cs.filterText(); ft != "待补全" {
		t.Errorf("printed filter = %q", ft)
	}
	shot(t, h, "pending-2-register-filtered")

	// the detail view names the missing field
	cs.table.Select(widget.TableCellID{Row: 0, Col: 1})
	tapSettled(t, h, cs.open)
	if cs.detail == nil || !strings.Contains(cs.detail.facts.Text, "待补全：序列号") {
		t.Fatalf("detail facts do not name the missing field")
	}
	shot(t, h, "pending-3-detail")
	cs.detail.popup.Hide()

	// an edit that fills the serial clears the flag, the alert and the row
	cs.table.Select(widget.TableCellID{Row: 0, Col: 1})
	tapSettled(t, h, cs.edit)
	f := cs.form
	f.serial.SetText("FX-2019-00042")
	tapSettled(t, h, f.ok)
	if f.popup.Visible() {
		t.Fatalf("form refused the edit: %q", f.message.Text)
	}
	got, err := h.ws.CarrierByNumber(context.Background(), "FH-2024-011")
	if err != nil || got.Pending != "" || got.Serial != "FX-2019-00042" {
		t.Fatalf("stored: pending %q, serial %q, %v", got.Pending, got.Serial, err)
	}
	waitAlerts(t, cs)
	if !strings.Contains(cs.alertLabel.Text, "1 件载体信息待补全") || cs.shown.Len() != 1 {
		t.Errorf("after the edit: alert %q, %d shown", cs.alertLabel.Text, cs.shown.Len())
	}

	// registering a device by hand still asks for its serial
	tapSettled(t, h, cs.add)
	f = cs.form
	f.title.SetText("新购U盘")
	f.kind.SetSelected(data.KindUSB)
	f.level.SetSelected("秘密")
	f.custodian.SetText("王芳")
	tapSettled(t, h, f.ok)
	if p := f.form.Problem(data.FieldSerial); p != "设备类载体必须填写序列号" {
		t.Errorf("序列号 problem = %q", p)
	}
}
