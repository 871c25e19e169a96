package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sciorex/sciorex-secrets/mcp"
	"github.com/sciorex/sciorex-secrets/session"
)

// startRun starts "sciorex-secrets run" in the background.
func (w *world) startRun(stdout *bytes.Buffer, args ...string) *exec.Cmd {
	w.t.Helper()
	cmd := exec.Command(binPath, append([]string{"run"}, args...)...)
	cmd.Env = w.env
	cmd.Dir = w.dir
	cmd.Stdout = stdout
	cmd.Stderr = stdout
	if err := cmd.Start(); err != nil {
		w.t.Fatal(err)
	}
	return cmd
}

// TestCaseR6: a signal sent to "sciorex-secrets run" reaches the child's
// whole process group (the row's own input: a shell whose trap runs only
// once its foreground "sleep" has died), the runner exits with the child's
// status, and no process that holds the secrets outlives a runner killed
// with SIGKILL, grandchildren included.
func TestCaseR6(t *testing.T) {
	w := newWorld(t)
	w.mustCLI(testPassword+"\n", "init", "--password-stdin")
	w.startAgent()
	w.write("answer", "allow")
	w.mustCLI("r6-secret-value-987\n", "set", "TOKEN", "--value-stdin")

	var out bytes.Buffer
	marker := filepath.Join(w.dir, "child-ready")
	cmd := w.startRun(&out, "--secret", "TOKEN", "--", "sh", "-c",
		`trap "echo got; exit 0" TERM; touch `+marker+`; sleep 300`)
	waitFile(t, marker)
	start := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	if err != nil || !strings.Contains(out.String(), "got") || time.Since(start) > 10*time.Second {
		t.Fatalf("runner after SIGTERM: %v after %s, output %q", err, time.Since(start), out.String())
	}

	// The runner passes the child's status on.
	out.Reset()
	os.Remove(marker)
	cmd = w.startRun(&out, "--secret", "TOKEN", "--", "sh", "-c", `trap "exit 7" TERM; touch `+marker+`; sleep 300`)
	waitFile(t, marker)
	_ = cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); exitCodeOf(err) != 7 {
		t.Fatalf("runner status after the child exited 7: %v", err)
	}

	// kill -9 of the runner: neither the child nor what it started survives.
	out.Reset()
	os.Remove(marker)
	// A process that left the group (setsid) is found by the run's mark
	// in its environment, where Linux lets the agent read it.
	cmd = w.startRun(&out, "--secret", "TOKEN", "--", "sh", "-c",
		`sleep 301 & echo $! > `+marker+`.grandchild; setsid sleep 302 & echo $! > `+marker+`.escaped; `+
			`echo $$ > `+marker+`.pid; touch `+marker+`; wait`)
	waitFile(t, marker)
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	left := []string{marker + ".pid", marker + ".grandchild"}
	if runtime.GOOS == "linux" {
		left = append(left, marker+".escaped")
	}
	for _, f := range left {
		pid, _ := strconv.Atoi(strings.TrimSpace(readFile(f)))
		deadline := time.Now().Add(5 * time.Second)
		for processAlive(pid) {
			if time.Now().After(deadline) {
				t.Fatalf("%s %d outlived the runner killed with SIGKILL", filepath.Ext(f), pid)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	w.stopAgent()
	if audit := w.read("data/vault.audit.jsonl"); !strings.Contains(audit, "the runner went away") {
		t.Errorf("the killed run is not in the audit trail")
	}
}

func exitCodeOf(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err == nil {
		return 0
	}
	return -1
}

// TestCaseB06: while a run is going and while an approval is pending, no
// process's argv holds the value.
func TestCaseB06(t *testing.T) {
	const value = "b06-argv-canary-5521"
	w := newWorld(t)
	w.mustCLI(testPassword+"\n", "init", "--password-stdin")
	w.startAgent()
	w.write("answer", "allow")
	w.mustCLI(value+"\n", "set", "TOKEN", "--value-stdin")

	var out bytes.Buffer
	marker := filepath.Join(w.dir, "child-ready")
	w.write("answer", "slow") // the askpass program holds the approval open for a second
	cmd := w.startRun(&out, "--secret", "TOKEN", "--", "sh", "-c", `touch `+marker+`; exec sleep 5`)
	waitFile(t, filepath.Join(w.dir, "asking"))
	if hits := argvContaining(value); len(hits) > 0 {
		t.Errorf("while the approval was open, value in argv of %v", hits)
	}
	waitFile(t, marker)
	if hits := argvContaining(value); len(hits) > 0 {
		t.Errorf("while the command ran, value in argv of %v", hits)
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	_ = cmd.Wait()
	if strings.Contains(out.String(), value) {
		t.Errorf("value in runner output: %q", out.String())
	}
	w.assertNoCanary(value)
}

func argvContaining(value string) []string {
	var hits []string
	dirs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, f := range dirs {
		b, err := os.ReadFile(f)
		if err == nil && bytes.Contains(b, []byte(value)) {
			hits = append(hits, f+": "+strings.ReplaceAll(string(b), "\x00", " "))
		}
	}
	return hits
}

func waitFile(t *testing.T, path string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for {
		if _, err := os.Stat(path); err == nil {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("timed out waiting for %s", path)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func readFile(path string) string {
	b, _ := os.ReadFile(path)
	return string(b)
}

func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	i := bytes.LastIndexByte(b, ')')
	return i > 0 && len(b) > i+2 && b[i+2] != 'Z'
}

func TestPasswdKeepsSecretsAndAgentWorking(t *testing.T) {
	w := newWorld(t)
	w.mustCLI(testPassword+"\n", "init", "--password-stdin")
	w.startAgent()
	w.write("answer", "allow")
	w.mustCLI("passwd-test-value\n", "set", "TOKEN", "--value-stdin")
	if _, _, code := w.cli("wrong\nnew-password-1\n", "passwd", "--password-stdin"); code != exitWrongPassword {
		t.Fatalf("passwd with a wrong current password: exit %d, want %d", code, exitWrongPassword)
	}
	w.mustCLI(testPassword+"\nnew-password-1\n", "passwd", "--password-stdin")
	out, _, code := w.cli("", "run", "--secret", "TOKEN", "--", "sh", "-c", `echo "$TOKEN"`)
	if code != 0 || !strings.Contains(out, "[masked:TOKEN]") {
		t.Fatalf("run after passwd: exit %d %q", code, out)
	}
	w.mustCLI("", "lock")
	if _, errOut, code := w.cli(testPassword+"\n", "unlock", "--password-stdin"); code != exitWrongPassword {
		t.Log(errOut)
		t.Fatalf("old password still unlocks: exit %d", code)
	}
	w.mustCLI("new-password-1\n", "unlock", "--password-stdin")
}

// TestForeignCLIRefused: a program that is not sciorex-secrets (here the
// test binary, as an AI agent with a shell could run its own client) says
// it is the command line; the real agent refuses it before it can list
// "deny" secrets or have a value released, and records the refusal. The
// real CLI still works.
func TestForeignCLIRefused(t *testing.T) {
	const value = "foreign-cli-canary-3141"
	w := newWorld(t)
	w.mustCLI(testPassword+"\n", "init", "--password-stdin")
	w.startAgent()
	w.write("answer", "allow")
	w.mustCLI(value+"\n", "set", "HIDDEN", "--value-stdin", "--access", "deny")

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c, err := mcp.Dial(ctx, w.path("run/sx.sock"), "")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.List(ctx, session.ListRequest{}); err == nil || !strings.Contains(err.Error(), "only the sciorex-secrets program") {
		t.Fatalf("list from a foreign program: %v", err)
	}
	if secrets, err := c.Release(ctx, []string{"HIDDEN"}, "npm test"); err == nil {
		t.Fatalf("a foreign program had %d values released", len(secrets))
	}
	if out := w.mustCLI("", "list"); !strings.Contains(out, "HIDDEN") {
		t.Fatalf("the real CLI no longer lists: %s", out)
	}
	w.stopAgent()
	if audit := w.read("data/vault.audit.jsonl"); !strings.Contains(audit, `"connect_refused"`) {
		t.Errorf("the refusal is not in the audit trail:\n%s", audit)
	}
	w.assertNoCanary(value)
}
