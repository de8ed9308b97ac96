package carriers

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"baomi/app/ui/kit/kittest"
	"baomi/data"
)

// fastDrafts makes open forms keep their draft every 20 ms for t.
func fastDrafts(t *testing.T) {
	was := draftEvery
	draftEvery = 20 * time.Millisecond
	t.Cleanup(func() { draftEvery = was })
}

// storedDraft returns the carrier draft kept in h's workspace; ok is false
// when there is none.
func storedDraft(t *testing.T, h *harness) (d carrierDraft, ok bool) {
	t.Helper()
	b, err := h.ws.Draft(carrierDraftName)
	if errors.Is(err, data.ErrNotFound) {
		return d, false
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	return d, true
}

// overlayButton returns the button labelled text in the window's dialogs.
func overlayButton(t *testing.T, h *harness, text string) *widget.Button {
	t.Helper()
	return kittest.OverlayButton(h.sh.Window(), text)
}

func TestCarrierDraftIsKeptWhileTypingAndGoesOnCancel(t *testing.T) {
	fastDrafts(t)
	h := newHarness(t)
	tapSettled(t, h, h.cs.add)
	f := h.cs.form
	pump(100 * time.Millisecond)
	if _, ok := storedDraft(t, h); ok {
		t.Fatal("a draft was kept of a form nobody typed in")
	}
	test.Type(f.title, "关于某工程的请示")
	f.kind.SetSelected(data.KindPaper)
	waitFor(t, "the typed title in the draft", func() bool {
		d, ok := storedDraft(t, h)
		return ok && d.Fields[data.FieldTitle] == "关于某工程的请示" && d.Fields[data.FieldKind] == data.KindPaper
	})
	test.Tap(f.cancel)
	waitFor(t, "the draft gone after 取消", func() bool { _, ok := storedDraft(t, h); return !ok })

	// the cost of one draft write, for draftEvery's comment
	b := f.draft()
	start := time.Now()
	const n = 20
	for range n {
		if err := h.ws.SaveDraft(carrierDraftName, b); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("a carrier draft of %d bytes is written in %v", len(b), time.Since(start)/n)
	if err := h.ws.DeleteDraft(carrierDraftName); err != nil {
		t.Fatal(err)
	}
}

// TestAFormLeftOpenWhenTheWindowWentIsOfferedAndRestored is the last line
// of issue #9 item 1: the window died with the 登记 form half filled. The
// draft written while typing is offered when the register is shown next
// (after the next unlock) and restored into a new form, which saves.
func TestAFormLeftOpenWhenTheWindowWentIsOfferedAndRestored(t *testing.T) {
	fastDrafts(t)
	h := newHarness(t)
	tapSettled(t, h, h.cs.add)
	f := h.cs.form
	f.number.SetText("CZJ-2026-0042")
	test.Type(f.title, "关于某工程的请示")
	f.kind.SetSelected(data.KindPaper)
	f.received.SetText("2026年11")
	waitFor(t, "the draft", func() bool {
		d, ok := storedDraft(t, h)
		return ok && d.Fields[data.FieldReceivedOn] == "2026年11"
	})
	// the window goes with the form open: no save, no cancel
	for _, o := range h.sh.Window().Canvas().Overlays().List() {
		h.sh.Window().Canvas().Overlays().Remove(o)
	}
	pump(100 * time.Millisecond)
	if _, ok := storedDraft(t, h); !ok {
		t.Fatal("the draft went with the form")
	}

	cs := h.showCarriers(t)
	if cs.draftDialog == nil {
		t.Fatal("the unsaved form was not offered")
	}
	say := overlayTexts(h)
	for _, want := range []string{"没有保存", "CZJ-2026-0042", "关于某工程的请示"} {
		if !strings.Contains(say, want) {
			t.Errorf("the offer does not say %q:\n%s", want, say)
		}
	}
	shot(t, h, "draft-offer")
	tapSettled(t, h, overlayButton(t, h, "恢复"))
	f = cs.form
	if f == nil || !f.shown() {
		t.Fatal("恢复 opened no form")
	}
	if f.number.Text != "CZJ-2026-0042" || f.title.Text != "关于某工程的请示" || f.kind.Selected != data.KindPaper || f.received.Text != "2026年11" {
		t.Fatalf("restored form: 编号 %q 名称 %q 类型 %q 收到 %q", f.number.Text, f.title.Text, f.kind.Selected, f.received.Text)
	}
	f.received.SetText("2026年11月28日")
	f.level.SetSelected("秘密")
	test.Type(f.custodian, "李四")
	tapSettled(t, h, f.ok)
	if f.shown() {
		t.Fatalf("the restored form did not save: %q", f.message.Text)
	}
	if cs.shown.Len() != 1 || cs.shown.At(0).Title != "关于某工程的请示" {
		t.Fatalf("register shows %+v", cs.shown.Carriers())
	}
	waitFor(t, "the draft gone after 保存", func() bool { _, ok := storedDraft(t, h); return !ok })
}

func TestAnUnsavedFormDiscardedIsNotOfferedAgain(t *testing.T) {
	fastDrafts(t)
	h := newHarness(t)
	if err := h.ws.SaveDraft(carrierDraftName, []byte(`{"saved":"2026-11-29T23:40:00Z","fields":{"名称":"旧的草稿"}}`)); err != nil {
		t.Fatal(err)
	}
	cs := h.showCarriers(t)
	if cs.draftDialog == nil {
		t.Fatal("the unsaved form was not offered")
	}
	test.Tap(overlayButton(t, h, "丢弃"))
	waitFor(t, "the draft gone after 丢弃", func() bool { _, ok := storedDraft(t, h); return !ok })
	if cs.form != nil {
		t.Error("丢弃 opened a form")
	}
	if cs = h.showCarriers(t); cs.draftDialog != nil {
		t.Error("a discarded form was offered again")
	}
}

// While the store is being checked (the preview) nothing can be saved, so
// a form left unsaved is offered once the register goes live.
func TestAnUnsavedFormIsOfferedOnceThePreviewGoesLive(t *testing.T) {
	h := newHarness(t)
	if err := h.ws.SaveDraft(carrierDraftName, []byte(`{"saved":"2026-11-29T23:40:00Z","fields":{"名称":"预览时的草稿"}}`)); err != nil {
		t.Fatal(err)
	}
	snap := &data.RegisterSnapshot{Head: h.ws.Head(), Unit: h.sh.Unit(), HasUnit: true, Settings: data.DefaultSettings()}
	cs := New(h.sh, NewPreview(snap), false, func() { h.changes++ }, h.fingerprint, snap.Carriers)
	h.cs = cs
	h.sh.Show(cs.Content())
	settle(t, h)
	if cs.draftDialog != nil {
		t.Fatal("the preview offered a form it cannot save")
	}
	cs.GoLive(h.ws, nil, true)
	settle(t, h)
	if cs.draftDialog == nil || !strings.Contains(overlayTexts(h), "预览时的草稿") {
		t.Fatalf("not offered once live:\n%s", overlayTexts(h))
	}
}
