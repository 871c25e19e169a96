package session

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeClock is a wall clock the test moves by hand, as a suspend would.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func TestAutoLockCountsWallClock(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)}
	f := newFixture(t, map[string]string{"K": tokenValue}, Config{
		Now: clock.now, IdleTick: time.Millisecond, Settings: Settings{AutoLockMinutes: 5},
	})
	defer f.agent.Close()
	clock.add(4 * time.Minute)
	time.Sleep(20 * time.Millisecond)
	if f.agent.Locked() {
		t.Fatal("locked before the idle time")
	}
	clock.add(2 * time.Minute) // as if the machine slept
	waitFor(t, "auto-lock", f.agent.Locked)
}

type memKeyStore struct {
	mu   sync.Mutex
	keys map[string][]byte
	hang bool
}

func (m *memKeyStore) Load(ctx context.Context, id string) ([]byte, error) {
	if m.hang {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	k, ok := m.keys[id]
	if !ok {
		return nil, errors.New("not found")
	}
	return append([]byte(nil), k...), nil
}

func (m *memKeyStore) Store(ctx context.Context, id string, key []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.keys[id] = append([]byte(nil), key...)
	return nil
}

func (m *memKeyStore) Delete(ctx context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.keys, id)
	return nil
}

func TestRememberUnlock(t *testing.T) {
	ks := &memKeyStore{keys: map[string][]byte{}}
	f := newFixture(t, nil, Config{KeyStore: ks, Settings: Settings{RememberUnlock: true}})
	if err := f.agent.SetRememberUnlock(context.Background(), true); err != nil {
		t.Fatal(err)
	}
	if len(ks.keys) != 1 {
		t.Fatal("the key was not remembered")
	}
	_ = f.agent.lockWith("restart") // as Close does: the remembered key stays
	if err := f.agent.UnlockRemembered(context.Background()); err != nil || f.agent.Locked() {
		t.Fatalf("unlock from the key store: %v", err)
	}
	if err := f.agent.Lock(); err != nil { // the user's Lock forgets it
		t.Fatal(err)
	}
	if len(ks.keys) != 0 {
		t.Fatal("Lock did not remove the remembered key")
	}
	if err := f.agent.UnlockRemembered(context.Background()); err == nil {
		t.Fatal("unlocked without a remembered key")
	}
}

// countingKeyStore counts the calls that reach the OS keyring.
type countingKeyStore struct {
	memKeyStore
	calls atomic.Int32
}

func (c *countingKeyStore) Load(ctx context.Context, id string) ([]byte, error) {
	c.calls.Add(1)
	return c.memKeyStore.Load(ctx, id)
}

func (c *countingKeyStore) Store(ctx context.Context, id string, key []byte) error {
	c.calls.Add(1)
	return c.memKeyStore.Store(ctx, id, key)
}

func (c *countingKeyStore) Delete(ctx context.Context, id string) error {
	c.calls.Add(1)
	return c.memKeyStore.Delete(ctx, id)
}

// With "Remember unlock" off, unlocking and locking never call the OS
// keyring: on a desktop whose keyring is locked, each call could pop up the
// keyring's own password prompt (found by the desktop suite).
func TestLockWithRememberOffLeavesKeyringAlone(t *testing.T) {
	ks := &countingKeyStore{memKeyStore: memKeyStore{keys: map[string][]byte{}}}
	f := newFixture(t, nil, Config{KeyStore: ks})
	for range 2 {
		if err := f.agent.Lock(); err != nil {
			t.Fatal(err)
		}
		if err := f.agent.UnlockWithPassword([]byte(testPassword)); err != nil {
			t.Fatal(err)
		}
	}
	if n := ks.calls.Load(); n != 0 {
		t.Fatalf("%d OS keyring calls with remembering off, want 0", n)
	}
}
