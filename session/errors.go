package session

import (
	"errors"

	"github.com/sciorex/sciorex-secrets/vault"
)

// Errors returned by [Agent] and [Session] methods. Callers branch with
// errors.Is; [Hint] gives the words to show a user or a model.
// None of them ever carries a secret value.
var (
	ErrLocked      = errors.New("vault is locked")
	ErrDenied      = errors.New("denied by the user")
	ErrTimeout     = errors.New("no answer from the user in time, treated as deny")
	ErrNoApprover  = errors.New("no way to ask the user (no display, no terminal, no askpass program), treated as deny")
	ErrNotFound    = errors.New("no such secret")
	ErrExists      = errors.New("already exists")
	ErrInvalid     = errors.New("invalid request")
	ErrRateLimited = errors.New("too many requests denied, refused without asking for a while")
	ErrCanceled    = errors.New("request cancelled by the client")
	ErrAudit       = errors.New("the audit trail could not be written, so the request was refused")
	ErrBusy        = errors.New("too many requests waiting for the user")
	ErrTampered    = errors.New("audit trail tampered with")

	// The vault's own errors, so that callers of this package (which may
	// not import vault) can branch on them.
	ErrWrongPassword      = vault.ErrWrongPassword
	ErrDamaged            = vault.ErrDamaged
	ErrUnsupportedVersion = vault.ErrUnsupportedVersion
)

// Hint returns a short suggestion of what the user (or the model) can do
// about err, or "" when there is none.
func Hint(err error) string {
	switch {
	case errors.Is(err, ErrLocked):
		return `unlock it from the tray or run "sciorex-secrets unlock"`
	case errors.Is(err, ErrDenied):
		return "the user said no; ask them before trying again"
	case errors.Is(err, ErrTimeout):
		return "the user did not answer; ask them to watch for the approval dialog"
	case errors.Is(err, ErrNoApprover):
		return "run the agent in a desktop session, or set SCIOREX_ASKPASS to an approval program"
	case errors.Is(err, ErrNotFound):
		return `list the secrets with sciorex_list_secrets or "sciorex-secrets list"`
	case errors.Is(err, ErrRateLimited):
		return "wait a minute before asking again"
	case errors.Is(err, ErrAudit):
		return "check the disk space and permissions of the audit file beside the vault"
	case errors.Is(err, ErrWrongPassword):
		return "check the password and try again; nothing was changed"
	case errors.Is(err, ErrDamaged):
		return "the vault file was changed outside sciorex-secrets or is incomplete; restore it from a backup"
	case errors.Is(err, ErrTampered):
		return "do not trust the trail from that record on; keep a copy of the files for investigation"
	case errors.Is(err, ErrBusy):
		return "wait for the pending requests to be answered"
	}
	return ""
}
