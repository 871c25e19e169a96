package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/sciorex/sciorex-secrets/mcp"
	"github.com/sciorex/sciorex-secrets/session"
	"github.com/sciorex/sciorex-secrets/vault"
)

// Exit codes: stable, documented in README.md.
const (
	exitOK            = 0
	exitError         = 1
	exitUsage         = 2
	exitDenied        = 3  // the human denied, or did not answer in time
	exitLocked        = 4  // the vault is locked
	exitNoAgent       = 5  // the agent is not running
	exitWrongPassword = 6  // wrong master password or passphrase
	exitDamaged       = 7  // the vault file is damaged or was tampered with
	exitUnsupported   = 8  // the vault file needs a newer sciorex-secrets
	exitNotVault      = 9  // the file is not a sciorex-secrets vault
	exitNotFound      = 10 // no such secret
	exitAuditTampered = 11 // "audit verify" found a bad record
)

// usageError is a mistake in the command line.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// exitError carries a child's exit status through the CLI unchanged.
type childExit struct{ code int }

func (e childExit) Error() string { return fmt.Sprintf("command exited with status %d", e.code) }

// report prints err as "sciorex-secrets: error: ..." with a hint line and
// returns the exit code for it.
func report(w io.Writer, err error) int {
	if err == nil {
		return exitOK
	}
	var ce childExit
	if errors.As(err, &ce) {
		return ce.code
	}
	code, hint := classify(err)
	msg := strings.TrimPrefix(err.Error(), "sciorex-secrets: ")
	fmt.Fprintf(w, "sciorex-secrets: error: %s\n", msg)
	if hint != "" {
		fmt.Fprintf(w, "hint: %s\n", hint)
	}
	return code
}

func classify(err error) (int, string) {
	var ue usageError
	switch {
	case errors.As(err, &ue):
		return exitUsage, `run "sciorex-secrets help" for the commands and their flags`
	case errors.Is(err, mcp.ErrAgentNotRunning):
		return exitNoAgent, `start it with "sciorex-secrets agent" (or "make run"); if it is running, it listens on another socket: "sciorex-secrets paths" in its terminal shows which, and SCIOREX_SOCKET sets it`
	case errors.Is(err, vault.ErrWrongPassword):
		return exitWrongPassword, "check the password (for a backup: its own passphrase) and try again; nothing was changed"
	case errors.Is(err, vault.ErrDamaged):
		return exitDamaged, "the file was changed outside sciorex-secrets or is incomplete: restore a damaged vault from a backup " +
			"(sciorex-secrets import); a damaged backup cannot be read, use another one"
	case errors.Is(err, vault.ErrUnsupportedVersion):
		return exitUnsupported, "this vault was written by a newer sciorex-secrets: upgrade to open it"
	case errors.Is(err, vault.ErrNotVault):
		return exitNotVault, "check the file name: the vault is set by --vault or SCIOREX_VAULT, a backup is the file given to import"
	case errors.Is(err, vault.ErrInUse):
		return exitError, `another agent already runs on this vault; use "sciorex-secrets status"`
	case errors.Is(err, session.ErrLocked):
		return exitLocked, session.Hint(err)
	case errors.Is(err, session.ErrTampered):
		return exitAuditTampered, session.Hint(err)
	case errors.Is(err, session.ErrNoApprover):
		return exitDenied, session.Hint(err) + `; a command that asks for a password reads it from stdin with --password-stdin`
	case errors.Is(err, session.ErrDenied), errors.Is(err, session.ErrTimeout),
		errors.Is(err, session.ErrRateLimited), errors.Is(err, session.ErrCanceled):
		return exitDenied, session.Hint(err)
	case errors.Is(err, session.ErrNotFound), errors.Is(err, vault.ErrNotFound):
		return exitNotFound, session.Hint(err)
	}
	return exitError, session.Hint(err)
}
