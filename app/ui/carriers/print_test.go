package carriers

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"baomi/data"
	"baomi/data/datatest"
)

// printFrom runs a print action of the window and returns the file it
// wrote, whose name contains name.
func printFrom(t *testing.T, h *harness, name string, action func()) string {
	t.Helper()
	before := len(h.sh.Prints())
	action()
	waitFor(t, name, func() bool {
		return len(h.sh.Prints()) > before && strings.Contains(filepath.Base(h.lastPrint()), name)
	})
	return h.lastPrint()
}

// wantVerifiedCode fails the test unless every page of the PDF at path
// carries, as its 台账校验码, the code of the head Verify finds now, worked
// out from that head's hash.
func wantVerifiedCode(t *testing.T, h *harness, path string) {
	t.Helper()
	rep, err := h.ws.Verify(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := datatest.Fingerprint(rep.Head.Hash)
	pages := datatest.PDFPages(t, path)
	if len(pages) == 0 {
		t.Fatalf("%s has no page", filepath.Base(path))
	}
	for i, codes := range datatest.PrintedCodes(pages) {
		if len(codes) != 1 || codes[0] != want {
			t.Errorf("%s page %d of %d prints 台账校验码 %q, want [%s] (head #%d)",
				filepath.Base(path), i+1, len(pages), codes, want, rep.Head.Seq)
		}
	}
}

// TestEveryPrintFromTheWindowCarriesTheCurrentHeadsFingerprint prints, from
// the window, each document that carries a 台账校验码 (the register, the
// loan list, a batch's 销毁清单 and a stocktake report), each after the
// head has moved on, and reads the code back from every page: it must be
// the code of the head Verify finds at that moment.
func TestEveryPrintFromTheWindowCarriesTheCurrentHeadsFingerprint(t *testing.T) {
	// given a register of 40 carriers (two pages), one of them lent
	h, d := openRegister(t)
	d.popup.Hide()
	ws := h.ws
	var added []data.Carrier
	for i := range 39 {
		c, err := ws.AddCarrier(context.Background(), data.Carrier{Number: fmt.Sprintf("CZJ-2026-%04d", 100+i), Title: "文件",
			Kind: data.KindPaper, Level: "秘密", PeriodYears: 10, ReceivedOn: data.NewDate(2026, 3, 5), Copies: 1,
			Custodian: "李四", Location: "保密柜1号"})
		if err != nil {
			t.Fatal(err)
		}
		added = append(added, c)
	}
	if _, err := ws.Record(context.Background(), data.Event{CarrierID: added[0].ID, Kind: data.EventLend,
		On: data.NewDate(2026, 11, 20), Operator: "张保密", Borrower: "王五", Approver: "赵主任", DueOn: data.NewDate(2026, 12, 20)}); err != nil {
		t.Fatal(err)
	}
	cs := h.cs
	reloaded(t, cs)

	// when the register is printed
	path := printFrom(t, h, "台账", func() { test.Tap(cs.printReg) })
	// then each of its pages carries the current head's code
	if n := len(datatest.PDFPages(t, path)); n < 2 {
		t.Fatalf("register of 40 carriers has %d page(s), want several", n)
	}
	wantVerifiedCode(t, h, path)

	// when the loan list is printed
	path = printFrom(t, h, "借阅登记", func() { test.Tap(cs.printLoans) })
	wantVerifiedCode(t, h, path)

	// when two carriers are destroyed in one batch and its 销毁清单 printed
	for id := range cs.checked { // openRegister's click on the first row checked it
		cs.toggle(id)
	}
	cs.toggle(added[1].ID)
	cs.toggle(added[2].ID)
	test.Tap(cs.batchDestroy)
	f := cs.batchForm
	f.method.SetSelected("粉碎")
	test.Type(f.place, "保密室")
	test.Type(f.approver, "赵主任")
	test.Type(f.witness, "钱七")
	tapSettled(t, h, f.ok)
	if f.popup.Visible() {
		t.Fatalf("batch destruction not recorded: %q", f.message.Text)
	}
	if len(cs.destructionDoc.Items) != 2 {
		t.Fatalf("销毁清单 lists %d carriers, want 2", len(cs.destructionDoc.Items))
	}
	path = printFrom(t, h, "销毁清单", cs.printDestructionList) // what the dialog's 确定 runs
	wantVerifiedCode(t, h, path)

	// when a stocktake of 保密柜1号 is recorded and its report printed
	st := h.stocktake()
	st.scope.SetSelected(scopeLocation)
	settle(t, h)
	st.value.SetSelected("保密柜1号")
	tapSettled(t, h, st.start)
	test.Type(st.scan, added[3].Number)
	st.scan.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	test.Tap(st.finish)
	waitFor(t, "stocktake recorded", func() bool { return strings.Contains(st.result.Text, "清点已登记") })
	path = printFrom(t, h, "清点报告", func() { test.Tap(st.printBtn) })
	wantVerifiedCode(t, h, path)
}
