//go:build linux

package tray

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/sciorex/sciorex-secrets/session"
)

// TestHeadless: with no session bus, Available says so, Run refuses without
// touching systray (whose stop would panic), and nothing autolaunches a bus
// through dbus-launch.
func TestHeadless(t *testing.T) {
	if _, err := os.Stat(fmt.Sprintf("/run/user/%d/bus", os.Getuid())); err == nil {
		t.Skip("a user bus socket exists; cannot simulate a headless machine")
	}
	dir := t.TempDir()
	marker := filepath.Join(dir, "dbus-launch-ran")
	script := "#!/bin/sh\ntouch " + marker + "\nexit 1\n"
	if err := os.WriteFile(filepath.Join(dir, "dbus-launch"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")

	ok, why := Available()
	if ok || why != "no session bus: running headless" {
		t.Errorf("Available() = %v, %q", ok, why)
	}
	stop, err := Run(context.Background(), &fakeBackend{st: session.Status{Locked: true}}, Options{})
	if !errors.Is(err, ErrUnavailable) || stop != nil {
		t.Errorf("Run = %v, %v; want ErrUnavailable", stop != nil, err)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Error("dbus-launch was run")
	}
}
