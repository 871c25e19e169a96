package session

import (
	"fmt"
	"sync"
	"time"
)

// Limits keep a runaway agent from flooding the human with dialogs.
type Limits struct {
	MaxPending   int           // requests one session may have waiting; more are refused with ErrBusy (default 4)
	MaxDenials   int           // requests denied, unanswered or withdrawn within DenialWindow that start a cool-down (default 3)
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

// limiter counts the refused requests of one client: the process behind
// its sessions as the kernel names it (the AI client that launched the
// bridge, the shell that ran the CLI). Sessions of one client share it, so
// that reconnecting does not end a cool-down.
type limiter struct {
	mu        sync.Mutex
	label     string // who, for the tray
	denials   []time.Time
	coolUntil time.Time
	sessions  int // open sessions using it
}

// limiterKey names the client behind an identity: its pid with its start
// time (a pid alone can be reused), or what there is.
func limiterKey(id Identity) string {
	switch {
	case id.Client.PID != 0:
		return fmt.Sprintf("client %d/%d", id.Client.PID, id.Client.StartTime)
	case id.Peer.PID != 0:
		return fmt.Sprintf("peer %d/%d", id.Peer.PID, id.Peer.StartTime)
	}
	return "local " + id.Claimed
}

// limiterFor returns the limiter of the client behind id, counting one
// more session on it. Limiters of clients that have no session left and
// nothing left to remember are dropped here.
func (a *Agent) limiterFor(id Identity) *limiter {
	now := a.cfg.Now()
	a.mu.Lock()
	defer a.mu.Unlock()
	for key, l := range a.limiters {
		if l.idle(now, a.cfg.Limits) {
			delete(a.limiters, key)
		}
	}
	key := limiterKey(id)
	l := a.limiters[key]
	if l == nil {
		l = &limiter{}
		a.limiters[key] = l
	}
	l.mu.Lock()
	l.sessions++
	l.label = id.String()
	l.mu.Unlock()
	return l
}

// idle reports whether l has no session, no cool-down and no recent denial.
func (l *limiter) idle(now time.Time, lim Limits) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.sessions > 0 || now.Before(l.coolUntil) {
		return false
	}
	for _, t := range l.denials {
		if t.After(now.Add(-lim.DenialWindow)) {
			return false
		}
	}
	return true
}

func (l *limiter) leave() {
	l.mu.Lock()
	l.sessions--
	l.mu.Unlock()
}

func (l *limiter) coolingDown(now time.Time) (bool, string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return now.Before(l.coolUntil), l.label
}

// admit says whether a request may go to the human now.
func (l *limiter) admit(now time.Time) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Before(l.coolUntil) {
		return ErrRateLimited
	}
	return nil
}

// refused notes a request denied, unanswered or withdrawn, and reports
// whether it started a cool-down.
func (l *limiter) refused(now time.Time, lim Limits) bool {
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

// pendingSlots bounds the requests one session has waiting.
type pendingSlots struct {
	mu sync.Mutex
	n  int
}

func (p *pendingSlots) take(max int) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.n >= max {
		return ErrBusy
	}
	p.n++
	return nil
}

func (p *pendingSlots) give() {
	p.mu.Lock()
	p.n--
	p.mu.Unlock()
}
