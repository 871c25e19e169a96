//go:build linux

package tray

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

// The DBus test drives the real systray through com.canonical.dbusmenu, the
// way a tray host does. systray has data races of its own, so the tray runs
// in a separately built, non-race binary (internal/traydemo).
//
//	dbus-run-session -- go test -race ./tray/...

// menuNode is one dbusmenu layout node: (ia{sv}av).
type menuNode struct {
	ID       int32
	Props    map[string]dbus.Variant
	Children []dbus.Variant
}

type menuEntry struct {
	ID      int32
	Label   string
	Enabled bool
	Visible bool
	Checked bool
}

type trayClient struct {
	t     *testing.T
	conn  *dbus.Conn
	menu  dbus.BusObject
	item  dbus.BusObject
	lines chan string
	cmd   *exec.Cmd
}

func TestDBusMenu(t *testing.T) {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		t.Skip("no session bus; run under dbus-run-session")
	}
	if ok, why := Available(); !ok {
		t.Skip(why)
	}
	c := startDemo(t)

	c.waitLine("READY")
	entries := c.layout() // the first GetLayout is clamped to depth 1
	entries = c.layout()
	if got := entries["Locked"]; got.ID == 0 || got.Enabled {
		t.Fatalf("status line = %+v, want a disabled \"Locked\"", got)
	}
	if e := entries["Pending requests (0)"]; e.Enabled {
		t.Errorf("pending item enabled with nothing pending")
	}
	if s := entries["Auto-lock after 15 minutes"]; !s.Checked {
		t.Errorf("auto-lock 15 not checked: %+v", s)
	}
	if tip := c.tooltip(); !strings.Contains(tip, "locked") {
		t.Errorf("tooltip = %q", tip)
	}

	// A click on a disabled item does nothing, even sent straight over DBus.
	c.click(entries["Pending requests (0)"].ID)

	c.click(entries["Unlock…"].ID)
	c.waitLine("CALL unlock")
	entries = c.waitLabel("Lock")
	if e := entries["Unlocked · 3 secrets"]; e.ID == 0 {
		t.Errorf("no unlocked status line in %v", keys(entries))
	}
	// "_" is an access-key marker in dbusmenu: the label must escape it.
	mail := entries["personal__mail (1)"]
	if mail.ID == 0 || mail.Checked || !mail.Visible {
		t.Fatalf("collection row = %+v in %v", mail, keys(entries))
	}
	c.click(mail.ID)
	c.waitLine("CALL access personal_mail use")

	c.click(entries["Lock"].ID)
	c.waitLine("CALL lock")
	entries = c.waitLabel("Unlock…")
	if _, shown := entries["personal__mail (1)"]; shown {
		t.Error("a collection row is still visible while locked")
	}
	if e := entries["Unlock to see collections"]; e.ID == 0 || e.Enabled {
		t.Errorf("locked collections note = %+v", e)
	}

	c.click(entries["Quit"].ID)
	c.waitLine("QUIT")
	for range c.lines { // stop must end the tray without a panic
	}
	if err := c.cmd.Wait(); err != nil {
		t.Errorf("traydemo after Quit: %v", err)
	}
}

func startDemo(t *testing.T) *trayClient {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "traydemo")
	build := exec.Command("go", "build", "-o", bin, "./internal/traydemo")
	build.Env = append(os.Environ(), "CGO_ENABLED=0") // never -race: systray races
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building traydemo: %v\n%s", err, out)
	}
	cmd := exec.Command(bin)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &trayClient{t: t, lines: make(chan string, 64), cmd: cmd}
	go func() {
		s := bufio.NewScanner(stdout)
		for s.Scan() {
			c.lines <- s.Text()
		}
		close(c.lines)
	}()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
		if t.Failed() {
			t.Logf("traydemo stderr:\n%s", stderr.String())
		}
	})

	conn, err := dbus.SessionBusPrivateNoAutoStartup()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	if err := conn.Auth(nil); err != nil {
		t.Fatal(err)
	}
	if err := conn.Hello(); err != nil {
		t.Fatal(err)
	}
	svc := fmt.Sprintf("org.kde.StatusNotifierItem-%d-1", cmd.Process.Pid)
	c.conn = conn
	c.menu = conn.Object(svc, "/StatusNotifierItem/menu")
	c.item = conn.Object(svc, "/StatusNotifierItem")
	eventually(t, svc+" on the bus", func() bool {
		var has bool
		err := conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, svc).Store(&has)
		return err == nil && has
	})
	return c
}

// waitLine waits for the demo to print a line starting with prefix. Any
// other backend call on the way fails the test: a click must do exactly
// what its item says. The deadline only bounds a hung test.
func (c *trayClient) waitLine(prefix string) string {
	c.t.Helper()
	timeout := time.After(20 * time.Second)
	for {
		select {
		case l, ok := <-c.lines:
			if !ok {
				c.t.Fatalf("traydemo exited before printing %q", prefix)
			}
			if strings.HasPrefix(l, prefix) {
				return l
			}
			if strings.HasPrefix(l, "CALL") {
				c.t.Fatalf("unexpected %q while waiting for %q", l, prefix)
			}
		case <-timeout:
			c.t.Fatalf("timed out waiting for traydemo to print %q", prefix)
		}
	}
}

// waitLabel polls the menu until an item is labelled label, and logs how
// long the menu took to follow the state.
func (c *trayClient) waitLabel(label string) map[string]menuEntry {
	c.t.Helper()
	began := time.Now()
	var entries map[string]menuEntry
	eventually(c.t, "menu item "+label, func() bool {
		entries = c.layout()
		e, ok := entries[label]
		return ok && e.Visible
	})
	c.t.Logf("menu showed %q %v after the backend call", label, time.Since(began).Round(time.Millisecond))
	return entries
}

// layout reads the whole menu and indexes it by label.
func (c *trayClient) layout() map[string]menuEntry {
	c.t.Helper()
	var rev uint32
	var root menuNode
	if err := c.menu.Call("com.canonical.dbusmenu.GetLayout", 0, int32(0), int32(-1), []string{}).Store(&rev, &root); err != nil {
		c.t.Fatalf("GetLayout: %v", err)
	}
	entries := map[string]menuEntry{}
	var walk func(menuNode)
	walk = func(n menuNode) {
		for _, v := range n.Children {
			var ch menuNode
			if err := dbus.Store([]any{v.Value()}, &ch); err != nil {
				c.t.Fatalf("menu node: %v", err)
			}
			e := menuEntry{ID: ch.ID, Enabled: true, Visible: true}
			if l, ok := ch.Props["label"].Value().(string); ok {
				e.Label = l
			}
			if b, ok := ch.Props["enabled"].Value().(bool); ok {
				e.Enabled = b
			}
			if b, ok := ch.Props["visible"].Value().(bool); ok {
				e.Visible = b
			}
			if s, ok := ch.Props["toggle-state"].Value().(int32); ok {
				e.Checked = s == 1
			}
			if e.Label != "" && e.Visible {
				entries[e.Label] = e
			}
			walk(ch)
		}
	}
	walk(root)
	return entries
}

func (c *trayClient) click(id int32) {
	c.t.Helper()
	if id == 0 {
		c.t.Fatal("click on a missing item")
	}
	call := c.menu.Call("com.canonical.dbusmenu.Event", 0, id, "clicked", dbus.MakeVariant(int32(0)), uint32(time.Now().Unix()))
	if call.Err != nil {
		c.t.Fatalf("Event(%d): %v", id, call.Err)
	}
}

func (c *trayClient) tooltip() string {
	c.t.Helper()
	v, err := c.item.GetProperty("org.kde.StatusNotifierItem.ToolTip")
	if err != nil {
		c.t.Fatalf("ToolTip: %v", err)
	}
	var tip struct {
		Icon  string
		Icons []struct {
			W, H int32
			Data []byte
		}
		Title, Text string
	}
	if err := dbus.Store([]any{v.Value()}, &tip); err != nil {
		c.t.Fatalf("ToolTip: %v", err)
	}
	return tip.Title + " " + tip.Text
}

func keys(m map[string]menuEntry) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}
