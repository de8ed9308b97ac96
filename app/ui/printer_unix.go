//go:build !windows

package ui

import (
	"bytes"
	"fmt"
	"os/exec"
	"strings"

	"baomi/data"
)

// printerName is where a print goes, in its output record.
const printerName = "默认打印机（lp）"

// lookPath finds a program; tests replace it.
var lookPath = exec.LookPath

// systemPrinterCommand sends the file with CUPS' lp, which Linux and Kylin
// desktops use for printing: lp -t <title> -- <file> prints on the default
// printer.
func systemPrinterCommand(path, title string) ([]string, error) {
	lp, err := lookPath("lp")
	if err != nil {
		return nil, data.Userf(err, "本机没有打印命令 lp（CUPS），不能直接打印：请安装并设置打印机，或另存为 PDF 后在连接打印机的涉密计算机上打印。")
	}
	return []string{lp, "-t", title, "--", path}, nil
}

// systemRunPrinter runs the command line and turns its complaint (no
// default printer, a stopped queue) into a sentence.
func systemRunPrinter(argv []string) error {
	var out bytes.Buffer
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		said := strings.TrimSpace(out.String())
		err = fmt.Errorf("%s: %w: %s", strings.Join(argv, " "), err, said)
		if strings.Contains(said, "no default destination") {
			return data.Userf(err, "没有设置默认打印机：请在系统的打印机设置中设一台默认打印机后再打印。")
		}
		return data.Userf(err, "打印没有成功（%s）：请检查打印机是否开着、是否已设为默认打印机。", said)
	}
	return nil
}

// systemHasViewer reports whether xdg-open has a program for PDF files.
func systemHasViewer() bool {
	if _, err := lookPath("xdg-open"); err != nil {
		return false
	}
	mime, err := lookPath("xdg-mime")
	if err != nil {
		return true // xdg-open may still find one; opening says when not
	}
	out, err := exec.Command(mime, "query", "default", "application/pdf").Output()
	return err == nil && len(bytes.TrimSpace(out)) > 0
}
