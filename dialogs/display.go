package dialogs

import "os"

// display returns the graphical display the agent can reach, as
// "DISPLAY=:0" style text, or "" when neither DISPLAY nor WAYLAND_DISPLAY
// is set.
func display(getenv func(string) string) string {
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
