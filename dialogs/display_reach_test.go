//go:build linux

package dialogs

import (
	"context"
	"errors"
	"net"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/sciorex/sciorex-secrets/session"
)

func TestX11Addresses(t *testing.T) {
	tests := []struct {
		display, network string
		addrs            []string
		ok               bool
	}{
		{":0", "unix", []string{"/tmp/.X11-unix/X0", "@/tmp/.X11-unix/X0"}, true},
		{":12.1", "unix", []string{"/tmp/.X11-unix/X12", "@/tmp/.X11-unix/X12"}, true},
		{"unix:3", "unix", []string{"/tmp/.X11-unix/X3", "@/tmp/.X11-unix/X3"}, true},
		{"localhost:10.0", "tcp", []string{"localhost:6010"}, true},
		{"tcp/example.org:1", "tcp", []string{"example.org:6001"}, true},
		{"[::1]:2", "tcp", []string{"[::1]:6002"}, true},
		{"/private/tmp/com.apple.launchd.x/org.xquartz:0", "unix", []string{"/private/tmp/com.apple.launchd.x/org.xquartz:0"}, true},
		{"no-colon", "", nil, false},
		{":x", "", nil, false},
		{":-1", "", nil, false},
		{":99999", "", nil, false},
	}
	for _, tt := range tests {
		network, addrs, ok := x11Addresses(tt.display)
		if ok != tt.ok || network != tt.network || len(addrs) != len(tt.addrs) {
			t.Errorf("x11Addresses(%q) = %s %q %v; want %s %q %v", tt.display, network, addrs, ok, tt.network, tt.addrs, tt.ok)
			continue
		}
		for i := range addrs {
			if addrs[i] != tt.addrs[i] {
				t.Errorf("x11Addresses(%q) = %q; want %q", tt.display, addrs, tt.addrs)
			}
		}
	}
}

// listenUnix serves path until the test ends (accepting and closing).
func listenUnix(t *testing.T, path string) {
	t.Helper()
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
}

func TestProbeDisplays(t *testing.T) {
	dir := t.TempDir()
	old := x11SocketDir
	x11SocketDir = dir
	t.Cleanup(func() { x11SocketDir = old })
	listenUnix(t, filepath.Join(dir, "X5"))
	listenUnix(t, filepath.Join(dir, "wayland-1"))
	tcp, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer tcp.Close()
	port := tcp.Addr().(*net.TCPAddr).Port

	tests := []struct {
		name      string
		env       map[string]string
		reachable bool
	}{
		{"nothing set: cannot tell", map[string]string{}, true},
		{"local X up", map[string]string{"DISPLAY": ":5"}, true},
		{"local X down", map[string]string{"DISPLAY": ":6"}, false},
		{"tcp X up", map[string]string{"DISPLAY": "127.0.0.1:" + strconv.Itoa(port-6000)}, port > 6000},
		{"wayland up", map[string]string{"WAYLAND_DISPLAY": "wayland-1", "XDG_RUNTIME_DIR": dir}, true},
		{"wayland down", map[string]string{"WAYLAND_DISPLAY": "wayland-9", "XDG_RUNTIME_DIR": dir}, false},
		{"wayland down, X up", map[string]string{"WAYLAND_DISPLAY": "wayland-9", "XDG_RUNTIME_DIR": dir, "DISPLAY": ":5"}, true},
		{"wayland without runtime dir: cannot tell", map[string]string{"WAYLAND_DISPLAY": "wayland-9", "DISPLAY": ":6"}, true},
		{"unparsable DISPLAY: cannot tell", map[string]string{"DISPLAY": "garbage"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := probeDisplays(func(k string) string { return tt.env[k] })
			if (err == nil) != tt.reachable {
				t.Fatalf("probeDisplays = %v; want reachable=%v", err, tt.reachable)
			}
		})
	}
}

// A zenity "cancel" on a display nobody serves is no human's answer: the
// approval fails with ErrNoApprover, not ErrDenied (found by the desktop
// suite, cmd/sciorex-secrets TestDesktopDeadDisplay).
func TestZenityCancelOnDeadDisplayIsNoApprover(t *testing.T) {
	fake := newFakeZenity(t)
	fake.answer(1, "", 1)
	fake.answer(2, "", 1)
	old := unreachableDisplay
	unreachableDisplay = func(func(string) string) error { return errors.New("the display cannot be reached") }
	t.Cleanup(func() { unreachableDisplay = old })

	ok, err := (&Zenity{}).Approve(context.Background(), sampleRequest())
	if ok || !errors.Is(err, session.ErrNoApprover) || errors.Is(err, session.ErrDenied) {
		t.Fatalf("Approve = %v, %v; want false, ErrNoApprover", ok, err)
	}
	if _, err := (&Zenity{}).Password(context.Background(), session.PasswordPrompt{Vault: "v"}); !errors.Is(err, session.ErrNoApprover) {
		t.Fatalf("Password err = %v; want ErrNoApprover", err)
	}
}

func FuzzX11Addresses(f *testing.F) {
	for _, s := range []string{":0", "localhost:10.0", "unix:3", "[::1]:2", "/tmp/x:0", "a:b:c", ":", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, display string) {
		network, addrs, ok := x11Addresses(display)
		if !ok {
			if network != "" || addrs != nil {
				t.Fatalf("x11Addresses(%q) not ok but returned %s %q", display, network, addrs)
			}
			return
		}
		if (network != "unix" && network != "tcp") || len(addrs) == 0 {
			t.Fatalf("x11Addresses(%q) = %s %q", display, network, addrs)
		}
		if network == "tcp" {
			_, port, err := net.SplitHostPort(addrs[0])
			if n, _ := strconv.Atoi(port); err != nil || n < 6000 || n > 65535 {
				t.Fatalf("x11Addresses(%q) = bad tcp address %q (%v)", display, addrs[0], err)
			}
		}
	})
}
