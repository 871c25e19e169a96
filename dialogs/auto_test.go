package dialogs

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sciorex/sciorex-secrets/session"
)

func TestAuto(t *testing.T) {
	missingTTY := filepath.Join(t.TempDir(), "no-tty")
	tests := []struct {
		name      string
		env       map[string]string
		askpass   string
		available bool
		tty       string
		want      string
	}{
		{"askpass from environment", map[string]string{"SCIOREX_ASKPASS": "/bin/env-ask", "DISPLAY": ":0"}, "/bin/conf-ask", true, missingTTY, "askpass program /bin/env-ask"},
		{"askpass from config", map[string]string{"DISPLAY": ":0"}, "/bin/conf-ask", true, missingTTY, "askpass program /bin/conf-ask"},
		{"zenity on X", map[string]string{"DISPLAY": ":0"}, "", true, missingTTY, "zenity on :0"},
		{"zenity on wayland", map[string]string{"WAYLAND_DISPLAY": "wayland-0"}, "", true, missingTTY, "zenity on wayland wayland-0"},
		{"display without zenity", map[string]string{"DISPLAY": ":0"}, "", false, missingTTY, "none (every request is denied)"},
		{"terminal", map[string]string{}, "", true, "/dev/null", "terminal /dev/null"},
		{"nothing", map[string]string{}, "", true, missingTTY, "none (every request is denied)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			saved := zenityAvailable
			zenityAvailable = func() bool { return tt.available }
			t.Cleanup(func() { zenityAvailable = saved })
			ui := Auto(Env{
				Askpass: tt.askpass,
				Getenv:  func(k string) string { return tt.env[k] },
				TTY:     tt.tty,
			})
			if got := Describe(ui); got != tt.want {
				t.Errorf("Describe(Auto) = %q; want %q", got, tt.want)
			}
		})
	}
}

// On macOS and Windows the native dialogs need no DISPLAY: Auto must still
// choose them (before, every request there fell through to the terminal
// or to None).
func TestAutoDesktopWithoutDisplayVariable(t *testing.T) {
	for _, system := range []string{"darwin", "windows"} {
		saved, savedAvail := goos, zenityAvailable
		goos, zenityAvailable = system, func() bool { return true }
		ui := Auto(Env{Getenv: func(string) string { return "" }, TTY: filepath.Join(t.TempDir(), "no-tty")})
		goos, zenityAvailable = saved, savedAvail
		if got := Describe(ui); !strings.HasPrefix(got, "zenity") {
			t.Errorf("%s without DISPLAY: Auto chose %q, want zenity", system, got)
		}
	}
}

func TestNone(t *testing.T) {
	var ui session.UI = None{}
	ctx := context.Background()
	if ok, err := ui.Approve(ctx, sampleRequest()); ok || !errors.Is(err, session.ErrNoApprover) {
		t.Errorf("Approve = %v, %v", ok, err)
	}
	if v, err := ui.Password(ctx, session.PasswordPrompt{}); v != nil || !errors.Is(err, session.ErrNoApprover) {
		t.Errorf("Password = %v, %v", v, err)
	}
	if v, err := ui.SecretValue(ctx, sampleRequest()); v != nil || !errors.Is(err, session.ErrNoApprover) {
		t.Errorf("SecretValue = %v, %v", v, err)
	}
	ui.Notify("t", "x")
}

func TestErrorsWrapDenied(t *testing.T) {
	for _, err := range []error{ErrCancelled, ErrMismatch} {
		if !errors.Is(err, session.ErrDenied) {
			t.Errorf("%v does not wrap session.ErrDenied", err)
		}
	}
	if errors.Is(session.ErrDenied, ErrCancelled) {
		t.Error("a plain deny counts as a cancelled prompt")
	}
}

func TestDescribeUnnamed(t *testing.T) {
	if got := Describe(struct{ session.UI }{None{}}); got == "" {
		t.Error("empty description")
	}
}
