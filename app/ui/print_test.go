//go:build !windows

package ui

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"baomi/app/ui/kit"
	"baomi/app/ui/kit/kittest"
	"baomi/data"
)

// printer stands for this computer's printing: lp where has says, a PDF
// viewer when viewer, and the command lines that would have run.
type printer struct{ ran [][]string }

func fakePrinter(t *testing.T, lp, viewer bool) *printer {
	t.Helper()
	p := &printer{}
	wasLook, wasRun, wasView := lookPath, runPrinter, hasViewer
	lookPath = func(name string) (string, error) {
		if name == "lp" && lp {
			return "/usr/bin/lp", nil
		}
		return "", errors.New("not found")
	}
	runPrinter = func(argv []string) error { p.ran = append(p.ran, argv); return nil }
	hasViewer = func() bool { return viewer }
	t.Cleanup(func() { lookPath, runPrinter, hasViewer = wasLook, wasRun, wasView })
	return p
}

// printRegister unlocks the folder and prints a three-carrier document,
// returning the app once the print dialog is shown.
func printRegister(t *testing.T) *App {
	t.Helper()
	a := newTestApp(t, setUpFolder(t))
	test.Type(a.unlock.password, testPassword)
	test.Tap(a.unlock.unlock)
	waitLive(t, a)
	a.Print("涉密载体台账.pdf", 3, func(w io.Writer) error { _, err := io.WriteString(w, "%PDF-1.4 test"); return err })
	waitFor(t, "the print dialog", func() bool { return a.printDialog != nil })
	return a
}

// outputs returns the output records of a's open data.
func outputs(t *testing.T, a *App) []data.Output {
	t.Helper()
	list, err := a.workspace().Outputs(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// Given a computer with lp and no PDF viewer, when a document is printed,
// a dialog offers 打印 and 另存为 PDF (no 打开), says the copy is a 涉密载体
// and that the temporary file goes on lock or quit; 打印 runs
// "lp -t <title> -- <file>", is recorded in the audit chain with what, how
// many and where, and Verify passes.
func TestPrintDialogSendsTheFileToTheDefaultPrinterAndRecordsIt(t *testing.T) {
	p := fakePrinter(t, true, false)
	a := printRegister(t)
	d := a.printDialog
	kittest.Shot(t, a.win, "print-dialog")
	defer func() { kittest.Shot(t, a.win, "print-dialog-printed") }()
	texts := kittest.OverlayTexts(a.win)
	for _, want := range []string{"打印：涉密载体台账", "共 3 件", "打印：送到本机的默认打印机。", "本身就是涉密载体",
		"临时打印文件在锁定或退出保密工作台时删除。", "本机没有可以打开 PDF 的程序"} {
		if !strings.Contains(texts, want) {
			t.Errorf("the print dialog lacks %q; it says:\n%s", want, texts)
		}
	}
	if d.open.Visible() || d.print.Disabled() {
		t.Errorf("打开 visible %v with no viewer, 打印 disabled %v with lp", d.open.Visible(), d.print.Disabled())
	}
	printed := a.workspace().Head().Fingerprint() // the code on the paper
	test.Tap(d.print)
	settle(t, a)
	if want := [][]string{{"/usr/bin/lp", "-t", "涉密载体台账", "--", a.lastPrint}}; !slices.EqualFunc(p.ran, want, slices.Equal) {
		t.Errorf("ran %q, want %q", p.ran, want)
	}
	if !strings.Contains(d.status.Text, "已送往默认打印机") {
		t.Errorf("status %q", d.status.Text)
	}
	list := outputs(t, a)
	if len(list) != 1 || list[0].Way != data.OutputPrint || list[0].Document != "涉密载体台账" || list[0].Rows != 3 ||
		list[0].Where != "默认打印机（lp）" || list[0].Fingerprint != printed {
		t.Errorf("output records %+v, want the print", list)
	}
	if _, err := a.workspace().Verify(t.Context()); err != nil {
		t.Errorf("verify after the print: %v", err)
	}
	if head := "审计链 #" + strconv.FormatUint(a.workspace().Head().Seq, 10); !strings.Contains(a.main.status.Text, head) {
		t.Errorf("status bar %q does not show the new head %s", a.main.status.Text, head)
	}
}

// Given a computer without lp, 打印 is disabled with the sentence saying
// why and what to do, and 另存为 PDF copies the file where the officer
// chooses (a U盘 offered among the places), recorded with its path.
func TestPrintDialogWithoutAPrinterSavesAsPDFAndRecordsWhere(t *testing.T) {
	fakePrinter(t, false, false)
	usb := filepath.Join(t.TempDir(), "KINGSTON")
	if err := os.Mkdir(usb, 0o755); err != nil {
		t.Fatal(err)
	}
	was := kit.Places
	kit.Places = func() []kit.Place { return []kit.Place{{Name: "U盘：KINGSTON", Path: usb, Removable: true}} }
	t.Cleanup(func() { kit.Places = was })
	a := printRegister(t)
	d := a.printDialog
	if !d.print.Disabled() || !strings.Contains(kittest.OverlayTexts(a.win), "本机没有打印命令 lp（CUPS），不能直接打印") {
		t.Fatalf("打印 disabled %v; dialog:\n%s", d.print.Disabled(), kittest.OverlayTexts(a.win))
	}
	test.Tap(d.saveAs)
	if d.saver == nil || d.saver.Folder() != usb {
		t.Fatalf("another 另存为 chooser: %+v", d.saver)
	}
	kittest.Shot(t, a.win, "print-save-as")
	if !strings.Contains(kittest.OverlayTexts(a.win), "另存的 PDF 文件本身就是涉密载体") {
		t.Errorf("the save chooser does not warn")
	}
	d.saver.Confirm()
	settle(t, a)
	dest := filepath.Join(usb, "涉密载体台账.pdf")
	if b, err := os.ReadFile(dest); err != nil || string(b) != "%PDF-1.4 test" {
		t.Fatalf("saved copy %q, %v", b, err)
	}
	list := outputs(t, a)
	if len(list) != 1 || list[0].Way != data.OutputSavePDF || list[0].Where != dest || list[0].Rows != 3 {
		t.Errorf("output records %+v, want the save to %s", list, dest)
	}
	if !strings.Contains(d.status.Text, "已保存到 "+dest) {
		t.Errorf("status %q", d.status.Text)
	}
}

// Given a PDF viewer, 打开 is offered, opens the file and is recorded.
func TestPrintDialogOpensTheViewerWhenThereIsOne(t *testing.T) {
	fakePrinter(t, true, true)
	a := printRegister(t)
	d := a.printDialog
	if !d.open.Visible() {
		t.Fatal("打开 hidden with a viewer")
	}
	test.Tap(d.open)
	settle(t, a)
	list := outputs(t, a)
	if len(list) != 1 || list[0].Way != data.OutputView {
		t.Errorf("output records %+v, want the opening", list)
	}
	if !strings.Contains(d.status.Text, "已在 PDF 阅读器中打开") {
		t.Errorf("status %q", d.status.Text)
	}
}

// script writes an executable shell script named name into a temporary
// folder and returns its path.
func script(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body+"\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	return p
}

// The printer command's complaints become sentences saying what to do:
// no default printer is the common one on a new Kylin desktop.
func TestPrinterCommandFailuresSayWhatToDo(t *testing.T) {
	cases := []struct {
		name, body, want string
	}{
		{"prints", `exit 0`, ""},
		{"no default printer", `echo "lp: Error - no default destination available." >&2; exit 1`, "没有设置默认打印机：请在系统的打印机设置中设一台默认打印机后再打印。"},
		{"queue stopped", `echo "lp: Destination \"HP\" is not accepting jobs." >&2; exit 1`, "打印没有成功（lp: Destination \"HP\" is not accepting jobs.）：请检查打印机是否开着、是否已设为默认打印机。"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := systemRunPrinter([]string{script(t, "lp", c.body), "-t", "台账", "--", "/tmp/x.pdf"})
			if got := data.Message(err); got != c.want {
				t.Errorf("message %q, want %q", got, c.want)
			}
		})
	}
}

// A PDF viewer is offered when xdg-open is there and xdg-mime names a
// program for PDF files.
func TestViewerIsOfferedOnlyWhenAProgramOpensPDF(t *testing.T) {
	cases := []struct {
		name    string
		open    bool
		mime    string // xdg-mime's answer; "-" for no xdg-mime
		offered bool
	}{
		{"evince set up", true, "org.gnome.Evince.desktop", true},
		{"nothing for PDF", true, "", false},
		{"no xdg-open", false, "org.gnome.Evince.desktop", false},
		{"no xdg-mime", true, "-", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			was := lookPath
			t.Cleanup(func() { lookPath = was })
			mime := script(t, "xdg-mime", "echo '"+c.mime+"'")
			lookPath = func(name string) (string, error) {
				switch {
				case name == "xdg-open" && c.open:
					return "/usr/bin/xdg-open", nil
				case name == "xdg-mime" && c.mime != "-":
					return mime, nil
				}
				return "", errors.New("not found")
			}
			if got := systemHasViewer(); got != c.offered {
				t.Errorf("viewer offered %v, want %v", got, c.offered)
			}
		})
	}
}
