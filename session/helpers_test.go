package session

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sciorex/sciorex-secrets/audit"
	"github.com/sciorex/sciorex-secrets/vault"
)

// scriptedUI answers dialogs from a function the test sets, and records
// what was asked.
type scriptedUI struct {
	mu       sync.Mutex
	decide   func(ctx context.Context, r Request) (bool, error)
	value    string
	asked    []Request
	onScreen int
	maxOn    int
	notices  []string
}

func allow(context.Context, Request) (bool, error) { return true, nil }
func deny(context.Context, Request) (bool, error)  { return false, nil }

// hang waits until the dialog is withdrawn, then answers "allow" too late.
func hang(ctx context.Context, r Request) (bool, error) {
	<-ctx.Done()
	return true, nil
}

func (u *scriptedUI) set(f func(context.Context, Request) (bool, error)) {
	u.mu.Lock()
	u.decide = f
	u.mu.Unlock()
}

func (u *scriptedUI) Approve(ctx context.Context, r Request) (bool, error) {
	u.mu.Lock()
	u.asked = append(u.asked, r)
	u.onScreen++
	u.maxOn = max(u.maxOn, u.onScreen)
	decide := u.decide
	u.mu.Unlock()
	defer func() {
		u.mu.Lock()
		u.onScreen--
		u.mu.Unlock()
	}()
	if decide == nil {
		return false, nil
	}
	return decide(ctx, r)
}

func (u *scriptedUI) Password(ctx context.Context, p PasswordPrompt) ([]byte, error) {
	return []byte(testPassword), nil
}

func (u *scriptedUI) SecretValue(ctx context.Context, r Request) ([]byte, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	return []byte(u.value), nil
}

func (u *scriptedUI) Notify(title, text string) {
	u.mu.Lock()
	u.notices = append(u.notices, text)
	u.mu.Unlock()
}

func (u *scriptedUI) requests() []Request {
	u.mu.Lock()
	defer u.mu.Unlock()
	return append([]Request(nil), u.asked...)
}

const testPassword = "test password"

type fixture struct {
	t     *testing.T
	dir   string
	vault *vault.Vault
	log   *audit.Log
	ui    *scriptedUI
	agent *Agent
}

// newFixture builds an agent over a real vault and audit file, with a
// cheap KDF and the given secrets stored as name=value.
func newFixture(t *testing.T, secrets map[string]string, cfg Config) *fixture {
	t.Helper()
	dir := t.TempDir()
	v, err := vault.Create(filepath.Join(dir, "vault.sxv"), []byte(testPassword),
		vault.Options{KDF: vault.KDFParams{Time: 1, MemoryKiB: 64, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	for name, value := range secrets {
		if _, err := v.Put(vault.Secret{Name: name}, []byte(value)); err != nil {
			t.Fatal(err)
		}
	}
	log, err := audit.Open(filepath.Join(dir, "audit.jsonl"), audit.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { log.Close() })
	ui := &scriptedUI{}
	cfg.Vault, cfg.Audit, cfg.UI = v, log, ui
	a, err := NewAgent(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, dir: dir, vault: v, log: log, ui: ui, agent: a}
}

func (f *fixture) session(claimed string) *Session {
	s := f.agent.NewSession(Identity{Claimed: claimed, Peer: Process{PID: os.Getpid()}}, SessionOptions{})
	f.t.Cleanup(s.Close)
	return s
}

func (f *fixture) auditText() string {
	b, err := os.ReadFile(filepath.Join(f.dir, "audit.jsonl"))
	if err != nil {
		f.t.Fatal(err)
	}
	return string(b)
}

func (f *fixture) events() []string {
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(f.auditText()), "\n") {
		i := strings.Index(line, `"event":"`)
		if i < 0 {
			continue
		}
		rest := line[i+len(`"event":"`):]
		out = append(out, rest[:strings.IndexByte(rest, '"')])
	}
	return out
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
