package kit

import (
	"os"
	"path/filepath"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Baomi's own file chooser. Fyne's dialog.FileDialog (v2.7.1) can be given
// a title, button texts and a starting folder, but its places are fixed
// English words ("Home", "Computer", "Desktop": literals in
// dialog/file.go's loadFavorites and file_unix.go, not in Fyne's
// translation catalogue, so LANG does not help), its overwrite question
// is English, and no place can be added: it cannot offer a U盘. This one
// speaks Chinese, lists 桌面, 文档 and each mounted removable drive, and
// opens in the folder last used (kept in the app's preferences).

// lastFolderKey is the preference holding the folder a file was last
// chosen in.
const lastFolderKey = "baomi.files.lastFolder"

// FileOptions shapes a file chooser.
type FileOptions struct {
	// Title says what the choice is for: 导出台账, 导入台账, 另存为 PDF.
	Title string
	// Confirm is the text of the button that chooses (保存, 导入 …).
	Confirm string
	// Extensions lists the endings of the files shown (".xlsx"); a save
	// adds the first when the name typed has none of them.
	Extensions []string
	// Refused maps an ending the officer may well choose but Baomi cannot
	// read to the sentence saying what to do (".xls": 请另存为 .xlsx …);
	// such files are shown and choosing one shows the sentence.
	Refused map[string]string
	// FileName is the name a save suggests.
	FileName string
	// Warning is shown in red above the buttons (the copy is a 涉密载体).
	Warning string
}

// FileChooser is an open or save dialog over a window. OpenFile and
// SaveFile show one; its methods drive it in tests.
type FileChooser struct {
	sh     Shell
	opts   FileOptions
	save   bool
	chosen func(path string)

	places  []Place
	dir     string
	entries []os.DirEntry // folders first, then the files shown

	marking bool // the place of the folder shown is being selected, not chosen

	popup   *widget.PopUp
	where   *widget.Label
	up      *widget.Button
	list    *widget.List
	side    *widget.List
	name    *widget.Entry // save: the file name; open: the file chosen
	message *widget.Label
	confirm *widget.Button
}

// OpenFile shows a chooser of an existing file ending in one of
// opts.Extensions (or opts.Refused) over sh's window and hands its path to
// chosen, on the UI goroutine, when the officer confirms; nothing when
// they cancel. Every tap counts as activity and a panic in chosen is
// caught by Guard.
func OpenFile(sh Shell, opts FileOptions, chosen func(path string)) *FileChooser {
	if opts.Confirm == "" {
		opts.Confirm = "打开"
	}
	return showChooser(sh, opts, false, chosen)
}

// SaveFile shows a chooser of a folder and a file name and hands the path
// to chosen when the officer confirms (after asking before replacing an
// existing file); nothing when they cancel.
func SaveFile(sh Shell, opts FileOptions, chosen func(path string)) *FileChooser {
	if opts.Confirm == "" {
		opts.Confirm = "保存"
	}
	return showChooser(sh, opts, true, chosen)
}

func showChooser(sh Shell, opts FileOptions, save bool, chosen func(string)) *FileChooser {
	w := sh.Window()
	c := &FileChooser{sh: sh, opts: opts, save: save, chosen: chosen, places: Places()}
	c.where = widget.NewLabel("")
	c.where.Truncation = fyne.TextTruncateEllipsis
	c.up = widget.NewButtonWithIcon("上一级", theme.MoveUpIcon(), func() { sh.Touch(); c.Open(filepath.Dir(c.dir)) })
	c.side = widget.NewList(func() int { return len(c.places) },
		func() fyne.CanvasObject {
			return container.NewHBox(widget.NewIcon(theme.FolderIcon()), widget.NewLabel("U盘：XXXXXXXX"))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			p := c.places[i]
			icon := theme.FolderIcon()
			switch {
			case p.Removable:
				icon = theme.StorageIcon()
			case p.Name == "桌面":
				icon = theme.DesktopIcon()
			case p.Name == "文档":
				icon = theme.DocumentIcon()
			case p.Name == "主文件夹":
				icon = theme.HomeIcon()
			}
			row := o.(*fyne.Container)
			row.Objects[0].(*widget.Icon).SetResource(icon)
			row.Objects[1].(*widget.Label).SetText(p.Name)
		})
	c.side.OnSelected = func(i widget.ListItemID) {
		if !c.marking {
			sh.Touch()
			c.Open(c.places[i].Path)
		}
	}
	c.list = widget.NewList(func() int { return len(c.entries) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return container.NewBorder(nil, nil, widget.NewIcon(theme.FileIcon()), nil, l)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			e := c.entries[i]
			row := o.(*fyne.Container)
			icon := theme.FileIcon()
			if e.IsDir() {
				icon = theme.FolderIcon()
			}
			row.Objects[0].(*widget.Label).SetText(e.Name())
			row.Objects[1].(*widget.Icon).SetResource(icon)
		})
	c.list.OnSelected = func(i widget.ListItemID) {
		sh.Touch()
		if i >= len(c.entries) {
			return
		}
		e := c.entries[i]
		if e.IsDir() {
			c.Open(filepath.Join(c.dir, e.Name()))
			return
		}
		c.name.SetText(e.Name())
	}
	c.message = widget.NewLabel("")
	c.message.Wrapping = fyne.TextWrapWord
	c.message.Importance = widget.DangerImportance
	c.confirm = Button(sh, opts.Confirm, c.Confirm)
	c.confirm.Importance = widget.HighImportance
	c.name = widget.NewEntry()
	c.name.OnChanged = func(string) { sh.Touch(); c.message.SetText(""); c.enable() }
	if save {
		c.name.SetText(opts.FileName)
		c.name.OnSubmitted = func(string) { c.Confirm() }
	} else {
		c.name.SetPlaceHolder("在上面的列表中点选文件")
	}
	cancel := Button(sh, "取消", c.Cancel)

	label := "文件名："
	if !save {
		label = "已选文件："
	}
	var bottom []fyne.CanvasObject
	bottom = append(bottom, container.NewBorder(nil, nil, widget.NewLabel(label), nil, c.name))
	if opts.Warning != "" {
		warn := widget.NewLabel(opts.Warning)
		warn.Wrapping = fyne.TextWrapWord
		warn.Importance = widget.WarningImportance
		bottom = append(bottom, warn)
	}
	bottom = append(bottom, c.message, container.NewHBox(layout.NewSpacer(), cancel, c.confirm))
	sideBox := container.NewBorder(widget.NewLabelWithStyle("位置", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), nil, nil, nil, c.side)
	right := container.NewBorder(container.NewBorder(nil, nil, nil, c.up, c.where), nil, nil, nil, c.list)
	split := container.NewHSplit(sideBox, right)
	split.SetOffset(0.25)
	body := container.NewBorder(Heading(opts.Title), container.NewVBox(bottom...), nil, nil, split)
	c.popup = NewModal(w, container.New(MinSize(fyne.NewSize(760, 480)), body))
	c.Open(c.startFolder())
	c.popup.Show()
	if save {
		w.Canvas().Focus(c.name)
	}
	return c
}

// startFolder is the folder last used when it still exists (a U盘 may be
// gone), else the first place (桌面), else the home folder.
func (c *FileChooser) startFolder() string {
	if a := fyne.CurrentApp(); a != nil {
		if p := a.Preferences().String(lastFolderKey); isDir(p) {
			return p
		}
	}
	if len(c.places) > 0 {
		return c.places[0].Path
	}
	home, _ := os.UserHomeDir()
	return home
}

// Open shows the folder dir; a folder that cannot be read is said below
// and the chooser stays where it was.
func (c *FileChooser) Open(dir string) {
	all, err := os.ReadDir(dir)
	if err != nil {
		c.message.SetText("无法打开文件夹 " + dir + "，请换一个位置（U盘是否已拔出？）。")
		return
	}
	var dirs, files []os.DirEntry
	for _, e := range all {
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		switch {
		case e.IsDir() || (e.Type()&os.ModeSymlink != 0 && isDir(filepath.Join(dir, e.Name()))):
			dirs = append(dirs, dirEntry{e})
		case c.shows(e.Name()):
			files = append(files, e)
		}
	}
	byName := func(s []os.DirEntry) {
		sort.Slice(s, func(i, j int) bool { return strings.ToLower(s[i].Name()) < strings.ToLower(s[j].Name()) })
	}
	byName(dirs)
	byName(files)
	c.dir = dir
	c.entries = append(dirs, files...)
	c.where.SetText("位置：" + c.describe(dir))
	c.message.SetText("")
	if filepath.Dir(dir) == dir {
		c.up.Disable()
	} else {
		c.up.Enable()
	}
	c.list.UnselectAll()
	c.list.Refresh()
	c.list.ScrollToTop()
	c.side.UnselectAll()
	for i, p := range c.places {
		if filepath.Clean(p.Path) == filepath.Clean(dir) {
			c.marking = true
			c.side.Select(i)
			c.marking = false
		}
	}
	if !c.save {
		c.name.SetText("")
	}
	c.enable()
}

// describe names dir from the place it is in (桌面 › 归档 › 2026), so that
// the end of a long path is not cut off; a folder outside every place is
// its path.
func (c *FileChooser) describe(dir string) string {
	best, name := "", ""
	for _, p := range c.places {
		rel, err := filepath.Rel(p.Path, dir)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			continue
		}
		if len(p.Path) > len(best) {
			best, name = p.Path, p.Name
			if rel != "." {
				name += " › " + strings.ReplaceAll(rel, string(filepath.Separator), " › ")
			}
		}
	}
	if best == "" {
		return dir
	}
	return name
}

// dirEntry marks a link to a folder as a folder.
type dirEntry struct{ os.DirEntry }

// IsDir reports true: dirEntry wraps folders only.
func (dirEntry) IsDir() bool { return true }

// shows reports whether a file named name is listed.
func (c *FileChooser) shows(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	if _, ok := c.opts.Refused[ext]; ok {
		return true
	}
	if len(c.opts.Extensions) == 0 {
		return true
	}
	for _, e := range c.opts.Extensions {
		if ext == e {
			return true
		}
	}
	return false
}

func (c *FileChooser) enable() {
	if strings.TrimSpace(c.name.Text) == "" {
		c.confirm.Disable()
	} else {
		c.confirm.Enable()
	}
}

// Folder returns the folder shown.
func (c *FileChooser) Folder() string { return c.dir }

// Places returns the places offered on the left.
func (c *FileChooser) Places() []Place { return c.places }

// Shown returns the names listed in the folder shown, folders first.
func (c *FileChooser) Shown() []string {
	out := make([]string, len(c.entries))
	for i, e := range c.entries {
		out[i] = e.Name()
	}
	return out
}

// SetFileName types name into the file name (a save) or chooses the file
// of that name in the folder shown (an open).
func (c *FileChooser) SetFileName(name string) { c.name.SetText(name) }

// Message returns the sentence shown below the list, "" if none.
func (c *FileChooser) Message() string { return c.message.Text }

// Visible reports whether the chooser is shown.
func (c *FileChooser) Visible() bool { return c.popup.Visible() }

// Title returns the chooser's title.
func (c *FileChooser) Title() string { return c.opts.Title }

// Cancel closes the chooser without choosing.
func (c *FileChooser) Cancel() { c.popup.Hide() }

// Confirm chooses the file named: an open refuses a file Baomi cannot
// read with the sentence of FileOptions.Refused and a missing file; a save
// adds the first extension to a name without one and asks before
// replacing a file. The folder is remembered for the next chooser.
func (c *FileChooser) Confirm() {
	name := strings.TrimSpace(c.name.Text)
	if name == "" {
		return
	}
	if strings.ContainsAny(name, `/\`) {
		c.message.SetText("文件名不能含有 / 或 \\，请只写文件名，位置在左边和上面的列表中选择。")
		return
	}
	ext := strings.ToLower(filepath.Ext(name))
	if msg, ok := c.opts.Refused[ext]; ok {
		c.message.SetText(msg)
		return
	}
	if c.save && !c.shows(name) && len(c.opts.Extensions) > 0 {
		name += c.opts.Extensions[0]
	}
	path := filepath.Join(c.dir, name)
	fi, err := os.Stat(path)
	switch {
	case !c.save && err != nil:
		c.message.SetText("找不到文件 " + name + "，请在列表中点选要打开的文件。")
		return
	case !c.save && !c.shows(name):
		c.message.SetText("只能打开 " + strings.Join(c.opts.Extensions, "、") + " 文件，请重新选择。")
		return
	case c.save && err == nil && fi.IsDir():
		c.message.SetText(name + " 是一个文件夹，请换一个文件名。")
		return
	case c.save && err == nil:
		d := dialog.NewConfirm("替换文件", "文件“"+name+"”已经存在，要用新文件替换它吗？", func(ok bool) {
			if ok {
				c.done(path)
			}
		}, c.sh.Window())
		d.SetConfirmText("替换")
		d.SetDismissText("取消")
		d.Show()
		return
	}
	c.done(path)
}

func (c *FileChooser) done(path string) {
	if a := fyne.CurrentApp(); a != nil {
		a.Preferences().SetString(lastFolderKey, filepath.Dir(path))
	}
	c.popup.Hide()
	Guard(c.sh, c.opts.Title, func() { c.chosen(path) })
}
