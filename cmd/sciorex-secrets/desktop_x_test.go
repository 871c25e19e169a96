package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The X side of the desktop tests: a private Xvfb display and xdotool to
// find, type into and click the real zenity dialogs, the way a person does.

// Window titles of the agent's dialogs (dialogs/text.go).
var (
	unlockTitle   = regexp.MustCompile(`^sciorex-secrets: unlock$`)
	approvalTitle = regexp.MustCompile(`^sciorex-secrets: request #[0-9]+$`)
)

// desktopWait bounds every wait for something on screen or on the bus. It
// only bounds a hung test; nothing passes or fails by being fast.
const desktopWait = 20 * time.Second

// xserver is one private Xvfb display.
type xserver struct {
	t       *testing.T
	display string // ":N"
}

// needTools skips the test unless -desktop is given and every tool it
// drives is installed.
func needTools(t *testing.T, tools ...string) {
	t.Helper()
	if !*desktopRun {
		t.Skip("desktop test: run with -desktop (make e2e-desktop)")
	}
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("desktop test: %s is not installed", tool)
		}
	}
}

// startXvfb starts Xvfb on a free display. -displayfd both picks the
// display and says when the server is ready; -noreset keeps the server from
// resetting (and refusing clients) each time its last client leaves.
func startXvfb(t *testing.T, logDir string) *xserver {
	t.Helper()
	r, wr, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	logf, err := os.Create(filepath.Join(logDir, "xvfb.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", "1280x800x24", "-nolisten", "tcp", "-noreset")
	cmd.ExtraFiles = []*os.File{wr}
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = diesWithTest()
	if err := cmd.Start(); err != nil {
		wr.Close()
		t.Fatalf("starting Xvfb: %v", err)
	}
	wr.Close()
	t.Cleanup(func() { stopProcess(cmd) })
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(r).ReadString('\n')
		line <- strings.TrimSpace(s)
	}()
	select {
	case n := <-line:
		if _, err := strconv.Atoi(n); err != nil {
			t.Fatalf("Xvfb did not report a display (%q); log in %s", n, logDir)
		}
		return &xserver{t: t, display: ":" + n}
	case <-time.After(desktopWait):
		t.Fatalf("Xvfb did not start; log in %s", logDir)
	}
	return nil
}

// stopProcess kills a process the test started, by its PID, and reaps it.
func stopProcess(cmd *exec.Cmd) {
	if cmd.Process == nil || cmd.ProcessState != nil {
		return
	}
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
}

// xdotool runs xdotool on this display with stdin and returns its output.
func (x *xserver) xdotool(stdin string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), desktopWait)
	defer cancel()
	cmd := exec.CommandContext(ctx, "xdotool", args...)
	cmd.Env = append(cleanEnv(), "DISPLAY="+x.display)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if err != nil {
		return out.String(), fmt.Errorf("xdotool %s: %v: %s", strings.Join(args, " "), err, errb.String())
	}
	return out.String(), nil
}

func (x *xserver) mustXdotool(stdin string, args ...string) string {
	x.t.Helper()
	out, err := x.xdotool(stdin, args...)
	if err != nil {
		x.t.Fatal(err)
	}
	return out
}

// windows lists the visible windows whose name matches title, as id → name.
// xdotool's own --name matching is a loose regex, so it is filtered again.
func (x *xserver) windows(title *regexp.Regexp) map[string]string {
	out, _ := x.xdotool("", "search", "--onlyvisible", "--name", title.String())
	found := map[string]string{}
	for _, id := range strings.Fields(out) {
		name, err := x.xdotool("", "getwindowname", id)
		if err == nil && title.MatchString(strings.TrimSpace(name)) {
			found[id] = strings.TrimSpace(name)
		}
	}
	return found
}

// waitWindow waits for a visible window named like title and returns its
// id and name. xdotool's --sync polls every half second, so this polls
// faster itself.
func (x *xserver) waitWindow(title *regexp.Regexp, why string) (id, name string) {
	x.t.Helper()
	deadline := time.Now().Add(desktopWait)
	for time.Now().Before(deadline) {
		for id, name := range x.windows(title) {
			return id, name
		}
		time.Sleep(50 * time.Millisecond)
	}
	x.t.Fatalf("no window named %s appeared (%s)", title, why)
	return "", ""
}

// waitGone waits until no visible window is named like title. X reuses
// window ids, so "the dialog was answered" is judged by the window going
// away, never by remembering ids.
func (x *xserver) waitGone(title *regexp.Regexp, why string) {
	x.t.Helper()
	deadline := time.Now().Add(desktopWait)
	for time.Now().Before(deadline) {
		if len(x.windows(title)) == 0 {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	x.t.Fatalf("the window named %s is still open (%s)", title, why)
}

// waitClosed waits until no visible window has exactly the name name (a
// dialog's title includes its request number, so the next dialog does not
// count).
func (x *xserver) waitClosed(name, why string) {
	x.t.Helper()
	x.waitGone(regexp.MustCompile("^"+regexp.QuoteMeta(name)+"$"), why)
}

// typeInto focuses a window and types text and Return. The text goes to
// xdotool on stdin, never on its command line.
func (x *xserver) typeInto(id, text string) {
	x.t.Helper()
	x.mustXdotool("", "windowfocus", "--sync", id)
	x.mustXdotool(text, "type", "--delay", "5", "--file", "-")
	x.mustXdotool("", "key", "--window", id, "Return")
}

// key focuses a window and presses one key.
func (x *xserver) key(id, key string) {
	x.t.Helper()
	x.mustXdotool("", "windowfocus", "--sync", id)
	x.mustXdotool("", "key", key)
}

// clickRightmostButton clicks the right-most button of a zenity question,
// which is the OK button ("Allow once"): the buttons sit at the bottom
// right, OK last.
func (x *xserver) clickRightmostButton(id string) {
	x.t.Helper()
	w, h := x.geometry(id)
	x.mustXdotool("", "mousemove", "--window", id, strconv.Itoa(w-40), strconv.Itoa(h-25), "click", "1")
}

func (x *xserver) geometry(id string) (width, height int) {
	x.t.Helper()
	out := x.mustXdotool("", "getwindowgeometry", "--shell", id)
	for _, l := range strings.Fields(out) {
		k, v, _ := strings.Cut(l, "=")
		n, _ := strconv.Atoi(v)
		switch k {
		case "WIDTH":
			width = n
		case "HEIGHT":
			height = n
		}
	}
	if width == 0 || height == 0 {
		x.t.Fatalf("no geometry for window %s: %q", id, out)
	}
	return width, height
}

// dialogArgs returns the command line of the zenity process behind a
// window (its text is what a person reads in the dialog; no OCR needed).
func (x *xserver) dialogArgs(id string) []string {
	x.t.Helper()
	pid := strings.TrimSpace(x.mustXdotool("", "getwindowpid", id))
	raw, err := os.ReadFile(filepath.Join("/proc", pid, "cmdline"))
	if err != nil {
		x.t.Fatalf("reading the dialog's command line: %v", err)
	}
	return strings.Split(strings.TrimSuffix(string(raw), "\x00"), "\x00")
}

// dialogText returns the --text argument of the dialog behind a window.
func (x *xserver) dialogText(id string) string {
	x.t.Helper()
	args := x.dialogArgs(id)
	for i, a := range args {
		if a == "--text" && i+1 < len(args) {
			return args[i+1]
		}
	}
	x.t.Fatalf("the dialog of window %s has no --text: %q", id, args)
	return ""
}

// screenshot saves the whole screen as dir/name (a PNG), and logs where.
// A failed screenshot is logged, not fatal: it is evidence, not a check.
func (x *xserver) screenshot(dir, name string) string {
	x.t.Helper()
	return x.capture("root", filepath.Join(dir, name))
}

// readmeShot saves one window as $SCIOREX_README_SHOTS/name, when that
// variable is set: the pictures in docs/screenshots are refreshed by hand
// with SCIOREX_README_SHOTS=$PWD/docs/screenshots make e2e-desktop.
func (x *xserver) readmeShot(window, name string) {
	x.t.Helper()
	if dir := os.Getenv("SCIOREX_README_SHOTS"); dir != "" {
		x.capture(window, filepath.Join(dir, name))
	}
}

// capture runs ImageMagick's import on a window ("root": the screen).
func (x *xserver) capture(window, path string) string {
	x.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), desktopWait)
	defer cancel()
	cmd := exec.CommandContext(ctx, "import", "-window", window, path)
	cmd.Env = append(cleanEnv(), "DISPLAY="+x.display)
	if out, err := cmd.CombinedOutput(); err != nil {
		x.t.Logf("screenshot %s failed: %v %s", path, err, out)
		return ""
	}
	x.t.Logf("screenshot: %s", path)
	return path
}

// artifactsDir is $SCIOREX_ARTIFACTS, else a temporary folder that is kept
// (and logged) so the screenshots can be looked at after the run.
func artifactsDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("SCIOREX_ARTIFACTS")
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "sciorex-desktop-artifacts-"); err != nil {
			t.Fatal(err)
		}
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("artifacts: %s", dir)
	return dir
}
