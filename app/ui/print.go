package ui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"baomi/app/ui/kit"
	"baomi/data"
	"baomi/data/safefile"
)

// How a print file reaches paper is per system (printer_unix.go,
// printer_windows.go). They are variables so that tests see the command
// line that would run without printing, and choose whether this computer
// has a printer command or a PDF viewer.
var (
	// printerCommand returns the command line that sends the file at path
	// to the default printer, or an error saying in Chinese why this
	// computer cannot.
	printerCommand = systemPrinterCommand
	// runPrinter runs a command line of printerCommand.
	runPrinter = systemRunPrinter
	// hasViewer reports whether a program to open PDF files is set up.
	hasViewer = systemHasViewer
)

// errNoOutputRecord is the refusal of a print while the data is locked: a
// print that cannot be recorded in the audit chain does not leave.
var errNoOutputRecord = errors.New("no workspace to record the output")

// Print builds a document off the UI goroutine, writes it into a private
// temporary folder and offers what to do with it (printDialog). The folder
// is removed when Baomi locks or quits, so no classified list stays on
// disk.
func (a *App) Print(name string, rows int, build func(w io.Writer) error) {
	done := a.Busy("正在生成打印文件……")
	fp := "" // the code the screen printed: it read the same head now
	if a.main != nil {
		fp = a.main.fingerprint()
	}
	go func() {
		var buf bytes.Buffer
		err := build(&buf)
		var path string
		if err == nil {
			path, err = a.writePrintFile(name, buf.Bytes())
		}
		a.Do(func() {
			done()
			if err != nil {
				a.log.Printf("print %s: %v", name, err)
				dialog.ShowInformation("无法生成打印文件", data.Message(err), a.win)
				return
			}
			a.lastPrint = path
			a.printDialog = newPrintDialog(a, path, strings.TrimSuffix(name, filepath.Ext(name)), rows, fp)
		})
	}()
}

// printDialog offers, once a print file is made: 打印 to the default
// printer, 另存为 PDF where the officer chooses, 打开 in a PDF viewer when
// one is set up, and says that the temporary file goes on lock or quit.
// Each of the three is recorded first in the audit chain (an output
// record): a print that cannot be recorded does not happen, and a record
// of a print that then failed says more than a copy nobody recorded.
type printDialog struct {
	a     *App
	path  string // the temporary print file
	doc   string // what it is: 涉密载体台账
	rows  int
	popup *widget.PopUp

	fingerprint string // the 台账校验码 when the file was made

	print, saveAs, open, closeBtn *widget.Button
	status                        *widget.Label
	saver                         *kit.FileChooser // the 另存为 chooser, while shown
}

func newPrintDialog(a *App, path, doc string, rows int, fingerprint string) *printDialog {
	d := &printDialog{a: a, path: path, doc: doc, rows: rows, fingerprint: fingerprint}
	lines := []fyne.CanvasObject{kit.Heading("打印：" + doc),
		kit.Wrapped(fmt.Sprintf("打印文件已生成（%s，共 %d 件）。", filepath.Base(path), rows))}
	d.print = kit.Button(a, "打印", d.onPrint)
	d.print.Importance = widget.HighImportance
	if _, err := printerCommand(path, doc); err != nil {
		d.print.Disable()
		lines = append(lines, kit.Wrapped(data.Message(err)))
	} else {
		lines = append(lines, kit.Wrapped("打印：送到本机的默认打印机。"))
	}
	d.saveAs = kit.Button(a, "另存为 PDF……", d.onSaveAs)
	d.open = kit.Button(a, "打开", d.onOpen)
	if hasViewer() {
		lines = append(lines, kit.Wrapped("打开：在 PDF 阅读器中查看，也可以从那里打印。"))
	} else {
		d.open.Hide()
		lines = append(lines, kit.Wrapped("本机没有可以打开 PDF 的程序：请直接打印，或另存为 PDF 后在其他涉密计算机上打开。"))
	}
	warn := kit.Wrapped("另存的 PDF 文件本身就是涉密载体：只能保存在涉密计算机或涉密 U 盘上，标明密级，按载体登记管理。")
	warn.Importance = widget.WarningImportance
	lines = append(lines, warn, kit.Wrapped("临时打印文件在锁定或退出保密工作台时删除。"),
		kit.Wrapped("每次打印、另存和打开都记入审计记录。"))
	d.status = kit.Wrapped("")
	d.closeBtn = kit.Button(a, "关闭", func() { d.popup.Hide() })
	lines = append(lines, d.status,
		container.NewHBox(layout.NewSpacer(), d.print, d.saveAs, d.open, d.closeBtn))
	d.popup = kit.NewModal(a.win, container.New(kit.MinSize(fyne.NewSize(600, 0)), container.NewVBox(lines...)))
	d.popup.Show()
	d.fit()
	return d
}

// fit sizes the dialog to its content again: a wrapped label knows its
// height only once it has been laid out at the dialog's width, so the
// first layout leaves the buttons below the dialog's background.
func (d *printDialog) fit() { d.popup.Resize(d.popup.MinSize()) }

// say shows msg under the dialog's explanations, as a problem or not.
func (d *printDialog) say(msg string, problem bool) {
	d.status.Importance = widget.SuccessImportance
	if problem {
		d.status.Importance = widget.DangerImportance
	}
	d.status.SetText(msg)
	d.fit()
}

// record writes the output record of way to where and then runs work,
// both off the UI goroutine (a slow disk, a printer command that waits);
// then it says the outcome on the dialog, running done first when all
// went well.
func (d *printDialog) record(way, where, msg string, work func() error, done func() string) {
	o := data.Output{Way: way, Document: d.doc, Rows: d.rows, Where: where, Fingerprint: d.fingerprint}
	d.a.Background(msg, func(ctx context.Context) error {
		ws := d.a.workspace()
		if ws == nil {
			return data.Userf(errNoOutputRecord, "数据已锁定，无法记入审计记录，没有%s。请解锁后重新打印。", way)
		}
		if _, err := ws.RecordOutput(ctx, o); err != nil {
			return data.Userf(err, "无法记入审计记录，没有%s：%s", way, data.Message(err))
		}
		if work != nil {
			return work()
		}
		return nil
	}, func(err error) {
		if d.a.main != nil {
			d.a.main.refreshStatus() // the audit head the record moved
		}
		if err == nil {
			if said := done(); said != "" {
				d.say(said, false)
				return
			}
			err = data.Userf(errors.New("no PDF viewer"), "没有找到可以打开 PDF 的程序，请直接打印或另存为 PDF。")
		}
		d.a.log.Printf("print %s %s: %v", way, d.doc, err)
		d.say(data.Message(err), true)
	})
}

// onPrint sends the file to the default printer.
func (d *printDialog) onPrint() {
	argv, err := printerCommand(d.path, d.doc)
	if err != nil {
		d.say(data.Message(err), true)
		return
	}
	d.record(data.OutputPrint, printerName, "正在送往打印机……", func() error { return runPrinter(argv) },
		func() string { return "已送往默认打印机，请到打印机旁取走打印件。" })
}

// onSaveAs asks where to save a copy and copies the print file there.
func (d *printDialog) onSaveAs() {
	d.saver = kit.SaveFile(d.a, kit.FileOptions{Title: "另存为 PDF", Confirm: "保存", Extensions: []string{".pdf"},
		FileName: filepath.Base(d.path),
		Warning:  "另存的 PDF 文件本身就是涉密载体：只能保存在涉密计算机或涉密 U 盘上，标明密级，按载体登记管理。"},
		func(dest string) {
			d.saver = nil
			d.record(data.OutputSavePDF, dest, "正在保存……", func() error {
				b, err := os.ReadFile(d.path)
				if err != nil {
					return data.Userf(err, "临时打印文件已不在（锁定时会删除），请关闭后重新打印。")
				}
				if err := safefile.WriteCopy(dest, b); err != nil {
					return data.Userf(err, "无法保存到 %s，请检查这个位置能否写入、U 盘是否已满或已拔出。", dest)
				}
				return nil
			}, func() string { return "已保存到 " + dest + "。这份文件是涉密载体，请登记管理。" })
		})
}

// onOpen opens the file in the system's PDF viewer once the record is
// written.
func (d *printDialog) onOpen() {
	d.record(data.OutputView, "PDF 阅读器（临时文件 "+filepath.Base(d.path)+"）", "正在打开……", nil, func() string {
		if err := d.a.fa.OpenURL(&url.URL{Scheme: "file", Path: d.path}); err != nil {
			d.a.log.Printf("open %s: %v", d.path, err)
			return ""
		}
		return "已在 PDF 阅读器中打开。"
	})
}

func (a *App) writePrintFile(name string, b []byte) (string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.printDir == "" {
		dir, err := os.MkdirTemp("", "baomi-print-")
		if err != nil {
			return "", err
		}
		a.printDir = dir
	}
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>|`, r) {
			return '_'
		}
		return r
	}, name)
	p := filepath.Join(a.printDir, name)
	return p, safefile.Write(p, b, 0o600)
}

// removePrints deletes the temporary print files.
func (a *App) removePrints() {
	a.mu.Lock()
	dir := a.printDir
	a.printDir = ""
	a.mu.Unlock()
	if dir != "" {
		if err := os.RemoveAll(dir); err != nil {
			a.log.Printf("remove prints: %v", err)
		}
	}
}
