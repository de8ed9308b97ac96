package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"baomi/app/ui/kit"
	"baomi/app/ui/kit/kittest"
)

// ctrlL is Ctrl+L as the desktop driver delivers it: to the focused
// widget when it takes shortcuts, else to the window's canvas.
func ctrlL(a *App) {
	sc := &desktop.CustomShortcut{KeyName: fyne.KeyL, Modifier: fyne.KeyModifierShortcutDefault}
	c := a.win.Canvas()
	if f, ok := c.Focused().(fyne.Shortcutable); ok {
		f.TypedShortcut(sc)
		return
	}
	c.(fyne.Shortcutable).TypedShortcut(sc)
}

// Given the unlocked window, wherever the officer is (the register, the
// cursor in the search box, a date or scan box or the 登记 form's 名称, the
// settings), when
// Ctrl+L is pressed, then the window shows the unlock screen with no
// dialog over it and the store is closed; Ctrl+L there does nothing.
func TestCtrlLLocksTheWindowFromAnywhere(t *testing.T) {
	for _, tt := range []struct {
		name  string
		where func(t *testing.T, a *App)
	}{
		{"on the register", func(*testing.T, *App) {}},
		{"in the search box", func(t *testing.T, a *App) {
			if !a.main.carriers.Shortcut(fyne.KeyF) {
				t.Fatal("Ctrl+F did nothing")
			}
		}},
		{"in a date or scan box of the register", func(t *testing.T, a *App) {
			e, ok := kittest.Find[*kit.Entry](a.main.carriers.Content())
			if !ok {
				t.Fatal("the register has no kit.Entry besides the search box")
			}
			a.win.Canvas().Focus(e)
		}},
		{"in the 登记 form's 名称", func(t *testing.T, a *App) {
			if !a.main.carriers.Shortcut(fyne.KeyN) {
				t.Fatal("Ctrl+N did nothing")
			}
			settle(t, a)
			top := a.win.Canvas().Overlays().Top()
			if top == nil {
				t.Fatal("no 登记 form shown")
			}
			e, ok := kittest.Find[*kit.Entry](top)
			if !ok {
				t.Fatal("the 登记 form has no entry")
			}
			a.win.Canvas().Focus(e)
		}},
		{"on 设置", func(t *testing.T, a *App) { navTo(t, a, "设置") }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := unlocked(t)
			tt.where(t, a)
			ctrlL(a)
			waitFor(t, "the store closed", func() bool { return a.workspace() == nil })
			if a.main != nil || a.current != a.unlock.content {
				t.Fatal("Ctrl+L did not return to the unlock screen")
			}
			if n := len(a.win.Canvas().Overlays().List()); n != 0 {
				t.Errorf("%d dialogs still shown over the unlock screen", n)
			}
			ctrlL(a) // on the unlock screen: nothing to lock
			if a.current != a.unlock.content {
				t.Error("Ctrl+L on the unlock screen changed the window")
			}
		})
	}
}
