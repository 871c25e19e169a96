package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

// desktop is a world with a desktop around it: its own Xvfb display and
// session bus, no askpass program, and an agent that asks through real
// zenity dialogs.
type desktop struct {
	*world
	x          *xserver    // nil without a display
	bus        *sessionBus // nil without a session bus
	artifacts  string      // where screenshots go; set by the tests that take them
	askpassEnv []string    // the plain world's environment, askpass included

	agentCmd  *exec.Cmd
	agentLog  *lockedBuffer
	agentDone chan struct{}
}

// desktopOptions says which parts of a desktop a test gets.
type desktopOptions struct {
	display bool // a private Xvfb display (DISPLAY set)
	bus     bool // a private session bus (DBUS_SESSION_BUS_ADDRESS set)
}

// newDesktop builds an isolated world: HOME, XDG dirs, config, and
// optionally a display and a session bus. The askpass program of the plain
// world is removed, so the agent must use zenity (or nothing).
func newDesktop(t *testing.T, opts desktopOptions) *desktop {
	t.Helper()
	d := &desktop{world: newWorld(t)}
	d.askpassEnv = d.env
	var env []string
	for _, kv := range d.env {
		if !strings.HasPrefix(kv, "SCIOREX_ASKPASS=") {
			env = append(env, kv)
		}
	}
	// No accessibility bus, no dconf: GTK would try to start both.
	env = append(env, "NO_AT_BRIDGE=1", "GSETTINGS_BACKEND=memory")
	d.env = env
	if opts.bus {
		d.bus = startBus(t, d.dir, d.env)
		d.env = append(d.env, "DBUS_SESSION_BUS_ADDRESS="+d.bus.address)
	}
	if opts.display {
		d.x = startXvfb(t, d.dir)
		d.env = append(d.env, "DISPLAY="+d.x.display)
	}
	t.Cleanup(func() {
		if t.Failed() && d.agentLog != nil {
			t.Logf("agent log:\n%s", d.agentLog.String())
		}
	})
	return d
}

// startDesktopAgent starts "sciorex-secrets agent args..." in its own
// session (no controlling terminal) with stdin as its standard input. It
// does not wait for anything: the agent may be showing its unlock dialog.
func (d *desktop) startDesktopAgent(stdin string, args ...string) {
	d.t.Helper()
	if d.agentCmd != nil {
		d.t.Fatal("an agent is already running in this world")
	}
	cmd := exec.Command(binPath, append([]string{"agent"}, args...)...)
	cmd.Env = d.env
	cmd.Dir = d.dir
	cmd.Stdin = strings.NewReader(stdin)
	if stdin == "" {
		cmd.Stdin = nil // /dev/null
	}
	d.agentLog = &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = d.agentLog, d.agentLog
	cmd.SysProcAttr = diesWithTestInOwnSession()
	if err := cmd.Start(); err != nil {
		d.t.Fatal(err)
	}
	d.agentCmd = cmd
	d.agentDone = make(chan struct{})
	go func() { _ = cmd.Wait(); close(d.agentDone) }()
	d.t.Cleanup(d.stopDesktopAgent)
}

// stopDesktopAgent ends the agent with SIGTERM (SIGKILL after a while).
func (d *desktop) stopDesktopAgent() {
	cmd := d.agentCmd
	if cmd == nil {
		return
	}
	select {
	case <-d.agentDone:
	default:
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-d.agentDone:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-d.agentDone
		}
	}
	d.outputs = append(d.outputs, d.agentLog.String())
	d.agentCmd = nil
}

// waitAgentExit waits for the agent to exit on its own and returns its
// exit code.
func (d *desktop) waitAgentExit(why string) int {
	d.t.Helper()
	select {
	case <-d.agentDone:
	case <-time.After(desktopWait):
		d.t.Fatalf("the agent did not exit (%s)", why)
	}
	code := d.agentCmd.ProcessState.ExitCode()
	d.outputs = append(d.outputs, d.agentLog.String())
	d.agentCmd = nil
	return code
}

// waitStatus polls "status --json" until the agent answers with the vault
// locked or not, as wanted.
func (d *desktop) waitStatus(locked bool) {
	d.t.Helper()
	want := `"locked": false`
	if locked {
		want = `"locked": true`
	}
	deadline := time.Now().Add(desktopWait)
	for {
		out, _, code := d.cli("", "status", "--json")
		if code == 0 && strings.Contains(out, want) {
			return
		}
		select {
		case <-d.agentDone:
			d.t.Fatalf("the agent exited while waiting for %s", want)
		default:
		}
		if time.Now().After(deadline) {
			d.t.Fatalf("status never said %s: exit %d %s", want, code, out)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// cliResult is what one command printed and how it exited.
type cliResult struct {
	stdout, stderr string
	code           int
	err            error
}

// cliAsync runs the binary in the background, for commands that wait on a
// dialog the test answers meanwhile.
func (d *desktop) cliAsync(stdin string, args ...string) <-chan cliResult {
	done := make(chan cliResult, 1)
	env := d.env
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, binPath, args...)
		cmd.Env = env
		cmd.Dir = d.dir
		cmd.Stdin = strings.NewReader(stdin)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		var ee *exec.ExitError
		r := cliResult{stdout: out.String(), stderr: errb.String()}
		if errors.As(err, &ee) {
			r.code = ee.ExitCode()
		} else {
			r.err = err
		}
		done <- r
	}()
	return done
}

// waitCLI waits for a background command.
func (d *desktop) waitCLI(done <-chan cliResult, what string) cliResult {
	d.t.Helper()
	select {
	case r := <-done:
		if r.err != nil {
			d.t.Fatalf("%s: %v", what, r.err)
		}
		d.outputs = append(d.outputs, r.stdout, r.stderr)
		return r
	case <-time.After(70 * time.Second):
		d.t.Fatalf("%s did not finish", what)
	}
	return cliResult{}
}

// toolResult is one tool call's text and error flag.
type toolResult struct {
	text    string
	isError bool
	err     error
}

// callToolAsync calls an MCP tool in the background, for tools that wait
// on a dialog the test answers meanwhile.
func callToolAsync(ctx context.Context, cs *sdk.ClientSession, name string, args map[string]any) <-chan toolResult {
	done := make(chan toolResult, 1)
	go func() {
		res, err := cs.CallTool(ctx, &sdk.CallToolParams{Name: name, Arguments: args})
		if err != nil {
			done <- toolResult{err: err}
			return
		}
		var b strings.Builder
		for _, c := range res.Content {
			if tc, ok := c.(*sdk.TextContent); ok {
				b.WriteString(tc.Text)
			}
		}
		done <- toolResult{text: b.String(), isError: res.IsError}
	}()
	return done
}

// waitTool waits for a background tool call.
func (d *desktop) waitTool(done <-chan toolResult, what string) toolResult {
	d.t.Helper()
	select {
	case r := <-done:
		if r.err != nil {
			d.t.Fatalf("%s: protocol error: %v", what, r.err)
		}
		d.outputs = append(d.outputs, r.text)
		return r
	case <-time.After(70 * time.Second):
		d.t.Fatalf("%s did not finish", what)
	}
	return toolResult{}
}

// writeConfig replaces the world's config file (cheap KDF kept).
func (d *desktop) writeConfig(extra string) {
	d.t.Helper()
	cfg := `{"kdf": {"time": 1, "memory_kib": 1024, "threads": 1}` + extra + "}"
	d.write("config.json", cfg)
}

// socketPath is where the agent listens.
func (d *desktop) socketPath() string { return filepath.Join(d.dir, "run", "sx.sock") }

// copyScreenshot copies a screenshot to $SCIOREX_README_SHOTS/name when
// that variable is set (see readmeShot).
func copyScreenshot(t *testing.T, path, name string) {
	dir := os.Getenv("SCIOREX_README_SHOTS")
	if dir == "" || path == "" {
		return
	}
	b, err := os.ReadFile(path)
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, name), b, 0o644)
	}
	if err != nil {
		t.Logf("copying %s for the README: %v", name, err)
	}
}

// lockedBuffer is a bytes.Buffer safe for the process-copy goroutine
// writing while the test reads.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
