package session

import (
	"sort"
	"time"

	"github.com/sciorex/sciorex-secrets/vault"
)

// Last-accessed times are kept in memory and written to the vault in a
// batch (every idle tick, and before the vault locks), so that using a
// secret costs no durable vault write. A crash loses at most one tick of
// last-accessed times, never a secret or an acknowledged change.

// touch records the use of the secrets now: their last-accessed time and
// the agent's idle clock.
func (s *Session) touch(secs ...vault.Secret) {
	a := s.agent
	now := a.cfg.Now()
	a.used()
	a.touchMu.Lock()
	for _, sec := range secs {
		a.touched[sec.ID] = now
	}
	a.touchMu.Unlock()
}

// lastAccessed returns the pending last-accessed time of a secret, if any.
func (a *Agent) lastAccessed(id string) (time.Time, bool) {
	a.touchMu.Lock()
	defer a.touchMu.Unlock()
	t, ok := a.touched[id]
	return t, ok
}

// flushTouches writes the pending last-accessed times to the vault.
func (a *Agent) flushTouches() {
	a.touchMu.Lock()
	pending := a.touched
	a.touched = make(map[string]time.Time)
	a.touchMu.Unlock()
	if len(pending) == 0 || a.vault.Locked() {
		return
	}
	byTime := make(map[time.Time][]string)
	for id, t := range pending {
		byTime[t] = append(byTime[t], id)
	}
	times := make([]time.Time, 0, len(byTime))
	for t := range byTime {
		times = append(times, t)
	}
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	for _, t := range times {
		if err := a.vault.Touch(byTime[t], t); err != nil {
			a.cfg.Logf("cannot record last access: %v", err)
			return
		}
	}
}
