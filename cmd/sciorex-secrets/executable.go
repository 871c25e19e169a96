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

// warnIfTemporary warns on stderr when exe lives in the temporary folder
// (as under "go run"), where a path written into a config will not last.
func warnIfTemporary(env *Env, exe string) {
	tmp, err := filepath.EvalSymlinks(os.TempDir())
	if err != nil {
		return
	}
	if rel, err := filepath.Rel(tmp, exe); err == nil && filepath.IsLocal(rel) {
		fmt.Fprintf(env.Stderr, "warning: %s is in the temporary folder and may soon be gone;\n"+
			"hint: install it first (make install) and run this command from the installed binary\n", exe)
	}
}
