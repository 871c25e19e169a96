package main

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

// Regression cases of cases.md replayed against the real zenity dialogs.

// TestDesktopCaseB10: untrusted text (a client name made of Pango markup)
// is shown literally: the question runs with --no-markup, the text keeps
// the markup characters, and the dialog works (Allow approves).
func TestDesktopCaseB10(t *testing.T) {
	needTools(t, "Xvfb", "xdotool", "zenity", "dbus-daemon")
	d := newUnlockedDesktop(t)
	d.setApproved("PROD", "prod-value-b10-123456")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	const hostile = `x</span><span size="1">hidden <b>PROD</b> & "Allow?"`
	cs := d.mcpClientNamed(ctx, hostile)
	done := callToolAsync(ctx, cs, "sciorex_get_secret", map[string]any{"key": "PROD"})
	id, _ := d.x.waitWindow(approvalTitle, "approval for a client named with markup")
	args := d.x.dialogArgs(id)
	if !containsArg(args, "--no-markup") {
		t.Errorf("the approval question runs without --no-markup: %q", args)
	}
	if text := d.x.dialogText(id); !strings.Contains(text, `x</span><span size="1">hidden <b>PROD</b> & "Allow?"`) {
		t.Errorf("the client name is not shown literally: %q", text)
	}
	d.x.clickRightmostButton(id)
	d.x.waitGone(approvalTitle, "allowed")
	if r := d.waitTool(done, "get"); r.isError {
		t.Fatalf("get after Allow once: %s", r.text)
	}
}

// TestDesktopCaseB12: two clients ask for two secrets at once. One dialog
// is on screen at a time; "Allow once" applies to the request that dialog
// names, and the other request gets its own dialog.
func TestDesktopCaseB12(t *testing.T) {
	needTools(t, "Xvfb", "xdotool", "zenity", "dbus-daemon")
	d := newUnlockedDesktop(t)
	d.setApproved("DB_PASS", "db-pass-value-b12-1234")
	d.setApproved("AWS_KEY", "aws-key-value-b12-5678")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	calls := map[string]<-chan toolResult{
		"DB_PASS": callToolAsync(ctx, d.mcpClientNamed(ctx, "agent-one"), "sciorex_get_secret", map[string]any{"key": "DB_PASS"}),
		"AWS_KEY": callToolAsync(ctx, d.mcpClientNamed(ctx, "agent-two"), "sciorex_get_secret", map[string]any{"key": "AWS_KEY"}),
	}
	owner := map[string]string{"DB_PASS": "agent-one", "AWS_KEY": "agent-two"}

	id, name := d.x.waitWindow(approvalTitle, "the first of two requests")
	if n := len(d.x.windows(approvalTitle)); n != 1 {
		t.Errorf("%d approval dialogs on screen at once, want 1", n)
	}
	first := secretNamed(t, d.x.dialogText(id))
	if !strings.Contains(d.x.dialogText(id), owner[first]) {
		t.Errorf("the dialog for %s does not name its client %s", first, owner[first])
	}
	d.x.clickRightmostButton(id)
	d.x.waitClosed(name, "first allowed")
	if r := d.waitTool(calls[first], "the allowed request"); r.isError || !strings.Contains(r.text, "$"+first) {
		t.Fatalf("the request shown (%s) was not the one allowed: isError=%v %s", first, r.isError, r.text)
	}

	second := "AWS_KEY"
	if first == "AWS_KEY" {
		second = "DB_PASS"
	}
	id, _ = d.x.waitWindow(approvalTitle, "the second request")
	if got := secretNamed(t, d.x.dialogText(id)); got != second {
		t.Fatalf("the second dialog names %s, want %s", got, second)
	}
	d.x.key(id, "Escape")
	d.x.waitGone(approvalTitle, "second denied")
	if r := d.waitTool(calls[second], "the denied request"); !r.isError || !strings.Contains(r.text, "denied") {
		t.Fatalf("the second request after Escape: isError=%v %s", r.isError, r.text)
	}
}

// TestDesktopCaseR3: a client that cancels its request withdraws the
// dialog from the screen, and the next request works.
func TestDesktopCaseR3(t *testing.T) {
	needTools(t, "Xvfb", "xdotool", "zenity", "dbus-daemon")
	d := newUnlockedDesktop(t)
	d.setApproved("GITHUB_TOKEN", canary)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cs := d.mcpClient(ctx)

	callCtx, cancelCall := context.WithCancel(ctx)
	done := callToolAsync(callCtx, cs, "sciorex_get_secret", map[string]any{"key": "GITHUB_TOKEN"})
	d.x.waitWindow(approvalTitle, "the request to cancel")
	cancelCall()
	select {
	case r := <-done:
		if r.err == nil && !r.isError {
			t.Fatalf("a cancelled request was approved: %s", r.text)
		}
	case <-time.After(desktopWait):
		t.Fatal("the cancelled call did not return")
	}
	d.x.waitGone(approvalTitle, "the cancelled request's dialog is withdrawn")

	done = callToolAsync(ctx, cs, "sciorex_get_secret", map[string]any{"key": "GITHUB_TOKEN"})
	id, _ := d.x.waitWindow(approvalTitle, "the next request")
	d.x.clickRightmostButton(id)
	d.x.waitGone(approvalTitle, "next allowed")
	if r := d.waitTool(done, "the next request"); r.isError || !strings.Contains(r.text, "$GITHUB_TOKEN") {
		t.Fatalf("the request after a cancel: isError=%v %s", r.isError, r.text)
	}
	if audit := d.read("data/vault.audit.jsonl"); !strings.Contains(audit, "cancel") {
		t.Errorf("the audit trail does not record the cancelled request")
	}
	d.assertNoCanary(canary)
}

// newUnlockedDesktop is a desktop (display and bus) with a vault and an
// agent unlocked through --password-stdin.
func newUnlockedDesktop(t *testing.T) *desktop {
	t.Helper()
	d := newDesktop(t, desktopOptions{display: true, bus: true})
	d.mustCLI(testPassword+"\n", "init", "--password-stdin")
	d.startDesktopAgent(testPassword+"\n", "--password-stdin")
	d.waitStatus(false)
	return d
}

// setApproved stores a secret with "set --value-stdin", allowing its
// confirmation dialog.
func (d *desktop) setApproved(name, value string) {
	d.t.Helper()
	done := d.cliAsync(value+"\n", "set", name, "--value-stdin")
	id, _ := d.x.waitWindow(approvalTitle, "confirm set "+name)
	d.x.clickRightmostButton(id)
	d.x.waitGone(approvalTitle, "set allowed")
	if r := d.waitCLI(done, "set "+name); r.code != 0 {
		d.t.Fatalf("set %s: exit %d %s", name, r.code, r.stderr)
	}
}

// mcpClientNamed connects the official Go SDK client through
// "sciorex-secrets mcp", claiming the client name name.
func (d *desktop) mcpClientNamed(ctx context.Context, name string) *sdk.ClientSession {
	d.t.Helper()
	cmd := exec.Command(binPath, "mcp")
	cmd.Env = d.env
	cmd.Dir = d.dir
	client := sdk.NewClient(&sdk.Implementation{Name: name, Version: "1.0"}, nil)
	cs, err := client.Connect(ctx, &sdk.CommandTransport{Command: cmd}, nil)
	if err != nil {
		d.t.Fatalf("connecting the MCP client %q: %v", name, err)
	}
	d.t.Cleanup(func() { cs.Close() })
	return cs
}

// secretNamed says which of the test's secrets an approval text names.
func secretNamed(t *testing.T, text string) string {
	t.Helper()
	for _, name := range []string{"DB_PASS", "AWS_KEY"} {
		if strings.Contains(text, "asks to use: "+name) {
			return name
		}
	}
	t.Fatalf("the dialog names none of the requested secrets: %q", text)
	return ""
}

func containsArg(args []string, want string) bool {
	for _, a := range args {
		if a == want {
			return true
		}
	}
	return false
}
