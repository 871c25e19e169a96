//go:build unix

package dialogs

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sciorex/sciorex-secrets/session"
)

// script writes an executable /bin/sh script into a temporary directory.
func script(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "askpass")
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestAskpassApprove(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		wantOK  bool
		wantErr error
	}{
		{"exit 0 approves", "exit 0", true, nil},
		{"exit 1 denies", "exit 1", false, session.ErrDenied},
		{"exit 2 denies", "exit 2", false, session.ErrDenied},
		{"killed by a signal denies", "kill -TERM $$", false, session.ErrDenied},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := &Askpass{Program: script(t, tt.body)}
			ok, err := a.Approve(context.Background(), sampleRequest())
			if ok != tt.wantOK || !errors.Is(err, tt.wantErr) {
				t.Fatalf("Approve = %v, %v; want %v, %v", ok, err, tt.wantOK, tt.wantErr)
			}
		})
	}
}

func TestAskpassAnswers(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		want    string
		wantErr error
	}{
		{"first line", `printf 'pw with space\nsecond line\n'`, "pw with space", nil},
		{"no newline", `printf 'abc'`, "abc", nil},
		{"crlf", `printf 'abc\r\n'`, "abc", nil},
		{"empty", `exit 0`, "", nil},
		{"cancel", `echo typed; exit 1`, "", ErrCancelled},
		{"too long", `head -c 1100000 /dev/zero | tr '\0' a`, "", ErrCancelled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := &Askpass{Program: script(t, tt.body)}
			pw, err := a.Password(context.Background(), session.PasswordPrompt{Vault: "v"})
			if string(pw) != tt.want || !errors.Is(err, tt.wantErr) {
				t.Errorf("Password = %q, %v; want %q, %v", pw, err, tt.want, tt.wantErr)
			}
			v, err := a.SecretValue(context.Background(), sampleRequest())
			if string(v) != tt.want || !errors.Is(err, tt.wantErr) {
				t.Errorf("SecretValue = %q, %v; want %q, %v", v, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestAskpassNewPasswordAsksOnce(t *testing.T) {
	dir := t.TempDir()
	a := &Askpass{Program: script(t, `echo x >> "`+dir+`/calls"; echo "$SCIOREX_REQUEST_NEW" > "`+dir+`/new"; echo pw`)}
	pw, err := a.Password(context.Background(), session.PasswordPrompt{Vault: "v", New: true})
	if err != nil || string(pw) != "pw" {
		t.Fatalf("Password = %q, %v", pw, err)
	}
	calls, _ := os.ReadFile(filepath.Join(dir, "calls"))
	newFlag, _ := os.ReadFile(filepath.Join(dir, "new"))
	if string(calls) != "x\n" || string(newFlag) != "1\n" {
		t.Errorf("calls %q, SCIOREX_REQUEST_NEW %q; want one call with NEW=1", calls, newFlag)
	}
}

// recordingScript records argv and environment into dir and exits 0.
func recordingScript(t *testing.T, dir string) string {
	return script(t, `printf '%s\0' "$@" > "`+dir+`/argv"; env > "`+dir+`/env"; echo answer`)
}

func readEnv(t *testing.T, path string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			env[k] = v
		}
	}
	return env
}

func TestAskpassEnvAndArgv(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("SCIOREX_REQUEST_SECRETS", "STALE_FROM_AGENT")
	t.Setenv("SCIOREX_REQUEST_RETRY", "1")
	req := sampleRequest()
	req.Secrets = []string{"GITHUB_TOKEN", "x\ny"}
	req.Command = "curl -H \x1b[2J evil"
	a := &Askpass{Program: recordingScript(t, dir)}
	ok, err := a.Approve(context.Background(), req)
	if !ok || err != nil {
		t.Fatalf("Approve = %v, %v", ok, err)
	}
	argv, _ := os.ReadFile(filepath.Join(dir, "argv"))
	args := strings.Split(strings.TrimSuffix(string(argv), "\x00"), "\x00")
	if len(args) != 1 || !strings.Contains(args[0], "claude-code (claimed by the client)") {
		t.Fatalf("argv = %q; want the prompt text as the one argument", args)
	}
	env := readEnv(t, filepath.Join(dir, "env"))
	want := map[string]string{
		"SCIOREX_ASKPASS_PROMPT":   "confirm",
		"SCIOREX_REQUEST_ID":       "7",
		"SCIOREX_REQUEST_KIND":     "run",
		"SCIOREX_REQUEST_SECRETS":  `GITHUB_TOKEN,x\ny`,
		"SCIOREX_REQUEST_AGENT":    "claude-code",
		"SCIOREX_REQUEST_VERIFIED": "/usr/bin/node pid 4242",
		"SCIOREX_REQUEST_PROJECT":  "/home/u/proj",
		"SCIOREX_REQUEST_COMMAND":  `curl -H \x1b[2J evil`,
	}
	for k, v := range want {
		if env[k] != v {
			t.Errorf("%s = %q; want %q", k, env[k], v)
		}
	}
	if _, stale := env["SCIOREX_REQUEST_RETRY"]; stale {
		t.Error("a SCIOREX_REQUEST_ variable of the agent leaked into the program's environment")
	}

	if _, err := a.Password(context.Background(), session.PasswordPrompt{Vault: "/v.sxv", Purpose: "export", Retry: true}); err != nil {
		t.Fatal(err)
	}
	env = readEnv(t, filepath.Join(dir, "env"))
	for k, v := range map[string]string{
		"SCIOREX_ASKPASS_PROMPT": "password",
		"SCIOREX_REQUEST_KIND":   "export",
		"SCIOREX_REQUEST_VAULT":  "/v.sxv",
		"SCIOREX_REQUEST_RETRY":  "1",
	} {
		if env[k] != v {
			t.Errorf("password prompt: %s = %q; want %q", k, env[k], v)
		}
	}
	if _, err := a.SecretValue(context.Background(), sampleRequest()); err != nil {
		t.Fatal(err)
	}
	if env = readEnv(t, filepath.Join(dir, "env")); env["SCIOREX_ASKPASS_PROMPT"] != "secret" {
		t.Errorf("secret prompt: SCIOREX_ASKPASS_PROMPT = %q", env["SCIOREX_ASKPASS_PROMPT"])
	}
}

// TestAskpassNoValueOut: a value typed for one request never reaches the
// argv or environment of a later askpass run.
func TestAskpassNoValueOut(t *testing.T) {
	dir := t.TempDir()
	const value = "v4lue-5ecret-0001"
	setter := &Askpass{Program: script(t, "echo "+value)}
	got, err := setter.SecretValue(context.Background(), session.Request{ID: 1, Kind: session.KindSet, Secrets: []string{"TOKEN"}})
	if err != nil || string(got) != value {
		t.Fatalf("SecretValue = %q, %v", got, err)
	}
	a := &Askpass{Program: recordingScript(t, dir)}
	if ok, err := a.Approve(context.Background(), session.Request{ID: 2, Kind: session.KindRun, Secrets: []string{"TOKEN"}, Command: "sleep 5"}); !ok || err != nil {
		t.Fatalf("Approve = %v, %v", ok, err)
	}
	for _, f := range []string{"argv", "env"} {
		b, _ := os.ReadFile(filepath.Join(dir, f))
		if bytes.Contains(b, []byte(value)) {
			t.Errorf("the value is in the program's %s", f)
		}
	}
}

func TestAskpassStderr(t *testing.T) {
	var stderr bytes.Buffer
	a := &Askpass{Program: script(t, "echo 'no tty here' >&2; exit 1"), Stderr: &stderr}
	if ok, _ := a.Approve(context.Background(), sampleRequest()); ok {
		t.Fatal("approved")
	}
	if !strings.Contains(stderr.String(), "no tty here") {
		t.Errorf("stderr = %q", stderr.String())
	}
}

func TestAskpassCannotRun(t *testing.T) {
	for _, program := range []string{"", filepath.Join(t.TempDir(), "missing")} {
		ok, err := (&Askpass{Program: program}).Approve(context.Background(), sampleRequest())
		if ok || !errors.Is(err, session.ErrNoApprover) {
			t.Errorf("%q: Approve = %v, %v; want false, ErrNoApprover", program, ok, err)
		}
	}
}

// TestAskpassContextKillsGroup: when ctx ends, the program and the children
// of its shell script are killed.
func TestAskpassContextKillsGroup(t *testing.T) {
	tests := []struct {
		name    string
		ctx     func() (context.Context, context.CancelFunc)
		wantErr error
	}{
		{"deadline", func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), 300*time.Millisecond)
		}, session.ErrTimeout},
		{"cancel", func() (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(300*time.Millisecond, cancel)
			return ctx, cancel
		}, session.ErrCanceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pidFile := filepath.Join(t.TempDir(), "pid")
			// The child sleeps without exec: only a group kill reaches it.
			a := &Askpass{Program: script(t, `sleep 60 & echo $! > "`+pidFile+`"; wait`)}
			ctx, cancel := tt.ctx()
			defer cancel()
			ok, err := a.Approve(ctx, sampleRequest())
			if ok || !errors.Is(err, tt.wantErr) {
				t.Fatalf("Approve = %v, %v; want false, %v", ok, err, tt.wantErr)
			}
			b, err := os.ReadFile(pidFile)
			if err != nil {
				t.Fatalf("the script did not start its child: %v", err)
			}
			pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
			waitGone(t, pid)
		})
	}
}

// waitGone waits until pid has exited (gone or a zombie), failing after a
// generous bound so a lost process is reported rather than hanging.
func waitGone(t *testing.T, pid int) {
	t.Helper()
	for range 500 {
		stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if err != nil {
			return
		}
		if fields := strings.Fields(string(stat)); len(fields) > 2 && fields[2] == "Z" {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Errorf("child pid %d still runs after the context ended", pid)
}

func TestAskpassCancelledBeforeStart(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	a := &Askpass{Program: recordingScript(t, dir)}
	if ok, err := a.Approve(ctx, sampleRequest()); ok || !errors.Is(err, session.ErrCanceled) {
		t.Fatalf("Approve = %v, %v; want false, ErrCanceled", ok, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "argv")); err == nil {
		t.Error("the program ran although ctx had ended")
	}
}
