package kit_test

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"baomi/app/ui/kit"
	"baomi/app/ui/kit/kittest"
	"baomi/data"
)

// TestEntryOpensItsMenuOnlyWhileInTheWindow: a right click opens the
// entry's menu in the window; out of it nothing happens (Fyne 2.7.1
// panicked there, as in Fyne issue 5965).
func TestEntryOpensItsMenuOnlyWhileInTheWindow(t *testing.T) {
	for _, tt := range []struct {
		name     string
		attached bool
		menus    int
	}{
		{"attached", true, 1},
		{"detached", false, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sh := kittest.New(t, data.Unit{})
			kittest.DetachAware(t)
			e := kit.NewEntry()
			box := container.NewVBox(e)
			sh.Show(box)
			if !tt.attached {
				box.Objects = nil
				box.Refresh()
			}
			e.TappedSecondary(&fyne.PointEvent{Position: fyne.NewPos(5, 5)})
			if menus := len(sh.Window().Canvas().Overlays().List()); menus != tt.menus {
				t.Errorf("%d menus open, want %d", menus, tt.menus)
			}
		})
	}
}

// TestEscInAFocusedFieldClosesItsDialog: Esc typed into a focused entry or
// list (the driver gives it to the focused widget, which kept it) closes
// the dialog holding it, except a busy one; elsewhere the entry keeps it.
func TestEscInAFocusedFieldClosesItsDialog(t *testing.T) {
	fields := map[string]func() fyne.Focusable{
		"entry":  func() fyne.Focusable { return kit.NewEntry() },
		"select": func() fyne.Focusable { return kit.NewSelect([]string{"秘密"}, nil) },
	}
	for name, field := range fields {
		for _, busy := range []bool{false, true} {
			t.Run(name+map[bool]string{false: "/form", true: "/busy"}[busy], func(t *testing.T) {
				sh := kittest.New(t, data.Unit{})
				f := field()
				p := kit.NewModal(sh.Window(), container.NewVBox(f.(fyne.CanvasObject)))
				if busy {
					kit.OnEscape(p, nil)
				}
				p.Show()
				sh.Window().Canvas().Focus(f)
				f.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
				if p.Visible() != busy {
					t.Errorf("dialog shown %v after Esc, want %v", p.Visible(), busy)
				}
			})
		}
	}
}
