package carriers

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"baomi/app/ui/kit"
	"baomi/data"
	"baomi/data/xlsx"
)

// importService is what the import dialog needs beyond the register.
type importService interface {
	Import(ctx context.Context, adds, updates []data.Carrier, allOrNothing bool, progress func(done, total int)) (data.ImportResult, map[string]error, error)
}

// ignoreLabel marks a column that is not imported.
const ignoreLabel = "（不导入）"

// importDialog imports a register kept in Excel: the suggested column
// mapping can be changed, a dry run lists what every row would do, and the
// import runs with a progress bar.
type importDialog struct {
	s      *Screen
	svc    importService
	sheet  *xlsx.Sheet
	header int
	popup  *widget.PopUp

	columns   []*kit.Select // one per sheet column
	allOrNone *widget.Check
	preview   *widget.Button
	run       *widget.Button
	summary   *widget.Label
	rows      *widget.List
	progress  *widget.ProgressBar
	actions   []xlsx.Action
}

// onImport asks for the file to import.
func (s *Screen) onImport() {
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil || rc == nil {
			return
		}
		s.startImport(rc.URI().Name(), func() ([]byte, error) {
			defer rc.Close()
			return io.ReadAll(io.LimitReader(rc, 60<<20))
		})
	}, s.sh.Window())
	d.SetFilter(storage.NewExtensionFileFilter([]string{".xlsx", ".csv"}))
	d.Show()
}

// startImport reads the file with read and parses it, both off the UI
// goroutine (a file on a slow USB stick takes seconds), and opens the
// import dialog.
func (s *Screen) startImport(name string, read func() ([]byte, error)) {
	svc, ok := s.svc.(importService)
	if !ok {
		return
	}
	done := s.sh.Busy("正在读取 " + filepath.Base(name) + "……")
	go func() {
		var sheet *xlsx.Sheet
		b, err := read()
		if err != nil {
			err = data.Userf(err, "无法读取文件 %s，请检查文件或 U 盘后重试。", filepath.Base(name))
		} else {
			sheet, err = xlsx.Read(bytes.NewReader(b), name)
		}
		s.sh.Do(func() {
			done()
			if err != nil {
				s.sh.Logf("import read: %v", err)
				dialog.ShowInformation("无法导入", data.Message(err), s.sh.Window())
				return
			}
			s.importer = newImportDialog(s, svc, sheet)
			s.importer.popup.Show()
		})
	}()
}

func newImportDialog(s *Screen, svc importService, sheet *xlsx.Sheet) *importDialog {
	d := &importDialog{s: s, svc: svc, sheet: sheet}
	header, mapping := sheet.FindHeader()
	d.header = header
	labels := []string{ignoreLabel}
	for _, f := range xlsx.Fields() {
		labels = append(labels, f.Label)
	}
	width := 0
	for _, row := range sheet.Cells {
		width = max(width, len(row))
	}
	grid := container.New(layout.NewFormLayout())
	for j := 0; j < width; j++ {
		name := sheet.Cell(header, j)
		if name == "" {
			name = fmt.Sprintf("第 %d 列", j+1)
		}
		sel := kit.NewSelect(labels, func(string) { s.sh.Touch(); d.clearPlan() })
		sel.SetSelected(ignoreLabel)
		if key, ok := mapping[j]; ok && key != "" {
			if l := xlsx.Label(key); l != "" {
				sel.SetSelected(l)
			}
		}
		d.columns = append(d.columns, sel)
		grid.Add(widget.NewLabel(name))
		grid.Add(sel)
	}
	d.allOrNone = widget.NewCheck("有任何一行被拒绝时，全部不导入（导入中途断电或被结束时，下次打开会撤销已写入的部分）", func(bool) { s.sh.Touch() })
	d.preview = kit.Button(s.sh, "预演", d.onPreview)
	d.run = kit.Button(s.sh, "导入", d.onRun)
	d.run.Importance = widget.HighImportance
	d.run.Disable()
	d.summary = widget.NewLabel("")
	d.summary.Wrapping = fyne.TextWrapBreak
	if header < 0 {
		d.summary.SetText("没有找到表头行，请为每一列选择对应的项目。")
	}
	d.progress = widget.NewProgressBar()
	d.progress.Hide()
	d.rows = widget.NewList(func() int { return len(d.actions) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			a := d.actions[i]
			o.(*widget.Label).SetText(fmt.Sprintf("第 %d 行　%s　%s　%s", a.Row.Line, a.Label(), a.Row.Carrier.Number, a.Reason))
		})
	closeBtn := kit.Button(s.sh, "关闭", func() { d.popup.Hide() })
	mapBox := container.NewVScroll(grid)
	mapBox.SetMinSize(fyne.NewSize(300, 380))
	left := container.NewBorder(widget.NewLabel("列对应（已按表头推荐，可修改）"), nil, nil, nil, mapBox)
	right := container.NewBorder(container.NewVBox(d.summary, d.progress), nil, nil, nil, d.rows)
	body := container.NewBorder(kit.Heading("导入台账："+sheet.Name),
		container.NewVBox(d.allOrNone, container.NewHBox(d.preview, d.run, closeBtn)), nil, nil,
		container.NewHSplit(left, right))
	d.popup = kit.NewModal(s.sh.Window(), container.New(kit.MinSize(fyne.NewSize(960, 560)), body))
	return d
}

// mapping reads the column choices.
func (d *importDialog) mapping() xlsx.Mapping {
	byLabel := map[string]string{}
	for _, f := range xlsx.Fields() {
		byLabel[f.Label] = f.Key
	}
	m := xlsx.Mapping{}
	for j, sel := range d.columns {
		if key, ok := byLabel[sel.Selected]; ok {
			m[j] = key
		}
	}
	return m
}

func (d *importDialog) clearPlan() {
	if d.run == nil {
		return
	}
	d.actions = nil
	d.run.Disable()
	d.rows.Refresh()
}

// onPreview is the dry run: what every row would do.
// The 密级 list is read and every row planned in the background (a sheet
// of 200,000 rows takes about a second); the widgets are read before and
// set after, on the UI goroutine.
func (d *importDialog) onPreview() {
	// The register is indexed by position, and only the carriers a row
	// matches are copied (the register's slice is its own and changes when
	// it is reloaded); new rows hold none (see xlsx.Action).
	list := d.s.reg.Carriers()
	mapping := d.mapping()
	type planned struct {
		actions []xlsx.Action
		summary string
	}
	kit.InBackground(d.s.sh, "正在预演导入……", func(ctx context.Context) (planned, error) {
		levels, err := d.s.svc.Classifications(ctx)
		if err != nil {
			return planned{}, err
		}
		existing := make(map[string]int, len(list))
		for i := range list {
			existing[list[i].Number] = i
		}
		rows := d.sheet.Rows(d.header, mapping, xlsx.Options{Classifications: levels})
		plan := xlsx.NewPlanner(func(number string) *data.Carrier {
			if i, ok := existing[number]; ok {
				c := list[i]
				return &c
			}
			return nil
		})
		actions := make([]xlsx.Action, 0, len(rows))
		for i := range rows {
			if a, ok := plan.Next(&rows[i]); ok {
				actions = append(actions, a)
			}
		}
		return planned{actions, plan.Summary()}, nil
	}, func(p planned, err error) {
		switch {
		case err != nil:
			d.summary.SetText(data.Message(err))
		default:
			d.actions = p.actions
			d.summary.SetText(p.summary)
			d.rows.Refresh()
			d.run.Enable()
		}
	})

}

// onRun imports what the dry run listed.
func (d *importDialog) onRun() {
	var adds, updates []data.Carrier
	var pendingNumbers []string
	refused := 0
	for _, a := range d.actions {
		if a.Pending() != "" {
			pendingNumbers = append(pendingNumbers, a.Row.Carrier.Number)
		}
		switch a.Op {
		case xlsx.OpImport:
			adds = append(adds, a.Row.Carrier)
		case xlsx.OpUpdate:
			updates = append(updates, xlsx.ApplyTo(*a.Existing, *a.Row))
		case xlsx.OpRefuse:
			refused++
		}
	}
	if d.allOrNone.Checked && refused > 0 {
		d.summary.SetText(fmt.Sprintf("有 %d 行被拒绝；已选择“全部不导入”，没有导入任何一行。", refused))
		return
	}
	d.run.Disable()
	d.preview.Disable()
	d.progress.SetValue(0)
	d.progress.Show()
	all := d.allOrNone.Checked
	go func() {
		res, refusedNow, err := d.svc.Import(bgctx, adds, updates, all, func(done, total int) {
			d.s.sh.Do(func() { d.progress.SetValue(float64(done) / float64(total)) })
		})
		d.s.sh.Do(func() {
			d.progress.Hide()
			d.preview.Enable()
			if err != nil {
				d.s.sh.Logf("import: %v", err)
				d.summary.SetText("导入失败：" + data.Message(err))
				return
			}
			msg := fmt.Sprintf("已导入 %d 条，更新 %d 条。", res.Added, res.Updated)
			pending := 0
			for _, n := range pendingNumbers {
				if refusedNow[n] == nil {
					pending++
				}
			}
			if pending > 0 {
				msg += fmt.Sprintf("其中 %d 件载体信息待补全，可在台账中勾选“待补全”筛选后逐件修改补全。", pending)
			}
			if n := refused + len(refusedNow); n > 0 {
				msg += fmt.Sprintf("被拒绝的 %d 行未导入，见列表中的原因。", n)
			}
			d.summary.SetText(msg)
			d.actions = nil
			d.rows.Refresh()
			d.s.reload()
			d.s.changed()
		})
	}()
}

// onExport saves the register as currently filtered to an .xlsx file; the
// file is made and written in the background (100,000 rows take seconds).
func (s *Screen) onExport() {
	rows := s.shown.Carriers()
	title := s.sh.Unit().Name + "涉密载体台账"
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil || wc == nil {
			return
		}
		kit.InBackground(s.sh, fmt.Sprintf("正在导出 %d 件……", len(rows)), func(context.Context) (struct{}, error) {
			var buf bytes.Buffer
			err := xlsx.Write(&buf, title, rows)
			if err == nil {
				_, err = wc.Write(buf.Bytes())
			}
			if cerr := wc.Close(); err == nil {
				err = cerr
			}
			return struct{}{}, err
		}, func(_ struct{}, err error) {
			if err != nil {
				s.sh.Logf("export: %v", err)
				dialog.ShowInformation("导出失败", data.Message(err), s.sh.Window())
				return
			}
			dialog.ShowInformation("已导出", fmt.Sprintf("已导出 %d 件到 %s。", len(rows), wc.URI().Name()), s.sh.Window())
		})
	}, s.sh.Window())
	d.SetFileName(strings.TrimSuffix(title, " ") + ".xlsx")
	d.SetFilter(storage.NewExtensionFileFilter([]string{".xlsx"}))
	d.Show()
}
