package tray

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sciorex/sciorex-secrets/session"
)

// view is what the controller draws on: the systray adapter in production,
// a recorder in tests. Its methods are called from one goroutine only.
type view interface {
	// show makes the menu match items. Items keep their keys from one call
	// to the next; collection rows beyond len(children) are hidden.
	show(items []Item)
	setLook(l Look)
}

// controller owns the menu state. Its loop is the only goroutine that
// touches the view; click receivers hand it keys, and it starts actions on
// goroutines of their own so that no dialog blocks the menu.
type controller struct {
	b    Backend
	opts Options

	clicks  chan Key      // from the per-item receivers
	refresh chan struct{} // capacity 1: re-read status and settings

	items       []Item // last drawn menu; read and written by loop only
	rateLimited bool   // the last drawn status had an agent in a cool-down

	busy    atomic.Bool    // an interactive action (a dialog) is running
	actions sync.WaitGroup // running actions
}

func newController(b Backend, opts Options) *controller {
	if opts.Logf == nil {
		opts.Logf = func(string, ...any) {}
	}
	if opts.OpenFile == nil {
		opts.OpenFile = openFile
	}
	return &controller{b: b, opts: opts, clicks: make(chan Key, 16), refresh: make(chan struct{}, 1)}
}

func (c *controller) features() Features {
	return Features{
		Export:      c.opts.Export != nil,
		Import:      c.opts.Import != nil,
		ShowPending: c.opts.ShowPending != nil,
		Settings:    c.opts.Settings != nil,
		AuditLog:    c.b.AuditPath() != "",
	}
}

func (c *controller) settings() Settings {
	if c.opts.Settings == nil {
		return Settings{}
	}
	return c.opts.Settings.Settings()
}

// menu computes the model for st; callers pass the result to draw.
func (c *controller) menu(st session.Status) []Item {
	return Menu(st, c.settings(), c.features())
}

func (c *controller) draw(v view, st session.Status) {
	c.rateLimited = len(st.RateLimited) > 0
	c.items = c.menu(st)
	v.show(c.items)
	v.setLook(LookFor(st, c.opts.Title))
}

// coolDownPoll is how often the tray re-reads the status while an agent is
// rate-limited: a cool-down ends without any event the backend publishes.
const coolDownPoll = 10 * time.Second

// loop draws every status update and dispatches clicks until ctx ends.
// initial is the menu the view was built from.
func (c *controller) loop(ctx context.Context, v view, initial []Item) {
	updates, cancel := c.b.Subscribe()
	defer cancel()
	poll := time.NewTicker(coolDownPoll)
	defer poll.Stop()
	c.items = initial
	c.draw(v, c.b.Status()) // the status may have changed since initial
	for {
		select {
		case <-ctx.Done():
			return
		case st, ok := <-updates:
			if !ok {
				updates = nil // the backend stopped publishing; keep serving clicks
				continue
			}
			c.draw(v, st)
		case <-c.refresh:
			c.draw(v, c.b.Status())
		case <-poll.C:
			if c.rateLimited {
				c.draw(v, c.b.Status())
			}
		case k := <-c.clicks:
			c.clicked(ctx, k)
		}
	}
}

// clicked looks the key up in the menu as last drawn. A click on a disabled,
// unknown or informational item does nothing: DBus delivers clicks on
// disabled items too, and any local program can send them.
func (c *controller) clicked(ctx context.Context, k Key) {
	it, ok := find(c.items, k)
	if !ok || !it.Enabled || it.Separator || it.Action.Kind == ActNone {
		c.opts.Logf("tray: ignored a click on %q (not an active item)", k)
		return
	}
	c.start(ctx, it.Action)
}

// start runs a on its own goroutine. Only one interactive action runs at a
// time: a second one while a dialog is open is dropped, not queued.
func (c *controller) start(ctx context.Context, a Action) {
	if a.Kind == ActQuit {
		if c.opts.OnQuit != nil {
			go c.opts.OnQuit()
		}
		return
	}
	if a.interactive() && !c.busy.CompareAndSwap(false, true) {
		c.opts.Logf("tray: another dialog is open; finish it first")
		return
	}
	c.actions.Add(1)
	go func() {
		defer c.actions.Done()
		if a.interactive() {
			defer c.busy.Store(false)
		}
		if err := c.perform(ctx, a); err != nil {
			c.report(a, err)
		}
		select {
		case c.refresh <- struct{}{}:
		default:
		}
	}()
}

func find(items []Item, k Key) (Item, bool) {
	for _, it := range items {
		if it.Key == k {
			return it, true
		}
		if it, ok := find(it.Children, k); ok {
			return it, true
		}
	}
	return Item{}, false
}
