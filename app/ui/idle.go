package ui

import (
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"baomi/data"
)

// newPasswordNames labels the password rule's fields on forms that set a
// new password.
var newPasswordNames = map[string]string{data.FieldPassword: "新密码", data.FieldPassword2: "确认新密码"}

// idleTimer calls onIdle once no activity was seen for its duration. The
// timer re-checks the last activity when it fires, so a touch that races
// with the firing still postpones the lock.
type idleTimer struct {
	mu     sync.Mutex
	d      time.Duration
	t      *time.Timer
	last   time.Time
	onIdle func()
}

func newIdleTimer(onIdle func()) *idleTimer { return &idleTimer{onIdle: onIdle} }

// start arms the timer for d; d <= 0 disables auto-lock.
func (i *idleTimer) start(d time.Duration) {
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.t != nil {
		i.t.Stop()
		i.t = nil
	}
	i.d, i.last = d, time.Now()
	if d > 0 {
		i.t = time.AfterFunc(d, i.fire)
	}
}

func (i *idleTimer) fire() {
	i.mu.Lock()
	if i.t == nil {
		i.mu.Unlock()
		return
	}
	if rest := i.d - time.Since(i.last); rest > 0 {
		i.t.Reset(rest)
		i.mu.Unlock()
		return
	}
	i.t = nil
	i.mu.Unlock()
	i.onIdle()
}

// touch records activity now.
func (i *idleTimer) touch() {
	i.mu.Lock()
	i.last = time.Now()
	i.mu.Unlock()
}

// idle reports whether the timer is armed and no activity was seen for its
// whole duration.
func (i *idleTimer) idle() bool {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.d > 0 && time.Since(i.last) >= i.d
}

func (i *idleTimer) stop() {
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.t != nil {
		i.t.Stop()
		i.t = nil
	}
}

// activityCatcher lies under a screen's content and sees the mouse move
// wherever no widget takes the event, reporting it as activity.
type activityCatcher struct {
	widget.BaseWidget
	content fyne.CanvasObject
	touch   func()
}

var _ desktop.Hoverable = (*activityCatcher)(nil)

func newActivityCatcher(content fyne.CanvasObject, touch func()) *activityCatcher {
	c := &activityCatcher{content: content, touch: touch}
	c.ExtendBaseWidget(c)
	return c
}

func (c *activityCatcher) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(c.content)
}

func (c *activityCatcher) MouseIn(*desktop.MouseEvent)    { c.touch() }
func (c *activityCatcher) MouseMoved(*desktop.MouseEvent) { c.touch() }
func (c *activityCatcher) MouseOut()                      {}
