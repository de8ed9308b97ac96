package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"baomi/app/ui/kit/kittest"
	"baomi/data/vault"
)

// overlayTexts returns the texts of every label in the window's overlays
// (dialogs).
func overlayTexts(a *App) string { return kittest.OverlayTexts(a.win) }

// Given a data folder whose vault.json was cut short, when the officer
// unlocks in the window, then the register opens and a dialog says which
// copy was rewritten, the same sentence the command line prints (#7 items
// 4 and 12); the copy on disk is whole again.
func TestUnlockWithADamagedVaultCopySaysItWasRepaired(t *testing.T) {
	dir := setUpFolder(t)
	good, err := os.ReadFile(filepath.Join(dir, vault.BackupName))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, vault.FileName), good[:100], 0o600); err != nil {
		t.Fatal(err)
	}
	a := newTestApp(t, dir)
	test.Type(a.unlock.password, testPassword)
	test.Tap(a.unlock.unlock)
	waitLive(t, a)
	waitFor(t, "notice dialog", func() bool { return strings.Contains(overlayTexts(a), vault.FileName) })
	if txt := overlayTexts(a); !strings.Contains(txt, "已损坏") {
		t.Errorf("dialog text = %q", txt)
	}
	if after, _ := os.ReadFile(filepath.Join(dir, vault.FileName)); string(after) != string(good) {
		t.Error("vault.json was not rewritten from the backup")
	}
}
