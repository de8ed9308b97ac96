package carriers

import (
	"bytes"
	"context"
	"fmt"
	"io"
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

// oldSheetFormats are the sheet formats an officer may well have and
// Baomi cannot read, with what to do. No well-kept Go library reads .xls
// (BIFF8) or WPS's .et: excelize reads the Office Open XML formats only,
// and the BIFF readers there are (extrame/xls, shakinm/xlsReader) have
// had no release in years; saving as .xlsx takes the officer a minute.
var oldSheetFormats = map[string]string{
	".xls": "这是旧版 Excel 文件（.xls），保密工作台读不了：请在 Excel 或 WPS 中打开它，另存为 .xlsx 后再导入。",
	".et":  "这是 WPS 表格文件（.et），保密工作台读不了：请在 WPS 中打开它，另存为 .xlsx 后再导入。",
}

// onImport asks for the file to import in the kit's chooser (桌面, 文档,
// U盘; the folder last used).
func (s *Screen) onImport() {
	s.chooser = kit.OpenFile(s.sh, kit.FileOptions{Title: "导入台账（Excel .xlsx 或 .csv）", Confirm: "导入",
		Extensions: []string{".xlsx", ".xlsm", ".csv"}, Refused: oldSheetFormats},
		func(path string) {
			s.startImport(path, func() ([]byte, error) {
				f, err := os.Open(path)
				if err != nil {
					return nil, err
				}
				defer f.Close()
				return io.ReadAll(io.LimitReader(f, 60<<20))
			})
		})
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

// outputRecorder records an export in the audit chain (the workspace
// provides it).
type outputRecorder interface {
	RecordOutput(ctx context.Context, o data.Output) (data.Output, error)
}

// exportWarning is said in the export's chooser, before anything is
// written.
const exportWarning = "导出的 Excel 文件是台账的明文副本，本身就是涉密载体：只能保存在涉密计算机或涉密 U 盘上，标明密级，按载体登记管理。每次导出都记入审计记录。"

// onExport saves the register as currently filtered to an .xlsx file where
// the officer chooses, after saying the file is itself a 涉密载体. The
// export is recorded in the audit chain (what, how many rows, where)
// before the file is written: an export that cannot be recorded is not
// made, and a record of an export whose write then failed says more than a
// copy nobody recorded. The file is made and written in the background
// (100,000 rows take seconds).
func (s *Screen) onExport() {
	rec, ok := s.svc.(outputRecorder)
	if !ok {
		dialog.ShowInformation("无法导出", "导出必须记入审计记录，但当前的数据不能记录导出。请重新解锁后再试。", s.sh.Window())
		return
	}
	rows := s.shown.Carriers()
	filter := s.filterText()
	fingerprint := s.fingerprint()
	title := s.sh.Unit().Name + "涉密载体台账"
	s.chooser = kit.SaveFile(s.sh, kit.FileOptions{Title: fmt.Sprintf("导出台账（按当前筛选，共 %d 件）", len(rows)),
		Confirm: "导出", Extensions: []string{".xlsx"}, FileName: strings.TrimSpace(title) + ".xlsx", Warning: exportWarning},
		func(path string) {
			kit.InBackground(s.sh, fmt.Sprintf("正在导出 %d 件……", len(rows)), func(ctx context.Context) (struct{}, error) {
				if _, err := rec.RecordOutput(ctx, data.Output{Way: data.OutputExport, Document: "涉密载体台账", Rows: len(rows),
					Where: path, Filter: filter, Fingerprint: fingerprint}); err != nil {
					return struct{}{}, data.Userf(err, "无法记入审计记录，没有导出：%s", data.Message(err))
				}
				var buf bytes.Buffer
				if err := xlsx.Write(&buf, title, rows); err != nil {
					return struct{}{}, err
				}
				if err := safefile.WriteCopy(path, buf.Bytes()); err != nil {
					return struct{}{}, data.Userf(err, "无法写入 %s，请检查这个位置能否写入、U 盘是否已满或已拔出。", path)
				}
				return struct{}{}, nil
			}, func(_ struct{}, err error) {
				s.changed() // the audit head the record moved
				if err != nil {
					s.sh.Logf("export: %v", err)
					dialog.ShowInformation("导出失败", data.Message(err), s.sh.Window())
					return
				}
				dialog.ShowInformation("已导出", fmt.Sprintf("已导出 %d 件到 %s。这份文件是涉密载体，请登记管理；本次导出已记入审计记录。", len(rows), path), s.sh.Window())
			})
		})
}
