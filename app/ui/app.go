// Package ui holds Baomi's screens. App drives the window through its
// states: setup, unlock, the main window, and the problem screen. Each
// screen is a struct built by newXScreen holding its widgets and the narrow
// domain interface it needs, with on… handler methods. Long work (key
// derivation, opening and verifying the store) runs off the UI goroutine;
// its results are applied with fyne.Do.
package ui

import (
	"context"
	"errors"
	"log"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"baomi/app/ui/kit"
	"baomi/data"
	"baomi/data/datadir"
	"baomi/data/workspace"
)

// Title is the window title.
const Title = "保密工作台"

// Config is what App needs from main.
type Config struct {
	// Dir is the data folder.
	Dir string
	// Workspace configures key derivation and the store guard.
	Workspace workspace.Config
	// Logger receives internal detail; nil uses the standard logger.
	Logger *log.Logger
	// IdleUnit is the length of one "minute" of the auto-lock setting;
	// zero means time.Minute. Tests shorten it.
	IdleUnit time.Duration
	// FailDelay returns how long unlocking is refused after the n-th wrong
	// password in a row; nil uses DefaultFailDelay.
	FailDelay func(n int) time.Duration
	// Do runs a function on the UI goroutine; nil uses fyne.Do. Tests queue
	// the functions and run them on the test goroutine.
	Do func(func())
}

// DefaultFailDelay doubles the wait after each wrong password: 1, 2, 4 … s,
// at most 60 s.
func DefaultFailDelay(n int) time.Duration {
	if n <= 0 {
		return 0
	}
	if n > 6 {
		return 60 * time.Second
	}
	return time.Duration(1<<(n-1)) * time.Second
}

// App is Baomi's window and the state it is in.
type App struct {
	fa  fyne.App
	win fyne.Window
	cfg Config
	log *log.Logger

	release func() // instance lock on the data folder

	mu         sync.Mutex // guards ws, quitting, gen and cancelOpen
	ws         *workspace.Workspace
	quitting   bool
	gen        int                // counts locks: an unlock still running for an older one is dropped
	cancelOpen context.CancelFunc // stops the checks of an unlock in progress
	storeMu    sync.Mutex         // held while a store is being opened or closed in the background
	beforeOpen func()             // tests: runs after the preview, before the store is opened
	printDir   string             // temporary print files, removed on lock and quit
	lastPrint  string             // the last print file, for tests
	closing    sync.WaitGroup     // stores being closed in the background
	unit       data.Unit
	lockAfter  int // the auto-lock minutes of the open data
	autoLocked int // the idle minutes after which the window locked itself; 0 after a lock by hand

	printDialog *printDialog // the dialog of the last print file, for tests

	// openStore, set by tests, replaces Keys.Open to bring faults a test
	// cannot cause for real (a full disk while opening).
	openStore func(*workspace.Keys, *data.RegisterSnapshot) (*workspace.Workspace, error)
	// setupStore, set by tests, replaces workspace.Setup to hold the
	// setup's key derivation while its progress is looked at.
	setupStore func(dir string, u data.Unit, password string, cfg workspace.Config) (*workspace.Workspace, string, error)

	current  fyne.CanvasObject // the screen's content, under the activity catcher
	idle     *idleTimer
	failures int        // wrong passwords in a row
	worker   kit.Worker // runs the screens' background work

	// screens, kept for tests
	setup    *setupScreen
	recovery *recoveryScreen
	unlock   *unlockScreen
	main     *mainScreen
	problem  *problemScreen
}

// New returns an App for fa; Start shows its window.
func New(fa fyne.App, cfg Config) *App {
	if cfg.Logger == nil {
		cfg.Logger = log.Default()
	}
	if cfg.IdleUnit == 0 {
		cfg.IdleUnit = time.Minute
	}
	if cfg.FailDelay == nil {
		cfg.FailDelay = DefaultFailDelay
	}
	if cfg.Do == nil {
		cfg.Do = fyne.Do
	}
	a := &App{fa: fa, cfg: cfg, log: cfg.Logger}
	a.worker = kit.Worker{Do: a.Do, Busy: a.Busy}
	a.win = fa.NewWindow(Title)
	a.win.Resize(a.rememberedSize())
	a.win.CenterOnScreen()
	// Fyne writes its preferences to disk once more after this hook, on
	// every way out (closing the window, 退出, SIGTERM); a size kept after
	// the event loop has ended would never reach the file.
	fa.Lifecycle().SetOnStopped(a.rememberSize)
	a.idle = newIdleTimer(func() { a.Do(a.onIdle) })
	a.win.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) { a.Touch(); kit.Escape(a.win.Canvas(), ev) })
	a.win.SetCloseIntercept(func() { a.Shutdown(); a.win.Close() })
	return a
}

// The window's size is remembered in Fyne's preferences under these keys.
const (
	prefWindowWidth  = "window.width"
	prefWindowHeight = "window.height"
)

// DefaultSize is the window's size until the officer changes it: it fits a
// 1024×768 screen (still common on dedicated classified PCs) with a
// taskbar, and every screen is laid out to work at it.
var DefaultSize = fyne.NewSize(1024, 700)

// minRemembered is the smallest remembered size used: anything smaller
// (a window minimised or squeezed when it was closed) opens at DefaultSize.
var minRemembered = fyne.NewSize(640, 480)

// rememberedSize returns the size the window had when it was last closed,
// or DefaultSize.
func (a *App) rememberedSize() fyne.Size {
	p := a.fa.Preferences()
	w, h := float32(p.Float(prefWindowWidth)), float32(p.Float(prefWindowHeight))
	if w < minRemembered.Width || h < minRemembered.Height {
		return DefaultSize
	}
	return fyne.NewSize(w, h)
}

// rememberSize keeps the window's size for the next start.
func (a *App) rememberSize() {
	s := a.win.Canvas().Size()
	if s.Width < minRemembered.Width || s.Height < minRemembered.Height {
		return
	}
	p := a.fa.Preferences()
	p.SetFloat(prefWindowWidth, float64(s.Width))
	p.SetFloat(prefWindowHeight, float64(s.Height))
}

// Do runs fn on the UI goroutine: results of work done elsewhere are
// applied to widgets only through it.
func (a *App) Do(fn func()) { a.cfg.Do(fn) }

// Window returns the main window.
func (a *App) Window() fyne.Window { return a.win }

// Start takes the data folder's lock and shows the first screen: setup for
// a new folder, unlock otherwise, or a problem screen when another Baomi
// holds the folder.
func (a *App) Start() {
	release, err := datadir.Lock(a.cfg.Dir)
	if err != nil {
		a.showProblem("无法打开数据目录", err)
		a.win.Show()
		return
	}
	a.release = release
	if workspace.IsSetUp(a.cfg.Dir) {
		a.showUnlock()
	} else {
		a.showSetup(true)
	}
	a.win.Show()
}

// Shutdown closes the store and releases the data folder. It is safe to
// call more than once. A store that a background unlock opens afterwards is
// closed at once.
func (a *App) Shutdown() {
	a.mu.Lock()
	first := !a.quitting
	a.quitting = true
	a.gen++
	if a.cancelOpen != nil {
		a.cancelOpen()
	}
	a.mu.Unlock()
	if first {
		a.rememberSize()
	}
	if a.recovery != nil {
		a.recovery.removeSheet()
	}
	a.idle.stop()
	a.removePrints()
	a.closeWorkspace()
	a.closing.Wait()
	a.storeMu.Lock() // an unlock in progress closes what it opened
	a.storeMu.Unlock()
	if a.release != nil {
		a.release()
		a.release = nil
	}
}

func (a *App) closeWorkspace() {
	a.mu.Lock()
	ws := a.ws
	a.ws = nil
	a.mu.Unlock()
	if ws != nil {
		if err := ws.Close(); err != nil {
			a.log.Printf("close store: %v", err)
		}
	}
}

func (a *App) workspace() *workspace.Workspace {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.ws
}

func (a *App) setContent(o fyne.CanvasObject) {
	a.current = o
	a.win.SetContent(newActivityCatcher(o, a.Touch))
}

// Relayout lays the current screen and any dialog out again after a message
// or a section appeared or disappeared, so nothing overlaps.
func (a *App) Relayout() {
	if a.current != nil {
		a.current.Refresh()
	}
	for _, o := range a.win.Canvas().Overlays().List() {
		o.Refresh()
	}
}

// Touch records user activity for the auto-lock.
func (a *App) Touch() { a.idle.touch() }

func (a *App) showSetup(withPassword bool) {
	a.setup = newSetupScreen(a, withPassword)
	a.setContent(a.setup.content)
	a.win.Canvas().Focus(a.setup.name)
}

func (a *App) showUnlock() {
	a.unlock = newUnlockScreen(a)
	a.setContent(a.unlock.content)
	a.win.Canvas().Focus(a.unlock.password)
	a.Relayout() // the wrapped folder line is measured at its width only once laid out
}

func (a *App) showProblem(title string, err error) {
	a.log.Printf("%s: %v", title, err)
	a.problem = newProblemScreen(a, title, err)
	a.setContent(a.problem.content)
}

// unitState is what the main window needs from a freshly opened store
// besides the register: the unit (ErrNotFound when setup was interrupted
// before it was saved) and the settings. It is read off the UI goroutine.
type unitState struct {
	unit     data.Unit
	unitErr  error
	settings data.Settings
}

// readUnitState reads the unit and the settings of ws; settings that
// cannot be read are logged and replaced by the defaults.
func (a *App) readUnitState(ctx context.Context, ws *workspace.Workspace) unitState {
	u, err := ws.Store.Unit(ctx)
	set, serr := ws.Store.Settings(ctx)
	if serr != nil {
		a.log.Printf("settings: %v", serr)
		set = data.DefaultSettings()
	}
	return unitState{unit: u, unitErr: err, settings: set}
}

// opened is called on the UI goroutine with a freshly unlocked workspace
// that has been verified, the register read while opening (nil: read it
// now) and its unit and settings. It shows the main window, or the unit
// form when setup was interrupted before the unit was saved. A window that
// already shows the register of the last session (preview) goes live
// instead.
func (a *App) opened(ws *workspace.Workspace, register []data.Carrier, confirmed bool, st unitState) {
	a.mu.Lock()
	quitting := a.quitting
	if !quitting {
		a.ws = ws
	}
	a.mu.Unlock()
	if quitting {
		ws.Close()
		return
	}
	a.failures = 0
	a.autoLocked = 0
	a.lockAfter = st.settings.AutoLockMinutes
	if errors.Is(st.unitErr, data.ErrNotFound) {
		a.main = nil
		a.restartIdle()
		a.showSetup(false)
		return
	}
	if st.unitErr != nil {
		a.main = nil
		a.closeWorkspace()
		a.showProblem("无法读取单位信息", st.unitErr)
		return
	}
	a.unit = st.unit
	a.restartIdle()
	if a.main != nil && a.main.svc == nil {
		a.main.goLive(ws, register, confirmed)
	} else {
		a.main = newMainScreen(a, ws, nil, register)
		a.setContent(a.main.content)
	}
	a.showNotices(ws.Notices())
}

// showNotices tells the officer, once after unlocking, what was repaired or
// undone on the way in (a damaged vault copy rewritten, an unfinished
// all-or-nothing import undone): the same sentences the command line prints.
func (a *App) showNotices(notices []string) {
	if len(notices) == 0 {
		return
	}
	msg := widget.NewLabel(strings.Join(notices, "\n"))
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom("请注意", "知道了", container.NewGridWrap(fyne.NewSize(440, 120), msg), a.win)
	d.Show()
}

// previewed shows the main window with the register of the last session
// from its snapshot, read-only, while the store is being checked.
func (a *App) previewed(snap *data.RegisterSnapshot) {
	a.unit = snap.Unit
	a.lockAfter = snap.Settings.AutoLockMinutes
	a.idle.start(time.Duration(a.lockAfter) * a.cfg.IdleUnit)
	a.main = newMainScreen(a, nil, snap, snap.Carriers)
	a.setContent(a.main.content)
}

// restartIdle starts the idle timer again with the auto-lock minutes of
// the open data (lockAfter), kept in memory so that no store read runs on
// the UI goroutine.
func (a *App) restartIdle() {
	if a.workspace() == nil {
		return
	}
	a.idle.start(time.Duration(a.lockAfter) * a.cfg.IdleUnit)
}

// setAutoLock records the auto-lock minutes just saved and restarts the
// idle timer with them.
func (a *App) setAutoLock(minutes int) {
	a.lockAfter = minutes
	a.restartIdle()
}

// Lock returns to the unlock screen at once, then closes the store and
// drops the keys in the background (closing waits for a running Verify).
func (a *App) Lock() { a.lock(0) }

// lock is Lock; idleMinutes > 0 tells the unlock screen that the window
// locked itself after that many minutes without activity.
func (a *App) lock(idleMinutes int) {
	a.autoLocked = idleMinutes
	a.idle.stop()
	a.mu.Lock()
	ws := a.ws
	a.ws = nil
	a.gen++
	if a.cancelOpen != nil {
		a.cancelOpen() // an unlock still checking the store gives up and closes it
	}
	a.mu.Unlock()
	a.main = nil
	a.removePrints()
	if a.recovery != nil {
		a.recovery.removeSheet()
		a.recovery = nil
	}
	// Dialogs (a half-filled carrier form, say) must not stay over the
	// unlock screen showing data.
	for _, o := range a.win.Canvas().Overlays().List() {
		a.win.Canvas().Overlays().Remove(o)
	}
	a.showUnlock()
	if ws != nil {
		a.closeInBackground(ws)
	}
}

// closeInBackground closes ws off the UI goroutine; the next unlock waits
// for it.
func (a *App) closeInBackground(ws *workspace.Workspace) {
	a.closing.Add(1)
	go func() {
		defer a.closing.Done()
		a.storeMu.Lock()
		defer a.storeMu.Unlock()
		if err := ws.Close(); err != nil {
			a.log.Printf("close store: %v", err)
		}
	}()
}

func (a *App) onIdle() {
	if a.workspace() == nil {
		return
	}
	if !a.idle.idle() {
		// activity came in while this call was queued: count again
		a.restartIdle()
		return
	}
	a.log.Printf("idle: locking")
	a.lock(a.lockAfter)
}

// openAndVerify derives the keys with fn off the UI goroutine. When the
// register of the last session has a current snapshot, the main window
// shows it at once, read-only; behind it the store is opened (guard
// included), verified and its register read, and the window goes live
// (opened). Without a snapshot a progress dialog shows the checks. A
// break ends on the problem screen; onFail gets every other error. A lock
// or quit while this runs cancels it and closes what was opened.
func (a *App) openAndVerify(fn func() (*workspace.Keys, error), onFail func(error)) {
	ctx, cancel := context.WithCancel(context.Background())
	a.mu.Lock()
	gen := a.gen
	if a.cancelOpen != nil {
		a.cancelOpen()
	}
	a.cancelOpen = cancel
	a.mu.Unlock()
	current := func() bool {
		a.mu.Lock()
		defer a.mu.Unlock()
		return a.gen == gen && !a.quitting
	}
	// fail shows err unless the unlock was abandoned
	fail := func(title string, err error) {
		a.Do(func() {
			if !current() {
				return
			}
			a.main = nil
			switch {
			case title != "":
				a.showProblem(title, err)
			case errors.Is(err, data.ErrCorrupt), errors.Is(err, data.ErrAuditBroken), errors.Is(err, data.ErrAlreadyOpen),
				errors.Is(err, data.ErrStoreMissing):
				// another password cannot help: say what is wrong and the way back
				a.showProblem("无法打开数据", err)
			default:
				onFail(err)
			}
		})
	}
	go func() {
		defer cancel()
		a.closing.Wait() // a store being closed after Lock must be shut first
		a.storeMu.Lock()
		defer a.storeMu.Unlock()
		start := time.Now()
		keys, err := fn()
		if err != nil {
			fail("", err)
			return
		}
		keyed := time.Now()
		a.log.Printf("unlock: key derived in %v", keyed.Sub(start).Round(time.Millisecond))
		snap, err := keys.Preview()
		if err != nil {
			if !errors.Is(err, data.ErrNotFound) {
				a.log.Printf("register snapshot: %v", err)
			}
			snap = nil
		}
		read := time.Since(keyed)
		progress, shown, endChecking := a.showChecking(snap, current, keyed, read)
		defer endChecking()
		if a.beforeOpen != nil {
			a.beforeOpen()
		}
		// The checks read the whole store on every core: let the first
		// rows be drawn before they start.
		select {
		case <-shown:
		case <-time.After(2 * time.Second):
		}
		if !current() { // locked or quit while the first rows were shown
			keys.Discard()
			return
		}
		open := keys.Open
		if a.openStore != nil {
			open = func(snap *data.RegisterSnapshot) (*workspace.Workspace, error) { return a.openStore(keys, snap) }
		}
		ws, err := open(snap)
		if err != nil {
			fail("", err)
			return
		}
		opened := time.Now()
		rep, err := ws.Store.VerifyProgress(ctx, progress)
		var list []data.Carrier // nil: the window keeps the preview's register, which Verify confirmed
		if err == nil && !(snap != nil && rep.RegisterConfirmed) {
			list, err = ws.Store.Carriers(ctx)
		}
		var st unitState
		if err == nil {
			st = a.readUnitState(ctx, ws)
		}
		if err != nil || !current() {
			ws.Close()
			if err != nil && ctx.Err() == nil {
				fail("数据校验未通过", err)
			}
			return
		}
		// Verify's working memory (hundreds of MB at 100,000 carriers) goes
		// back to the system now rather than over the next minutes.
		debug.FreeOSMemory()
		a.log.Printf("unlock: store opened (guard included) in %v, verified and register read in %v; %v after the key (%d audit entries, %d records, register confirmed %v)",
			opened.Sub(keyed).Round(time.Millisecond), time.Since(opened).Round(time.Millisecond),
			time.Since(keyed).Round(time.Millisecond), rep.Entries, rep.Records, rep.RegisterConfirmed)
		// The progress dialog goes first: Fyne removes every overlay above
		// the one it hides, and opened may show a notice dialog.
		endChecking()
		a.Do(func() {
			if !current() {
				a.closeInBackground(ws)
				return
			}
			a.opened(ws, list, rep.RegisterConfirmed, st)
		})
	}()
}

// showChecking shows, from any goroutine, that the store is being
// checked: the preview of snap when there is one, else a progress dialog.
// It returns the function that moves the progress bar (0 to 1), a channel
// closed once that is shown, and the function that removes the dialog.
func (a *App) showChecking(snap *data.RegisterSnapshot, current func() bool, keyed time.Time, read time.Duration) (
	progress func(float64), shown chan struct{}, end func()) {
	bar := widget.NewProgressBar()
	var dlg *widget.PopUp
	shown = make(chan struct{})
	a.Do(func() {
		defer close(shown)
		if !current() {
			return
		}
		if snap != nil {
			a.previewed(snap)
			bar = a.main.checking
			a.log.Printf("unlock: first rows (%d carriers, register snapshot read in %v) shown %v after the key",
				len(snap.Carriers), read.Round(time.Millisecond), time.Since(keyed).Round(time.Millisecond))
			return
		}
		dlg = kit.NewModal(a.win, container.NewVBox(widget.NewLabel("正在检查数据完整性（审计链和每一条记录）……"), container.New(kit.MinWidth(360), bar)))
		dlg.Show()
	})
	progress = func(v float64) { a.Do(func() { bar.SetValue(v) }) }
	var once sync.Once
	end = func() {
		once.Do(func() {
			a.Do(func() {
				if dlg != nil {
					dlg.Hide()
				}
			})
		})
	}
	return progress, shown, end
}

// headText returns the audit head for the status bar.
func headText(h data.AuditHead) string {
	if h.Seq == 0 {
		return "审计链：空"
	}
	return "审计链 #" + kit.Itoa(int(h.Seq)) + " 校验码 " + h.Fingerprint()
}
