//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package dialogs

import "os/exec"

// ownProcessGroup keeps exec's default here: only the program itself is
// killed when its context ends.
func ownProcessGroup(cmd *exec.Cmd) {}
