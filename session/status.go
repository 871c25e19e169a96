package session

import (
	"errors"
	"sort"

	"github.com/sciorex/sciorex-secrets/vault"
)

// Status reports the current state.
func (a *Agent) Status() Status {
	st := Status{
		Locked:  a.vault.Locked(),
		Pending: a.queue.pending(),
		Vault:   a.vault.Path(),
	}
	a.mu.Lock()
	for _, l := range a.limiters {
		if cooling, who := l.coolingDown(a.cfg.Now()); cooling {
			st.RateLimited = append(st.RateLimited, who)
		}
	}
	a.mu.Unlock()
	sort.Strings(st.RateLimited)
	if st.Locked {
		return st
	}
	st.Secrets = a.vault.Len()
	st.Collections, _ = a.collections()
	return st
}

// Subscribe delivers the status after every change (lock, unlock, a request
// queued or answered, a collection changed) until cancel is called. Slow
// readers miss intermediate states but always get the latest.
func (a *Agent) Subscribe() (updates <-chan Status, cancel func()) {
	ch := make(chan Status, 1)
	a.mu.Lock()
	a.subs[ch] = struct{}{}
	a.mu.Unlock()
	return ch, func() {
		a.mu.Lock()
		delete(a.subs, ch)
		a.mu.Unlock()
	}
}

func (a *Agent) changed() {
	a.mu.Lock()
	none := len(a.subs) == 0
	a.mu.Unlock()
	if none {
		return
	}
	st := a.Status()
	a.mu.Lock()
	defer a.mu.Unlock()
	for ch := range a.subs {
		select {
		case <-ch: // drop the stale state
		default:
		}
		select {
		case ch <- st:
		default:
		}
	}
}

// errorKind names an error for the audit trail in a few words. It never
// includes text that a caller could have filled with a value.
func errorKind(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, vault.ErrWrongPassword):
		return "wrong password"
	case errors.Is(err, vault.ErrDamaged):
		return "vault damaged"
	case errors.Is(err, ErrDenied):
		return "denied"
	case errors.Is(err, ErrTimeout):
		return "timeout"
	case errors.Is(err, ErrNoApprover):
		return "no approver"
	case errors.Is(err, ErrCanceled):
		return "cancelled"
	case errors.Is(err, ErrLocked), errors.Is(err, vault.ErrLocked):
		return "locked"
	}
	return "error"
}
