package main

import (
	"fmt"
	"os"
	"path/filepath"
)

// selfPath returns the absolute path of the running binary with symlinks
// resolved, so that a config or an autostart entry written from it keeps
// working from any directory. It fails if the OS cannot say where the
// binary is (the caller should then ask the user to pass the path).
func selfPath() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("find the path of the sciorex-secrets binary: %w", err)
	}
	if resolved, err := filepath.EvalSymlinks(exe); err == nil {
		exe = resolved
	}
	return filepath.Abs(exe)
}
