package dialogs

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/sciorex/sciorex-secrets/session"
)

// Prompt kinds passed to the askpass program in SCIOREX_ASKPASS_PROMPT.
const (
	PromptConfirm  = "confirm"
	PromptPassword = "password"
	PromptSecret   = "secret"
)

// MaxAskpassOutput caps what is read from the askpass program's stdout.
const MaxAskpassOutput = 1 << 20

// askpassWaitDelay bounds the wait for the program's pipes after it was
// killed or exited, in case a descendant outside its group holds them.
const askpassWaitDelay = 2 * time.Second

// Askpass asks by running an external program, like SSH_ASKPASS (the
// contract is in DESIGN.md, "The askpass program"):
//
//   - argv is the program and the sanitized prompt text, nothing else;
//   - the environment is the agent's, with SCIOREX_ASKPASS_PROMPT
//     (confirm, password or secret) and the request in
//     SCIOREX_REQUEST_ID, _KIND, _SECRETS (comma-separated), _AGENT (the
//     claimed client name), _VERIFIED (the kernel-verified process),
//     _PROJECT, _COMMAND (runner requests); password prompts set
//     SCIOREX_REQUEST_KIND to the purpose and add SCIOREX_REQUEST_VAULT,
//     SCIOREX_REQUEST_NEW=1 for a new password and SCIOREX_REQUEST_RETRY=1
//     after a wrong one. Every value is sanitized; none is a secret;
//   - confirm: exit status 0 approves, anything else denies;
//   - password, secret: the first line of stdout without its line ending
//     ("\n" or "\r\n") is the answer; a non-zero exit cancels;
//   - its stderr goes to the agent's stderr; stdin is empty.
//
// A new password is asked for once, not twice: the program is a script and
// a second typing would prove nothing.
//
// The program runs in its own process group, which is killed when ctx ends,
// so the children of a shell script die with it (on Linux and macOS; on
// other systems only the program itself is killed).
type Askpass struct {
	Program string    // path of the program, as in SCIOREX_ASKPASS
	Stderr  io.Writer // where the program's stderr goes; nil means os.Stderr
}

var _ session.UI = (*Askpass)(nil)

// Name says which driver this is, for the agent's startup line.
func (a *Askpass) Name() string {
	return "askpass program " + Sanitize(a.Program, TextMax)
}

// Approve runs the program with SCIOREX_ASKPASS_PROMPT=confirm.
//
// May return: session.ErrDenied (non-zero exit), session.ErrTimeout,
// session.ErrCanceled, session.ErrNoApprover (the program could not run).
func (a *Askpass) Approve(ctx context.Context, req session.Request) (bool, error) {
	out, err := a.run(ctx, approvalText(ctx, req), requestEnv(PromptConfirm, req))
	wipe(out)
	if err != nil {
		return false, askpassError(err, session.ErrDenied)
	}
	return true, nil
}

// Password runs the program with SCIOREX_ASKPASS_PROMPT=password and reads
// the answer from its stdout.
//
// May return: ErrCancelled (non-zero exit), session.ErrTimeout,
// session.ErrCanceled, session.ErrNoApprover.
func (a *Askpass) Password(ctx context.Context, p session.PasswordPrompt) ([]byte, error) {
	env := []string{
		"SCIOREX_ASKPASS_PROMPT=" + PromptPassword,
		"SCIOREX_REQUEST_KIND=" + purposeOrUnlock(p.Purpose),
		"SCIOREX_REQUEST_VAULT=" + Sanitize(p.Vault, TextMax),
	}
	if p.New {
		env = append(env, "SCIOREX_REQUEST_NEW=1")
	}
	if p.Retry {
		env = append(env, "SCIOREX_REQUEST_RETRY=1")
	}
	return a.answer(ctx, passwordText(p, false), env)
}

// SecretValue runs the program with SCIOREX_ASKPASS_PROMPT=secret and reads
// the value from its stdout.
//
// May return: ErrCancelled, session.ErrTimeout, session.ErrCanceled,
// session.ErrNoApprover.
func (a *Askpass) SecretValue(ctx context.Context, req session.Request) ([]byte, error) {
	return a.answer(ctx, secretValueText(req), requestEnv(PromptSecret, req))
}

// Notify writes the notice to the program's stderr destination; askpass
// programs have no notification channel.
func (a *Askpass) Notify(title, text string) {
	title = strings.TrimPrefix(title, "sciorex-secrets: ") // the line says whose it is already
	fmt.Fprintf(a.stderr(), "sciorex-secrets: %s: %s\n", Sanitize(title, NameMax), Sanitize(text, TextMax))
}

func (a *Askpass) stderr() io.Writer {
	if a.Stderr == nil {
		return os.Stderr
	}
	return a.Stderr
}

// answer runs the program and returns the first line of its stdout.
func (a *Askpass) answer(ctx context.Context, prompt string, env []string) ([]byte, error) {
	out, err := a.run(ctx, prompt, env)
	if err != nil {
		wipe(out)
		return nil, askpassError(err, ErrCancelled)
	}
	line := firstLine(out)
	answer := make([]byte, len(line))
	copy(answer, line)
	wipe(out)
	return answer, nil
}

// firstLine returns b up to its first "\n", without a "\r" before it.
func firstLine(b []byte) []byte {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		b = b[:i]
	}
	return bytes.TrimSuffix(b, []byte{'\r'})
}

// errExit marks a program that ran and exited non-zero: the human said no.
var errExit = errors.New("the askpass program exited non-zero")

// errTooLong marks an answer over MaxAskpassOutput.
var errTooLong = errors.New("the askpass program wrote more than 1 MiB")

// run starts the program and waits for it. It returns its stdout, which the
// caller wipes, even on error.
func (a *Askpass) run(ctx context.Context, prompt string, env []string) ([]byte, error) {
	if a.Program == "" {
		return nil, noApprover("no askpass program is set")
	}
	if err := ctx.Err(); err != nil {
		return nil, ctxError(ctx)
	}
	cmd := exec.CommandContext(ctx, a.Program, prompt)
	cmd.Env = append(withoutRequestEnv(os.Environ()), env...)
	cmd.Stdin = nil
	out := &cappedBuffer{max: MaxAskpassOutput}
	cmd.Stdout = out
	cmd.Stderr = a.stderr()
	cmd.WaitDelay = askpassWaitDelay
	ownProcessGroup(cmd)
	err := cmd.Run()
	switch {
	case ctx.Err() != nil:
		return out.buf, ctxError(ctx)
	case err == nil && out.overflow:
		return out.buf, errTooLong
	case err == nil:
		return out.buf, nil
	}
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		return out.buf, fmt.Errorf("%w (status %d)", errExit, exitErr.ExitCode())
	}
	return out.buf, noApprover("cannot run the askpass program %s: %v", Sanitize(a.Program, TextMax), err)
}

// askpassError turns a run error into the session error for a refusal.
func askpassError(err, refused error) error {
	switch {
	case errors.Is(err, errExit):
		return refused
	case errors.Is(err, errTooLong):
		return fmt.Errorf("%w: %v", refused, err)
	}
	return err
}

// requestEnv describes req to the askpass program. Every value is
// sanitized; none is a secret value.
func requestEnv(prompt string, req session.Request) []string {
	return []string{
		"SCIOREX_ASKPASS_PROMPT=" + prompt,
		"SCIOREX_REQUEST_ID=" + strconv.FormatUint(req.ID, 10),
		"SCIOREX_REQUEST_KIND=" + Sanitize(string(req.Kind), NameMax),
		"SCIOREX_REQUEST_SECRETS=" + sanitizeList(req.Secrets, NameMax, ","),
		"SCIOREX_REQUEST_AGENT=" + Sanitize(req.Agent.Claimed, NameMax),
		"SCIOREX_REQUEST_VERIFIED=" + Sanitize(req.Agent.Verified(), TextMax),
		"SCIOREX_REQUEST_PROJECT=" + Sanitize(req.Project, TextMax),
		"SCIOREX_REQUEST_COMMAND=" + Sanitize(req.Command, CommandMax),
	}
}

// withoutRequestEnv drops variables of the askpass protocol inherited from
// the agent's own environment, so a stale value cannot pose as the request.
func withoutRequestEnv(env []string) []string {
	kept := env[:0:0]
	for _, kv := range env {
		if strings.HasPrefix(kv, "SCIOREX_REQUEST_") || strings.HasPrefix(kv, "SCIOREX_ASKPASS_PROMPT=") {
			continue
		}
		kept = append(kept, kv)
	}
	return kept
}

func purposeOrUnlock(purpose string) string {
	if purpose == "" {
		return "unlock"
	}
	return Sanitize(purpose, NameMax)
}
