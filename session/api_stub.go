package session

// TEMPORARY: signatures for the packages built in parallel; replaced by the
// real implementation in agent.go and session.go.

import (
	"context"
	"time"
)

// Config wires an [Agent]. Vault, Audit and UI are required.
type Config struct {
	Vault           VaultStore    // the opened vault, locked or not
	Audit           AuditLog      // the audit trail beside the vault
	UI              UI            // dialogs
	ApprovalTimeout time.Duration // 0 for 60 s
	GrantTTL        time.Duration // 0 for 5 minutes
	Now             func() time.Time
	Logf            func(format string, args ...any) // never given a value
}

// VaultStore and AuditLog are placeholders until the vault and audit packages land.
type VaultStore interface{}
type AuditLog interface{}

// Agent is the policy core of one agent process.
type Agent struct{}

// NewAgent returns an agent over an opened vault.
func NewAgent(cfg Config) (*Agent, error) { return &Agent{}, nil }

// Unlock asks the human for the master password and unlocks the vault.
func (a *Agent) Unlock(ctx context.Context) error { return ErrLocked }

// UnlockWithPassword unlocks with a password from the CLI; it wipes pw.
func (a *Agent) UnlockWithPassword(pw []byte) error { return ErrLocked }

// Lock wipes the key from memory, ends every grant and withdraws pending dialogs.
func (a *Agent) Lock() error { return nil }

// Status reports the current state.
func (a *Agent) Status() Status { return Status{Locked: true} }

// Subscribe delivers the status after every change until cancel is called.
func (a *Agent) Subscribe() (updates <-chan Status, cancel func()) {
	ch := make(chan Status)
	return ch, func() {}
}

// SessionOptions describes the kind of peer of a new session.
type SessionOptions struct {
	CLI bool // the peer is the sciorex-secrets CLI, not an MCP client
}

// NewSession starts a session for one connection.
func (a *Agent) NewSession(id Identity, opts SessionOptions) *Session { return &Session{} }

// Session is one connection's view of the agent.
type Session struct{}

func (s *Session) ID() string             { return "" }
func (s *Session) Identity() Identity     { return Identity{} }
func (s *Session) SetClaimed(name string) {}
func (s *Session) SetProject(dir string)  {}
func (s *Session) Close()                 {}
func (s *Session) List(ctx context.Context, r ListRequest) ([]SecretInfo, error) {
	return nil, ErrLocked
}
func (s *Session) Get(ctx context.Context, name string) (GetResult, error) {
	return GetResult{}, ErrLocked
}
func (s *Session) Set(ctx context.Context, r SetRequest) error          { return ErrLocked }
func (s *Session) Delete(ctx context.Context, name, scope string) error { return ErrLocked }
func (s *Session) SetAccess(ctx context.Context, r AccessRequest) (int, error) {
	return 0, ErrLocked
}
func (s *Session) Run(ctx context.Context, r RunRequest) (RunResult, error) {
	return RunResult{}, ErrLocked
}
func (s *Session) Release(ctx context.Context, names []string, command string) ([]EnvSecret, error) {
	return nil, ErrLocked
}
