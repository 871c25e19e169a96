package mcp

import (
	"context"

	"github.com/sciorex/sciorex-secrets/session"
)

// Backend is what the server needs from the agent. [AgentBackend] adapts a
// *session.Agent; tests use a fake.
type Backend interface {
	NewSession(id session.Identity, opts session.SessionOptions) SessionBackend
	// CheckCLI returns nil when the peer process runs the agent's own
	// program, which alone may open a command-line session.
	CheckCLI(peer session.Process) error
	Status() session.Status
	Lock() error
	Unlock(ctx context.Context) error
	UnlockWithPassword(pw []byte) error
	VerifyAudit() (session.AuditReport, error)
}

// SessionBackend is one connection's session: the *session.Session methods
// the server calls. Every method that may ask the human must return when
// ctx ends (the client cancelled or disconnected).
type SessionBackend interface {
	ID() string
	SetClaimed(name string)
	SetProject(dir string)
	Close()
	List(ctx context.Context, r session.ListRequest) ([]session.SecretInfo, error)
	Get(ctx context.Context, name string) (session.GetResult, error)
	Set(ctx context.Context, r session.SetRequest) error
	Delete(ctx context.Context, name, scope string) error
	SetAccess(ctx context.Context, r session.AccessRequest) (int, error)
	Run(ctx context.Context, r session.RunRequest) (session.RunResult, error)
	Release(ctx context.Context, names []string, command string) ([]session.EnvSecret, error)
	RunEnded(names []string, command string, exitCode, masked, pid int) error
	Watch(pid int, mark string) error
	Export(ctx context.Context, r session.ExportRequest) (session.ExportResult, error)
	Import(ctx context.Context, r session.ImportRequest) (session.ImportResult, error)
	Collections(ctx context.Context) ([]session.CollectionInfo, error)
	PutCollection(ctx context.Context, r session.CollectionRequest) (session.CollectionInfo, error)
}

// AgentBackend adapts the agent to [Backend].
func AgentBackend(a *session.Agent) Backend { return agentBackend{a} }

type agentBackend struct{ *session.Agent }

func (b agentBackend) NewSession(id session.Identity, opts session.SessionOptions) SessionBackend {
	return b.Agent.NewSession(id, opts)
}
