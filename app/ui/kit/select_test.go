package kit_test

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"baomi/app/ui/kit"
	"baomi/app/ui/kit/kittest"
	"baomi/data"
)

// TestSelectOpensItsMenuOnlyWhileInTheWindow checks every way
// widget.Select opens its menu (a tap; space, up and down): in the window
// the menu opens, out of it nothing happens (Fyne 2.7.1 panicked there,
// Fyne issue 5965), and the other keys still step through the options.
func TestSelectOpensItsMenuOnlyWhileInTheWindow(t *testing.T) {
	open := map[string]func(s *kit.Select){
		"tap":   func(s *kit.Select) { test.Tap(s) },
		"space": func(s *kit.Select) { s.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace}) },
		"up":    func(s *kit.Select) { s.TypedKey(&fyne.KeyEvent{Name: fyne.KeyUp}) },
		"down":  func(s *kit.Select) { s.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown}) },
	}
	for name, do := range open {
		for _, attached := range []bool{true, false} {
			t.Run(name+map[bool]string{true: "/attached", false: "/detached"}[attached], func(t *testing.T) {
				sh := kittest.New(t, data.Unit{})
				kittest.DetachAware(t)
				s := kit.NewSelect([]string{"秘密", "机密", "绝密"}, nil)
				box := container.NewVBox(s)
				sh.Show(box)
				if !attached {
					box.Objects = nil
					box.Refresh()
				}
				do(s)
				menus := len(sh.Window().Canvas().Overlays().List())
				if want := map[bool]int{true: 1, false: 0}[attached]; menus != want {
					t.Errorf("%d menus open, want %d", menus, want)
				}
			})
		}
	}
}

func TestSelectStepsWithLeftAndRightOutOfTheWindowToo(t *testing.T) {
	sh := kittest.New(t, data.Unit{})
	kittest.DetachAware(t)
	var chosen string
	s := kit.NewSelect([]string{"秘密", "机密"}, func(v string) { chosen = v })
	sh.Show(container.NewVBox())
	if s.PlaceHolder != "请选择" {
		t.Errorf("placeholder %q, want 请选择", s.PlaceHolder)
	}
	s.TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight})
	if chosen != "秘密" {
		t.Errorf("right chose %q, want 秘密", chosen)
	}
}
