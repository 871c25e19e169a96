package session

import (
	"time"
)

// Settings are the preferences the tray changes at run time.
type Settings struct {
	AutoLockMinutes int  // lock after this many minutes without a secret being used; 0: never
	RememberUnlock  bool // keep the data key in the key store (OS keyring)
}

// Settings returns the current preferences.
func (a *Agent) Settings() Settings {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.settings
}

// SetAutoLock sets the idle minutes before the vault locks; 0 turns it off.
func (a *Agent) SetAutoLock(minutes int) error {
	a.mu.Lock()
	a.settings.AutoLockMinutes = max(minutes, 0)
	a.mu.Unlock()
	a.used()
	return nil
}

// used notes that a secret was used now, restarting the idle count.
func (a *Agent) used() {
	a.mu.Lock()
	a.lastUse = wallNow(a.cfg.Now)
	a.mu.Unlock()
}

// wallNow strips the monotonic reading: the monotonic clock may stop while
// the machine sleeps, and time asleep must count as idle time.
func wallNow(now func() time.Time) time.Time { return now().Round(0) }

// idleLoop locks the vault when it has been idle for the configured time.
// It checks every tick, so a lock may come up to one tick late.
func (a *Agent) idleLoop(tick time.Duration, stop <-chan struct{}) {
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		a.flushTouches()
		a.checkpoint()
		a.mu.Lock()
		minutes, last := a.settings.AutoLockMinutes, a.lastUse
		a.mu.Unlock()
		if minutes == 0 || a.vault.Locked() {
			continue
		}
		if wallNow(a.cfg.Now).Sub(last) >= time.Duration(minutes)*time.Minute {
			a.cfg.Logf("idle for %d minutes: locking", minutes)
			_ = a.lockWith("idle for " + time.Duration(minutes*int(time.Minute)).String())
		}
	}
}
