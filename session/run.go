package session

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/sciorex/sciorex-secrets/audit"
	"github.com/sciorex/sciorex-secrets/vault"
)

// Limits of commands run for MCP clients.
const (
	DefaultRunTimeout = 2 * time.Minute
	MaxRunTimeout     = 10 * time.Minute
	MaxRunOutput      = 1 << 20 // per stream, after masking
)

var envRef = regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?`)

// Run runs r.Command with /bin/sh -c inside the agent, with the secrets in
// the child's environment only, and returns its output with every value
// masked. Secrets with an unused grant from Get are used without a dialog;
// otherwise the human approves this run, seeing the full command.
func (s *Session) Run(ctx context.Context, r RunRequest) (RunResult, error) {
	if strings.TrimSpace(r.Command) == "" {
		return RunResult{}, fmt.Errorf("%w: the command is empty", ErrInvalid)
	}
	names := r.Secrets
	if len(names) == 0 {
		var err error
		if names, err = s.referenced(r.Command); err != nil {
			return RunResult{}, err
		}
	}
	timeout := r.Timeout
	if timeout <= 0 {
		timeout = DefaultRunTimeout
	}
	timeout = min(timeout, MaxRunTimeout)
	dir := r.Cwd
	if dir == "" {
		dir = s.project()
	}
	env, req, err := s.release(ctx, names, r.Command)
	if err != nil {
		return RunResult{}, err
	}
	defer wipeAll(env)

	stdout := &cappedBuffer{max: MaxRunOutput}
	stderr := &cappedBuffer{max: MaxRunOutput}
	res, runErr := RunChild(ctx, Child{
		Argv:    shellArgv(r.Command),
		Dir:     dir,
		Secrets: env,
		Stdout:  stdout,
		Stderr:  stderr,
		Timeout: timeout,
	})
	out := RunResult{
		ExitCode:  res.ExitCode,
		Stdout:    stdout.String(),
		Stderr:    stderr.String(),
		Masked:    res.Masked,
		Truncated: stdout.cut || stderr.cut,
		TimedOut:  res.TimedOut,
		Warnings:  res.Warnings,
	}
	if out.Truncated {
		out.Warnings = append(out.Warnings, fmt.Sprintf("output was cut at %d bytes per stream", MaxRunOutput))
	}
	detail := ""
	if runErr != nil {
		detail = "could not start: " + runErr.Error()
	}
	if err := s.record(audit.Record{Event: "run_end", Request: req.ID, Secrets: req.Secrets, Command: req.Command,
		ExitCode: intPtr(out.ExitCode), Masked: intPtr(out.Masked), Detail: detail}); err != nil {
		return RunResult{}, err
	}
	if runErr != nil {
		return RunResult{}, runErr
	}
	return out, nil
}

// Release hands the values of the named secrets to the sciorex-secrets run
// process that will start command, after the same approval as Run. The
// caller puts them in the child's environment only, and wipes them.
func (s *Session) Release(ctx context.Context, names []string, command string) ([]EnvSecret, error) {
	env, _, err := s.release(ctx, names, command)
	return env, err
}

// RunEnded records how a command started by "sciorex-secrets run" ended:
// the CLI reports it after the child exits. It is advisory (the CLI could
// lie or die first); the approval and release are already on record. It
// ends the watch on pid, when there is one.
func (s *Session) RunEnded(names []string, command string, exitCode, masked, pid int) error {
	if !s.opts.CLI {
		return fmt.Errorf("%w: only the command line reports runs", ErrInvalid)
	}
	s.mu.Lock()
	delete(s.watched, pid)
	s.mu.Unlock()
	secs, _, err := s.resolveAll(names)
	if err != nil {
		secs = nil
	}
	return s.record(audit.Record{Event: "run_end", Secrets: names, Command: s.agent.scrub(command, secs),
		ExitCode: intPtr(exitCode), Masked: intPtr(masked), Detail: "reported by sciorex-secrets run"})
}

// Watch is told by "sciorex-secrets run" the pid of the child it started
// with released values (the leader of the child's process group) and its
// run mark (see RunMarkVar). Should the session end before RunEnded, as
// when the runner is killed with SIGKILL, the agent kills that group and
// every process carrying the mark: no orphan keeps the values, not even
// one that left the group.
func (s *Session) Watch(pid int, mark string) error {
	if !s.opts.CLI {
		return fmt.Errorf("%w: only the command line starts runs", ErrInvalid)
	}
	if !validRunMark(mark) {
		return fmt.Errorf("%w: a run mark is 32 hex digits", ErrInvalid)
	}
	p := processInfo(pid)
	if p.PID == 0 || p.UID != -1 && p.UID != os.Getuid() {
		return fmt.Errorf("%w: no process %d of yours to watch", ErrInvalid, pid)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.watched == nil {
		s.watched = make(map[int]watchedRun)
	}
	s.watched[pid] = watchedRun{start: p.StartTime, mark: mark}
	return nil
}

// watchedRun is a run of "sciorex-secrets run" that the agent cleans up
// after if its runner goes away.
type watchedRun struct {
	start uint64 // the group leader's start time: a pid alone can be reused
	mark  string
}

// killWatched kills what is left of the runs whose runner went away.
func (s *Session) killWatched() {
	s.mu.Lock()
	watched := s.watched
	s.watched = nil
	s.mu.Unlock()
	for pid, run := range watched {
		group := KillProcessGroup(pid, run.start)
		if n := KillRun(run.mark); group || n > 0 {
			_ = s.record(audit.Record{Event: "run_end", Detail: fmt.Sprintf(
				"the runner went away before its command ended: process group %d and %d marked processes killed", pid, n)})
		}
	}
}

// release resolves the secrets, uses grants or asks the human, audits the
// start of the run and reveals the values.
func (s *Session) release(ctx context.Context, names []string, command string) ([]EnvSecret, Request, error) {
	secs, envs, err := s.resolveAll(names)
	if err != nil {
		return nil, Request{}, err
	}
	req := s.newRequest(KindRun, secretNames(secs))
	req.Command = s.agent.scrub(command, secs)
	granted := true
	for _, sec := range secs {
		granted = granted && s.grants.has(sec.ID)
	}
	if !granted {
		// The human approves this run with every secret it names; a grant
		// it would have used is kept if they say no.
		if err := s.ask(ctx, req, nil); err != nil {
			return nil, req, err
		}
	}
	for _, sec := range secs {
		if !s.grants.take(sec.ID) && granted {
			return nil, req, fmt.Errorf("%w: a grant for %s ended while the run started: ask again", ErrDenied, sec.Name)
		}
	}
	if granted {
		req.Detail = "single-use grants from an approved get"
	}
	if err := s.record(audit.Record{Event: "run_start", Request: req.ID, Secrets: req.Secrets, Command: req.Command, Detail: req.Detail}); err != nil {
		return nil, req, err
	}
	s.touch(secs...)
	out := make([]EnvSecret, 0, len(secs))
	for i, sec := range secs {
		val, err := s.agent.vault.Reveal(sec.ID)
		if err != nil {
			wipeAll(out)
			return nil, req, vaultErr(err)
		}
		out = append(out, EnvSecret{Name: sec.Name, EnvName: envs[i], Value: val})
	}
	return out, req, nil
}

// resolveAll looks up each name once and checks that no two map to the
// same environment variable.
func (s *Session) resolveAll(names []string) ([]vault.Secret, []string, error) {
	seen := make(map[string]string)
	var secs []vault.Secret
	var envs []string
	for _, name := range names {
		if name == "" {
			continue
		}
		sec, err := s.lookup(name)
		if err != nil {
			return nil, nil, err
		}
		env, err := vault.EnvName(sec.Name)
		if err != nil {
			return nil, nil, vaultErr(err)
		}
		if other, dup := seen[env]; dup {
			if other == sec.Name {
				continue
			}
			return nil, nil, fmt.Errorf("%w: secrets %q and %q both map to the variable %s", ErrInvalid, other, sec.Name, env)
		}
		seen[env] = sec.Name
		secs = append(secs, sec)
		envs = append(envs, env)
	}
	if len(secs) == 0 {
		return nil, nil, fmt.Errorf("%w: the command uses no stored secret: write one as $NAME in the command (sciorex_list_secrets shows each variable), or name it in secrets", ErrInvalid)
	}
	return secs, envs, nil
}

// referenced finds the secrets a command refers to as $NAME or ${NAME}:
// each variable that a secret visible to this session maps to.
func (s *Session) referenced(command string) ([]string, error) {
	if s.agent.vault.Locked() {
		return nil, ErrLocked
	}
	set := make(map[string]bool)
	for _, m := range envRef.FindAllStringSubmatch(command, -1) {
		sec, err := s.agent.vault.ResolveEnv(m[1], s.project())
		switch {
		case isErr(err, vault.ErrNotFound):
			continue
		case err != nil:
			return nil, vaultErr(err)
		}
		if s.visible(sec) {
			set[sec.Name] = true
		}
	}
	names := make([]string, 0, len(set))
	for n := range set {
		names = append(names, n)
	}
	sort.Strings(names)
	return names, nil
}

func secretNames(secs []vault.Secret) []string {
	out := make([]string, len(secs))
	for i, s := range secs {
		out[i] = s.Name
	}
	return out
}

func wipeAll(env []EnvSecret) {
	for _, e := range env {
		e.Value.Wipe()
	}
}

func shellArgv(command string) []string { return defaultShell(command) }

// cappedBuffer keeps the first max bytes written and notes that more came.
type cappedBuffer struct {
	buf bytes.Buffer
	max int
	cut bool
}

func (c *cappedBuffer) Write(p []byte) (int, error) {
	room := c.max - c.buf.Len()
	if len(p) > room {
		c.cut = true
		c.buf.Write(p[:max(room, 0)])
		return len(p), nil
	}
	return c.buf.Write(p)
}

func (c *cappedBuffer) String() string { return c.buf.String() }
