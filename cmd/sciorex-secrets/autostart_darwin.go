//go:build darwin

package main

import (
	"fmt"
	"os"
	"path/filepath"
)

// newAutostart is the LaunchAgent ~/Library/LaunchAgents/com.sciorex.secrets.plist,
// loaded by launchd at the next login.
func newAutostart(env *Env, exe string) (autostart, error) {
	home := env.Getenv("HOME")
	if home == "" {
		var err error
		if home, err = os.UserHomeDir(); err != nil {
			return autostart{}, fmt.Errorf("find your home folder for the LaunchAgent: %w; set HOME", err)
		}
	}
	path := filepath.Join(home, "Library", "LaunchAgents", launchAgentLabel+".plist")
	return fileAutostart(path, launchAgentPlist(exe)), nil
}
