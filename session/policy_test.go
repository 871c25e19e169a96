package session

import (
	"context"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sciorex/sciorex-secrets/vault"
)

// sessionOf opens a session for a client process, as two connections from
// one AI client would be.
func (f *fixture) sessionOf(claimed string, client Process) *Session {
	s := f.agent.NewSession(Identity{Claimed: claimed, Peer: Process{PID: os.Getpid()}, Client: client}, SessionOptions{})
	f.t.Cleanup(s.Close)
	return s
}

// slowAllow allows after a pause, so that concurrent requests overlap.
func slowAllow(ctx context.Context, r Request) (bool, error) {
	select {
	case <-time.After(50 * time.Millisecond):
		return true, nil
	case <-ctx.Done():
		return false, ctx.Err()
	}
}

// One approval is one operation: identical requests share a dialog only
// when they are gets of one session (whose grant is then one); two
// sessions of one client, or identical runs, each need their own answer.
func TestOneApprovalOneOperation(t *testing.T) {
	f := newFixture(t, map[string]string{"TOKEN": tokenValue}, Config{})
	f.ui.set(slowAllow)
	client := Process{PID: 4242, StartTime: 7}
	a, b := f.sessionOf("claude", client), f.sessionOf("claude", client)
	ctx := context.Background()

	var wg sync.WaitGroup
	for _, s := range []*Session{a, a, a, b} {
		wg.Add(1)
		go func() { defer wg.Done(); _, _ = s.Get(ctx, "TOKEN") }()
	}
	wg.Wait()
	if n := len(f.ui.requests()); n != 2 {
		t.Fatalf("3 gets in one session and 1 in another opened %d dialogs, want 2", n)
	}
	f.ui.set(deny)
	for _, s := range []*Session{a, b} {
		if _, err := s.Run(ctx, RunRequest{Command: "true", Secrets: []string{"TOKEN"}}); err != nil {
			t.Fatalf("the grant of session %s: %v", s.ID(), err)
		}
		if _, err := s.Run(ctx, RunRequest{Command: "true", Secrets: []string{"TOKEN"}}); !errors.Is(err, ErrDenied) {
			t.Fatalf("a second run on one approval in session %s: %v", s.ID(), err)
		}
	}

	f.ui.set(slowAllow)
	asked := len(f.ui.requests())
	var runs sync.WaitGroup
	var mu sync.Mutex
	ran := 0
	for range 3 {
		runs.Add(1)
		go func() {
			defer runs.Done()
			if _, err := a.Run(ctx, RunRequest{Command: "true", Secrets: []string{"TOKEN"}}); err == nil {
				mu.Lock()
				ran++
				mu.Unlock()
			}
		}()
	}
	runs.Wait()
	if dialogs := len(f.ui.requests()) - asked; dialogs != ran || ran != 3 {
		t.Fatalf("3 identical runs: %d dialogs, %d ran; want one dialog for each run", dialogs, ran)
	}
}

// A get waiting on another get's dialog is not cancelled with it: when the
// request on screen is withdrawn by its client, the other one is asked.
func TestSharedDecisionOutlivesWithdrawnLeader(t *testing.T) {
	f := newFixture(t, map[string]string{"TOKEN": tokenValue}, Config{})
	s := f.session("claude")
	onScreen := make(chan struct{}, 4)
	f.ui.set(func(ctx context.Context, r Request) (bool, error) {
		onScreen <- struct{}{}
		select {
		case <-time.After(100 * time.Millisecond):
			return true, nil
		case <-ctx.Done():
			return false, ctx.Err()
		}
	})
	leaderCtx, cancel := context.WithCancel(context.Background())
	leader := make(chan error, 1)
	go func() { _, err := s.Get(leaderCtx, "TOKEN"); leader <- err }()
	<-onScreen
	follower := make(chan error, 1)
	go func() { _, err := s.Get(context.Background(), "TOKEN"); follower <- err }()
	time.Sleep(20 * time.Millisecond) // let it join the decision
	cancel()
	if err := <-leader; !errors.Is(err, ErrCanceled) {
		t.Fatalf("withdrawn get: %v", err)
	}
	if err := <-follower; err != nil {
		t.Fatalf("the get still waiting: %v, want it asked and allowed", err)
	}
}

// Requests denied, left unanswered or withdrawn all count toward the
// cool-down, which belongs to the client: a new connection from it is
// refused too, while another client is still asked.
func TestCoolDownCountsEveryRefusalAndSurvivesReconnect(t *testing.T) {
	f := newFixture(t, map[string]string{"TOKEN": tokenValue}, Config{ApprovalTimeout: 30 * time.Millisecond})
	client := Process{PID: 4242, StartTime: 7}
	s := f.sessionOf("claude", client)

	f.ui.set(deny)
	_, _ = s.Get(context.Background(), "TOKEN")
	f.ui.set(hang) // unanswered: a timeout
	_, _ = s.Get(context.Background(), "TOKEN")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond) // withdrawn
	_, _ = s.Get(ctx, "TOKEN")
	cancel()
	if _, err := s.Get(context.Background(), "TOKEN"); !errors.Is(err, ErrRateLimited) {
		t.Fatalf("after a deny, a timeout and a cancel: %v, want ErrRateLimited", err)
	}
	s.Close()
	again := f.sessionOf("claude", client)
	if _, err := again.Get(context.Background(), "TOKEN"); !errors.Is(err, ErrRateLimited) {
		t.Fatalf("a new connection of the same client: %v, want ErrRateLimited", err)
	}
	f.ui.set(allow)
	other := f.sessionOf("cursor", Process{PID: 5151, StartTime: 9})
	if _, err := other.Get(context.Background(), "TOKEN"); err != nil {
		t.Fatalf("another client: %v", err)
	}
	if st := f.agent.Status(); len(st.RateLimited) != 1 || !strings.Contains(st.RateLimited[0], "claude") {
		t.Fatalf("status: %q, want the claimed name of the client cooling down", st.RateLimited)
	}
}

// A run that is denied does not use up a grant it would have used.
func TestDeniedRunKeepsTheGrant(t *testing.T) {
	f := newFixture(t, map[string]string{"TOKEN": tokenValue, "OTHER": tokenValue + "-other"}, Config{})
	s := f.session("claude")
	ctx := context.Background()
	f.ui.set(allow)
	if _, err := s.Get(ctx, "TOKEN"); err != nil {
		t.Fatal(err)
	}
	f.ui.set(deny)
	if _, err := s.Run(ctx, RunRequest{Command: "true", Secrets: []string{"TOKEN", "OTHER"}}); !errors.Is(err, ErrDenied) {
		t.Fatalf("run with an ungranted secret: %v, want ErrDenied", err)
	}
	if _, err := s.Run(ctx, RunRequest{Command: "true", Secrets: []string{"TOKEN"}}); err != nil {
		t.Fatalf("the grant was used by the denied run: %v", err)
	}
}

// A deny secret and a missing one get the very same answer, everywhere a
// name is looked up for an AI client.
func TestDenySecretAnswersLikeAMissingOne(t *testing.T) {
	f := newFixture(t, map[string]string{"HIDDEN": tokenValue}, Config{})
	if err := f.vault.SetAccess("HIDDEN", vault.Global, vault.AccessDeny); err != nil {
		t.Fatal(err)
	}
	s := f.session("claude")
	ctx := context.Background()
	text := func(err error) string { return strings.ReplaceAll(err.Error(), "NOPE", "HIDDEN") }
	for _, op := range []struct {
		name string
		call func(name string) error
	}{
		{"get", func(n string) error { _, err := s.Get(ctx, n); return err }},
		{"run", func(n string) error {
			_, err := s.Run(ctx, RunRequest{Command: "true", Secrets: []string{n}})
			return err
		}},
		{"delete", func(n string) error { return s.Delete(ctx, n, "") }},
		{"delete in scope", func(n string) error { return s.Delete(ctx, n, vault.Global) }},
	} {
		hidden, missing := op.call("HIDDEN"), op.call("NOPE")
		if !errors.Is(hidden, ErrNotFound) || text(missing) != hidden.Error() {
			t.Errorf("%s: hidden %q, missing %q: want the same words", op.name, hidden, missing)
		}
	}
	if n := len(f.ui.requests()); n != 0 {
		t.Fatalf("%d dialogs for names the client may not see", n)
	}
}

// Replacing a value never changes the access level: storing over a deny
// secret from an AI client keeps it deny, and the dialog tells the human.
func TestSetOverDenySecretKeepsItHidden(t *testing.T) {
	f := newFixture(t, map[string]string{"HIDDEN": tokenValue}, Config{})
	if err := f.vault.SetAccess("HIDDEN", vault.Global, vault.AccessDeny); err != nil {
		t.Fatal(err)
	}
	f.ui.set(allow)
	f.ui.value = "replaced-value-123"
	if err := f.session("claude").Set(context.Background(), SetRequest{Name: "HIDDEN"}); err != nil {
		t.Fatal(err)
	}
	sec, err := f.vault.Find("HIDDEN", vault.Global)
	if err != nil || sec.Access != vault.AccessDeny {
		t.Fatalf("after set: %+v, %v; want access deny", sec, err)
	}
	if d := f.ui.requests()[0].Detail; !strings.Contains(d, "hidden from AI clients") {
		t.Fatalf("the dialog does not say the secret is hidden: %q", d)
	}
}

// Storing a new value keeps what the request leaves out (collection, tags,
// description, level); a value with a NUL byte is refused before it is
// stored, since no environment variable can carry it.
func TestSetNewValueKeepsMetadata(t *testing.T) {
	f := newFixture(t, nil, Config{})
	f.ui.set(allow)
	s := f.cliSession()
	ctx := context.Background()
	if err := s.Set(ctx, SetRequest{Name: "PROD_DB", Collection: "Ops", Tags: []string{"prod"}, Description: "main db",
		Access: "deny", Value: []byte("first-value-1")}); err != nil {
		t.Fatal(err)
	}
	if err := s.Set(ctx, SetRequest{Name: "PROD_DB", Value: []byte("rotated-value-2")}); err != nil {
		t.Fatal(err)
	}
	sec, err := f.vault.Find("PROD_DB", vault.Global)
	if err != nil || sec.Collection != "Ops" || len(sec.Tags) != 1 || sec.Description != "main db" || sec.Access != vault.AccessDeny {
		t.Fatalf("after a new value: %+v, %v", sec, err)
	}
	err = s.Set(ctx, SetRequest{Name: "BINARY", Value: []byte("abc\x00def-canary")})
	if !errors.Is(err, ErrInvalid) || strings.Contains(err.Error(), "canary") {
		t.Fatalf("a value with NUL: %v", err)
	}
	if _, err := f.vault.Find("BINARY", vault.Global); !errors.Is(err, vault.ErrNotFound) {
		t.Fatal("the value with NUL was stored")
	}
}

func (f *fixture) cliSession() *Session {
	s := f.agent.NewSession(Identity{Peer: Process{PID: os.Getpid()}}, SessionOptions{CLI: true})
	f.t.Cleanup(s.Close)
	return s
}

// A command that holds a value written out in full (one a reveal get gave
// the client, or the very value of a secret it runs with) is shown in the
// dialog and written to the audit trail with that value masked; it still
// runs as written.
func TestCommandValuesAreScrubbed(t *testing.T) {
	const public, token = "reveal-value-canary-111", "use-value-canary-222"
	f := newFixture(t, map[string]string{"PUB": public, "TOKEN": token}, Config{})
	if err := f.vault.SetAccess("PUB", vault.Global, vault.AccessReveal); err != nil {
		t.Fatal(err)
	}
	f.ui.set(allow)
	s := f.session("claude")
	ctx := context.Background()
	res, err := s.Get(ctx, "PUB")
	if err != nil {
		t.Fatal(err)
	}
	res.Value.Wipe()
	out, err := s.Run(ctx, RunRequest{Command: `test "$TOKEN" = "` + token + `" && echo "` + public + `"`})
	if err != nil || out.ExitCode != 0 {
		t.Fatalf("run: %+v, %v", out, err)
	}
	asked := f.ui.requests()
	if cmd := asked[len(asked)-1].Command; strings.Contains(cmd, "canary") || !strings.Contains(cmd, "[masked:PUB]") || !strings.Contains(cmd, "[masked:TOKEN]") {
		t.Fatalf("the dialog shows %q", cmd)
	}
	if strings.Contains(f.auditText(), "canary") {
		t.Fatalf("a value reached the audit trail:\n%s", f.auditText())
	}
}

// Each dialog says what allowing does: a get of a "use" secret warns that
// the command that spends the grant is not shown; a delete says the secret
// goes for good (it once showed the get's wording).
func TestDialogSaysWhatAllowingDoes(t *testing.T) {
	f := newFixture(t, map[string]string{"K": tokenValue}, Config{GrantTTL: 5 * time.Minute})
	s := f.session("c")
	f.ui.set(allow)
	ctx := context.Background()
	if _, err := s.Get(ctx, "K"); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, "K", ""); err != nil {
		t.Fatal(err)
	}
	asked := f.ui.requests()
	for i, want := range []string{"one command of its choice with it within 5 minutes, without asking you again or showing you that command",
		"removed for good"} {
		if !strings.Contains(asked[i].Detail, want) {
			t.Errorf("%s dialog detail %q, want it to say %q", asked[i].Kind, asked[i].Detail, want)
		}
	}
}
