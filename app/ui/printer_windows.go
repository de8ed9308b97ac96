//go:build windows

package ui

import (
	"path/filepath"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"

	"baomi/data"
)

// printerName is where a print goes, in its output record.
const printerName = "默认打印机"

// systemPrinterCommand prints with the shell's "print" verb, as the
// Explorer's 打印 menu does: the program registered for PDF files prints
// the file on the default printer. The command line is the verb and file.
func systemPrinterCommand(path, _ string) ([]string, error) {
	return []string{"ShellExecute", "print", path}, nil
}

// systemRunPrinter calls ShellExecute with the verb; with no program that
// can print PDF files Windows refuses it.
func systemRunPrinter(argv []string) error {
	verb, err := windows.UTF16PtrFromString(argv[1])
	if err != nil {
		return err
	}
	file, err := windows.UTF16PtrFromString(argv[2])
	if err != nil {
		return err
	}
	dir, err := windows.UTF16PtrFromString(filepath.Dir(argv[2]))
	if err != nil {
		return err
	}
	if err := windows.ShellExecute(0, verb, file, nil, dir, windows.SW_HIDE); err != nil {
		return data.Userf(err, "没有能打印 PDF 的程序或默认打印机：请安装 PDF 阅读器并设置默认打印机，或另存为 PDF。")
	}
	return nil
}

// systemHasViewer reports whether a program is registered for .pdf.
func systemHasViewer() bool {
	k, err := registry.OpenKey(registry.CLASSES_ROOT, ".pdf", registry.QUERY_VALUE)
	if err != nil {
		return false
	}
	defer k.Close()
	v, _, err := k.GetStringValue("")
	return err == nil && v != ""
}
