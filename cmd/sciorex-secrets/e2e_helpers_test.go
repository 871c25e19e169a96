package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

var (
	binPath    string // the sciorex-secrets binary under test, built once by TestMain
	desktopRun = flag.Bool("desktop", false, "run the desktop tests (Xvfb, zenity, xdotool, dbus)")
)

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "sciorex-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binPath = filepath.Join(dir, "sciorex-secrets")
	build := exec.Command("go", "build", "-o", binPath, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building sciorex-secrets:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// world is one isolated user setup: its own HOME, runtime dir, vault,
// socket and askpass program, answering from files the test writes.
type world struct {
	t        *testing.T
	dir      string
	env      []string
	password string
	agent    *exec.Cmd
	agentOut *bytes.Buffer
	outputs  []string // every output seen, for the canary search
}

const testPassword = "correct horse battery staple"

func newWorld(t *testing.T) *world {
	t.Helper()
	dir, err := os.MkdirTemp("", "sx-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	run := filepath.Join(dir, "run")
	if err := os.Mkdir(run, 0o700); err != nil {
		t.Fatal(err)
	}
	w := &world{t: t, dir: dir, password: testPassword}
	askpass := filepath.Join(dir, "askpass")
	script := fmt.Sprintf(`#!/bin/sh
# Answers sciorex-secrets prompts from files the test writes.
d=%q
printf '%%s|%%s|%%s|%%s|%%s\n' "$SCIOREX_ASKPASS_PROMPT" "$SCIOREX_REQUEST_SECRETS" "$SCIOREX_REQUEST_AGENT" "$SCIOREX_REQUEST_COMMAND" "$1" >> "$d/askpass.log"
case "$SCIOREX_ASKPASS_PROMPT" in
confirm)
	a=$(cat "$d/answer")
	if [ "$a" = slow ]; then touch "$d/asking"; sleep 1; exit 0; fi
	[ "$a" = allow ] ;;
password) cat "$d/password" ;;
secret) cat "$d/value" ;;
*) exit 1 ;;
esac
`, dir)
	if err := os.WriteFile(askpass, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	w.write("answer", "deny")
	w.write("password", testPassword)
	w.env = append(cleanEnv(),
		"HOME="+dir,
		"XDG_RUNTIME_DIR="+run,
		"XDG_CONFIG_HOME="+filepath.Join(dir, "config"),
		"XDG_DATA_HOME="+filepath.Join(dir, "data"),
		"SCIOREX_VAULT="+filepath.Join(dir, "data", "vault.sxv"),
		"SCIOREX_SOCKET="+filepath.Join(run, "sx.sock"),
		"SCIOREX_ASKPASS="+askpass,
		"SCIOREX_CONFIG="+filepath.Join(dir, "config.json"),
	)
	// Cheap KDF: the tests exercise the format, not the cost.
	w.write("config.json", `{"kdf": {"time": 1, "memory_kib": 1024, "threads": 1}}`)
	return w
}

// cleanEnv is the test process's environment without anything that would
// reach a real desktop, keyring or agent.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch {
		case k == "DISPLAY", k == "WAYLAND_DISPLAY", k == "DBUS_SESSION_BUS_ADDRESS", strings.HasPrefix(k, "SCIOREX_"):
			continue
		}
		env = append(env, kv)
	}
	return env
}

func (w *world) path(name string) string { return filepath.Join(w.dir, name) }

func (w *world) write(name, content string) {
	w.t.Helper()
	if err := os.WriteFile(w.path(name), []byte(content), 0o600); err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) read(name string) string {
	b, _ := os.ReadFile(w.path(name))
	return string(b)
}

// cli runs the binary with stdin and returns stdout, stderr and the exit code.
func (w *world) cli(stdin string, args ...string) (string, string, int) {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binPath, args...)
	cmd.Env = w.env
	cmd.Dir = w.dir
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		w.t.Fatalf("running %v: %v", args, err)
	}
	w.outputs = append(w.outputs, out.String(), errb.String())
	return out.String(), errb.String(), code
}

// mustCLI is cli that fails the test on a non-zero exit.
func (w *world) mustCLI(stdin string, args ...string) string {
	w.t.Helper()
	out, errOut, code := w.cli(stdin, args...)
	if code != 0 {
		w.t.Fatalf("sciorex-secrets %s: exit %d\nstdout: %s\nstderr: %s\nagent: %s", strings.Join(args, " "), code, out, errOut, w.agentLog())
	}
	return out
}

// startAgent creates the vault if needed and starts the agent unlocked.
func (w *world) startAgent() {
	w.t.Helper()
	cmd := exec.Command(binPath, "agent", "--no-tray", "--password-stdin")
	cmd.Env = w.env
	cmd.Dir = w.dir
	cmd.Stdin = strings.NewReader(w.password + "\n")
	w.agentOut = &bytes.Buffer{}
	cmd.Stdout = w.agentOut
	cmd.Stderr = w.agentOut
	cmd.SysProcAttr = diesWithTest()
	if err := cmd.Start(); err != nil {
		w.t.Fatal(err)
	}
	w.agent = cmd
	w.t.Cleanup(w.stopAgent)
	deadline := time.Now().Add(20 * time.Second)
	for {
		out, _, code := w.cli("", "status", "--json")
		if code == 0 && strings.Contains(out, `"locked": false`) {
			return
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("agent did not become ready: %s\n%s", out, w.agentLog())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (w *world) stopAgent() {
	if w.agent == nil || w.agent.Process == nil {
		return
	}
	_ = w.agent.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = w.agent.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = w.agent.Process.Kill()
		<-done
	}
	w.outputs = append(w.outputs, w.agentOut.String())
	w.agent = nil
}

func (w *world) agentLog() string {
	if w.agentOut == nil {
		return ""
	}
	return w.agentOut.String()
}

// assertNoCanary fails if value appears in any output, log, the audit
// file, the askpass log or any file under the world (but the vault).
func (w *world) assertNoCanary(value string, extra ...string) {
	w.t.Helper()
	for i, out := range append(w.outputs, extra...) {
		if strings.Contains(out, value) {
			w.t.Errorf("the secret value leaked into output %d: %q", i, out)
		}
	}
	_ = filepath.Walk(w.dir, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || filepath.Base(path) == "value" {
			return nil
		}
		b, _ := os.ReadFile(path)
		if bytes.Contains(b, []byte(value)) {
			w.t.Errorf("the secret value is in plain text in %s", path)
		}
		return nil
	})
}
