package mcp

import (
	"errors"

	"github.com/sciorex/sciorex-secrets/session"
)

// JSON-RPC 2.0 error codes used on the wire.
const (
	codeParseError     = -32700
	codeInvalidRequest = -32600
	codeMethodNotFound = -32601
	codeInvalidParams  = -32602
	codeInternalError  = -32603
	codeSessionError   = -32000 // data.kind names the session sentinel
)

// ErrAgentNotRunning is returned by [Bridge] and [Dial] when nothing answers
// on the socket.
var ErrAgentNotRunning = errors.New("the sciorex-secrets agent is not running")

// ErrRefused is what a client sees when the agent refused its connection
// (another user, or no peer credentials).
var ErrRefused = errors.New("the agent refused this connection")

// errorKinds maps each session sentinel to its wire name in error.data.kind.
// More specific kinds come first.
var errorKinds = []struct {
	kind string
	err  error
}{
	{"wrong_password", session.ErrWrongPassword},
	{"damaged", session.ErrDamaged},
	{"unsupported_version", session.ErrUnsupportedVersion},
	{"not_vault", session.ErrNotVault},
	{"locked", session.ErrLocked},
	{"denied", session.ErrDenied},
	{"timeout", session.ErrTimeout},
	{"no_approver", session.ErrNoApprover},
	{"not_found", session.ErrNotFound},
	{"exists", session.ErrExists},
	{"invalid", session.ErrInvalid},
	{"rate_limited", session.ErrRateLimited},
	{"canceled", session.ErrCanceled},
	{"audit", session.ErrAudit},
	{"audit_tampered", session.ErrTampered},
	{"busy", session.ErrBusy},
	{"refused", ErrRefused},
}

// kindOf returns the wire kind of err, or "internal" when err wraps no
// known sentinel.
func kindOf(err error) string {
	for _, k := range errorKinds {
		if errors.Is(err, k.err) {
			return k.kind
		}
	}
	return "internal"
}

// sentinelOf returns the sentinel for a wire kind, or nil.
func sentinelOf(kind string) error {
	for _, k := range errorKinds {
		if k.kind == kind {
			return k.err
		}
	}
	return nil
}

// wireError is the error member of a JSON-RPC response.
type wireError struct {
	Code    int        `json:"code"`
	Message string     `json:"message"`
	Data    *errorData `json:"data,omitempty"`
}

type errorData struct {
	Kind string `json:"kind"`
	Hint string `json:"hint,omitempty"`
}

// sessionError turns an error from the session layer into a wire error.
// Session errors never carry a secret value (session's contract).
func sessionError(err error) *wireError {
	return &wireError{Code: codeSessionError, Message: err.Error(),
		Data: &errorData{Kind: kindOf(err), Hint: session.Hint(err)}}
}

// RemoteError is an error answered by the agent. It wraps the session
// sentinel named by its kind, so errors.Is(err, session.ErrLocked) works on
// the client side, and keeps the agent's hint.
type RemoteError struct {
	Code    int    // JSON-RPC error code
	Message string // the agent's message
	Kind    string // session error kind ("locked", "denied", ...), "" for protocol errors
	Hint    string // what the user can do, "" when none
}

func (e *RemoteError) Error() string { return e.Message }

// Unwrap returns the session sentinel for e.Kind, or nil.
func (e *RemoteError) Unwrap() error { return sentinelOf(e.Kind) }
