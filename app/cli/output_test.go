package cli

import (
	"path/filepath"
	"testing"

	"baomi/data"
	"baomi/data/workspace"
)

// Given a register, `baomi carriers export` and `baomi print register`
// each leave an output record in the audit chain (what, how many rows,
// the absolute path, the filter, the code printed) and Verify passes.
func TestExportAndPrintFromTheCommandLineAreRecordedInTheAuditChain(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	if code, _, e := run(t, pw+"\n", "init", "--data", dir, "--unit", "某县档案局", "--code", "DAJ"); code != 0 {
		t.Fatal(e)
	}
	ws, err := workspace.Unlock(dir, pw, workspace.Config{NoGuard: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, lv := range []string{"机密", "秘密"} {
		if _, err := ws.AddCarrier(t.Context(), data.Carrier{Number: "DAJ-" + lv, Title: "档案", Kind: data.KindPaper, Level: lv,
			PeriodYears: 10, ReceivedOn: data.NewDate(2026, 1, 2), Copies: 1, Custodian: "赵六"}); err != nil {
			t.Fatal(err)
		}
	}
	before := ws.Head().Fingerprint()
	ws.Close()
	out := t.TempDir()
	xl, pdfFile := filepath.Join(out, "台账.xlsx"), filepath.Join(out, "台账.pdf")
	if code, _, e := run(t, pw+"\n", "carriers", "export", xl, "--data", dir, "--level", "机密"); code != 0 {
		t.Fatal(e)
	}
	if code, _, e := run(t, pw+"\n", "print", "register", "--data", dir, "--out", pdfFile); code != 0 {
		t.Fatal(e)
	}
	ws, err = workspace.Unlock(dir, pw, workspace.Config{NoGuard: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	outs, err := ws.Outputs(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(outs) != 2 {
		t.Fatalf("output records %+v, want the export and the print", outs)
	}
	byWay := map[string]data.Output{}
	for _, o := range outs {
		byWay[o.Way] = o
	}
	if e := byWay[data.OutputExport]; e.Rows != 1 || e.Where != xl || e.Filter == "" || e.Fingerprint != before {
		t.Errorf("export record %+v, want 1 row to %s with its filter and code %s", e, xl, before)
	}
	if p := byWay[data.OutputSavePDF]; p.Rows != 2 || p.Where != pdfFile || p.Document != "涉密载体台账" {
		t.Errorf("print record %+v, want 2 rows to %s", p, pdfFile)
	}
	if _, err := ws.Verify(t.Context()); err != nil {
		t.Errorf("verify: %v", err)
	}
}
