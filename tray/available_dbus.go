//go:build linux || freebsd || openbsd || netbsd

package tray

import "github.com/godbus/dbus/v5"

// Available reports whether a tray can run here, and why not. On Linux and
// the BSDs the tray needs a session bus that is already running: it tries
// DBUS_SESSION_BUS_ADDRESS, then /run/user/<uid>/bus, and never autolaunches
// one (godbus would otherwise leave a stray dbus-daemon behind through
// dbus-launch, and systray panics on stop without a bus). Call it before
// [Run]; when it says no, run headless.
func Available() (bool, string) {
	c, err := dbus.SessionBusPrivateNoAutoStartup()
	if err != nil {
		return false, "no session bus: running headless"
	}
	defer c.Close()
	if err := c.Auth(nil); err != nil {
		return false, "session bus refused authentication: running headless"
	}
	if err := c.Hello(); err != nil {
		return false, "session bus did not answer: running headless"
	}
	return true, ""
}
