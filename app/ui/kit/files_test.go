package kit_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"baomi/app/ui/kit"
	"baomi/app/ui/kit/kittest"
	"baomi/data"
)

// testPlaces makes 桌面, 文档 and a U盘 under a temporary folder and has
// the choosers offer them.
func testPlaces(t *testing.T) (desktop, documents, usb string) {
	t.Helper()
	root := t.TempDir()
	desktop, documents, usb = filepath.Join(root, "桌面"), filepath.Join(root, "文档"), filepath.Join(root, "media", "KINGSTON")
	for _, d := range []string{desktop, documents, usb} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	was := kit.Places
	kit.Places = func() []kit.Place {
		return []kit.Place{{Name: "桌面", Path: desktop}, {Name: "文档", Path: documents},
			{Name: "U盘：KINGSTON", Path: usb, Removable: true}}
	}
	t.Cleanup(func() { kit.Places = was })
	return desktop, documents, usb
}

func touch(t *testing.T, dir string, names ...string) {
	t.Helper()
	for _, n := range names {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// Given the chooser of a save, it is titled in Chinese, offers 桌面, 文档
// and the U盘 (none of Fyne's English "Home" or "Computer"), adds .xlsx to
// a bare name, and the next chooser opens in the folder last used.
func TestFileChooserOffersChinesePlacesAndRemembersTheLastFolder(t *testing.T) {
	sh := kittest.New(t, data.Unit{})
	sh.Show(widget.NewLabel("台账"))
	desktop, _, usb := testPlaces(t)
	var got string
	c := kit.SaveFile(sh, kit.FileOptions{Title: "导出台账", Confirm: "导出", Extensions: []string{".xlsx"},
		FileName: "台账", Warning: "导出的文件本身就是涉密载体。"}, func(p string) { got = p })
	kittest.Shot(t, sh.Window(), "file-chooser-save")
	texts := sh.OverlayTexts()
	for _, want := range []string{"导出台账", "桌面", "文档", "U盘：KINGSTON", "位置：桌面", "导出的文件本身就是涉密载体。"} {
		if !strings.Contains(texts, want) {
			t.Errorf("chooser lacks %q; it shows:\n%s", want, texts)
		}
	}
	for _, english := range []string{"Home", "Computer", "Desktop", "Open File", "Save File"} {
		if strings.Contains(texts, english) {
			t.Errorf("chooser shows %q", english)
		}
	}
	if c.Folder() != desktop {
		t.Errorf("first chooser opens in %s, want 桌面 %s", c.Folder(), desktop)
	}
	c.Open(usb)
	c.Confirm()
	if want := filepath.Join(usb, "台账.xlsx"); got != want || c.Visible() {
		t.Fatalf("chosen %q (visible %v), want %q", got, c.Visible(), want)
	}
	next := kit.OpenFile(sh, kit.FileOptions{Title: "导入台账", Extensions: []string{".xlsx"}}, func(string) {})
	if next.Folder() != usb {
		t.Errorf("next chooser opens in %s, want the folder last used %s", next.Folder(), usb)
	}
	next.Cancel()
	// the U盘 pulled out: the next chooser opens on 桌面 again
	if err := os.RemoveAll(usb); err != nil {
		t.Fatal(err)
	}
	gone := kit.OpenFile(sh, kit.FileOptions{Title: "导入台账"}, func(string) {})
	if gone.Folder() != desktop {
		t.Errorf("with the last folder gone the chooser opens in %s, want 桌面", gone.Folder())
	}
}

// Given an open chooser for .xlsx that refuses .xls and .et with a
// sentence, the folder lists those files (not others), choosing one says
// the sentence and chooses nothing, and an .xlsx is chosen.
func TestOpenFileSaysWhatToDoWithAFileItCannotRead(t *testing.T) {
	sh := kittest.New(t, data.Unit{})
	sh.Show(widget.NewLabel("台账"))
	desktop, _, _ := testPlaces(t)
	touch(t, desktop, "旧台账.xls", "WPS台账.et", "台账.xlsx", "说明.txt")
	if err := os.Mkdir(filepath.Join(desktop, "归档"), 0o755); err != nil {
		t.Fatal(err)
	}
	var got []string
	const sayXlsx = "请在 Excel 或 WPS 中另存为 .xlsx 后再导入。"
	c := kit.OpenFile(sh, kit.FileOptions{Title: "导入台账", Confirm: "导入", Extensions: []string{".xlsx", ".csv"},
		Refused: map[string]string{".xls": sayXlsx, ".et": sayXlsx}}, func(p string) { got = append(got, p) })
	c.Open(filepath.Join(desktop, "归档"))
	if !strings.Contains(sh.OverlayTexts(), "位置：桌面 › 归档") {
		t.Errorf("a folder under 桌面 is not named from it:\n%s", sh.OverlayTexts())
	}
	c.Open(desktop)
	kittest.Shot(t, sh.Window(), "file-chooser-open")
	if want := []string{"归档", "WPS台账.et", "台账.xlsx", "旧台账.xls"}; !slices.Equal(c.Shown(), want) {
		t.Errorf("shown %q, want %q", c.Shown(), want)
	}
	cases := []struct {
		name, file, message string
		chosen              bool
	}{
		{"an old Excel file", "旧台账.xls", sayXlsx, false},
		{"a WPS sheet", "WPS台账.et", sayXlsx, false},
		{"a missing file", "没有.xlsx", "找不到文件 没有.xlsx", false},
		{"a sheet it reads", "台账.xlsx", "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got = nil
			c.SetFileName(tc.file)
			c.Confirm()
			if !strings.Contains(c.Message(), tc.message) || (tc.message == "" && c.Message() != "") {
				t.Errorf("message %q, want %q", c.Message(), tc.message)
			}
			if (len(got) == 1) != tc.chosen {
				t.Errorf("chosen %q, want chosen=%v", got, tc.chosen)
			}
		})
	}
}

// Given a save over an existing file, the chooser asks in Chinese before
// replacing it and chooses only when the officer says 替换.
func TestSaveFileAsksBeforeReplacingAFile(t *testing.T) {
	sh := kittest.New(t, data.Unit{})
	sh.Show(widget.NewLabel("台账"))
	desktop, _, _ := testPlaces(t)
	touch(t, desktop, "台账.xlsx")
	var got string
	c := kit.SaveFile(sh, kit.FileOptions{Title: "导出台账", Extensions: []string{".xlsx"}, FileName: "台账.xlsx"},
		func(p string) { got = p })
	c.Confirm()
	if got != "" || !strings.Contains(sh.OverlayTexts(), "文件“台账.xlsx”已经存在，要用新文件替换它吗？") {
		t.Fatalf("chosen %q before the question; overlays:\n%s", got, sh.OverlayTexts())
	}
	b := kittest.OverlayButton(sh.Window(), "替换")
	if b == nil {
		t.Fatalf("no 替换 button")
	}
	test.Tap(b)
	if got != filepath.Join(desktop, "台账.xlsx") {
		t.Errorf("chosen %q after 替换", got)
	}
}
