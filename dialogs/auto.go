package dialogs

import (
	"cmp"
	"fmt"
	"io"
	"os"

	"github.com/sciorex/sciorex-secrets/session"
)

// Env is what [Auto] looks at to choose a driver. Zero fields mean the
// process's own environment.
type Env struct {
	// Askpass is the askpass program from the config file. The
	// SCIOREX_ASKPASS environment variable, when set, wins over it.
	Askpass string
	// Getenv reads the environment; nil means os.Getenv.
	Getenv func(string) string
	// TTY is the terminal to ask on; "" means DefaultTTY.
	TTY string
	// Stderr receives the askpass program's stderr; nil means os.Stderr.
	Stderr io.Writer
}

func (e Env) getenv(key string) string {
	if e.Getenv == nil {
		return os.Getenv(key)
	}
	return e.Getenv(key)
}

// Auto chooses how to ask the human, in this order: the askpass program
// (SCIOREX_ASKPASS, else env.Askpass); zenity, when a display is set and a
// zenity binary is installed; the terminal, when it can be opened; else
// [None], which denies everything. The choice is made once, here.
func Auto(env Env) session.UI {
	if program := cmp.Or(env.getenv("SCIOREX_ASKPASS"), env.Askpass); program != "" {
		return &Askpass{Program: program, Stderr: env.Stderr}
	}
	if display(env.getenv) != "" && zenityAvailable() {
		return &Zenity{Getenv: env.Getenv}
	}
	term := &Terminal{Path: env.TTY}
	if f, err := term.open(); err == nil {
		f.Close()
		return term
	}
	return None{}
}

// Describe names the driver behind ui for the agent's startup line, as in
// "approvals: zenity on :0".
func Describe(ui session.UI) string {
	if named, ok := ui.(interface{ Name() string }); ok {
		return named.Name()
	}
	return fmt.Sprintf("%T", ui)
}
