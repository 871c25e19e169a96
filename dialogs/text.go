package dialogs

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/sciorex/sciorex-secrets/session"
)

// title is the window title of the dialogs for one request.
func title(req session.Request) string {
	return fmt.Sprintf("sciorex-secrets: request #%d", req.ID)
}

// kindPhrase says in words what a request of kind k asks for.
func kindPhrase(k session.RequestKind) string {
	switch k {
	case session.KindGet:
		return "asks to use"
	case session.KindRun:
		return "asks to run a command with"
	case session.KindSet:
		return "asks to store"
	case session.KindDelete:
		return "asks to delete"
	case session.KindAccess:
		return "asks to change the AI access of"
	case session.KindExport:
		return "asks to export the vault, including"
	case session.KindImport:
		return "asks to import"
	}
	return "asks for (" + Sanitize(string(k), NameMax) + ")"
}

// agentLines names who asks: the claimed client name and the process the
// kernel reported, each marked with who vouches for it.
func agentLines(id session.Identity) string {
	claimed := "(no name)"
	if id.Claimed != "" {
		claimed = Sanitize(id.Claimed, NameMax)
	}
	return fmt.Sprintf("%s (claimed by the client)\n%s (verified by the kernel)",
		claimed, Sanitize(id.Verified(), TextMax))
}

// secretList is the sanitized, comma-separated list of secret names.
func secretList(names []string) string {
	return sanitizeList(names, NameMax, ", ")
}

// wholePhrase says what a request that names no secret asks for: a change
// to a whole collection, or the whole vault. Its Detail says which.
func wholePhrase(k session.RequestKind) string {
	switch k {
	case session.KindSet:
		return "asks to change a collection"
	case session.KindAccess:
		return "asks to change the AI access of a whole collection"
	case session.KindExport:
		return "asks to export the whole vault"
	}
	return kindPhrase(k)
}

// approvalText is the text of an approval question: what is asked, by whom,
// where, with which command, and how long the human has to answer.
func approvalText(ctx context.Context, req session.Request) string {
	return approvalBody(req) + "\n\n" + timeoutLine(ctx)
}

// approvalBody describes the request, without the timeout.
func approvalBody(req session.Request) string {
	var b strings.Builder
	if len(req.Secrets) == 0 {
		fmt.Fprintf(&b, "%s\n%s\n", agentLines(req.Agent), wholePhrase(req.Kind))
	} else {
		fmt.Fprintf(&b, "%s\n%s: %s\n", agentLines(req.Agent), kindPhrase(req.Kind), secretList(req.Secrets))
	}
	if req.Project != "" {
		fmt.Fprintf(&b, "\nProject: %s", Sanitize(req.Project, TextMax))
	}
	if req.Command != "" {
		fmt.Fprintf(&b, "\nCommand: %s", Sanitize(req.Command, CommandMax))
	}
	if req.Detail != "" {
		fmt.Fprintf(&b, "\nDetail: %s", Sanitize(req.Detail, TextMax))
	}
	if req.Reason != "" {
		fmt.Fprintf(&b, "\nReason given by the agent: %s", Sanitize(req.Reason, TextMax))
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// timeoutLine says how long the human has before the request is denied.
func timeoutLine(ctx context.Context) string {
	deadline, ok := ctx.Deadline()
	if !ok {
		return "Unanswered, it waits until the client gives up."
	}
	left := time.Until(deadline).Round(time.Second)
	if left < time.Second {
		left = time.Second
	}
	return fmt.Sprintf("Unanswered, it is denied in %s.", left)
}

// passwordText is the prompt for a master password or passphrase.
// confirm asks for the second typing of a new password.
func passwordText(p session.PasswordPrompt, confirm bool) string {
	purpose := "unlock"
	if p.Purpose != "" {
		purpose = Sanitize(p.Purpose, NameMax)
	}
	vault := Sanitize(p.Vault, TextMax)
	var b strings.Builder
	switch {
	case confirm:
		fmt.Fprintf(&b, "Type the new password for %s again (%s).", vault, purpose)
	case p.New:
		fmt.Fprintf(&b, "Choose a new password for %s (%s).", vault, purpose)
	default:
		fmt.Fprintf(&b, "Password for %s (%s).", vault, purpose)
	}
	if p.Retry && !confirm {
		b.WriteString("\nThe previous password was wrong, try again.")
	}
	return b.String()
}

// passwordButton labels the button that accepts a password prompt with
// what it does: "Unlock" for an unlock, "OK" otherwise.
func passwordButton(p session.PasswordPrompt) string {
	if !p.New && (p.Purpose == "" || p.Purpose == "unlock") {
		return "Unlock"
	}
	return "OK"
}

// passwordTitle is the window title of a password prompt.
func passwordTitle(p session.PasswordPrompt) string {
	if p.Purpose == "" {
		return "sciorex-secrets: unlock"
	}
	return "sciorex-secrets: " + Sanitize(p.Purpose, NameMax)
}

// secretValueText asks for the value of a secret; Detail names the
// collection.
func secretValueText(req session.Request) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Value for secret %s", secretList(req.Secrets))
	if req.Detail != "" {
		fmt.Fprintf(&b, " (%s)", Sanitize(req.Detail, TextMax))
	}
	if req.Project != "" {
		fmt.Fprintf(&b, "\nProject: %s", Sanitize(req.Project, TextMax))
	}
	fmt.Fprintf(&b, "\nRequested by %s", strings.ReplaceAll(agentLines(req.Agent), "\n", ", "))
	return b.String()
}
