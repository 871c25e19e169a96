package tray

import (
	"context"

	"github.com/sciorex/sciorex-secrets/session"
)

// Backend is what the tray drives. *session.Agent satisfies it.
//
// Unlock, SetCollectionAccess and the optional actions in [Options] may show
// dialogs and block for as long as the human takes; the tray calls them off
// its menu goroutines and cancels their context when the tray stops.
type Backend interface {
	Status() session.Status
	// Subscribe delivers the status after every change until cancel is
	// called. The channel may be closed by the backend.
	Subscribe() (updates <-chan session.Status, cancel func())
	Unlock(ctx context.Context) error
	Lock() error
	// SetCollectionAccess asks the human to confirm, then sets the AI access
	// level of every secret of collection; it returns how many changed.
	SetCollectionAccess(ctx context.Context, collection, level string) (int, error)
	// AuditPath is the audit log's path, or "" when there is none.
	AuditPath() string
}

// Settings are the user preferences the Settings submenu shows.
type Settings struct {
	AutoLockMinutes int  // idle minutes before the vault locks; 0 means never
	RememberUnlock  bool // the session key is kept in the OS keyring
}

// SettingsBackend reads and changes [Settings].
type SettingsBackend interface {
	// Settings returns the current values at once (from memory): the tray
	// calls it on its menu goroutine at every redraw.
	Settings() Settings
	// The setters may block (a keyring call, a confirmation); the tray calls
	// them off its menu goroutines.
	SetAutoLock(minutes int) error // 0 turns auto-lock off
	// SetRememberUnlock turns keeping the session key in the OS keyring on
	// or off; off removes the stored key.
	SetRememberUnlock(ctx context.Context, on bool) error
}

// Options tune [Run]. Every field may be left zero.
type Options struct {
	Title  string               // product name on the tooltip; "" for "sciorex-secrets"
	OnQuit func()               // called (once per click, on its own goroutine) when the user picks Quit
	Logf   func(string, ...any) // diagnostics; never given a secret value. nil discards them
	// OpenFile opens the audit log in the user's viewer. nil uses the
	// platform opener (xdg-open, open, or the Windows shell).
	OpenFile func(path string) error
	// Export and Import run the backup flows (file chooser, passphrase,
	// confirmation). nil disables the menu item.
	Export, Import func(ctx context.Context) error
	// ShowPending brings the current approval dialog to the front. nil
	// leaves "Pending requests" as a count only.
	ShowPending func(ctx context.Context) error
	// Settings backs the Settings submenu. nil disables it.
	Settings SettingsBackend
}
