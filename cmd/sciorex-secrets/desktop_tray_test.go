package main

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// trayMenu reads and clicks the agent's tray menu over DBus
// (com.canonical.dbusmenu), the way a tray host does.
type trayMenu struct {
	t    *testing.T
	bus  *sessionBus
	name string
	menu dbus.BusObject
}

// menuNode is one dbusmenu layout node: (ia{sv}av).
type menuNode struct {
	ID       int32
	Props    map[string]dbus.Variant
	Children []dbus.Variant
}

// menuEntry is one visible labelled item.
type menuEntry struct {
	ID      int32
	Enabled bool
	Checked bool
}

// openTray waits for the tray item of the process pid on the bus.
func openTray(t *testing.T, b *sessionBus, pid int) *trayMenu {
	t.Helper()
	name := fmt.Sprintf("org.kde.StatusNotifierItem-%d-1", pid)
	b.waitOwner(name, "the agent's tray item")
	return &trayMenu{t: t, bus: b, name: name, menu: b.conn.Object(name, "/StatusNotifierItem/menu")}
}

// layout reads the whole menu, submenus included, indexed by label.
func (m *trayMenu) layout() map[string]menuEntry {
	m.t.Helper()
	var rev uint32
	var root menuNode
	call := m.menu.Call("com.canonical.dbusmenu.GetLayout", 0, int32(0), int32(-1), []string{})
	if err := call.Store(&rev, &root); err != nil {
		m.t.Fatalf("GetLayout: %v", err)
	}
	entries := map[string]menuEntry{}
	var walk func(menuNode)
	walk = func(n menuNode) {
		for _, v := range n.Children {
			var ch menuNode
			if err := dbus.Store([]any{v.Value()}, &ch); err != nil {
				m.t.Fatalf("menu node: %v", err)
			}
			label, _ := ch.Props["label"].Value().(string)
			visible, ok := ch.Props["visible"].Value().(bool)
			if label != "" && (visible || !ok) {
				e := menuEntry{ID: ch.ID, Enabled: true}
				if b, ok := ch.Props["enabled"].Value().(bool); ok {
					e.Enabled = b
				}
				if s, ok := ch.Props["toggle-state"].Value().(int32); ok {
					e.Checked = s == 1
				}
				entries[label] = e
			}
			walk(ch)
		}
	}
	walk(root)
	return entries
}

// click clicks the visible item labelled label.
func (m *trayMenu) click(label string) {
	m.t.Helper()
	entries := m.layout()
	e, ok := entries[label]
	if !ok {
		m.t.Fatalf("no menu item %q in %v", label, labels(entries))
	}
	call := m.menu.Call("com.canonical.dbusmenu.Event", 0, e.ID, "clicked", dbus.MakeVariant(int32(0)), uint32(time.Now().Unix()))
	if call.Err != nil {
		m.t.Fatalf("clicking %q: %v", label, call.Err)
	}
}

// waitLabel polls the menu until an item is labelled label and logs how
// long that took. The issue asks for "within a second"; the test fails
// only after desktopWait so that a loaded machine does not make it flaky.
func (m *trayMenu) waitLabel(label string) map[string]menuEntry {
	m.t.Helper()
	began := time.Now()
	deadline := began.Add(10 * time.Second)
	for {
		entries := m.layout()
		if _, ok := entries[label]; ok {
			took := time.Since(began)
			m.t.Logf("the menu showed %q after %v", label, took.Round(time.Millisecond))
			if took > time.Second {
				m.t.Logf("NOTE: slower than the one second the issue asks for (a loaded machine?)")
			}
			return entries
		}
		if time.Now().After(deadline) {
			m.t.Fatalf("the menu never showed %q: %v", label, labels(entries))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func labels(m map[string]menuEntry) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// tooltip reads the item's tooltip (title and text) from its
// org.kde.StatusNotifierItem ToolTip property, (sa(iiay)ss).
func (m *trayMenu) tooltip() string {
	m.t.Helper()
	v, err := m.bus.conn.Object(m.name, "/StatusNotifierItem").GetProperty("org.kde.StatusNotifierItem.ToolTip")
	if err != nil {
		m.t.Fatalf("reading the tooltip: %v", err)
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
		m.t.Fatalf("decoding the tooltip: %v", err)
	}
	return strings.TrimSpace(tip.Title + " " + tip.Text)
}

// waitTooltip polls until the tooltip contains want.
func (m *trayMenu) waitTooltip(want string) {
	m.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		tip := m.tooltip()
		if strings.Contains(tip, want) {
			return
		}
		if time.Now().After(deadline) {
			m.t.Fatalf("the tooltip never said %q: %q", want, tip)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
