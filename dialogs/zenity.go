package dialogs

import (
	"context"
	"crypto/subtle"
	"errors"
	"os"
	"strings"
	"time"

	"github.com/ncruces/zenity"

	"github.com/sciorex/sciorex-secrets/session"
)

// zenityAvailable reports whether qarma, zenity or matedialog is on PATH.
// The library caches the answer for the life of the process; tests replace
// this variable.
var zenityAvailable = zenity.IsAvailable

// notifyTimeout bounds a desktop notification, which may hang when no
// notification daemon answers.
const notifyTimeout = 10 * time.Second

// maxPasswordTries is how many times a new password is asked for before
// giving up when the two typings differ.
const maxPasswordTries = 3

// Zenity asks through native dialogs (zenity, qarma or matedialog on Linux,
// osascript on macOS, Win32 on Windows) via github.com/ncruces/zenity.
// The zero value is ready to use. Approvals and prompts block until the
// human answers or ctx ends, which closes the dialog.
type Zenity struct {
	// Getenv reads DISPLAY and WAYLAND_DISPLAY; nil means os.Getenv.
	Getenv func(string) string
}

var _ session.UI = (*Zenity)(nil)

func (z *Zenity) getenv(key string) string {
	if z.Getenv == nil {
		return os.Getenv(key)
	}
	return z.Getenv(key)
}

// Name says which driver this is and on which display, for the agent's
// startup line.
func (z *Zenity) Name() string {
	if d := display(z.Getenv); d != "" {
		return "zenity on " + d
	}
	return "zenity (no display)"
}

// ready checks that a dialog can be shown at all. zenity itself reports a
// missing display as a plain cancel, which would look like a human "no".
func (z *Zenity) ready() error {
	if display(z.Getenv) == "" {
		return noApprover("no graphical display (DISPLAY and WAYLAND_DISPLAY are unset)")
	}
	if !zenityAvailable() {
		return noApprover("zenity is not installed (install zenity, or set SCIOREX_ASKPASS)")
	}
	return nil
}

// Approve shows a question with "Allow once" and "Deny", Deny being the
// default button. Untrusted text is sanitized and shown without markup.
//
// May return: session.ErrDenied, session.ErrTimeout, session.ErrCanceled,
// session.ErrNoApprover (no display, no zenity, or the dialog failed).
func (z *Zenity) Approve(ctx context.Context, req session.Request) (bool, error) {
	if err := z.ready(); err != nil {
		return false, err
	}
	err := zenity.Question(approvalText(ctx, req),
		zenity.Title(title(req)),
		zenity.OKLabel("Allow once"),
		zenity.CancelLabel("Deny"),
		zenity.DefaultCancel(),
		zenity.Context(ctx))
	if err != nil {
		return false, z.mapError(ctx, err, session.ErrDenied)
	}
	return true, nil
}

// Password asks for a password in a hidden entry that names the vault. For
// a new password it asks twice and compares, up to three times.
//
// The zenity library hands the answer back as a Go string, which cannot be
// wiped; the returned bytes are a copy that the caller wipes.
//
// May return: ErrCancelled, ErrMismatch, session.ErrTimeout,
// session.ErrCanceled, session.ErrNoApprover.
func (z *Zenity) Password(ctx context.Context, p session.PasswordPrompt) ([]byte, error) {
	if err := z.ready(); err != nil {
		return nil, err
	}
	if !p.New {
		return z.hiddenEntry(ctx, passwordText(p, false), passwordTitle(p), passwordButton(p))
	}
	return askNewPassword(func(confirm bool) ([]byte, error) {
		return z.hiddenEntry(ctx, passwordText(p, confirm), passwordTitle(p), passwordButton(p))
	})
}

// SecretValue asks for a secret's value in a hidden entry naming the secret
// and its collection (req.Detail).
//
// May return: ErrCancelled, session.ErrTimeout, session.ErrCanceled,
// session.ErrNoApprover.
func (z *Zenity) SecretValue(ctx context.Context, req session.Request) ([]byte, error) {
	if err := z.ready(); err != nil {
		return nil, err
	}
	return z.hiddenEntry(ctx, secretValueText(req), title(req), "Save")
}

// Notify shows a desktop notification in the background. Failures (no
// notification daemon, no display) are ignored.
func (z *Zenity) Notify(title, text string) {
	if z.ready() != nil {
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), notifyTimeout)
		defer cancel()
		_ = zenity.Notify(Sanitize(text, TextMax),
			zenity.Title(Sanitize(title, NameMax)), zenity.Context(ctx))
	}()
}

// hiddenEntry runs "zenity --entry --hide-text". That dialog does not take
// --no-markup: zenity shows its text as plain text but expands backslash
// escapes, which plainEntryText neutralises.
func (z *Zenity) hiddenEntry(ctx context.Context, text, dialogTitle, okLabel string) ([]byte, error) {
	answer, err := zenity.Entry(plainEntryText(text),
		zenity.Title(dialogTitle),
		zenity.OKLabel(okLabel),
		zenity.CancelLabel("Cancel"),
		zenity.HideText(),
		zenity.Context(ctx))
	if err != nil {
		return nil, z.mapError(ctx, err, ErrCancelled)
	}
	return []byte(answer), nil
}

// plainEntryText doubles backslashes, because zenity passes entry text
// through g_strcompress, which would turn a shown "\n" back into a newline.
func plainEntryText(s string) string {
	return strings.ReplaceAll(s, `\`, `\\`)
}

// mapError turns a zenity error into a session error: cancel means refused
// (as refused), unless the display cannot be reached (zenity reports that
// as a cancel too, and no human saw anything); the end of ctx a timeout or
// cancellation; anything else a failed dialog.
func (z *Zenity) mapError(ctx context.Context, err, refused error) error {
	switch {
	case ctx.Err() != nil:
		return ctxError(ctx)
	case errors.Is(err, zenity.ErrCanceled):
		if why := unreachableDisplay(z.getenv); why != nil {
			return noApprover("%v", why)
		}
		return refused
	case errors.Is(err, context.DeadlineExceeded):
		return session.ErrTimeout
	}
	return noApprover("the dialog failed: %v", err)
}

// askNewPassword asks for a new password and its confirmation until both
// agree, at most maxPasswordTries times. Every answer but the returned one
// is wiped.
func askNewPassword(ask func(confirm bool) ([]byte, error)) ([]byte, error) {
	for range maxPasswordTries {
		first, err := ask(false)
		if err != nil {
			return nil, err
		}
		second, err := ask(true)
		if err != nil {
			wipe(first)
			return nil, err
		}
		same := subtle.ConstantTimeCompare(first, second) == 1
		wipe(second)
		if same {
			return first, nil
		}
		wipe(first)
	}
	return nil, ErrMismatch
}

// wipe zeroes b.
func wipe(b []byte) {
	clear(b)
}
