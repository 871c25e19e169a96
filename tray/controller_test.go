package tray

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sciorex/sciorex-secrets/session"
)

// fakeBackend records calls and publishes status changes like the agent.
type fakeBackend struct {
	mu       sync.Mutex
	st       session.Status
	calls    []string
	subs     []chan session.Status
	block    chan struct{} // when non-nil, Unlock waits for it or ctx
	audit    string
	settings Settings
}

func (f *fakeBackend) Status() session.Status {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.st
}

func (f *fakeBackend) Subscribe() (<-chan session.Status, func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	ch := make(chan session.Status, 8)
	f.subs = append(f.subs, ch)
	return ch, func() {}
}

func (f *fakeBackend) record(call string, change func(*session.Status)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, call)
	if change != nil {
		change(&f.st)
		for _, s := range f.subs {
			s <- f.st
		}
	}
}

func (f *fakeBackend) Unlock(ctx context.Context) error {
	if f.block != nil {
		select {
		case <-f.block:
		case <-ctx.Done():
			f.record("unlock cancelled", nil)
			return ctx.Err()
		}
	}
	f.record("unlock", func(s *session.Status) { s.Locked = false })
	return nil
}

func (f *fakeBackend) Lock() error {
	f.record("lock", func(s *session.Status) { s.Locked = true })
	return nil
}

func (f *fakeBackend) SetCollectionAccess(ctx context.Context, c, level string) (int, error) {
	f.record("access "+c+" "+level, func(s *session.Status) {
		for i := range s.Collections {
			if s.Collections[i].Name == c {
				s.Collections[i].Access = level
			}
		}
	})
	return 1, nil
}

func (f *fakeBackend) AuditPath() string { return f.audit }

func (f *fakeBackend) Settings() Settings {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.settings
}

func (f *fakeBackend) SetAutoLock(m int) error {
	f.record(fmt.Sprintf("autolock %d", m), nil)
	f.mu.Lock()
	f.settings.AutoLockMinutes = m
	f.mu.Unlock()
	return nil
}

func (f *fakeBackend) SetRememberUnlock(ctx context.Context, on bool) error {
	f.record(fmt.Sprintf("remember %v", on), nil)
	return errors.New("keyring is locked")
}

func (f *fakeBackend) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

// fakeView keeps the last menu and look it was given.
type fakeView struct {
	mu    sync.Mutex
	items []Item
	look  Look
	draws int
}

func (v *fakeView) show(items []Item) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.items, v.draws = items, v.draws+1
}

func (v *fakeView) setLook(l Look) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.look = l
}

func (v *fakeView) title(k Key) string {
	v.mu.Lock()
	defer v.mu.Unlock()
	it, _ := find(v.items, k)
	return it.Title
}

// eventually polls cond; the generous deadline only bounds a hung test.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

type harness struct {
	b      *fakeBackend
	v      *fakeView
	c      *controller
	cancel func()
	done   chan struct{}
	logs   *logRecorder
}

type logRecorder struct {
	mu    sync.Mutex
	lines []string
}

func (l *logRecorder) logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
}

func (l *logRecorder) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

func start(t *testing.T, b *fakeBackend, opts Options) *harness {
	t.Helper()
	logs := &logRecorder{}
	opts.Logf = logs.logf
	c := newController(b, opts)
	v := &fakeView{}
	ctx, cancel := context.WithCancel(context.Background())
	h := &harness{b: b, v: v, c: c, cancel: cancel, done: make(chan struct{}), logs: logs}
	initial := c.menu(b.Status())
	go func() {
		defer close(h.done)
		c.loop(ctx, v, initial)
		c.actions.Wait()
	}()
	t.Cleanup(h.stop)
	eventually(t, "first draw", func() bool { v.mu.Lock(); defer v.mu.Unlock(); return v.draws > 0 })
	return h
}

func (h *harness) stop() {
	h.cancel()
	<-h.done
}

func (h *harness) click(k Key) { h.c.clicks <- k }

func TestControllerLockUnlock(t *testing.T) {
	b := &fakeBackend{st: session.Status{Locked: true}}
	h := start(t, b, Options{})
	if got := h.v.title(KeyLock); got != "Unlock…" {
		t.Fatalf("lock item = %q, want Unlock…", got)
	}
	h.click(KeyLock)
	eventually(t, "Lock label", func() bool { return h.v.title(KeyLock) == "Lock" })
	h.click(KeyLock)
	eventually(t, "Unlock label", func() bool { return h.v.title(KeyLock) == "Unlock…" })
	if got, want := strings.Join(b.Calls(), ","), "unlock,lock"; got != want {
		t.Errorf("calls = %s, want %s", got, want)
	}
	if h.v.look.Icon != IconLocked {
		t.Errorf("icon = %s, want %s", h.v.look.Icon, IconLocked)
	}
}

// TestControllerIgnoresInactiveClicks: DBus delivers clicks on disabled
// items, and any local program can send one. They must do nothing.
func TestControllerIgnoresInactiveClicks(t *testing.T) {
	b := &fakeBackend{st: session.Status{Locked: true, Collections: []session.CollectionInfo{{Name: "w", Access: "deny"}}}}
	shown := 0
	h := start(t, b, Options{
		Export:      func(context.Context) error { t.Error("export ran while locked"); return nil },
		ShowPending: func(context.Context) error { shown++; return nil },
	})
	for _, k := range []Key{KeyStatus, KeyPending, KeyExport, KeyImport, KeyAuditLog, KeyCollections,
		CollectionRowKey(0), CollectionRowKey(5), KeyCollectionsNote, AutoLockKey(5), KeyRemember, "sep/1", "nonsense"} {
		h.click(k)
	}
	h.stop()
	if calls := b.Calls(); len(calls) != 0 {
		t.Errorf("backend calls = %v, want none", calls)
	}
	if shown != 0 {
		t.Errorf("ShowPending ran %d times with nothing pending", shown)
	}
}

func TestControllerCollectionToggle(t *testing.T) {
	b := &fakeBackend{st: session.Status{Secrets: 1, Collections: []session.CollectionInfo{{Name: "work_stuff", Access: "deny", Secrets: 1}}}}
	h := start(t, b, Options{})
	h.click(CollectionRowKey(0))
	eventually(t, "checked row", func() bool {
		h.v.mu.Lock()
		defer h.v.mu.Unlock()
		it, _ := find(h.v.items, CollectionRowKey(0))
		return it.Checked
	})
	h.click(CollectionRowKey(0))
	eventually(t, "two calls", func() bool { return len(b.Calls()) == 2 })
	if got, want := strings.Join(b.Calls(), ","), "access work_stuff use,access work_stuff deny"; got != want {
		t.Errorf("calls = %s, want %s", got, want)
	}
}

// TestControllerOneDialogAtATime: a second interactive click while a dialog
// is open is dropped, and stop cancels the open dialog.
func TestControllerOneDialogAtATime(t *testing.T) {
	b := &fakeBackend{st: session.Status{Locked: true}, block: make(chan struct{})}
	h := start(t, b, Options{})
	h.click(KeyLock)
	eventually(t, "busy", func() bool { return h.c.busy.Load() })
	h.click(KeyLock)
	eventually(t, "refusal logged", func() bool { return strings.Contains(h.logs.String(), "another dialog is open") })
	h.stop()
	if got, want := strings.Join(b.Calls(), ","), "unlock cancelled"; got != want {
		t.Errorf("calls = %s, want %s", got, want)
	}
}

func TestControllerSettingsAndQuit(t *testing.T) {
	b := &fakeBackend{st: session.Status{Locked: true}, settings: Settings{AutoLockMinutes: 15}}
	quit := make(chan struct{}, 1)
	h := start(t, b, Options{Settings: b, OnQuit: func() { quit <- struct{}{} }})
	h.click(AutoLockKey(60))
	eventually(t, "60 checked", func() bool {
		h.v.mu.Lock()
		defer h.v.mu.Unlock()
		it, _ := find(h.v.items, AutoLockKey(60))
		return it.Checked
	})
	h.click(KeyRemember)
	eventually(t, "keyring failure logged", func() bool {
		return strings.Contains(h.logs.String(), "set remember unlock failed: keyring is locked")
	})
	h.click(KeyQuit)
	<-quit
	if got, want := strings.Join(b.Calls(), ","), "autolock 60,remember true"; got != want {
		t.Errorf("calls = %s, want %s", got, want)
	}
}

func TestControllerOpenAuditLog(t *testing.T) {
	b := &fakeBackend{st: session.Status{Locked: true}, audit: "/tmp/vault.audit"}
	opened := make(chan string, 1)
	h := start(t, b, Options{OpenFile: func(p string) error { opened <- p; return nil }})
	h.click(KeyAuditLog)
	if got := <-opened; got != "/tmp/vault.audit" {
		t.Errorf("opened %q", got)
	}
}

// closedBackend closes its subscription at once, as a stopping agent may.
type closedBackend struct{ fakeBackend }

func (c *closedBackend) Subscribe() (<-chan session.Status, func()) {
	ch := make(chan session.Status)
	close(ch)
	return ch, func() {}
}

func TestControllerSurvivesClosedSubscription(t *testing.T) {
	b := &closedBackend{fakeBackend{st: session.Status{Locked: true}}}
	logs := &logRecorder{}
	c := newController(b, Options{Logf: logs.logf})
	v := &fakeView{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); c.loop(ctx, v, c.menu(b.Status())) }()
	c.clicks <- KeyLock
	eventually(t, "unlock after close", func() bool { return len(b.Calls()) == 1 })
	cancel()
	<-done
}
