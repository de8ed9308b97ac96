package kit_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"baomi/app/ui/kit"
	"baomi/app/ui/kit/kittest"
	"baomi/data"
)

// TestAPanicInAHandlerIsToldAndLoggedAndTheWindowStays: a bug in one of
// our handlers (a button, the result of background work) must not take
// the window and the typed forms with it.
func TestAPanicInAHandlerIsToldAndLoggedAndTheWindowStays(t *testing.T) {
	cases := []struct {
		name string
		run  func(sh *kittest.Shell, boom func())
	}{
		{"button", func(sh *kittest.Shell, boom func()) {
			test.Tap(kit.Button(sh, "保存", boom))
		}},
		{"background result", func(sh *kittest.Shell, boom func()) {
			kit.InBackground(sh, "正在保存……", func(context.Context) (int, error) { return 0, nil },
				func(int, error) { boom() })
			sh.Settle(t)
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sh := kittest.New(t, data.Unit{})
			c.run(sh, func() { panic(errors.New("a bug")) })
			if say := sh.OverlayTexts(); !strings.Contains(say, "“保存”没有完成") {
				t.Errorf("the window says %q", say)
			}
			if logs := strings.Join(sh.Logs(), "\n"); !strings.Contains(logs, "panic in 保存: a bug") || !strings.Contains(logs, "goroutine") {
				t.Errorf("log %q lacks the panic and its stack", logs)
			}
		})
	}
}

func TestAPanicInAFormsChangeHandlerIsToldAndTheFormStays(t *testing.T) {
	sh := kittest.New(t, data.Unit{})
	form := kit.NewFieldForm(sh)
	level := kit.NewSelect([]string{"秘密", "机密"}, func(string) { panic("a bug") })
	title := widget.NewEntry()
	title.OnChanged = func(string) { panic("another bug") }
	form.Add(data.FieldLevel, level)
	form.Add(data.FieldTitle, title)
	sh.Show(form.Grid)
	level.SetSelected("机密")
	test.Type(title, "标")
	if say := sh.OverlayTexts(); !strings.Contains(say, "“密级”没有完成") || !strings.Contains(say, "“名称”没有完成") {
		t.Errorf("the window says %q", say)
	}
	if level.Selected != "机密" || title.Text != "标" {
		t.Errorf("the form lost its input: %q, %q", level.Selected, title.Text)
	}
}
