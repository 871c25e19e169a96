package dialogs

import (
	"os"
	"runtime"
)

// goos is the operating system; tests replace it.
var goos = runtime.GOOS

// display returns the graphical display the agent can reach, as
// "DISPLAY=:0" style text, or "" when there is none. macOS and Windows
// always have their desktop (osascript and Win32 dialogs need no
// variable); elsewhere it takes WAYLAND_DISPLAY or DISPLAY.
func display(getenv func(string) string) string {
	switch goos {
	case "darwin":
		return "the macOS desktop"
	case "windows":
		return "the Windows desktop"
	}
	if getenv == nil {
		getenv = os.Getenv
	}
	if d := getenv("WAYLAND_DISPLAY"); d != "" {
		return "wayland " + Sanitize(d, NameMax)
	}
	if d := getenv("DISPLAY"); d != "" {
		return Sanitize(d, NameMax)
	}
	return ""
}
