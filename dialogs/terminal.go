package dialogs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/sciorex/sciorex-secrets/session"
)

// DefaultTTY is the controlling terminal of the agent.
const DefaultTTY = "/dev/tty"

// maxTerminalLine caps one typed answer.
const maxTerminalLine = 64 << 10

// Terminal asks on the agent's controlling terminal. Approvals print the
// request and "Allow once? [y/N]"; only "y" or "yes" (any case) approves.
// Passwords and secret values are read with echo turned off (Linux only;
// elsewhere hidden prompts fail with session.ErrNoApprover), and the
// terminal is restored afterwards, also when ctx ends.
type Terminal struct {
	Path string // terminal device; "" means DefaultTTY
}

var _ session.UI = (*Terminal)(nil)

// Name says which driver this is, for the agent's startup line.
func (t *Terminal) Name() string { return "terminal " + t.path() }

func (t *Terminal) path() string {
	if t.Path == "" {
		return DefaultTTY
	}
	return t.Path
}

// open opens the terminal for one question; the caller closes it.
func (t *Terminal) open() (*os.File, error) {
	f, err := os.OpenFile(t.path(), os.O_RDWR, 0)
	if err != nil {
		return nil, noApprover("no terminal to ask on: %v", err)
	}
	return f, nil
}

// Approve prints the request and waits for y/yes.
//
// May return: session.ErrDenied, session.ErrTimeout, session.ErrCanceled,
// session.ErrNoApprover.
func (t *Terminal) Approve(ctx context.Context, req session.Request) (bool, error) {
	f, err := t.open()
	if err != nil {
		return false, err
	}
	defer f.Close()
	fmt.Fprintf(f, "\n%s\n%s\n%s\nAllow once? [y/N] ", title(req), approvalBody(req), timeoutLine(ctx))
	line, err := readLine(ctx, f)
	if err != nil {
		fmt.Fprintln(f, "\ndenied")
		return false, err
	}
	answer := strings.ToLower(strings.TrimSpace(string(line)))
	if answer == "y" || answer == "yes" {
		return true, nil
	}
	return false, session.ErrDenied
}

// Password reads a password without echo; a new one is asked twice.
//
// May return: ErrCancelled (empty line or end of input), ErrMismatch,
// session.ErrTimeout, session.ErrCanceled, session.ErrNoApprover.
func (t *Terminal) Password(ctx context.Context, p session.PasswordPrompt) ([]byte, error) {
	if !p.New {
		return t.hidden(ctx, passwordText(p, false))
	}
	return askNewPassword(func(confirm bool) ([]byte, error) {
		return t.hidden(ctx, passwordText(p, confirm))
	})
}

// SecretValue reads a secret's value without echo.
//
// May return: ErrCancelled, session.ErrTimeout, session.ErrCanceled,
// session.ErrNoApprover.
func (t *Terminal) SecretValue(ctx context.Context, req session.Request) ([]byte, error) {
	return t.hidden(ctx, title(req)+"\n"+secretValueText(req))
}

// Notify prints the notice on the terminal, if there is one.
func (t *Terminal) Notify(title, text string) {
	f, err := t.open()
	if err != nil {
		return
	}
	defer f.Close()
	fmt.Fprintf(f, "\nsciorex-secrets: %s: %s\n", Sanitize(title, NameMax), Sanitize(text, TextMax))
}

// hidden prints prompt and reads one line with echo off. An empty line
// cancels.
func (t *Terminal) hidden(ctx context.Context, prompt string) ([]byte, error) {
	f, err := t.open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	restore, err := echoOff(f)
	if err != nil {
		return nil, err
	}
	defer restore()
	fmt.Fprintf(f, "\n%s\n(typing is hidden; an empty line cancels) > ", prompt)
	line, err := readLine(ctx, f)
	fmt.Fprintln(f)
	if err != nil {
		return nil, err
	}
	if len(line) == 0 {
		return nil, ErrCancelled
	}
	return line, nil
}

// readLine reads one line from the terminal, without its line ending, until
// ctx ends. On the end of ctx it interrupts the read with a deadline and
// waits for the reader, so the caller may restore the terminal safely.
func readLine(ctx context.Context, f *os.File) ([]byte, error) {
	type result struct {
		line []byte
		err  error
	}
	done := make(chan result, 1)
	go func() {
		line, err := readUntilNewline(f)
		done <- result{line, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			wipe(r.line)
			if errors.Is(r.err, io.EOF) {
				return nil, ErrCancelled
			}
			return nil, noApprover("reading the terminal failed: %v", r.err)
		}
		return r.line, nil
	case <-ctx.Done():
		if f.SetReadDeadline(time.Now()) == nil {
			r := <-done
			wipe(r.line)
		}
		return nil, ctxError(ctx)
	}
}

// readUntilNewline reads byte by byte, so nothing after the line is taken
// from the terminal, up to maxTerminalLine bytes.
func readUntilNewline(r io.Reader) ([]byte, error) {
	buf := &cappedBuffer{max: maxTerminalLine}
	var one [1]byte
	for {
		n, err := r.Read(one[:])
		if n == 1 {
			if one[0] == '\n' {
				return firstLine(buf.buf), nil
			}
			buf.Write(one[:])
		}
		if err != nil {
			return buf.buf, err
		}
	}
}
