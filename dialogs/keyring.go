package dialogs

import (
	"context"
	"encoding/base64"
	"errors"
	"os"
	"runtime"

	"github.com/zalando/go-keyring"
)

// KeyringService is the service name of the OS keyring entries; the entry's
// user is the vault id.
const KeyringService = "sciorex-secrets"

// ErrNoKeyring says the OS keyring cannot be used here.
var ErrNoKeyring = errors.New("no OS keyring available (on Linux it needs a running session bus and a Secret Service such as gnome-keyring)")

// Keyring keeps the vault's data key in the OS keyring (Secret Service on
// Linux, Keychain on macOS, Credential Manager on Windows). It implements
// session.KeyStore. Every call gives up when ctx ends, even though the
// library call itself cannot be cancelled and may go on in the background:
// a locked keyring can block forever waiting for its own prompt.
type Keyring struct {
	// Getenv reads the environment; nil means os.Getenv.
	Getenv func(string) string
}

// Name describes the driver.
func (k Keyring) Name() string { return "OS keyring" }

func (k Keyring) usable() error {
	getenv := k.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	// go-keyring connects with godbus's SessionBus, which would start a
	// stray dbus-daemon through dbus-launch when no bus address is set.
	if runtime.GOOS != "darwin" && runtime.GOOS != "windows" && getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		return ErrNoKeyring
	}
	return nil
}

// Load returns the key kept for the vault.
func (k Keyring) Load(ctx context.Context, vaultID string) ([]byte, error) {
	var key []byte
	err := k.do(ctx, func() error {
		s, err := keyring.Get(KeyringService, vaultID)
		if err != nil {
			return err
		}
		key, err = base64.StdEncoding.DecodeString(s)
		return err
	})
	return key, err
}

// Store keeps key for the vault, replacing any older one.
func (k Keyring) Store(ctx context.Context, vaultID string, key []byte) error {
	encoded := base64.StdEncoding.EncodeToString(key)
	return k.do(ctx, func() error { return keyring.Set(KeyringService, vaultID, encoded) })
}

// Delete removes the key kept for the vault; a missing entry is not an error.
func (k Keyring) Delete(ctx context.Context, vaultID string) error {
	return k.do(ctx, func() error {
		err := keyring.Delete(KeyringService, vaultID)
		if errors.Is(err, keyring.ErrNotFound) {
			return nil
		}
		return err
	})
}

func (k Keyring) do(ctx context.Context, call func() error) error {
	if err := k.usable(); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- call() }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}
