package session

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sciorex/sciorex-secrets/audit"
	"github.com/sciorex/sciorex-secrets/vault"
)

// Defaults for [Config] fields left zero.
const (
	DefaultApprovalTimeout = 60 * time.Second
	DefaultGrantTTL        = 5 * time.Minute
	unlockAttempts         = 3
)

// Config wires an [Agent]. Vault, Audit and UI are required.
type Config struct {
	Vault           *vault.Vault  // the opened vault, locked or not
	Audit           *audit.Log    // the audit trail beside the vault
	UI              UI            // dialogs
	ApprovalTimeout time.Duration // 0 for DefaultApprovalTimeout
	GrantTTL        time.Duration // 0 for DefaultGrantTTL
	Limits          Limits        // zero fields take their defaults
	Settings        Settings      // initial preferences; the tray changes them
	KeyStore        KeyStore      // the OS keyring, nil for none
	IdleTick        time.Duration // how often auto-lock checks; 0 for 15 s
	Now             func() time.Time
	Logf            func(format string, args ...any) // never given a value
}

// Agent is the policy core of one agent process: it owns the vault, the
// audit trail, the approval queue and every session. Safe for concurrent use.
type Agent struct {
	cfg   Config
	vault *vault.Vault
	audit *audit.Log
	ui    UI
	queue *queue

	reqSeq  atomic.Uint64
	sessSeq atomic.Uint64

	mu       sync.Mutex
	sessions map[*Session]struct{}
	lockCtx  context.Context    // cancelled by Lock: withdraws every pending dialog
	lockStop context.CancelFunc //
	subs     map[chan Status]struct{}
	limiters map[string]*limiter // by limiterKey
	revealed map[string]string   // secrets whose values a client was given since unlock: id → name (see scrub)
	settings Settings
	lastUse  time.Time

	touchMu  sync.Mutex
	touched  map[string]time.Time // pending last-accessed times, by secret id
	stopIdle chan struct{}

	checkpointMu sync.Mutex
	checkpointed uint64 // audit seq of the vault's checkpoint, as far as this agent knows

	program programCheck // see CheckCLI
}

// NewAgent returns an agent over an opened vault. The vault may be locked.
func NewAgent(cfg Config) (*Agent, error) {
	if cfg.Vault == nil || cfg.Audit == nil || cfg.UI == nil {
		return nil, errors.New("session: Vault, Audit and UI are required")
	}
	if cfg.ApprovalTimeout <= 0 {
		cfg.ApprovalTimeout = DefaultApprovalTimeout
	}
	if cfg.GrantTTL <= 0 {
		cfg.GrantTTL = DefaultGrantTTL
	}
	cfg.Limits = cfg.Limits.withDefaults()
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...any) {}
	}
	a := &Agent{
		cfg:      cfg,
		vault:    cfg.Vault,
		audit:    cfg.Audit,
		ui:       cfg.UI,
		sessions: make(map[*Session]struct{}),
		subs:     make(map[chan Status]struct{}),
		limiters: make(map[string]*limiter),
		settings: cfg.Settings,
		touched:  make(map[string]time.Time),
		stopIdle: make(chan struct{}),
	}
	a.lastUse = wallNow(cfg.Now)
	if cfg.IdleTick <= 0 {
		cfg.IdleTick = 15 * time.Second
	}
	go a.idleLoop(cfg.IdleTick, a.stopIdle)
	a.queue = newQueue(a)
	a.lockCtx, a.lockStop = context.WithCancel(context.Background())
	if !a.vault.Locked() {
		if err := a.afterUnlock(); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// Unlock asks the human for the master password (up to three tries) and
// unlocks the vault. It returns nil at once when already unlocked.
func (a *Agent) Unlock(ctx context.Context) error {
	retry := false
	for range unlockAttempts {
		if !a.vault.Locked() {
			return nil
		}
		pw, err := a.ui.Password(ctx, PasswordPrompt{Vault: a.vault.Path(), Retry: retry, Purpose: "unlock"})
		if err != nil {
			return fmt.Errorf("unlock: %w", err)
		}
		err = a.UnlockWithPassword(pw)
		if !errors.Is(err, vault.ErrWrongPassword) {
			return err
		}
		retry = true
	}
	return vault.ErrWrongPassword
}

// UnlockWithPassword unlocks with a password from the CLI. It wipes pw.
// Errors: vault.ErrWrongPassword, vault.ErrDamaged, ErrAudit.
func (a *Agent) UnlockWithPassword(pw []byte) error {
	defer clear(pw)
	if !a.vault.Locked() {
		return nil
	}
	if err := a.vault.Unlock(pw); err != nil {
		a.record(audit.Record{Event: "unlock_failed", Detail: errorKind(err)})
		a.cfg.Logf("unlock failed: %v", err)
		return err
	}
	return a.afterUnlock()
}

// UnlockWithKey unlocks with a data key kept in the OS keyring.
func (a *Agent) UnlockWithKey(key []byte) error {
	defer clear(key)
	if !a.vault.Locked() {
		return nil
	}
	if err := a.vault.UnlockWithKey(key); err != nil {
		a.record(audit.Record{Event: "unlock_failed", Detail: "keyring key: " + errorKind(err)})
		return err
	}
	return a.afterUnlock()
}

// SessionKey returns a copy of the vault's data key, for the OS keyring.
func (a *Agent) SessionKey() ([]byte, error) { return a.vault.SessionKey() }

// VaultID identifies the vault (for the OS keyring entry).
func (a *Agent) VaultID() string { return a.vault.ID() }

func (a *Agent) afterUnlock() error {
	key, err := a.vault.DeriveKey(AuditKeyPurpose)
	if err != nil {
		return err
	}
	defer clear(key)
	a.audit.SetKey(key)
	if err := a.record(audit.Record{Event: "unlock"}); err != nil {
		a.vault.Lock()
		a.audit.SetKey(nil)
		return err
	}
	a.checkAuditTrail(key)
	a.reportTornTail()
	a.cfg.Logf("vault unlocked: %d secrets", a.vault.Len())
	a.used()
	_ = a.rememberKey(context.Background())
	a.changed()
	return nil
}

// Lock wipes the key from memory, ends every grant, withdraws every
// pending dialog and, when remembering is on, removes the remembered unlock
// from the OS keyring. With remembering off the keyring is not touched:
// turning it off already removed the entry, and a keyring call may pop up
// the keyring's own unlock prompt. Locking a locked vault is not an error.
func (a *Agent) Lock() error {
	if a.Settings().RememberUnlock {
		_ = a.forgetKey(context.Background())
	}
	return a.lockWith("")
}

// LockFor locks like Lock, recording why, but keeps a remembered unlock in
// the OS keyring (for a suspend, say, which is not the user asking to lock).
func (a *Agent) LockFor(why string) error { return a.lockWith(why) }

// lockWith locks, recording why; a remembered unlock is kept.
func (a *Agent) lockWith(why string) error {
	a.mu.Lock()
	a.lockStop()
	a.lockCtx, a.lockStop = context.WithCancel(context.Background())
	sessions := make([]*Session, 0, len(a.sessions))
	for s := range a.sessions {
		sessions = append(sessions, s)
	}
	a.mu.Unlock()
	for _, s := range sessions {
		s.grants.releaseAll("vault locked")
	}
	if a.vault.Locked() {
		return nil
	}
	a.flushTouches()
	a.forgetRevealed()
	err := a.record(audit.Record{Event: "lock", Detail: why})
	a.checkpoint()
	a.vault.Lock()
	a.audit.SetKey(nil)
	a.cfg.Logf("vault locked")
	a.changed()
	return err
}

// Locked reports whether the vault is locked.
func (a *Agent) Locked() bool { return a.vault.Locked() }

// AuditPath is the path of the audit file.
func (a *Agent) AuditPath() string { return a.audit.Path() }

// VaultPath is the path of the vault file.
func (a *Agent) VaultPath() string { return a.vault.Path() }

// Close ends every session and locks the vault, keeping a remembered
// unlock so that the next start needs no password. Call it once.
func (a *Agent) Close() error {
	close(a.stopIdle)
	a.mu.Lock()
	sessions := make([]*Session, 0, len(a.sessions))
	for s := range a.sessions {
		sessions = append(sessions, s)
	}
	a.mu.Unlock()
	for _, s := range sessions {
		s.Close()
	}
	return a.lockWith("agent stopped")
}

// NewSession starts a session for one connection. The caller must Close it
// when the connection ends: that releases every grant it holds.
func (a *Agent) NewSession(id Identity, opts SessionOptions) *Session {
	s := &Session{
		agent: a,
		id:    fmt.Sprintf("s%d", a.sessSeq.Add(1)),
		opts:  opts,
		ident: id,
		claim: id.Claimed,
	}
	if s.claim == "" && opts.CLI {
		s.claim = "sciorex-secrets command line"
	}
	s.grants = newGrants(s)
	s.limiter = a.limiterFor(id)
	a.mu.Lock()
	a.sessions[s] = struct{}{}
	a.mu.Unlock()
	return s
}

func (a *Agent) forget(s *Session) {
	a.mu.Lock()
	delete(a.sessions, s)
	a.mu.Unlock()
	a.changed()
}

// withdrawOnLock returns a context that ends with ctx or at the next Lock.
func (a *Agent) withdrawOnLock(ctx context.Context) (context.Context, context.CancelFunc) {
	a.mu.Lock()
	lockCtx := a.lockCtx
	a.mu.Unlock()
	ctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(lockCtx, cancel)
	return ctx, func() { stop(); cancel() }
}

// AuditKeyPurpose is the HKDF purpose of the audit trail's MAC key, derived
// from the vault's data key.
const AuditKeyPurpose = "sciorex-secrets audit v1"
