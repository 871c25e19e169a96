package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"time"
)

// trayHostTitle names every window of the visible tray host: the bar and
// the menus it opens.
var trayHostTitle = regexp.MustCompile(`^gtk-sni-tray-standalone$`)

// trayHost is a real, visible StatusNotifier tray bar on the test's display
// (gtk-sni-tray-standalone, Debian package haskell-gtk-sni-tray-utils),
// which also plays the StatusNotifierWatcher. It is optional: it only
// serves the screenshot of the open tray menu.
type trayHost struct {
	t *testing.T
}

// startTrayHost starts the tray bar before the agent, so the agent
// registers with it at once; nil when it is not installed or does not come
// up. The bar sometimes dies at start on a loaded machine (its own watcher
// races it: "UnknownObject ... Pattern match failure in Main.hs"), so a
// bar that exits is started again, a few times.
func startTrayHost(t *testing.T, d *desktop) *trayHost {
	t.Helper()
	if _, err := exec.LookPath("gtk-sni-tray-standalone"); err != nil {
		t.Log("gtk-sni-tray-standalone is not installed (haskell-gtk-sni-tray-utils): no tray screenshot")
		return nil
	}
	for attempt := 1; attempt <= 3; attempt++ {
		log := filepath.Join(d.dir, fmt.Sprintf("trayhost-%d.log", attempt))
		switch up, exited := tryTrayHost(t, d, log); {
		case up:
			return &trayHost{t: t}
		case exited:
			out, _ := os.ReadFile(log)
			t.Logf("the tray host exited at start (attempt %d):\n%s", attempt, out)
		default:
			t.Log("the tray host's watcher never answered: no tray screenshot")
			return nil
		}
	}
	t.Log("the tray host kept failing: no tray screenshot")
	return nil
}

// tryTrayHost starts the bar once and waits until its watcher answers
// (it owns its bus name before it exports its object), or it exits.
func tryTrayHost(t *testing.T, d *desktop, log string) (up, exited bool) {
	t.Helper()
	logf, err := os.Create(log)
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	cmd := exec.Command("gtk-sni-tray-standalone", "--watcher", "--top", "--size", "40")
	cmd.Env = d.env
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = diesWithTest()
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting the tray host: %v", err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-done
	})
	watcher := d.bus.conn.Object("org.kde.StatusNotifierWatcher", "/StatusNotifierWatcher")
	deadline := time.Now().Add(10 * time.Second) // optional: give up sooner
	for time.Now().Before(deadline) {
		select {
		case <-done:
			return false, true
		default:
		}
		if _, err := watcher.GetProperty("org.kde.StatusNotifierWatcher.RegisteredStatusNotifierItems"); err == nil {
			return true, false
		}
		time.Sleep(20 * time.Millisecond)
	}
	return false, false
}

// menuScreenshot clicks the agent's icon (the first one, at the left of
// the bar), waits for its menu to open, saves tray.png (the top-left corner
// of the screen) and closes the menu. It returns the file, or "" when the
// menu did not open: the picture is evidence, not a check.
func (h *trayHost) menuScreenshot(d *desktop) string {
	h.t.Helper()
	d.x.mustXdotool("", "mousemove", "20", "20", "click", "1")
	deadline := time.Now().Add(desktopWait)
	open := false
	for !open && time.Now().Before(deadline) {
		for id := range d.x.windows(trayHostTitle) {
			if w, hgt := d.x.geometry(id); w > 50 && hgt > 50 {
				open = true
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !open {
		h.t.Log("the tray menu did not open: no tray screenshot")
		return ""
	}
	time.Sleep(200 * time.Millisecond) // let GTK draw before the picture
	path := filepath.Join(d.artifacts, "tray.png")
	ctx, cancel := context.WithTimeout(context.Background(), desktopWait)
	defer cancel()
	shot := exec.CommandContext(ctx, "import", "-window", "root", "-crop", "220x290+0+0", "+repage", path)
	shot.Env = append(cleanEnv(), "DISPLAY="+d.x.display)
	if out, err := shot.CombinedOutput(); err != nil {
		h.t.Logf("tray screenshot failed: %v %s", err, out)
		path = ""
	} else {
		h.t.Logf("screenshot: %s", path)
	}
	d.x.mustXdotool("", "key", "Escape")
	return path
}
