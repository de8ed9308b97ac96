package carriers

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"baomi/app/ui/kit"
	"baomi/data"
	"baomi/data/workspace/wstest"
	"baomi/data/xlsx"
)

// usbPlace makes a U盘 folder and has the file choosers offer only it.
func usbPlace(t *testing.T) string {
	t.Helper()
	usb := filepath.Join(t.TempDir(), "KINGSTON")
	if err := os.Mkdir(usb, 0o755); err != nil {
		t.Fatal(err)
	}
	was := kit.Places
	kit.Places = func() []kit.Place { return []kit.Place{{Name: "U盘：KINGSTON", Path: usb, Removable: true}} }
	t.Cleanup(func() { kit.Places = was })
	return usb
}

// Given a register of two carriers, when the officer exports it, the
// chooser says before anything is written that the file is itself a
// 涉密载体; the file is written where chosen, and the export is in the
// audit chain with what, how many and where (Verify passes, the shell is
// told the head moved).
func TestExportWarnsThatTheFileIsACarrierAndIsRecordedInTheAuditChain(t *testing.T) {
	usb := usbPlace(t)
	h := newHarness(t, wstest.Carrier("CZJ-2026-0001"), wstest.Carrier("CZJ-2026-0002"))
	test.Tap(h.cs.exportBtn)
	c := h.cs.chooser
	if c == nil || !c.Visible() {
		t.Fatal("导出 shows no file chooser")
	}
	shot(t, h, "export-chooser")
	texts := overlayTexts(h)
	for _, want := range []string{"导出台账（按当前筛选，共 2 件）", "本身就是涉密载体", "每次导出都记入审计记录", "U盘：KINGSTON"} {
		if !strings.Contains(texts, want) {
			t.Errorf("the export chooser lacks %q; it says:\n%s", want, texts)
		}
	}
	if outs, _ := h.ws.Outputs(t.Context()); len(outs) != 0 {
		t.Fatalf("recorded before the officer chose: %+v", outs)
	}
	changes, exported := h.changes, h.fingerprint()
	c.Confirm()
	settle(t, h)
	path := filepath.Join(usb, wstest.Unit.Name+"涉密载体台账.xlsx")
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("exported file: %v", err)
	}
	sheet, err := xlsx.Read(f, path)
	f.Close()
	if err != nil || len(sheet.Cells) < 3 {
		t.Fatalf("exported sheet %v, %v", sheet, err)
	}
	outs, err := h.ws.Outputs(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(outs) != 1 || outs[0].Way != data.OutputExport || outs[0].Document != "涉密载体台账" || outs[0].Rows != 2 || outs[0].Where != path ||
		outs[0].Fingerprint != exported {
		t.Errorf("output records %+v, want the export of 2 rows to %s", outs, path)
	}
	if _, err := h.ws.Verify(t.Context()); err != nil {
		t.Errorf("verify after the export: %v", err)
	}
	if h.changes == changes {
		t.Error("the shell was not told that the audit head moved")
	}
	if !strings.Contains(overlayTexts(h), "已导出 2 件到 "+path) {
		t.Errorf("no confirmation; dialogs:\n%s", overlayTexts(h))
	}
}

// Given an old Excel or WPS file on the U盘, choosing it to import says to
// save it as .xlsx and starts nothing; a .csv starts the import.
func TestImportOfAnXlsOrEtFileSaysToSaveItAsXlsx(t *testing.T) {
	usb := usbPlace(t)
	for name, text := range map[string]string{"旧台账.xls": "x", "WPS台账.et": "x",
		"台账.csv": "编号,名称,载体类型,密级,收到日期\nCZJ-2026-0101,年度工作要点,纸质,秘密,2026-03-05\n"} {
		if err := os.WriteFile(filepath.Join(usb, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	h := newHarness(t)
	cases := []struct {
		name, file, said string
	}{
		{"old Excel", "旧台账.xls", "这是旧版 Excel 文件（.xls），保密工作台读不了：请在 Excel 或 WPS 中打开它，另存为 .xlsx 后再导入。"},
		{"WPS sheet", "WPS台账.et", "这是 WPS 表格文件（.et），保密工作台读不了：请在 WPS 中打开它，另存为 .xlsx 后再导入。"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			test.Tap(h.cs.importBtn)
			c := h.cs.chooser
			c.SetFileName(tc.file)
			c.Confirm()
			shot(t, h, "import-refused-"+strings.TrimPrefix(filepath.Ext(tc.file), "."))
			if c.Message() != tc.said || !c.Visible() || h.cs.importer != nil {
				t.Errorf("message %q (chooser visible %v, import started %v), want %q", c.Message(), c.Visible(), h.cs.importer != nil, tc.said)
			}
			c.Cancel()
		})
	}
	test.Tap(h.cs.importBtn)
	h.cs.chooser.SetFileName("台账.csv")
	h.cs.chooser.Confirm()
	waitFor(t, "the import dialog", func() bool { return h.cs.importer != nil })
	if got := h.cs.importer.sheet.Name; !strings.Contains(got, "台账") {
		t.Errorf("import dialog of sheet %q", got)
	}
}
