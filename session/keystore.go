package session

import (
	"context"
	"time"
)

// KeyStore keeps the vault's data key between agent runs, so that the next
// start unlocks without asking (the OS keyring). It never holds the master
// password or the vault. Implementations must honour ctx: a locked keyring
// can otherwise block forever. Any error means "not available" and the
// agent falls back to asking for the password.
type KeyStore interface {
	Load(ctx context.Context, vaultID string) ([]byte, error)
	Store(ctx context.Context, vaultID string, key []byte) error
	Delete(ctx context.Context, vaultID string) error
}

// keyStoreTimeout bounds every keyring call.
const keyStoreTimeout = 5 * time.Second

// UnlockRemembered unlocks with the key kept in the key store, when
// remembering is on. It reports an error when there is nothing to use.
func (a *Agent) UnlockRemembered(ctx context.Context) error {
	if !a.Settings().RememberUnlock || a.cfg.KeyStore == nil {
		return ErrLocked
	}
	ctx, cancel := context.WithTimeout(ctx, keyStoreTimeout)
	defer cancel()
	key, err := a.cfg.KeyStore.Load(ctx, a.vault.ID())
	if err != nil {
		return err
	}
	return a.UnlockWithKey(key)
}

// SetRememberUnlock turns keeping the data key in the key store on or off;
// off removes the stored key at once. On stores it now when unlocked.
func (a *Agent) SetRememberUnlock(ctx context.Context, on bool) error {
	a.mu.Lock()
	a.settings.RememberUnlock = on
	a.mu.Unlock()
	if a.cfg.KeyStore == nil {
		return nil
	}
	if !on {
		return a.forgetKey(ctx)
	}
	if a.vault.Locked() {
		return nil
	}
	return a.rememberKey(ctx)
}

func (a *Agent) rememberKey(ctx context.Context) error {
	if a.cfg.KeyStore == nil || !a.Settings().RememberUnlock {
		return nil
	}
	key, err := a.vault.SessionKey()
	if err != nil {
		return err
	}
	defer clear(key)
	ctx, cancel := context.WithTimeout(ctx, keyStoreTimeout)
	defer cancel()
	if err := a.cfg.KeyStore.Store(ctx, a.vault.ID(), key); err != nil {
		a.cfg.Logf("cannot keep the unlock in the OS keyring: %v", err)
		return err
	}
	return nil
}

func (a *Agent) forgetKey(ctx context.Context) error {
	if a.cfg.KeyStore == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, keyStoreTimeout)
	defer cancel()
	if err := a.cfg.KeyStore.Delete(ctx, a.vault.ID()); err != nil {
		a.cfg.Logf("cannot remove the unlock from the OS keyring: %v", err)
		return err
	}
	return nil
}
