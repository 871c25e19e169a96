package dialogs

import (
	"context"
	"errors"
	"fmt"

	"github.com/sciorex/sciorex-secrets/session"
)

// Errors of the prompts. Both wrap [session.ErrDenied], so a caller that only
// knows the session errors treats them as a refusal.
var (
	// ErrCancelled means the human closed or cancelled a password or
	// secret-value prompt.
	ErrCancelled = fmt.Errorf("%w: the prompt was cancelled", session.ErrDenied)
	// ErrMismatch means a new password was typed differently twice, three
	// times in a row.
	ErrMismatch = fmt.Errorf("%w: the new password and its confirmation differed three times", session.ErrDenied)
)

// ctxError maps the end of ctx to the session errors: a deadline is a
// timeout (deny), a cancellation means the client went away.
func ctxError(ctx context.Context) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return session.ErrTimeout
	}
	return session.ErrCanceled
}

// noApprover wraps [session.ErrNoApprover] with the reason, for the user.
func noApprover(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{session.ErrNoApprover}, args...)...)
}
