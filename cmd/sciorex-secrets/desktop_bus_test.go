package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// The DBus side of the desktop tests: a private session bus per test, a
// real gnome-keyring-daemon on it when asked, and a client connection the
// test uses to read and click the tray menu.

// busConfig is a session bus with no service activation: nothing starts
// behind the test's back (no keyring, no at-spi, no dconf), so every
// process on the bus is one the test started and kills.
const busConfig = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=%s</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`

// sessionBus is one private dbus-daemon and the test's own connection.
type sessionBus struct {
	t       *testing.T
	address string
	conn    *dbus.Conn
}

// startBus starts a private session bus with env (the world's HOME).
func startBus(t *testing.T, dir string, env []string) *sessionBus {
	t.Helper()
	cfg := filepath.Join(dir, "bus.conf")
	if err := os.WriteFile(cfg, []byte(fmt.Sprintf(busConfig, filepath.Join(dir, "bus.sock"))), 0o600); err != nil {
		t.Fatal(err)
	}
	r, wr, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	logf, err := os.Create(filepath.Join(dir, "dbus.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	cmd := exec.Command("dbus-daemon", "--config-file="+cfg, "--nofork", "--print-address=3")
	cmd.Env = env
	cmd.ExtraFiles = []*os.File{wr}
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = diesWithTest()
	if err := cmd.Start(); err != nil {
		wr.Close()
		t.Fatalf("starting dbus-daemon: %v", err)
	}
	wr.Close()
	t.Cleanup(func() { stopProcess(cmd) })
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(r).ReadString('\n')
		line <- strings.TrimSpace(s)
	}()
	b := &sessionBus{t: t}
	select {
	case b.address = <-line:
	case <-time.After(desktopWait):
		t.Fatal("dbus-daemon did not start")
	}
	if b.address == "" {
		t.Fatalf("dbus-daemon printed no address; see %s", filepath.Join(dir, "dbus.log"))
	}
	conn, err := dbus.Connect(b.address)
	if err != nil {
		t.Fatalf("connecting to the private bus: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	b.conn = conn
	return b
}

// hasOwner reports whether a bus name is owned right now.
func (b *sessionBus) hasOwner(name string) bool {
	var has bool
	err := b.conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, name).Store(&has)
	return err == nil && has
}

// waitOwner waits until name is owned on the bus.
func (b *sessionBus) waitOwner(name, why string) {
	b.t.Helper()
	deadline := time.Now().Add(desktopWait)
	for !b.hasOwner(name) {
		if time.Now().After(deadline) {
			b.t.Fatalf("%s never appeared on the bus (%s)", name, why)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// startKeyring runs a real gnome-keyring-daemon (Secret Service only) on
// the bus, with its login keyring created and unlocked under the world's
// HOME. The daemon stays in the foreground so the test owns its PID.
func startKeyring(t *testing.T, b *sessionBus, dir string, env []string) {
	t.Helper()
	logf, err := os.Create(filepath.Join(dir, "gnome-keyring.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	cmd := exec.Command("gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets")
	cmd.Env = append(env, "DBUS_SESSION_BUS_ADDRESS="+b.address)
	cmd.Stdin = strings.NewReader("keyring-login-password")
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = diesWithTest()
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting gnome-keyring-daemon: %v", err)
	}
	t.Cleanup(func() { stopProcess(cmd) })
	b.waitOwner("org.freedesktop.secrets", "gnome-keyring-daemon")
}

// keyringEntries returns what secret-tool prints about the Secret Service
// items of service (the label on stdout, the attributes on stderr), without
// the secrets themselves; "" when there is none.
func keyringEntries(t *testing.T, b *sessionBus, env []string, service string) string {
	t.Helper()
	cmd := exec.Command("secret-tool", "search", "--all", "service", service)
	cmd.Env = append(env, "DBUS_SESSION_BUS_ADDRESS="+b.address)
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	_ = cmd.Run() // no item: exit 1 and nothing printed
	var kept []string
	for _, l := range strings.Split(out.String()+"\n"+errb.String(), "\n") {
		l = strings.TrimSpace(l)
		if l != "" && !strings.HasPrefix(l, "secret =") {
			kept = append(kept, l)
		}
	}
	return strings.Join(kept, "\n")
}
