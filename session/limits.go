package session

import (
	"sync"
	"time"
)

// Limits keep a runaway agent from flooding the human with dialogs.
type Limits struct {
	MaxPending   int           // requests one session may have waiting; more are refused with ErrBusy (default 4)
	MaxDenials   int           // denials within DenialWindow that start a cool-down (default 3)
	DenialWindow time.Duration // default 1 minute
	CoolDown     time.Duration // how long requests are refused without a dialog (default 1 minute)
}

func (l Limits) withDefaults() Limits {
	if l.MaxPending <= 0 {
		l.MaxPending = 4
	}
	if l.MaxDenials <= 0 {
		l.MaxDenials = 3
	}
	if l.DenialWindow <= 0 {
		l.DenialWindow = time.Minute
	}
	if l.CoolDown <= 0 {
		l.CoolDown = time.Minute
	}
	return l
}

// limiter tracks one session's denials and pending requests.
type limiter struct {
	mu        sync.Mutex
	denials   []time.Time
	coolUntil time.Time
	pending   int
}

func (l *limiter) coolingDown(now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return now.Before(l.coolUntil)
}

// admit reserves a pending slot, or says why not.
func (l *limiter) admit(now time.Time, lim Limits) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Before(l.coolUntil) {
		return ErrRateLimited
	}
	if l.pending >= lim.MaxPending {
		return ErrBusy
	}
	l.pending++
	return nil
}

func (l *limiter) done() {
	l.mu.Lock()
	l.pending--
	l.mu.Unlock()
}

// denied notes a denial and reports whether it started a cool-down.
func (l *limiter) denied(now time.Time, lim Limits) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	cut := now.Add(-lim.DenialWindow)
	kept := l.denials[:0]
	for _, t := range l.denials {
		if t.After(cut) {
			kept = append(kept, t)
		}
	}
	l.denials = append(kept, now)
	if len(l.denials) >= lim.MaxDenials {
		l.denials = l.denials[:0]
		l.coolUntil = now.Add(lim.CoolDown)
		return true
	}
	return false
}
