//go:build !darwin && !windows

package main

import (
	"fmt"
	"os"
	"path/filepath"
)

// newAutostart is the XDG autostart entry:
// $XDG_CONFIG_HOME/autostart/sciorex-secrets.desktop (~/.config by default).
func newAutostart(env *Env, exe string) (autostart, error) {
	want, err := xdgAutostartEntry(exe)
	if err != nil {
		return autostart{}, err
	}
	dir := env.Getenv("XDG_CONFIG_HOME")
	if !filepath.IsAbs(dir) { // the spec says to ignore a relative value
		home := env.Getenv("HOME")
		if home == "" {
			if home, err = os.UserHomeDir(); err != nil {
				return autostart{}, fmt.Errorf("find your home folder for the autostart entry: %w; set HOME or XDG_CONFIG_HOME", err)
			}
		}
		dir = filepath.Join(home, ".config")
	}
	return fileAutostart(filepath.Join(dir, "autostart", autostartName+".desktop"), want), nil
}
