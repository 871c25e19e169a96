package session

import (
	"context"
	"fmt"
	"strings"
)

// RequestKind says what a [Request] asks the human to allow.
type RequestKind string

// The kinds of request shown to the human.
const (
	KindGet    RequestKind = "get"    // hand a secret (or a grant for it) to an agent
	KindRun    RequestKind = "run"    // run a command with secrets in its environment
	KindSet    RequestKind = "set"    // store or replace a secret
	KindDelete RequestKind = "delete" // delete a secret
	KindAccess RequestKind = "access" // change the AI access level of a secret or collection
	KindExport RequestKind = "export" // write every secret to a backup file
	KindImport RequestKind = "import" // read secrets from a backup or .env file
)

// Request is one operation waiting for the human's decision. Every field is
// untrusted text chosen by the agent or client: implementations must show it
// literally (no markup), escape control characters and cap lengths.
// A Request never holds a secret value.
type Request struct {
	ID      uint64      // short number shown on the dialog, unique per agent process
	Kind    RequestKind // what is asked
	Secrets []string    // secret names involved
	Agent   Identity    // who asks: claimed client name and kernel-verified processes
	Project string      // the session's project directory, "" for none
	Command string      // for KindRun: the full command line
	Detail  string      // extra context, such as the collection for KindSet
	Reason  string      // why the agent says it needs this, as the agent says it
}

// Summary is a one-line description of the request, for logs and titles.
func (r Request) Summary() string {
	s := fmt.Sprintf("#%d %s %s", r.ID, r.Kind, strings.Join(r.Secrets, ","))
	if r.Agent.Claimed != "" {
		s += " for " + r.Agent.Claimed
	}
	return s
}

// Approver asks the human to allow or deny one request.
//
// Approve returns true only when the human explicitly allowed this very
// request. Any error (no display, dialog failed, ctx cancelled or timed out)
// is a deny: callers treat (false, err) and (false, nil) alike, and report
// err to the user. Implementations must withdraw the dialog when ctx ends.
// Approve is called for one request at a time.
type Approver interface {
	Approve(ctx context.Context, req Request) (bool, error)
}

// PasswordPrompt describes a master-password or passphrase question.
type PasswordPrompt struct {
	Vault   string // path of the vault (or backup file) the password opens
	New     bool   // choosing a new password: implementations ask twice and compare
	Retry   bool   // the previous attempt was wrong
	Purpose string // short words on what the password is for, e.g. "unlock", "export"
}

// Prompter asks the human to type a password or a secret value.
//
// The returned bytes belong to the caller, who wipes them after use.
// Implementations never put what is typed in argv, the environment or a
// file: only pipes. An error (cancelled, no display, timeout) means no answer.
type Prompter interface {
	Password(ctx context.Context, p PasswordPrompt) ([]byte, error)
	SecretValue(ctx context.Context, req Request) ([]byte, error)
}

// Notifier shows a passing notice to the human (a desktop notification, a
// line on the terminal). It must not block for long and may drop notices.
type Notifier interface {
	Notify(title, text string)
}

// UI is what the agent needs from the user-interface side.
type UI interface {
	Approver
	Prompter
	Notifier
}
