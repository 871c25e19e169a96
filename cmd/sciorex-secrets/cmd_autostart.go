package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
)

// autostart is the OS's entry that starts the agent at login: a file on
// Linux and macOS, a registry value on Windows. newAutostart (one per OS)
// builds it for a binary path.
type autostart struct {
	where  string                 // the file or registry value, shown to the user
	want   []byte                 // what enable writes
	read   func() ([]byte, error) // fs.ErrNotExist when there is no entry
	write  func([]byte) error
	remove func() error // nil when there was nothing to remove
}

// autostartState is what status reports.
type autostartState int

const (
	autostartDisabled autostartState = iota
	autostartEnabled
	autostartOutdated // an entry exists but is not what this binary writes
)

func (a autostart) state() (autostartState, error) {
	got, err := a.read()
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return autostartDisabled, nil
	case err != nil:
		return autostartDisabled, err
	case bytes.Equal(got, a.want):
		return autostartEnabled, nil
	}
	return autostartOutdated, nil
}

// runAutostart enables, disables or reports starting the agent at login.
// enable and disable are idempotent.
func runAutostart(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("autostart")
	pos, _, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("autostart needs one of enable, disable, status")
	}
	exe, err := selfPath()
	if err != nil {
		return err
	}
	warnIfTemporary(env, exe)
	a, err := newAutostart(env, exe)
	if err != nil {
		return err
	}
	return autostartAction(env, a, pos[0])
}

func autostartAction(env *Env, a autostart, action string) error {
	if action != "enable" && action != "disable" && action != "status" {
		return usagef("autostart: unknown action %q; use enable, disable or status", action)
	}
	st, err := a.state()
	if err != nil {
		return err
	}
	switch action {
	case "enable":
		if st == autostartEnabled {
			fmt.Fprintf(env.Stdout, "autostart already enabled\nentry: %s\n", a.where)
			return nil
		}
		if err := a.write(a.want); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "autostart enabled: the agent starts when you log in\nentry: %s\n", a.where)
	case "disable":
		if st == autostartDisabled {
			fmt.Fprintf(env.Stdout, "autostart already disabled\nentry: %s (absent)\n", a.where)
			return nil
		}
		if err := a.remove(); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "autostart disabled\nentry: %s (removed)\n", a.where)
	case "status":
		switch st {
		case autostartEnabled:
			fmt.Fprintf(env.Stdout, "autostart: enabled\nentry: %s\n", a.where)
		case autostartOutdated:
			fmt.Fprintf(env.Stdout, "autostart: enabled, but the entry is not what this binary writes (another path, or edited)\n"+
				"entry: %s\nhint: run \"sciorex-secrets autostart enable\" to rewrite it\n", a.where)
		default:
			fmt.Fprintf(env.Stdout, "autostart: disabled\nentry: %s (absent)\n", a.where)
		}
	}
	return nil
}
