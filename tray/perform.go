package tray

import (
	"context"
	"errors"
	"fmt"

	"github.com/sciorex/sciorex-secrets/session"
)

// errNotWired is returned for an action whose backend was not given.
var errNotWired = errors.New("this menu action is not available in this agent")

// perform does what a menu action asks. It runs off the menu goroutines and
// may block on a dialog until the human answers or ctx ends.
func (c *controller) perform(ctx context.Context, a Action) error {
	switch a.Kind {
	case ActUnlock:
		return c.b.Unlock(ctx)
	case ActLock:
		return c.b.Lock()
	case ActShowPending:
		return call(ctx, c.opts.ShowPending)
	case ActCollectionAccess:
		_, err := c.b.SetCollectionAccess(ctx, a.Collection, a.Level)
		return err
	case ActExport:
		return call(ctx, c.opts.Export)
	case ActImport:
		return call(ctx, c.opts.Import)
	case ActOpenAuditLog:
		p := c.b.AuditPath()
		if p == "" {
			return errNotWired
		}
		return c.opts.OpenFile(p)
	case ActAutoLock:
		if c.opts.Settings == nil {
			return errNotWired
		}
		return c.opts.Settings.SetAutoLock(a.Minutes)
	case ActRememberUnlock:
		if c.opts.Settings == nil {
			return errNotWired
		}
		return c.opts.Settings.SetRememberUnlock(ctx, a.On)
	}
	return fmt.Errorf("unknown menu action %d", a.Kind)
}

func call(ctx context.Context, f func(context.Context) error) error {
	if f == nil {
		return errNotWired
	}
	return f(ctx)
}

// report logs a failed action with the hint the user can act on. A refusal
// by the human is not a failure worth more than a line.
func (c *controller) report(a Action, err error) {
	what := actionName(a)
	if errors.Is(err, session.ErrDenied) || errors.Is(err, session.ErrCanceled) || errors.Is(err, context.Canceled) {
		c.opts.Logf("tray: %s: cancelled", what)
		return
	}
	if hint := session.Hint(err); hint != "" {
		c.opts.Logf("tray: %s failed: %v (%s)", what, err, hint)
		return
	}
	c.opts.Logf("tray: %s failed: %v", what, err)
}

func actionName(a Action) string {
	switch a.Kind {
	case ActUnlock:
		return "unlock"
	case ActLock:
		return "lock"
	case ActShowPending:
		return "show pending request"
	case ActCollectionAccess:
		return fmt.Sprintf("set AI access of collection %q to %s", untrusted(a.Collection, maxLabelRunes), a.Level)
	case ActExport:
		return "export"
	case ActImport:
		return "import"
	case ActOpenAuditLog:
		return "open audit log"
	case ActAutoLock:
		return "set auto-lock"
	case ActRememberUnlock:
		return "set remember unlock"
	}
	return "menu action"
}
