// Command traydemo shows the real tray over a fake agent, for the DBus
// integration test of package tray and for trying the menu by hand:
//
//	dbus-run-session -- go run ./tray/internal/traydemo
//
// It prints one line per event on stdout: "READY <pid>", "CALL <what>"
// for every backend call, "QUIT" when Quit is clicked. It is built without
// the race detector on purpose: systray itself has data races.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"sync"
	"syscall"

	"github.com/sciorex/sciorex-secrets/session"
	"github.com/sciorex/sciorex-secrets/tray"
)

// agent is an in-memory stand-in for *session.Agent.
type agent struct {
	mu       sync.Mutex
	st       session.Status
	subs     []chan session.Status
	settings tray.Settings
}

func (a *agent) Status() session.Status {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.st
}

func (a *agent) Subscribe() (<-chan session.Status, func()) {
	a.mu.Lock()
	defer a.mu.Unlock()
	ch := make(chan session.Status, 16)
	a.subs = append(a.subs, ch)
	return ch, func() {}
}

// call prints the event, applies change and publishes the new status.
func (a *agent) call(what string, change func(*session.Status)) {
	a.mu.Lock()
	defer a.mu.Unlock()
	fmt.Printf("CALL %s\n", what)
	if change == nil {
		return
	}
	change(&a.st)
	a.st.Collections = append([]session.CollectionInfo(nil), a.st.Collections...)
	for _, s := range a.subs {
		select {
		case s <- a.st:
		default:
		}
	}
}

func (a *agent) Unlock(context.Context) error {
	a.call("unlock", func(s *session.Status) { s.Locked, s.Secrets = false, 3 })
	return nil
}

func (a *agent) Lock() error {
	a.call("lock", func(s *session.Status) { s.Locked, s.Secrets = true, 0 })
	return nil
}

func (a *agent) SetCollectionAccess(_ context.Context, c, level string) (int, error) {
	a.call("access "+c+" "+level, func(s *session.Status) {
		cols := append([]session.CollectionInfo(nil), s.Collections...)
		for i := range cols {
			if cols[i].Name == c {
				cols[i].Access = level
			}
		}
		s.Collections = cols
	})
	return 1, nil
}

func (a *agent) AuditPath() string { return "/nonexistent/traydemo.audit" }

func (a *agent) Settings() tray.Settings {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.settings
}

func (a *agent) SetAutoLock(m int) error {
	a.call(fmt.Sprintf("autolock %d", m), nil)
	a.mu.Lock()
	a.settings.AutoLockMinutes = m
	a.mu.Unlock()
	return nil
}

func (a *agent) SetRememberUnlock(_ context.Context, on bool) error {
	a.call(fmt.Sprintf("remember %v", on), nil)
	a.mu.Lock()
	a.settings.RememberUnlock = on
	a.mu.Unlock()
	return nil
}

func main() {
	a := &agent{
		st: session.Status{Locked: true, Collections: []session.CollectionInfo{
			{Name: "Work", Access: "use", Secrets: 2},
			{Name: "personal_mail", Access: "deny", Secrets: 1},
		}},
		settings: tray.Settings{AutoLockMinutes: 15},
	}
	if ok, why := tray.Available(); !ok {
		fmt.Fprintln(os.Stderr, "traydemo:", why)
		os.Exit(2)
	}
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	quit := make(chan struct{})
	var once sync.Once
	stop, err := tray.Run(ctx, a, tray.Options{
		Title:    "traydemo",
		Logf:     func(f string, args ...any) { fmt.Fprintf(os.Stderr, f+"\n", args...) },
		OnQuit:   func() { fmt.Println("QUIT"); once.Do(func() { close(quit) }) },
		OpenFile: func(p string) error { a.call("open "+p, nil); return nil },
		Export:   func(context.Context) error { a.call("export", nil); return nil },
		Import:   func(context.Context) error { a.call("import", nil); return nil },
		Settings: a,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "traydemo:", err)
		os.Exit(1)
	}
	fmt.Printf("READY %d\n", os.Getpid())
	select {
	case <-ctx.Done():
	case <-quit:
	}
	stop()
}
