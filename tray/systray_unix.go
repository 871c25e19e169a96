//go:build linux || freebsd || openbsd || netbsd || windows || (darwin && cgo)

package tray

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"fyne.io/systray"
)

var started atomic.Bool

// Run shows the tray and serves its menu until ctx ends or stop is called.
// It does not block. It is tested on Linux only: on Windows and macOS
// systray wants its event loop on the main OS thread, which this
// RunWithExternalLoop-based start does not arrange. It fails with [ErrUnavailable] when
// [Available] says no, and with [ErrStarted] on a second call in the same
// process. stop withdraws the tray, cancels the context of running actions
// and waits for them; it may be called more than once.
func Run(ctx context.Context, b Backend, opts Options) (stop func(), err error) {
	if b == nil {
		return nil, errors.New("tray: no backend given")
	}
	if ok, why := Available(); !ok {
		return nil, fmt.Errorf("%w: %s", ErrUnavailable, why)
	}
	if !started.CompareAndSwap(false, true) {
		return nil, ErrStarted
	}
	c := newController(b, opts)
	initial := c.menu(b.Status())
	look := LookFor(b.Status(), opts.Title)
	ready := make(chan *sysView, 1)
	start, end := systray.RunWithExternalLoop(func() {
		// onReady must return: GetLayout waits for it.
		ready <- buildView(titleOr(opts.Title), initial, look)
	}, nil)
	start()

	ctx, cancel := context.WithCancel(ctx)
	var v *sysView
	select {
	case v = <-ready:
	case <-ctx.Done():
		cancel()
		endTray(end, c.opts.Logf)
		return nil, ctx.Err()
	}
	for k, it := range v.items {
		go receive(ctx, it.ClickedCh, k, c.clicks)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		c.loop(ctx, v, initial)
		endTray(end, c.opts.Logf)
		c.actions.Wait()
	}()
	var once sync.Once
	return func() { once.Do(func() { cancel(); <-done }) }, nil
}

// receive keeps a goroutine blocked on an item's ClickedCh at all times:
// systray drops a click when nobody is receiving.
func receive(ctx context.Context, clicked <-chan struct{}, k Key, out chan<- Key) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-clicked:
			select {
			case out <- k:
			case <-ctx.Done():
				return
			}
		}
	}
}

// endTray withdraws the tray. systray panics here when it never reached the
// bus (fyne-io/fyne#6403); that must not take the agent down.
func endTray(end func(), logf func(string, ...any)) {
	defer func() {
		if r := recover(); r != nil {
			logf("tray: systray failed while stopping: %v", r)
		}
	}()
	end()
}

func titleOr(t string) string {
	if t == "" {
		return "sciorex-secrets"
	}
	return t
}
