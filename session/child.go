package session

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"time"

	"github.com/sciorex/sciorex-secrets/session/mask"
)

// Child is a process to run with secrets in its environment.
type Child struct {
	Argv    []string      // program and arguments: never a value
	Dir     string        // working directory; "" for the current one
	Env     []string      // base environment; nil for os.Environ()
	Secrets []EnvSecret   // added to the child's environment, masked in its output
	Stdin   io.Reader     // nil for no input
	Stdout  io.Writer     // receives masked output
	Stderr  io.Writer     // receives masked output
	Timeout time.Duration // 0 for none; on expiry the child's process group is killed
	// Foreground is what "sciorex-secrets run" needs: every signal the
	// caller receives is passed on to the child's whole process group (a
	// shell and what it started), and at a terminal the child's group is
	// given the terminal, as a shell gives it to a job. Otherwise the
	// child runs in a process group of its own, killed as a whole when ctx
	// ends or the timeout passes.
	Foreground bool
	// Started, when set, is told the child's pid (which is also its process
	// group id) and its run mark (see RunMarkVar) as soon as it runs, so
	// that someone can kill what it started should this process die first.
	Started func(pid int, mark string)
}

// ChildResult is how a child ended.
type ChildResult struct {
	ExitCode int      // the child's status; 128+n when killed by signal n
	Masked   int      // occurrences of secret values replaced in its output
	TimedOut bool     // killed because the timeout passed
	Warnings []string // e.g. values too short to mask
}

// RunChild runs c and waits for it. The values reach the child through its
// environment only: never argv, never this process's environment, never a
// file. Go strings cannot be wiped, so the environment block built for the
// child lingers in this process's memory until the garbage collector
// reuses it. The error is non-nil only when the child could not start.
func RunChild(ctx context.Context, c Child) (ChildResult, error) {
	if len(c.Argv) == 0 {
		return ChildResult{}, fmt.Errorf("%w: no command to run", ErrInvalid)
	}
	secrets := make([]mask.Secret, len(c.Secrets))
	for i, s := range c.Secrets {
		if bytes.IndexByte(s.Value.Bytes(), 0) >= 0 {
			return ChildResult{}, fmt.Errorf("%w: the value of %s holds a NUL byte, which no environment variable can carry", ErrInvalid, s.Name)
		}
		secrets[i] = mask.Secret{Name: s.EnvName, Value: s.Value.Bytes()}
	}
	set, warnings := mask.Compile(secrets)
	defer set.Wipe()
	stdout := set.NewWriter(orDiscard(c.Stdout))
	stderr := set.NewWriter(orDiscard(c.Stderr))

	cmd := exec.Command(c.Argv[0], c.Argv[1:]...)
	cmd.Dir = c.Dir
	mark := newRunMark()
	cmd.Env = append(childEnv(c.Env, c.Secrets), RunMarkVar+"="+mark)
	cmd.Stdin = c.Stdin
	cmd.Stdout = stdout
	cmd.Stderr = stderr
	j := newJob(cmd, c.Foreground, c.Stdin)
	if err := cmd.Start(); err != nil {
		if inner := errors.Unwrap(err); inner != nil {
			err = inner // "fork/exec PATH: " would name the program twice
		}
		return ChildResult{}, fmt.Errorf("cannot start %q: %w", c.Argv[0], err)
	}
	defer j.finish()
	j.started()
	if c.Started != nil {
		c.Started(cmd.Process.Pid, mark)
	}

	var sigs chan os.Signal
	if c.Foreground {
		sigs = make(chan os.Signal, 8)
		notifyAll(sigs)
		defer signal.Stop(sigs)
	}
	var timeout <-chan time.Time
	if c.Timeout > 0 {
		t := time.NewTimer(c.Timeout)
		defer t.Stop()
		timeout = t.C
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()

	res := ChildResult{Warnings: warnings}
	for waiting := true; waiting; {
		select {
		case err := <-done:
			_ = err // the status is read from ProcessState below
			waiting = false
		case sig := <-sigs:
			j.signal(sig)
		case <-timeout:
			res.TimedOut = true
			j.kill()
			KillRun(mark)
			timeout = nil
		case <-ctx.Done():
			j.kill()
			KillRun(mark)
			ctx = context.Background()
		}
	}
	_ = stdout.Flush()
	_ = stderr.Flush()
	res.Masked = stdout.Count() + stderr.Count()
	res.ExitCode = exitCode(cmd.ProcessState)
	return res, nil
}

// childEnv is base without any variable a secret sets, plus the secrets.
func childEnv(base []string, secrets []EnvSecret) []string {
	if base == nil {
		base = os.Environ()
	}
	names := make(map[string]bool, len(secrets))
	for _, s := range secrets {
		names[s.EnvName] = true
	}
	env := make([]string, 0, len(base)+len(secrets))
	for _, kv := range base {
		k, _, _ := strings.Cut(kv, "=")
		if !names[k] {
			env = append(env, kv)
		}
	}
	for _, s := range secrets {
		env = append(env, s.EnvName+"="+string(s.Value.Bytes()))
	}
	return env
}

func orDiscard(w io.Writer) io.Writer {
	if w == nil {
		return io.Discard
	}
	return w
}

func exitCode(ps *os.ProcessState) int {
	if ps == nil {
		return -1
	}
	if code := ps.ExitCode(); code >= 0 {
		return code
	}
	if n := signalNumber(ps); n > 0 {
		return 128 + n
	}
	return -1
}
