package ui

import (
	"bytes"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"baomi/app/ui/kit/kittest"
	"baomi/data/vault"
)

func TestRotateKeysFromSettingsWarnsConfirmsShowsProgressAndResult(t *testing.T) {
	dir := setUpFolder(t)
	before, err := vault.Open(dir, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	a := newTestApp(t, dir)
	test.Type(a.unlock.password, testPassword)
	test.Tap(a.unlock.unlock)
	waitLive(t, a)
	navTo(t, a, "设置")
	s := a.main.settings

	// the plain warning: a password change is no revocation
	text := kittest.LabelText(s.content)
	for _, want := range []string{"修改密码不会更换数据密钥", "旧的密钥文件副本（vault.json）配上旧密码仍能打开现在的数据", "更换密钥"} {
		if !strings.Contains(text, want) {
			t.Errorf("settings lack %q", want)
		}
	}

	// cancelling the confirmation changes nothing
	test.Type(s.keysPw, testPassword)
	test.Tap(s.keysBtn)
	if s.keysConfirm == nil || !s.keysConfirm.Visible() || !strings.Contains(kittest.LabelText(s.keysConfirm), "现在更换吗") {
		t.Fatal("no confirmation shown")
	}
	test.Tap(s.keysCancel)
	if s.keysConfirm.Visible() || s.keysProgress != nil {
		t.Fatal("cancel went on")
	}

	// a wrong password is refused at the field
	s.keysPw.SetText("not-the-password")
	test.Tap(s.keysBtn)
	test.Tap(s.keysGo)
	waitFor(t, "refusal", func() bool { return s.keysForm.Problem("当前密码") != "" })

	// the right one re-keys, with progress, and says what it did
	s.keysPw.SetText(testPassword)
	test.Tap(s.keysBtn)
	test.Tap(s.keysGo)
	if !s.keysProgress.Visible() {
		t.Error("no progress shown while the work runs")
	}
	waitFor(t, "re-keyed", func() bool { return strings.Contains(s.keysMsg.Text, "已更换密钥") })
	if s.keysProgress.Visible() || s.keysBar.Value != 1 {
		t.Errorf("progress dialog visible %v at %.2f after the work", s.keysProgress.Visible(), s.keysBar.Value)
	}
	if !strings.Contains(s.keysMsg.Text, "旧的密钥文件副本从此打不开现在的数据") {
		t.Errorf("result = %q", s.keysMsg.Text)
	}
	after, err := vault.Open(dir, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(after.Master, before.Master) || bytes.Equal(after.Record, before.Record) {
		t.Error("keys unchanged")
	}

	// the window goes on working on the re-keyed store, and unlocks again
	test.Tap(s.verifyBtn)
	waitFor(t, "verify", func() bool { return strings.Contains(s.verifyMsg.Text, "校验通过") })
	a.Lock()
	test.Type(a.unlock.password, testPassword)
	test.Tap(a.unlock.unlock)
	waitLive(t, a)
}
