package tray

import "errors"

// Errors from [Run]. When either is returned the agent runs without a tray.
var (
	ErrUnavailable = errors.New("no system tray available")
	ErrStarted     = errors.New("the tray was already started in this process (systray allows one run)")
)
