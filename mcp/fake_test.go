package mcp

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sciorex/sciorex-secrets/session"
)

// fakeBackend is an in-memory agent. Secrets named DENIED, LIMITED and
// BLOCK behave specially in Get (denied, rate limited, blocks until ctx ends).
type fakeBackend struct {
	mu       sync.Mutex
	locked   bool
	secrets  map[string]fakeSecret
	sessions []*fakeSession
	unlocked []string // passwords given to UnlockWithPassword

	notCLI       bool        // CheckCLI refuses every peer
	tampered     bool        // VerifyAudit finds the trail changed
	noBlock      bool        // BLOCK is an ordinary secret (for fuzzing)
	blockStarted chan string // Get("BLOCK") sends its session id here
	blockEnded   chan error  // and ctx.Err() here when ctx ends
}

type fakeSecret struct {
	value, access, collection string
}

func newFakeBackend() *fakeBackend {
	return &fakeBackend{
		secrets: map[string]fakeSecret{
			"GITHUB_TOKEN": {value: "ghp_canary_use_1234", access: "use", collection: "GitHub"},
			"NPM_TOKEN":    {value: "npm_canary_reveal \"q\"\n<&>", access: "reveal", collection: "npm"},
			"BLOCK":        {value: "x", access: "use"},
		},
		blockStarted: make(chan string, 16),
		blockEnded:   make(chan error, 16),
	}
}

func (b *fakeBackend) NewSession(id session.Identity, opts session.SessionOptions) SessionBackend {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := &fakeSession{b: b, id: fmt.Sprintf("s%d", len(b.sessions)+1), identity: id, opts: opts}
	b.sessions = append(b.sessions, s)
	return s
}

func (b *fakeBackend) CheckCLI(p session.Process) error {
	if b.notCLI {
		return fmt.Errorf("%w: %s is another program", session.ErrNotOurProgram, p)
	}
	return nil
}

func (b *fakeBackend) Status() session.Status {
	b.mu.Lock()
	defer b.mu.Unlock()
	return session.Status{Locked: b.locked, Secrets: len(b.secrets), Vault: "/fake/vault"}
}
func (b *fakeBackend) Lock() error {
	b.mu.Lock()
	b.locked = true
	b.mu.Unlock()
	return nil
}
func (b *fakeBackend) Unlock(ctx context.Context) error { return session.ErrNoApprover }
func (b *fakeBackend) UnlockWithPassword(pw []byte) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.unlocked = append(b.unlocked, string(pw))
	ok := string(pw) == "correct horse"
	clear(pw)
	if !ok {
		return fmt.Errorf("%w: wrong master password", session.ErrDenied)
	}
	b.locked = false
	return nil
}

func (b *fakeBackend) VerifyAudit() (session.AuditReport, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch {
	case b.locked:
		return session.AuditReport{}, session.ErrLocked
	case b.tampered:
		return session.AuditReport{}, fmt.Errorf("%w: record 3 (line 3 of audit.jsonl): mac does not match", session.ErrTampered)
	}
	return session.AuditReport{Records: 7, Files: 1, Checkpoint: 5}, nil
}

func (b *fakeBackend) session(i int) *fakeSession {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.sessions[i]
}

func (b *fakeBackend) value(name string) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.secrets[name].value
}

func (b *fakeBackend) passwords() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.unlocked...)
}

func (b *fakeBackend) numSessions() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.sessions)
}

type fakeSession struct {
	b        *fakeBackend
	id       string
	identity session.Identity
	opts     session.SessionOptions

	mu      sync.Mutex
	claimed string
	project string
	closed  bool
	sets    []session.SetRequest
}

func (s *fakeSession) ID() string { return s.id }
func (s *fakeSession) SetClaimed(name string) {
	s.mu.Lock()
	s.claimed = name
	s.mu.Unlock()
}
func (s *fakeSession) SetProject(dir string) {
	s.mu.Lock()
	s.project = dir
	s.mu.Unlock()
}
func (s *fakeSession) Close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
}
func (s *fakeSession) snapshot() (claimed, project string, closed bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.claimed, s.project, s.closed
}

func (s *fakeSession) checkLocked() error {
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	if s.b.locked {
		return session.ErrLocked
	}
	return nil
}

func (s *fakeSession) List(ctx context.Context, r session.ListRequest) ([]session.SecretInfo, error) {
	if err := s.checkLocked(); err != nil {
		return nil, err
	}
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	var out []session.SecretInfo
	for _, name := range []string{"BLOCK", "GITHUB_TOKEN", "NPM_TOKEN"} {
		sec, ok := s.b.secrets[name]
		if !ok || (r.Collection != "" && !strings.EqualFold(r.Collection, sec.collection)) ||
			(r.Search != "" && !strings.Contains(strings.ToLower(name), strings.ToLower(r.Search))) {
			continue
		}
		out = append(out, session.SecretInfo{Name: name, EnvName: name, Collection: sec.collection, Scope: "global", Access: sec.access,
			Description: "fake " + name, Created: time.Unix(1e9, 0).UTC(), Updated: time.Unix(1e9, 0).UTC()})
	}
	return out, nil
}

func (s *fakeSession) Get(ctx context.Context, name string) (session.GetResult, error) {
	if err := s.checkLocked(); err != nil {
		return session.GetResult{}, err
	}
	switch name {
	case "DENIED":
		return session.GetResult{}, session.ErrDenied
	case "LIMITED":
		return session.GetResult{}, session.ErrRateLimited
	case "PANIC":
		panic("fake backend panics")
	case "BLOCK":
		if s.b.noBlock {
			break
		}
		s.b.blockStarted <- s.id
		<-ctx.Done()
		s.b.blockEnded <- ctx.Err()
		return session.GetResult{}, fmt.Errorf("%w: %w", session.ErrCanceled, ctx.Err())
	}
	s.b.mu.Lock()
	sec, ok := s.b.secrets[name]
	s.b.mu.Unlock()
	if !ok {
		return session.GetResult{}, session.ErrNotFound
	}
	res := session.GetResult{Name: name, EnvName: name, Ref: "$" + name, Access: sec.access,
		Expires: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)}
	if sec.access == "reveal" {
		res.Value = session.NewValue([]byte(sec.value))
	}
	return res, nil
}

func (s *fakeSession) Set(ctx context.Context, r session.SetRequest) error {
	if err := s.checkLocked(); err != nil {
		return err
	}
	if r.Name == "" || strings.ContainsAny(r.Name, "\n ") {
		clear(r.Value)
		return fmt.Errorf("%w: a secret name may not contain spaces or newlines", session.ErrInvalid)
	}
	value := "typed-by-human"
	if r.Value != nil {
		value = string(r.Value)
		clear(r.Value)
	}
	s.b.mu.Lock()
	s.b.secrets[r.Name] = fakeSecret{value: value, access: "use", collection: r.Collection}
	s.b.mu.Unlock()
	s.mu.Lock()
	r.Value = nil
	s.sets = append(s.sets, r)
	s.mu.Unlock()
	return nil
}

func (s *fakeSession) Delete(ctx context.Context, name, scope string) error {
	if err := s.checkLocked(); err != nil {
		return err
	}
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	if _, ok := s.b.secrets[name]; !ok {
		return session.ErrNotFound
	}
	delete(s.b.secrets, name)
	return nil
}

func (s *fakeSession) SetAccess(ctx context.Context, r session.AccessRequest) (int, error) {
	if err := s.checkLocked(); err != nil {
		return 0, err
	}
	return 2, nil
}

func (s *fakeSession) Run(ctx context.Context, r session.RunRequest) (session.RunResult, error) {
	if err := s.checkLocked(); err != nil {
		return session.RunResult{}, err
	}
	if strings.Contains(r.Command, "$DENIED") {
		return session.RunResult{}, session.ErrDenied
	}
	return session.RunResult{ExitCode: 3, Stdout: "token=[masked:GITHUB_TOKEN]\n", Stderr: "warn\n", Masked: 1,
		Warnings: []string{fmt.Sprintf("cwd=%s timeout=%s secrets=%s", r.Cwd, r.Timeout, strings.Join(r.Secrets, ","))}}, nil
}

func (s *fakeSession) Release(ctx context.Context, names []string, command string) ([]session.EnvSecret, error) {
	if err := s.checkLocked(); err != nil {
		return nil, err
	}
	var out []session.EnvSecret
	for _, n := range names {
		s.b.mu.Lock()
		sec, ok := s.b.secrets[n]
		s.b.mu.Unlock()
		if !ok {
			return nil, fmt.Errorf("%w: %s", session.ErrNotFound, n)
		}
		out = append(out, session.EnvSecret{Name: n, EnvName: n, Value: session.NewValue([]byte(sec.value))})
	}
	return out, nil
}

func (s *fakeSession) Watch(pid int, mark string) error { return nil }

func (s *fakeSession) RunEnded(names []string, command string, exitCode, masked, pid int) error {
	return nil
}

// testServer runs a Server on a real socket in a private temp dir.
type testServer struct {
	*Server
	backend *fakeBackend
	path    string
	logs    *logSink
}

type logSink struct {
	mu    sync.Mutex
	lines []string
}

func (l *logSink) logf(format string, args ...any) {
	l.mu.Lock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
	l.mu.Unlock()
}

func (l *logSink) all() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

func startServer(t *testing.T, configure ...func(*Server)) *testServer {
	t.Helper()
	dir, err := mkShortTemp(t)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "sock", "agent.sock")
	ln, err := Listen(path)
	if err != nil {
		t.Fatal(err)
	}
	b := newFakeBackend()
	logs := &logSink{}
	srv := NewServer(b, Options{Version: "test", Logf: logs.logf})
	for _, f := range configure {
		f(srv)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return &testServer{Server: srv, backend: b, path: path, logs: logs}
}

// rawClient speaks lines to the server.
type rawClient struct {
	t  testing.TB
	nc net.Conn
	sc *bufio.Scanner
}

func dialRaw(t *testing.T, path string) *rawClient { return dialRawB(t, path) }

func dialRawB(t testing.TB, path string) *rawClient {
	t.Helper()
	nc, err := net.Dial("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close() })
	sc := bufio.NewScanner(nc)
	sc.Buffer(make([]byte, 0, 64<<10), 8<<20)
	return &rawClient{t: t, nc: nc, sc: sc}
}

func (c *rawClient) send(line string) {
	c.t.Helper()
	if _, err := c.nc.Write([]byte(line + "\n")); err != nil {
		c.t.Fatalf("write: %v", err)
	}
}

// recv reads one response line, failing after a generous deadline (a hang
// is a bug, not slowness).
func (c *rawClient) recv() map[string]any {
	c.t.Helper()
	_ = c.nc.SetReadDeadline(time.Now().Add(20 * time.Second))
	if !c.sc.Scan() {
		c.t.Fatalf("no response: %v", c.sc.Err())
	}
	var m map[string]any
	if err := json.Unmarshal(c.sc.Bytes(), &m); err != nil {
		c.t.Fatalf("response is not JSON: %q", c.sc.Text())
	}
	return m
}

// call sends a request line and returns its response.
func (c *rawClient) call(line string) map[string]any {
	c.t.Helper()
	c.send(line)
	return c.recv()
}

// errCode returns the error code of a response, or 0.
func errCode(m map[string]any) int {
	e, ok := m["error"].(map[string]any)
	if !ok {
		return 0
	}
	code, _ := e["code"].(float64)
	return int(code)
}

func errKind(m map[string]any) string {
	e, _ := m["error"].(map[string]any)
	d, _ := e["data"].(map[string]any)
	k, _ := d["kind"].(string)
	return k
}

const initLine = `{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}`
