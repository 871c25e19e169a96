package session

import (
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

// flushTouches writes the pending last-accessed times to the vault, in one
// write. Times that cannot be written go back to the pending set, unless a
// newer use replaced them meanwhile, and are tried again at the next flush.
func (a *Agent) flushTouches() {
	a.touchMu.Lock()
	pending := a.touched
	a.touched = make(map[string]time.Time)
	a.touchMu.Unlock()
	if len(pending) == 0 || a.vault.Locked() {
		return
	}
	if err := a.vault.Touch(pending); err != nil {
		a.cfg.Logf("cannot record last access: %v", err)
		a.touchMu.Lock()
		for id, t := range pending {
			if _, newer := a.touched[id]; !newer {
				a.touched[id] = t
			}
		}
		a.touchMu.Unlock()
	}
}
