package dialogs

import (
	"context"

	"github.com/ncruces/zenity"
)

// Chooser shows native file dialogs for the tray's export and import. The
// zero value is ready to use. Paths come back as the human chose them.
type Chooser struct {
	// Getenv reads DISPLAY and WAYLAND_DISPLAY; nil means os.Getenv.
	Getenv func(string) string
}

// SaveFile asks where to write a file, proposing defaultName and asking
// before overwriting an existing file.
//
// May return: ErrCancelled, session.ErrTimeout, session.ErrCanceled,
// session.ErrNoApprover.
func (c Chooser) SaveFile(ctx context.Context, title, defaultName string) (string, error) {
	return c.choose(ctx, zenity.SelectFileSave,
		zenity.Title(Sanitize(title, NameMax)),
		zenity.Filename(defaultName),
		zenity.ConfirmOverwrite())
}

// OpenFile asks for an existing file to read.
//
// May return: ErrCancelled, session.ErrTimeout, session.ErrCanceled,
// session.ErrNoApprover.
func (c Chooser) OpenFile(ctx context.Context, title string) (string, error) {
	return c.choose(ctx, zenity.SelectFile, zenity.Title(Sanitize(title, NameMax)))
}

func (c Chooser) choose(ctx context.Context, dialog func(...zenity.Option) (string, error), opts ...zenity.Option) (string, error) {
	z := &Zenity{Getenv: c.Getenv}
	if err := z.ready(); err != nil {
		return "", err
	}
	path, err := dialog(append(opts, zenity.Context(ctx))...)
	if err != nil {
		return "", z.mapError(ctx, err, ErrCancelled)
	}
	if path == "" {
		return "", ErrCancelled
	}
	return path, nil
}
