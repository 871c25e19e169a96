//go:build windows || (darwin && cgo)

package tray

// Available reports whether a tray can run here; on Windows and macOS
// (cgo builds) the notification area is always there.
func Available() (bool, string) { return true, "" }
