package cli

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"baomi/data"
	"baomi/data/datatest"
	"baomi/data/workspace"
)

// verifiedHash returns the hash of the audit head of the store in dir, as
// Verify finds it at the end of the chain.
func verifiedHash(t *testing.T, dir string) string {
	t.Helper()
	ws, err := workspace.Unlock(dir, pw, workspace.Config{NoGuard: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	rep, err := ws.Store.Verify(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return rep.Head.Hash
}

// TestPrintedRegisterCarriesTheHeadsFingerprintOnEveryPage prints a
// register of several pages with `baomi print register` and reads the
// 台账校验码 back from the PDF: every page must carry the code of the head
// Verify finds, worked out from that head's hash, and so must the line the
// command prints.
func TestPrintedRegisterCarriesTheHeadsFingerprintOnEveryPage(t *testing.T) {
	// given a register of 40 carriers, one of them lent (so that the head
	// is an event, not the last carrier added)
	dir := filepath.Join(t.TempDir(), "data")
	if code, _, e := run(t, pw+"\n", "init", "--data", dir, "--unit", "某县档案局", "--code", "DAJ"); code != 0 {
		t.Fatal(e)
	}
	ws, err := workspace.Unlock(dir, pw, workspace.Config{NoGuard: true})
	if err != nil {
		t.Fatal(err)
	}
	var first data.Carrier
	for i := range 40 {
		c, err := ws.AddCarrier(t.Context(), data.Carrier{Number: fmt.Sprintf("DAJ-%03d", i+1), Title: "档案", Kind: data.KindPaper,
			Level: "秘密", PeriodYears: 10, ReceivedOn: data.NewDate(2026, 1, 2), Copies: 1, Custodian: "赵六"})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = c
		}
	}
	if _, err := ws.Record(t.Context(), data.Event{CarrierID: first.ID, Kind: data.EventLend, On: data.NewDate(2026, 11, 20),
		Operator: "赵六", Borrower: "王五", Approver: "钱主任", DueOn: data.NewDate(2026, 12, 20)}); err != nil {
		t.Fatal(err)
	}
	ws.Close()
	want := datatest.Fingerprint(verifiedHash(t, dir))
	// when it is printed from the command line
	out := filepath.Join(t.TempDir(), "台账.pdf")
	code, stdout, errOut := run(t, pw+"\n", "print", "register", "--data", dir, "--out", out)
	if code != 0 {
		t.Fatalf("print: exit %d: %s%s", code, stdout, errOut)
	}
	// then the command says the head's code
	if !strings.Contains(stdout, "（台账校验码 "+want+"）") {
		t.Errorf("print says %q, want the code %s", stdout, want)
	}
	// and every page of the PDF carries it, and nothing else as the code
	pages := datatest.PDFPages(t, out)
	if len(pages) < 2 {
		t.Fatalf("%d page(s) for 40 carriers: the test wants several pages", len(pages))
	}
	for i, codes := range datatest.PrintedCodes(pages) {
		if len(codes) != 1 || codes[0] != want {
			t.Errorf("page %d of %d prints 台账校验码 %q, want [%s] (the verified head's)", i+1, len(pages), codes, want)
		}
	}
	// and printing changed the store by one output record only (#9: every
	// print is in the audit chain), which keeps the code printed
	if got := datatest.Fingerprint(verifiedHash(t, dir)); got == want {
		t.Errorf("head after printing %s is the one before: the print is not recorded", got)
	}
	ws, err = workspace.Unlock(dir, pw, workspace.Config{NoGuard: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	outs, err := ws.Outputs(t.Context())
	if err != nil || len(outs) != 1 || outs[0].Fingerprint != want || outs[0].Rows != 40 {
		t.Errorf("output records %+v, %v; want the print of 40 rows with code %s", outs, err, want)
	}
}
