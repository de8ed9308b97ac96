package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"baomi/data"
	"baomi/data/store"
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
	settingsService
	Head() store.Head
}

// mainScreen is the unlocked main window: navigation on the left, the
// chosen page in the middle, the status bar at the bottom.
type mainScreen struct {
	app     *App
	svc     mainService
	content fyne.CanvasObject

	nav       *widget.List
	pages     []page
	center    *fyne.Container
	status    *widget.Label
	lock      *widget.Button
	carriers  *carrierScreen
	settings  *settingsScreen
	stocktake *stocktakeScreen
}

func newMainScreen(a *App, svc mainService) *mainScreen {
	m := &mainScreen{app: a, svc: svc}
	m.pages = []page{
		{"载体台账", func() fyne.CanvasObject {
			m.carriers = newCarrierScreen(a, svc, m.refreshStatus, func() string { return svc.Head().Fingerprint() })
			return m.carriers.content
		}},
		{"清点", func() fyne.CanvasObject {
			m.stocktake = newStocktakeScreen(a, svc, m.refreshStatus, func() string { return svc.Head().Fingerprint() })
			return m.stocktake.content
		}},
		{"设置", func() fyne.CanvasObject {
			m.settings = newSettingsScreen(a, svc, m.refreshStatus)
			return m.settings.content
		}},
	}
	m.center = container.NewStack()
	m.nav = widget.NewList(func() int { return len(m.pages) },
		func() fyne.CanvasObject { return widget.NewLabel("载体台账载体") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(m.pages[i].title) })
	m.nav.OnSelected = func(i widget.ListItemID) { a.touch(); m.onNavigate(i) }
	m.status = widget.NewLabel("")
	m.lock = a.button("锁定", a.Lock)
	bar := container.NewBorder(nil, nil, nil, m.lock, m.status)
	split := container.NewHSplit(m.nav, m.center)
	split.Offset = 0.12
	m.content = container.NewBorder(nil, container.NewVBox(widget.NewSeparator(), bar), nil, nil, split)
	m.nav.Select(0)
	m.refreshStatus()
	return m
}

func (m *mainScreen) onNavigate(i int) {
	m.center.Objects = []fyne.CanvasObject{m.pages[i].build()}
	m.center.Refresh()
}

// refreshStatus shows unit, officer and the audit head's fingerprint.
func (m *mainScreen) refreshStatus() {
	u := m.app.unit
	parts := []string{"单位：" + u.Name, "保密员：" + u.Officer, headText(m.svc.Head())}
	m.status.SetText(strings.Join(parts, "　｜　"))
}
