//go:build windows

package main

import (
	"errors"
	"fmt"
	"io/fs"

	"golang.org/x/sys/windows/registry"
)

const runKeyPath = `Software\Microsoft\Windows\CurrentVersion\Run`

// newAutostart is the value "sciorex-secrets" under the current user's Run
// key, which Windows runs at login.
func newAutostart(env *Env, exe string) (autostart, error) {
	where := `HKEY_CURRENT_USER\` + runKeyPath + `\` + autostartName
	return autostart{
		where: where,
		want:  []byte(windowsRunCommand(exe)),
		read: func() ([]byte, error) {
			k, err := registry.OpenKey(registry.CURRENT_USER, runKeyPath, registry.QUERY_VALUE)
			if err != nil {
				return nil, registryError("read", where, err)
			}
			defer k.Close()
			v, _, err := k.GetStringValue(autostartName)
			if err != nil {
				return nil, registryError("read", where, err)
			}
			return []byte(v), nil
		},
		write: func(b []byte) error {
			k, _, err := registry.CreateKey(registry.CURRENT_USER, runKeyPath, registry.SET_VALUE)
			if err != nil {
				return registryError("write", where, err)
			}
			defer k.Close()
			return registryError("write", where, k.SetStringValue(autostartName, string(b)))
		},
		remove: func() error {
			k, err := registry.OpenKey(registry.CURRENT_USER, runKeyPath, registry.SET_VALUE)
			if err == nil {
				defer k.Close()
				err = k.DeleteValue(autostartName)
			}
			if errors.Is(err, registry.ErrNotExist) {
				return nil
			}
			return registryError("remove", where, err)
		},
	}, nil
}

// registryError maps a missing key or value to fs.ErrNotExist, the way a
// missing file reads, and names the value in any other failure.
func registryError(verb, where string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, registry.ErrNotExist):
		return fs.ErrNotExist
	}
	return fmt.Errorf("%s %s: %w", verb, where, err)
}
