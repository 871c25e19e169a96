package dialogs

import (
	"context"

	"github.com/sciorex/sciorex-secrets/session"
)

// None is the driver of last resort: with no way to ask the human, every
// approval and prompt fails with session.ErrNoApprover, and notices are
// dropped.
type None struct{}

var _ session.UI = None{}

// Name says which driver this is, for the agent's startup line.
func (None) Name() string { return "none (every request is denied)" }

// Approve always denies with session.ErrNoApprover.
func (None) Approve(context.Context, session.Request) (bool, error) {
	return false, noApprover("no display, terminal or askpass program was found")
}

// Password always fails with session.ErrNoApprover.
func (None) Password(context.Context, session.PasswordPrompt) ([]byte, error) {
	return nil, noApprover("no display, terminal or askpass program was found")
}

// SecretValue always fails with session.ErrNoApprover.
func (None) SecretValue(context.Context, session.Request) ([]byte, error) {
	return nil, noApprover("no display, terminal or askpass program was found")
}

// Notify drops the notice.
func (None) Notify(string, string) {}
