package carriers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"baomi/app/ui/kit"
	"baomi/data"
)

// drafts returns where the carrier form keeps its draft: the store, when
// it keeps drafts (the checked workspace does; the preview does not).
func (s *Screen) drafts() data.DraftKeeper {
	if !s.live {
		return nil
	}
	k, _ := s.svc.(data.DraftKeeper)
	return k
}

// offerDraft looks, off the UI goroutine, for a carrier form left unsaved
// when the window last died or locked with it open, and offers to restore
// it into the form or to throw it away.
func (s *Screen) offerDraft() {
	keeper := s.drafts()
	if keeper == nil {
		return
	}
	s.pending++
	go func() {
		b, err := keeper.Draft(carrierDraftName)
		var d carrierDraft
		if err == nil {
			err = json.Unmarshal(b, &d)
		}
		s.sh.Do(func() {
			s.pending--
			switch {
			case errors.Is(err, data.ErrNotFound):
			case err != nil:
				// a draft sealed before the keys were rotated, or damaged:
				// the next draft replaces it
				s.sh.Logf("carrier draft: %v", err)
			default:
				s.askDraft(keeper, d)
			}
		})
	}()
}

// askDraft says what was left unsaved and restores or discards it.
func (s *Screen) askDraft(keeper data.DraftKeeper, d carrierDraft) {
	what := "登记表"
	if d.ID != "" {
		what = "修改载体的表单"
	}
	msg := widget.NewLabel(fmt.Sprintf("%s %s 填写的%s没有保存就关闭了（程序意外退出，或填写时锁定、关闭了窗口）。\n已保留：编号 %s，名称 %s。\n点“恢复”回到表单继续填写，点“丢弃”删除这些内容。",
		data.DateOf(d.Saved.Local()).Chinese(), d.Saved.Local().Format("15:04"), what, orNone(d.Fields[data.FieldNumber]), orNone(d.Fields[data.FieldTitle])))
	// broken anywhere, as Chinese text is, in a box of fixed width: a
	// word-wrapped label measured before it has a width made the dialog
	// tall and broke the date from its time
	msg.Wrapping = fyne.TextWrapBreak
	dlg := dialog.NewCustomConfirm("恢复未保存的"+what, "恢复", "丢弃", container.NewGridWrap(fyne.NewSize(520, 110), msg), func(restore bool) {
		s.sh.Touch()
		if restore {
			s.restoreDraft(d)
			return
		}
		go func() {
			if err := keeper.DeleteDraft(carrierDraftName); err != nil {
				s.sh.Logf("discard carrier draft: %v", err)
			}
		}()
	}, s.sh.Window())
	dlg.Show()
	s.draftDialog = dlg
}

func orNone(s string) string {
	if s == "" {
		return "（未填）"
	}
	return s
}

// restoreDraft opens the form again with the draft's texts: a new 登记
// form, or the edit form of the carrier it was editing (a new one if that
// carrier is gone).
func (s *Screen) restoreDraft(d carrierDraft) {
	type read struct {
		f formSettings
		c data.Carrier
	}
	kit.InBackground(s.sh, "正在读取设置……", func(ctx context.Context) (read, error) {
		var r read
		var err error
		if r.f.levels, err = s.svc.Classifications(ctx); err != nil {
			return r, err
		}
		if d.ID != "" {
			if r.c, err = s.svc.Carrier(ctx, d.ID); err != nil && !errors.Is(err, data.ErrNotFound) {
				return r, err
			}
		}
		return r, nil
	}, func(r read, err error) {
		if err != nil {
			s.sh.Logf("restore carrier draft: %v", err)
			dialog.ShowInformation("无法恢复表单", data.Message(err), s.sh.Window())
			return
		}
		s.form = newCarrierForm(s.sh, r.f.levels, r.c, s.drafts(), s.onSave)
		s.form.restore(d.Fields)
		s.form.show()
	})
}
