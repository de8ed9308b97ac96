package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"baomi/app/ui/carriers"
	"baomi/app/ui/kit"
	"baomi/app/ui/letters"
	"baomi/app/ui/people"
	"baomi/data"
)

var bgctx = context.Background()

// page is one entry of the navigation list.
type page struct {
	title string
	build func() fyne.CanvasObject
}

// mainService is what the main window and the pages it builds need;
// *workspace.Workspace provides it.
type mainService interface {
	data.CarrierService
	data.PersonService
	data.LetterService
	settingsService
	Head() data.AuditHead
}

// mainScreen is the unlocked main window: navigation on the left, the
// chosen page in the middle, the status bar at the bottom. Right after the
// password it may show the register of the last session from its snapshot
// (svc nil, preview set): searchable, but read-only, with the progress of
// the store's checks in the status bar, until goLive.
type mainScreen struct {
	app     *App
	svc     mainService
	preview *data.RegisterSnapshot
	content fyne.CanvasObject

	nav       *widget.List
	pages     []page
	current   int
	center    *fyne.Container
	status    *widget.Label
	checking  *widget.ProgressBar // the store's checks, while previewing
	checkBox  *fyne.Container
	lock      *widget.Button
	carriers  *carriers.Screen
	settings  *settingsScreen
	stocktake *carriers.Stocktake
	people    *people.Screen
	letters   *letters.Screen
	// register is the register read while opening, for the first
	// carriers page; nil makes the page read it.
	register []data.Carrier
}

func newMainScreen(a *App, svc mainService, preview *data.RegisterSnapshot, register []data.Carrier) *mainScreen {
	m := &mainScreen{app: a, svc: svc, preview: preview, register: register}
	waiting := func() fyne.CanvasObject { return container.NewCenter(widget.NewLabel(kit.WaitText)) }
	m.pages = []page{
		{"载体台账", func() fyne.CanvasObject {
			var cs data.CarrierService = m.svc
			if m.svc == nil {
				cs = carriers.NewPreview(m.preview)
			}
			m.carriers = carriers.New(a, cs, m.svc != nil, m.refreshStatus, m.fingerprint, m.register)
			m.register = nil
			return m.carriers.Content()
		}},
		{"清点", func() fyne.CanvasObject {
			if m.svc == nil {
				return waiting()
			}
			m.stocktake = carriers.NewStocktake(a, m.svc, m.refreshStatus, m.fingerprint)
			return m.stocktake.Content()
		}},
		{"涉密人员", func() fyne.CanvasObject {
			if m.svc == nil {
				return waiting()
			}
			m.people = people.New(a, m.svc)
			return m.people.Content()
		}},
		{"保密承诺书", func() fyne.CanvasObject {
			if m.svc == nil {
				return waiting()
			}
			m.letters = letters.New(a, m.svc)
			return m.letters.Content()
		}},
		{"设置", func() fyne.CanvasObject {
			if m.svc == nil {
				return waiting()
			}
			m.settings = newSettingsScreen(a, m.svc, m.refreshStatus)
			return m.settings.content
		}},
	}
	m.center = container.NewStack()
	m.nav = widget.NewList(func() int { return len(m.pages) },
		func() fyne.CanvasObject { return widget.NewLabel("载体台账载体") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(m.pages[i].title) })
	m.nav.OnSelected = func(i widget.ListItemID) { a.Touch(); m.onNavigate(i) }
	m.status = widget.NewLabel("")
	m.checking = widget.NewProgressBar()
	m.checkBox = container.NewBorder(nil, nil, widget.NewLabel("正在检查数据完整性，完成前只能查看和查找："), nil, m.checking)
	m.lock = kit.Button(a, "锁定", a.Lock)
	bar := container.NewBorder(nil, nil, nil, m.lock, container.NewVBox(m.checkBox, m.status))
	split := container.NewHSplit(m.nav, m.center)
	split.Offset = 0.12
	m.content = container.NewBorder(nil, container.NewVBox(widget.NewSeparator(), bar), nil, nil, split)
	m.nav.Select(0)
	m.refreshStatus()
	for _, k := range carriers.ShortcutKeys {
		// added again at each unlock: the canvas keeps one per key, and the
		// one of a locked main screen does nothing
		a.win.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault},
			func(fyne.Shortcut) {
				if a.main == m && m.current == 0 && m.carriers != nil {
					m.carriers.Shortcut(k)
				}
			})
	}
	// Ctrl+L 锁定 from every page, over a dialog too (Lock removes it), and
	// with the cursor in a field (kit.Entry hands it on)
	a.win.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyL, Modifier: fyne.KeyModifierShortcutDefault},
		func(fyne.Shortcut) {
			if a.main == m {
				a.Lock()
			}
		})
	return m
}

func (m *mainScreen) onNavigate(i int) {
	m.current = i
	m.center.Objects = []fyne.CanvasObject{m.pages[i].build()}
	m.center.Refresh()
}

// head returns the audit head shown: the store's, or the snapshot's while
// previewing.
func (m *mainScreen) head() data.AuditHead {
	if m.svc == nil {
		return m.preview.Head
	}
	return m.svc.Head()
}

func (m *mainScreen) fingerprint() string { return m.head().Fingerprint() }

// refreshStatus shows unit, officer and the audit head's fingerprint, and
// the checks' progress while previewing.
func (m *mainScreen) refreshStatus() {
	u := m.app.unit
	parts := []string{"单位：" + u.Name, "保密员：" + u.Officer, headText(m.head())}
	m.status.SetText(strings.Join(parts, "　｜　"))
	if m.svc == nil {
		m.checkBox.Show()
	} else {
		m.checkBox.Hide()
	}
}

// goLive switches from the preview to the checked store: pages that
// waited for it are built, and the register is replaced by the one read
// from the store unless Verify confirmed the preview's.
func (m *mainScreen) goLive(svc mainService, register []data.Carrier, confirmed bool) {
	m.svc, m.preview = svc, nil
	if m.carriers != nil {
		m.carriers.GoLive(svc, register, confirmed)
	}
	if m.current != 0 {
		m.onNavigate(m.current)
	}
	m.refreshStatus()
	m.app.Relayout()
}
