//go:build unix

package dialogs

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sciorex/sciorex-secrets/session"
)

// TestDesktopZenity drives the real zenity with xdotool. It needs an X
// server (Xvfb -noreset), zenity and xdotool, and runs only when
// SCIOREX_DESKTOP_TESTS is set, e.g.:
//
//	Xvfb :77 -noreset & DISPLAY=:77 NO_AT_BRIDGE=1 SCIOREX_DESKTOP_TESTS=1 \
//	  dbus-run-session -- go test -run Desktop ./dialogs
func TestDesktopZenity(t *testing.T) {
	if os.Getenv("SCIOREX_DESKTOP_TESTS") == "" {
		t.Skip("set SCIOREX_DESKTOP_TESTS=1 (with DISPLAY, zenity and xdotool) to run")
	}
	if os.Getenv("DISPLAY") == "" {
		t.Fatal("SCIOREX_DESKTOP_TESTS is set but DISPLAY is not")
	}
	// Drop the fake zenity that TestMain put first in PATH.
	path := os.Getenv("PATH")
	if i := strings.IndexByte(path, os.PathListSeparator); i >= 0 {
		t.Setenv("PATH", path[i+1:])
	}
	for _, tool := range []string{"zenity", "xdotool"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is not installed", tool)
		}
	}
	z := &Zenity{}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	t.Run("return presses Deny, the default", func(t *testing.T) {
		req := sampleRequest()
		req.ID = 501
		req.Secrets = []string{"<b>PROD</b>"}
		go func() {
			w := waitWindow(t, "sciorex-secrets: request #501")
			xdotool(t, "windowfocus", "--sync", w)
			xdotool(t, "key", "Return")
		}()
		ok, err := z.Approve(ctx, req)
		if ok || !errors.Is(err, session.ErrDenied) {
			t.Fatalf("Approve = %v, %v; want false, ErrDenied", ok, err)
		}
	})
	t.Run("click Allow once", func(t *testing.T) {
		req := sampleRequest()
		req.ID = 502
		go func() {
			w := waitWindow(t, "sciorex-secrets: request #502")
			geo := xdotool(t, "getwindowgeometry", "--shell", w)
			width, height := geometry(geo, "WIDTH"), geometry(geo, "HEIGHT")
			xdotool(t, "mousemove", "--window", w, strconv.Itoa(width-40), strconv.Itoa(height-25), "click", "1")
		}()
		ok, err := z.Approve(ctx, req)
		if !ok || err != nil {
			t.Fatalf("Approve = %v, %v; want true, nil", ok, err)
		}
	})
	t.Run("typed password", func(t *testing.T) {
		go func() {
			w := waitWindow(t, "sciorex-secrets: unlock")
			xdotool(t, "windowfocus", "--sync", w)
			xdotool(t, "type", "--delay", "5", "c0rrect horse")
			xdotool(t, "key", "Return")
		}()
		pw, err := z.Password(ctx, session.PasswordPrompt{Vault: "/tmp/v.sxv"})
		if err != nil || string(pw) != "c0rrect horse" {
			t.Fatalf("Password = %q, %v", pw, err)
		}
	})
	t.Run("deadline closes the dialog", func(t *testing.T) {
		short, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		req := sampleRequest()
		req.ID = 503
		ok, err := z.Approve(short, req)
		if ok || !errors.Is(err, session.ErrTimeout) {
			t.Fatalf("Approve = %v, %v; want false, ErrTimeout", ok, err)
		}
	})
}

func xdotool(t *testing.T, args ...string) string {
	out, err := exec.Command("xdotool", args...).Output()
	if err != nil {
		t.Errorf("xdotool %q: %v", args, err)
	}
	return strings.TrimSpace(string(out))
}

// waitWindow polls for a visible window with exactly this title.
func waitWindow(t *testing.T, title string) string {
	for range 1500 {
		out, _ := exec.Command("xdotool", "search", "--onlyvisible", "--name", "^"+title+"$").Output()
		if id, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n"); id != "" {
			time.Sleep(100 * time.Millisecond) // let GTK finish mapping
			return id
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Errorf("no window %q appeared", title)
	return ""
}

func geometry(shell, key string) int {
	for _, line := range strings.Split(shell, "\n") {
		if v, ok := strings.CutPrefix(line, key+"="); ok {
			n, _ := strconv.Atoi(v)
			return n
		}
	}
	return 0
}
