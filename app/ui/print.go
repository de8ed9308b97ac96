package ui

import (
	"bytes"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2/dialog"

	"baomi/data"
	"baomi/data/safefile"
)

// Print builds a document off the UI goroutine, writes it into a private
// temporary folder and opens it in the system viewer, from which the
// officer prints. The folder is removed when Baomi locks or quits, so no
// classified list stays on disk.
func (a *App) Print(name string, build func(w io.Writer) error) {
	done := a.Busy("正在生成打印文件……")
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
			if err := a.fa.OpenURL(&url.URL{Scheme: "file", Path: path}); err != nil {
				a.log.Printf("open %s: %v", path, err)
				dialog.ShowInformation("无法打开打印文件", "没有找到可以打开 PDF 的程序。文件在："+path, a.win)
			}
		})
	}()
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
