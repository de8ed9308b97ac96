package ui

import (
	"bytes"
	"context"
	"io"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/dgraph-io/badger/v4"

	baomitheme "baomi/app/theme"
	"baomi/app/ui/kit"
	"baomi/app/ui/kit/kittest"
	"baomi/data"
	"baomi/data/vault"
	"baomi/data/workspace"
	"baomi/data/workspace/wstest"
)

const testPassword = "Baomi-Test-2026!"

var testWS = workspace.Config{KDF: vault.InsecureTestParams, NoGuard: true}

func newTestApp(t *testing.T, dir string) *App {
	t.Helper()
	fa := test.NewTempApp(t)
	fa.Settings().SetTheme(baomitheme.New())
	a := New(fa, Config{
		Dir: dir, Workspace: testWS, Logger: log.New(io.Discard, "", 0),
		IdleUnit:  time.Hour,
		FailDelay: func(n int) time.Duration { return time.Duration(n) * 20 * time.Millisecond },
		Do:        kittest.Do,
	})
	a.Start()
	t.Cleanup(a.Shutdown)
	return a
}

// waitFor runs queued UI work (kittest's queue, which App.Do feeds in
// these tests) until cond holds, failing after a while.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	kittest.WaitFor(t, what, cond)
}

// waitLive waits until the main window works on the checked store (not
// the preview of the last session's register).
func waitLive(t *testing.T, a *App) {
	t.Helper()
	waitFor(t, "main window on the checked store, its register shown", func() bool {
		return a.main != nil && a.main.svc != nil && (a.main.carriers == nil || !a.main.carriers.Reading())
	})
}

// pump runs queued UI work for d.
func pump(d time.Duration) { kittest.Pump(d) }

// setUpFolder returns a set-up data folder with no carriers.
func setUpFolder(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	wstest.Folder(t, dir, wstest.Unit, testPassword, testWS)
	return dir
}

func TestSetupWizardCreatesUnitShowsRecoveryCodeAndOpensMainWindow(t *testing.T) {
	// given a fresh data folder
	a := newTestApp(t, filepath.Join(t.TempDir(), "data"))
	if a.setup == nil {
		t.Fatal("a fresh folder does not show the setup wizard")
	}
	s := a.setup
	// when the officer fills in the unit and a too-short password
	test.Type(s.name, "某市财政局")
	test.Type(s.code, "czj")
	test.Type(s.superior, "某市国家保密局")
	test.Type(s.officer, "张保密")
	test.Type(s.password, "short")
	test.Type(s.again, "short")
	test.Tap(s.create)
	// then the password field shows the problem and nothing is created
	if p := s.form.Problem(data.FieldPassword); !strings.Contains(p, "10") {
		t.Errorf("password problem = %q, want the minimum length", p)
	}
	if workspace.IsSetUp(a.cfg.Dir) {
		t.Fatal("setup wrote a vault despite the error")
	}
	// when the password is long enough and repeated
	s.password.SetText(testPassword)
	s.again.SetText(testPassword)
	if !strings.Contains(s.strength.Text, "强度") {
		t.Errorf("no strength hint: %q", s.strength.Text)
	}
	test.Tap(s.create)
	// then the recovery code is shown once, and entering needs the confirmation
	waitFor(t, "recovery screen", func() bool { return a.recovery != nil })
	r := a.recovery
	if !regexp.MustCompile(`^[0-9A-Z]{5}(-[0-9A-Z]{5}){4}$`).MatchString(r.code.Text) {
		t.Errorf("recovery code %q is not five groups of five", r.code.Text)
	}
	if !r.enter.Disabled() {
		t.Error("enter is possible before confirming the code was written down")
	}
	// when the sheet is printed, a PDF naming the unit is made for the
	// viewer, and it is gone once the officer goes on
	tapSettled(t, a, r.printBtn)
	sheet := filepath.Join(r.tmpDir, "恢复码.pdf")
	if b, err := os.ReadFile(sheet); err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("recovery sheet: %v", err)
	}
	test.Tap(r.written)
	test.Tap(r.enter)
	if _, err := os.Stat(sheet); !os.IsNotExist(err) {
		t.Errorf("recovery sheet still there after leaving the screen: %v", err)
	}
	// then the main window shows the unit and the audit head
	waitLive(t, a)
	if st := a.main.status.Text; !strings.Contains(st, "某市财政局") || !strings.Contains(st, "审计链 #") {
		t.Errorf("status bar = %q", st)
	}
	u, err := a.workspace().Store.Unit(context.Background())
	if err != nil || u.Code != "CZJ" || u.Superior != "某市国家保密局" {
		t.Errorf("stored unit = %+v, %v", u, err)
	}
}

func snapshot(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files, err := workspace.Files(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		st, _ := os.Stat(f)
		out[f] = append(b, []byte(st.ModTime().String())...)
	}
	return out
}

func TestWrongPasswordIsRefusedWithGrowingDelayAndWritesNothing(t *testing.T) {
	// given a set-up folder and the unlock screen
	dir := setUpFolder(t)
	a := newTestApp(t, dir)
	if a.unlock == nil {
		t.Fatal("a set-up folder does not show the unlock screen")
	}
	before := snapshot(t, dir)
	// when a wrong password is entered twice
	for i := 1; i <= 2; i++ {
		waitFor(t, "unlock enabled", func() bool { return !a.unlock.unlock.Disabled() })
		test.Type(a.unlock.password, "wrong-password-"+kit.Itoa(i))
		test.Tap(a.unlock.unlock)
		waitFor(t, "refusal", func() bool { return strings.Contains(a.unlock.message.Text, "第 "+kit.Itoa(i)+" 次") })
	}
	// then a clear message is shown, the store stays closed, and no file changed
	if !strings.Contains(a.unlock.message.Text, "密码不正确") || !strings.Contains(a.unlock.message.Text, "秒后再试") {
		t.Errorf("message = %q", a.unlock.message.Text)
	}
	if a.workspace() != nil {
		t.Error("store opened with a wrong password")
	}
	after := snapshot(t, dir)
	if len(after) != len(before) {
		t.Errorf("files before %d, after %d", len(before), len(after))
	}
	for f, b := range before {
		if !bytes.Equal(after[f], b) {
			t.Errorf("%s changed after wrong passwords", f)
		}
	}
	// when the right password follows after the delay
	waitFor(t, "unlock enabled", func() bool { return !a.unlock.unlock.Disabled() })
	test.Type(a.unlock.password, testPassword)
	test.Tap(a.unlock.unlock)
	// then the main window opens
	waitLive(t, a)
	if a.failures != 0 {
		t.Errorf("failure count not reset: %d", a.failures)
	}
}

func TestForgottenPasswordIsResetWithTheRecoveryCode(t *testing.T) {
	dir := t.TempDir()
	ws, code, err := workspace.Setup(dir, data.Unit{Name: "单位", Code: "DW", Officer: "张"}, testPassword, testWS)
	if err != nil {
		t.Fatal(err)
	}
	ws.Close()
	a := newTestApp(t, dir)
	test.Tap(a.unlock.forgot)
	if !a.unlock.recoverBox.Visible() {
		t.Fatal("recovery form not shown")
	}
	test.Type(a.unlock.code, strings.ToLower(code))
	test.Type(a.unlock.newPw, "New-Password-99")
	test.Type(a.unlock.again2, "New-Password-99")
	test.Tap(a.unlock.recoverBtn)
	waitLive(t, a)
	a.Lock()
	if _, err := workspace.Unlock(dir, testPassword, testWS); err == nil {
		t.Error("old password still works")
	}
}

func TestIdleLocksTheStoreAndReturnsToUnlock(t *testing.T) {
	// given an unlocked main window with auto-lock after 10 "minutes" of 20 ms
	dir := setUpFolder(t)
	a := newTestApp(t, dir)
	a.cfg.IdleUnit = 20 * time.Millisecond
	test.Type(a.unlock.password, testPassword)
	test.Tap(a.unlock.unlock)
	waitLive(t, a)
	// with a half-filled form open in a dialog
	title := widget.NewEntry()
	kit.NewModal(a.win, title).Show()
	title.SetText("未保存的标题")
	// when nobody touches it
	waitFor(t, "auto-lock", func() bool { return a.workspace() == nil && a.main == nil })
	if n := len(a.win.Canvas().Overlays().List()); n != 0 {
		t.Errorf("%d dialogs still shown over the unlock screen", n)
	}
	// then the unlock screen is back and the folder can be opened by another process
	if a.win.Content() == nil || a.unlock == nil {
		t.Fatal("no unlock screen after idle lock")
	}
	a.Shutdown()
	ws, err := workspace.Unlock(dir, testPassword, testWS)
	if err != nil {
		t.Fatalf("store still held after lock: %v", err)
	}
	ws.Close()
}

func TestActivityPostponesTheAutoLock(t *testing.T) {
	dir := setUpFolder(t)
	a := newTestApp(t, dir)
	a.cfg.IdleUnit = 30 * time.Millisecond // 10 minutes = 300 ms
	test.Type(a.unlock.password, testPassword)
	test.Tap(a.unlock.unlock)
	waitLive(t, a)
	a.main.carriers.Shortcut(fyne.KeyF) // the cursor in the register's search box
	search := a.win.Canvas().Focused()
	if search == nil {
		t.Fatal("Ctrl+F put the cursor nowhere")
	}
	for i := 0; i < 10; i++ {
		pump(60 * time.Millisecond)
		test.Type(search, "x")
	}
	pump(60 * time.Millisecond)
	if a.workspace() == nil {
		t.Fatal("locked despite typing every 60 ms")
	}
	// and once the typing stops, it does lock
	waitFor(t, "auto-lock", func() bool { return a.workspace() == nil })
}

func TestSecondInstanceOnSameFolderShowsAlreadyOpen(t *testing.T) {
	dir := setUpFolder(t)
	first := newTestApp(t, dir)
	_ = first
	second := newTestApp(t, dir)
	if second.problem == nil {
		t.Fatal("second instance did not show the problem screen")
	}
	if !strings.Contains(second.problem.detail.Text, "已在运行") {
		t.Errorf("problem = %q", second.problem.detail.Text)
	}
}

func TestChangePasswordInSettings(t *testing.T) {
	dir := setUpFolder(t)
	a := newTestApp(t, dir)
	test.Type(a.unlock.password, testPassword)
	test.Tap(a.unlock.unlock)
	waitLive(t, a)
	navTo(t, a, "设置")
	s := a.main.settings
	test.Type(s.oldPw, "not-the-password")
	test.Type(s.newPw, "Another-Pass-2027")
	test.Type(s.again, "Another-Pass-2027")
	test.Tap(s.pwBtn)
	waitFor(t, "refusal", func() bool { return s.pwForm.Problem("当前密码") != "" })
	s.oldPw.SetText(testPassword)
	test.Tap(s.pwBtn)
	waitFor(t, "changed", func() bool { return strings.Contains(s.pwMsg.Text, "密码已修改") })
	a.Lock()
	test.Type(a.unlock.password, "Another-Pass-2027")
	test.Tap(a.unlock.unlock)
	waitLive(t, a)
	// audit check on demand
	navTo(t, a, "设置")
	test.Tap(a.main.settings.verifyBtn)
	waitFor(t, "verify", func() bool { return strings.Contains(a.main.settings.verifyMsg.Text, "校验通过") })
}

// deleteRecordBehindBaomi removes one carrier straight from Badger, as a
// person with the keys but without Baomi could, to simulate silent loss.
func deleteRecordBehindBaomi(t *testing.T, dir, id string) {
	t.Helper()
	keys, err := vault.Open(dir, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	opts := badger.DefaultOptions(filepath.Join(dir, "db")).WithEncryptionKey(keys.Master).
		WithIndexCacheSize(1 << 20).WithLogger(nil)
	db, err := badger.Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(txn *badger.Txn) error { return txn.Delete([]byte("r/carrier/" + id)) }); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestAuditBreakAtStartShowsProblemScreenNotMainWindow(t *testing.T) {
	// given a store whose carrier vanished behind Baomi's back
	dir := setUpFolder(t)
	ws, err := workspace.Unlock(dir, testPassword, testWS)
	if err != nil {
		t.Fatal(err)
	}
	c, err := ws.Store.AddCarrier(context.Background(), data.Carrier{Number: "A-1", Title: "文件", Kind: data.KindPaper,
		Level: "秘密", PeriodYears: 10, ReceivedOn: data.NewDate(2026, 1, 5), Copies: 1, Custodian: "李四"})
	if err != nil {
		t.Fatal(err)
	}
	ws.Close()
	deleteRecordBehindBaomi(t, dir, c.ID)
	// when the officer unlocks
	a := newTestApp(t, dir)
	test.Type(a.unlock.password, testPassword)
	test.Tap(a.unlock.unlock)
	// then a problem screen says what is wrong, and the store is not left open
	waitFor(t, "problem screen", func() bool { return a.problem != nil })
	if a.main != nil || a.workspace() != nil {
		t.Error("main window opened on a broken store")
	}
	if d := a.problem.detail.Text; !strings.Contains(d, "审计链") || !strings.Contains(d, "已不存在") {
		t.Errorf("problem text = %q", d)
	}
}

func TestInterruptedSetupAsksForTheUnitAfterUnlock(t *testing.T) {
	// given a vault whose store never got the unit (setup killed midway)
	dir := t.TempDir()
	if _, _, err := vault.Create(dir, testPassword, vault.InsecureTestParams); err != nil {
		t.Fatal(err)
	}
	a := newTestApp(t, dir)
	test.Type(a.unlock.password, testPassword)
	test.Tap(a.unlock.unlock)
	// then the unit form appears, asking for the password again (for a new
	// recovery code) but not for a new password
	waitFor(t, "unit form", func() bool { return a.setup != nil && a.workspace() != nil })
	if a.setup.password != nil || a.setup.current == nil {
		t.Fatal("wrong password fields on the completion form")
	}
	test.Type(a.setup.name, "补填单位")
	test.Type(a.setup.code, "BT")
	test.Type(a.setup.officer, "钱七")
	test.Type(a.setup.current, "not-the-password")
	test.Tap(a.setup.create)
	waitFor(t, "wrong password", func() bool { return a.setup.form.Problem("当前密码") != "" })
	a.setup.current.SetText(testPassword)
	test.Tap(a.setup.create)
	// then a new recovery code is shown, and it is the one that works
	waitFor(t, "recovery screen", func() bool { return a.recovery != nil })
	code := a.recovery.code.Text
	test.Tap(a.recovery.written)
	test.Tap(a.recovery.enter)
	waitLive(t, a)
	if !strings.Contains(a.main.status.Text, "补填单位") {
		t.Errorf("status = %q", a.main.status.Text)
	}
	if _, err := vault.OpenWithRecovery(dir, code); err != nil {
		t.Errorf("the code shown does not open the vault: %v", err)
	}
}

func TestDefaultFailDelayDoublesUpToAMinute(t *testing.T) {
	want := []time.Duration{0, 1, 2, 4, 8, 16, 32, 60, 60, 60}
	for n, w := range want {
		if got := DefaultFailDelay(n); got != w*time.Second {
			t.Errorf("DefaultFailDelay(%d) = %v, want %v", n, got, w*time.Second)
		}
	}
}

// navTo selects the navigation entry titled title.
func navTo(t *testing.T, a *App, title string) {
	t.Helper()
	for i, p := range a.main.pages {
		if p.title == title {
			a.main.nav.Select(i)
			settle(t, a) // the page reads what it shows in the background
			return
		}
	}
	t.Fatalf("no page %q", title)
}

// Given the settings page, a number pattern without {序号} is refused on
// its field and a good pattern and 密级 list are saved for the forms to
// use (the carriers package tests that its forms follow them).
func TestRegisterSettingsAreCheckedAndSaved(t *testing.T) {
	dir := setUpFolder(t)
	a := newTestApp(t, dir)
	test.Type(a.unlock.password, testPassword)
	test.Tap(a.unlock.unlock)
	waitLive(t, a)
	navTo(t, a, "设置")
	s := a.main.settings
	settle(t, a)
	s.pattern.SetText("{年}")
	tapSettled(t, a, s.regBtn)
	if s.regForm.Problem(data.FieldNumberPattern) == "" {
		t.Fatal("a pattern without {序号} was accepted")
	}
	s.pattern.SetText("密-{序号3}")
	s.levels.SetText("核心商密 10\n普通商密 5\n内部 0")
	tapSettled(t, a, s.regBtn)
	if !strings.Contains(s.regMsg.Text, "已保存") {
		t.Fatalf("save: %q / %q", s.regMsg.Text, s.regForm.Problem(data.FieldLevels))
	}
	set, err := a.workspace().Settings(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if set.NumberPattern != "密-{序号3}" || len(set.Classifications) != 3 || set.Classifications[1] != (data.Classification{Name: "普通商密", DefaultYears: 5}) {
		t.Errorf("stored pattern %q, levels %v", set.NumberPattern, set.Classifications)
	}
}

// settle waits until the background work started by the last action (a
// save, a read through inBackground) has handed its result to the UI
// goroutine.
func settle(t *testing.T, a *App) {
	t.Helper()
	waitFor(t, "the background work to finish", func() bool { return idle(a) })
}

// idle reports whether no background work of a is still to be shown: no
// inBackground work, no register read or refresh.
func idle(a *App) bool {
	return !a.Working() && (a.main == nil || ((a.main.carriers == nil || !a.main.carriers.Reading()) &&
		(a.main.settings == nil || !a.main.settings.loading)))
}

// tapSettled taps b and waits until the background work it started (a
// save through inBackground) has handed its result to the UI goroutine.
func tapSettled(t *testing.T, a *App, b fyne.Tappable) {
	t.Helper()
	test.Tap(b)
	settle(t, a)
}

// Given a document a screen printed (kept in a private temporary folder
// for the system viewer), when the window locks, then the file is gone:
// no classified list stays on disk.
func TestLockRemovesThePrintFiles(t *testing.T) {
	dir := setUpFolder(t)
	a := newTestApp(t, dir)
	test.Type(a.unlock.password, testPassword)
	test.Tap(a.unlock.unlock)
	waitLive(t, a)
	a.Print("涉密载体台账.pdf", 1, func(w io.Writer) error { _, err := io.WriteString(w, "%PDF-1.4 test"); return err })
	waitFor(t, "print file", func() bool { return a.lastPrint != "" })
	if b, err := os.ReadFile(a.lastPrint); err != nil || string(b) != "%PDF-1.4 test" {
		t.Fatalf("print file: %q, %v", b, err)
	}
	a.Lock()
	if _, err := os.Stat(a.lastPrint); !os.IsNotExist(err) {
		t.Errorf("print file still there after lock: %v", err)
	}
}
