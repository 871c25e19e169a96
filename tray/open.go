package tray

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"runtime"
)

// openFile opens path with the desktop's default viewer. It does not wait
// for the viewer, only reaps it. path is a file name, never a secret.
func openFile(path string) error {
	abs, err := filepath.Abs(path) // never let a name starting with "-" read as an option
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", abs)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", abs)
	default:
		cmd = exec.Command("xdg-open", abs)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("open %s: %w (is a desktop file opener installed?)", path, err)
	}
	go cmd.Wait() //nolint:errcheck // the viewer's exit status means nothing to us
	return nil
}
