package session

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sciorex/sciorex-secrets/vault"
)

const tokenValue = "ghp_session_test_value_1234"

func TestGetUseGivesOneSingleUseGrant(t *testing.T) {
	f := newFixture(t, map[string]string{"GITHUB_TOKEN": tokenValue}, Config{})
	s := f.session("claude-code")
	ctx := context.Background()

	f.ui.set(allow)
	res, err := s.Get(ctx, "GITHUB_TOKEN")
	if err != nil {
		t.Fatal(err)
	}
	if res.Ref != "$GITHUB_TOKEN" || res.Value != nil {
		t.Fatalf("get of a use secret = %+v, want a reference and no value", res)
	}
	f.ui.set(deny) // the grant must make the next run need no dialog
	out, err := s.Run(ctx, RunRequest{Command: `printf '%s' "$GITHUB_TOKEN"`})
	if err != nil {
		t.Fatal(err)
	}
	if out.Stdout != "[masked:GITHUB_TOKEN]" || out.Masked != 1 {
		t.Fatalf("run output = %+v", out)
	}
	if n := len(f.ui.requests()); n != 1 {
		t.Fatalf("%d dialogs, want 1 (the get)", n)
	}
	if _, err := s.Run(ctx, RunRequest{Command: `echo "$GITHUB_TOKEN"`}); !errors.Is(err, ErrDenied) {
		t.Fatalf("second run with the grant used up: %v, want ErrDenied", err)
	}
	req := f.ui.requests()[1]
	if req.Kind != KindRun || req.Command != `echo "$GITHUB_TOKEN"` || req.Agent.Claimed != "claude-code" {
		t.Fatalf("run dialog = %+v", req)
	}
}

func TestGetRevealReturnsTheValue(t *testing.T) {
	f := newFixture(t, map[string]string{"PUBLIC": tokenValue}, Config{})
	if err := f.vault.SetAccess("PUBLIC", vault.Global, vault.AccessReveal); err != nil {
		t.Fatal(err)
	}
	f.ui.set(allow)
	res, err := f.session("c").Get(context.Background(), "PUBLIC")
	if err != nil {
		t.Fatal(err)
	}
	if string(res.Value.Bytes()) != tokenValue {
		t.Fatalf("reveal get returned %d bytes", res.Value.Len())
	}
	if fmt.Sprint(res) == "" || strings.Contains(fmt.Sprintf("%v %+v", res, res), tokenValue) {
		t.Fatal("a GetResult printed its value")
	}
}

func TestDenySecretsAreInvisible(t *testing.T) {
	f := newFixture(t, map[string]string{"HIDDEN": tokenValue, "SHOWN": tokenValue}, Config{})
	if err := f.vault.SetAccess("HIDDEN", vault.Global, vault.AccessDeny); err != nil {
		t.Fatal(err)
	}
	s := f.session("c")
	list, err := s.List(context.Background(), ListRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Name != "SHOWN" {
		t.Fatalf("list = %+v, want SHOWN only", list)
	}
	f.ui.set(allow)
	for _, op := range []func() error{
		func() error { _, err := s.Get(context.Background(), "HIDDEN"); return err },
		func() error {
			_, err := s.Run(context.Background(), RunRequest{Command: "true", Secrets: []string{"HIDDEN"}})
			return err
		},
	} {
		if err := op(); !errors.Is(err, ErrNotFound) {
			t.Fatalf("got %v, want ErrNotFound", err)
		}
	}
	if n := len(f.ui.requests()); n != 0 {
		t.Fatalf("%d dialogs for a deny secret, want none", n)
	}
}

func TestOutcomes(t *testing.T) {
	tests := []struct {
		name   string
		decide func(context.Context, Request) (bool, error)
		cancel bool
		want   error
		event  string
	}{
		{"allow", allow, false, nil, "approve"},
		{"deny", deny, false, ErrDenied, "deny"},
		{"dialog error", func(context.Context, Request) (bool, error) { return true, errors.New("zenity crashed") }, false, ErrDenied, "deny"},
		{"no approver", func(context.Context, Request) (bool, error) { return false, ErrNoApprover }, false, ErrNoApprover, "deny"},
		{"timeout", hang, false, ErrTimeout, "timeout"},
		{"cancelled", hang, true, ErrCanceled, "cancel"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, map[string]string{"K": tokenValue}, Config{ApprovalTimeout: 100 * time.Millisecond})
			f.ui.set(tt.decide)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tt.cancel {
				f.agent.cfg.ApprovalTimeout = time.Hour
				go func() {
					waitFor(t, "the dialog", func() bool { return len(f.ui.requests()) == 1 })
					cancel()
				}()
			}
			_, err := f.session("c").Get(ctx, "K")
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if ev := f.events(); ev[len(ev)-2] != tt.event && ev[len(ev)-1] != tt.event {
				t.Fatalf("audit events %v, want %s near the end", ev, tt.event)
			}
		})
	}
}

// TestCaseR3 is the session half of R3: a request cancelled while its
// dialog is open withdraws the dialog, a late Allow releases nothing, and
// the next request works.
func TestCaseR3(t *testing.T) {
	f := newFixture(t, map[string]string{"K": tokenValue}, Config{})
	s := f.session("c")
	f.ui.set(hang)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error)
	go func() { _, err := s.Get(ctx, "K"); errc <- err }()
	waitFor(t, "the dialog", func() bool { return len(f.ui.requests()) == 1 })
	cancel()
	if err := <-errc; !errors.Is(err, ErrCanceled) {
		t.Fatalf("cancelled get: %v", err)
	}
	f.ui.set(deny)
	if _, err := s.Run(context.Background(), RunRequest{Command: "true", Secrets: []string{"K"}}); !errors.Is(err, ErrDenied) {
		t.Fatalf("the late Allow left a grant behind: run err = %v", err)
	}
	f.ui.set(allow)
	if _, err := s.Get(context.Background(), "K"); err != nil {
		t.Fatalf("the next request: %v", err)
	}
}

func TestGrantDiesWithSessionAndLock(t *testing.T) {
	for _, end := range []string{"close", "lock"} {
		t.Run(end, func(t *testing.T) {
			f := newFixture(t, map[string]string{"K": tokenValue}, Config{})
			s := f.session("c")
			f.ui.set(allow)
			if _, err := s.Get(context.Background(), "K"); err != nil {
				t.Fatal(err)
			}
			if end == "close" {
				s.Close()
			} else if err := f.agent.Lock(); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(f.auditText(), `"event":"release"`) {
				t.Fatalf("no release recorded:\n%s", f.auditText())
			}
			if end == "lock" {
				if err := f.agent.UnlockWithPassword([]byte(testPassword)); err != nil {
					t.Fatal(err)
				}
			}
			f.ui.set(deny)
			s2 := s
			if end == "close" {
				s2 = f.session("c")
			}
			if _, err := s2.Run(context.Background(), RunRequest{Command: "true", Secrets: []string{"K"}}); !errors.Is(err, ErrDenied) {
				t.Fatalf("grant survived %s: %v", end, err)
			}
		})
	}
}

func TestGrantExpires(t *testing.T) {
	f := newFixture(t, map[string]string{"K": tokenValue}, Config{GrantTTL: 20 * time.Millisecond})
	s := f.session("c")
	f.ui.set(allow)
	if _, err := s.Get(context.Background(), "K"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the grant to expire", func() bool { return strings.Contains(f.auditText(), "grant expired") })
	f.ui.set(deny)
	if _, err := s.Run(context.Background(), RunRequest{Command: "true", Secrets: []string{"K"}}); !errors.Is(err, ErrDenied) {
		t.Fatalf("expired grant still used: %v", err)
	}
}

func TestLockWithdrawsPendingDialogs(t *testing.T) {
	f := newFixture(t, map[string]string{"K": tokenValue}, Config{})
	f.ui.set(hang)
	errc := make(chan error)
	go func() { _, err := f.session("c").Get(context.Background(), "K"); errc <- err }()
	waitFor(t, "the dialog", func() bool { return len(f.ui.requests()) == 1 })
	if err := f.agent.Lock(); err != nil {
		t.Fatal(err)
	}
	if err := <-errc; !errors.Is(err, ErrLocked) {
		t.Fatalf("pending get after lock: %v", err)
	}
	if _, err := f.session("c").List(context.Background(), ListRequest{}); !errors.Is(err, ErrLocked) {
		t.Fatalf("list after lock: %v", err)
	}
}

// TestCaseB12: two agents ask at once; one dialog at a time, and each
// answer goes to the request its dialog showed.
func TestCaseB12(t *testing.T) {
	f := newFixture(t, map[string]string{"DB_PASS": tokenValue, "AWS_KEY": tokenValue}, Config{})
	f.ui.set(func(ctx context.Context, r Request) (bool, error) {
		time.Sleep(20 * time.Millisecond)
		return r.Secrets[0] == "DB_PASS" && r.Agent.Claimed == "agent1", nil
	})
	var wg sync.WaitGroup
	errs := make(map[string]error)
	var mu sync.Mutex
	for agent, name := range map[string]string{"agent1": "DB_PASS", "agent2": "AWS_KEY"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := f.session(agent).Get(context.Background(), name)
			mu.Lock()
			errs[name] = err
			mu.Unlock()
		}()
	}
	wg.Wait()
	if errs["DB_PASS"] != nil || !errors.Is(errs["AWS_KEY"], ErrDenied) {
		t.Fatalf("answers crossed: %v", errs)
	}
	if f.ui.maxOn != 1 {
		t.Fatalf("%d dialogs on screen at once, want 1", f.ui.maxOn)
	}
	ids := map[uint64]bool{}
	for _, r := range f.ui.requests() {
		ids[r.ID] = true
	}
	if len(ids) != 2 {
		t.Fatalf("request numbers not distinct: %v", f.ui.requests())
	}
}

// TestCaseB11: a flood of requests opens one dialog at a time, identical
// requests share a decision, and repeated denials start a cool-down in
// which requests are refused without a dialog.
func TestCaseB11(t *testing.T) {
	f := newFixture(t, map[string]string{"K": tokenValue}, Config{})
	f.ui.set(func(ctx context.Context, r Request) (bool, error) {
		time.Sleep(50 * time.Millisecond)
		return false, nil
	})
	s := f.session("flooder")
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() { defer wg.Done(); _, _ = s.Get(context.Background(), "K") }()
	}
	wg.Wait()
	if n := len(f.ui.requests()); n > 4 {
		t.Fatalf("50 identical requests opened %d dialogs", n)
	}
	for i := range 5 {
		_, _ = s.Get(context.Background(), fmt.Sprintf("K%d", i)) // not found: no dialog
		_, _ = s.Get(context.Background(), "K")
	}
	before := len(f.ui.requests())
	_, err := s.Get(context.Background(), "K")
	if !errors.Is(err, ErrRateLimited) {
		t.Fatalf("after repeated denials: %v, want ErrRateLimited", err)
	}
	if len(f.ui.requests()) != before {
		t.Fatal("a rate-limited request opened a dialog")
	}
	if st := f.agent.Status(); len(st.RateLimited) != 1 {
		t.Fatalf("status does not show the rate-limited agent: %+v", st)
	}
	if !strings.Contains(f.auditText(), `"event":"rate_limited"`) {
		t.Fatal("rate limit not audited")
	}
}

func TestAuditFailureDenies(t *testing.T) {
	f := newFixture(t, map[string]string{"K": tokenValue}, Config{})
	f.ui.set(allow)
	if err := os.Remove(filepath.Join(f.dir, "audit.jsonl")); err != nil {
		t.Fatal(err)
	}
	if _, err := f.session("c").Get(context.Background(), "K"); !errors.Is(err, ErrAudit) {
		t.Fatalf("get with a broken audit trail: %v, want ErrAudit", err)
	}
	if len(f.ui.requests()) != 0 {
		t.Fatal("a dialog was shown although the request could not be recorded")
	}
	if len(f.ui.notices) == 0 {
		t.Fatal("the user was not told")
	}
}

// TestCaseB05: errors name the key and the broken rule, never the value.
func TestCaseB05(t *testing.T) {
	const value = "hunter2-CANARY"
	f := newFixture(t, map[string]string{"OK_NAME": tokenValue}, Config{})
	f.ui.set(allow)
	s := f.agent.NewSession(Identity{}, SessionOptions{CLI: true})
	defer s.Close()
	big := strings.Repeat("x", MaxValueSize) + value
	for _, r := range []SetRequest{
		{Name: "bad\nname", Value: []byte(value)},
		{Name: "1TOKEN", Value: []byte(value)},
		{Name: "TOO_BIG", Value: []byte(big)},
	} {
		err := s.Set(context.Background(), r)
		if err == nil || !errors.Is(err, ErrInvalid) {
			t.Fatalf("set %q: %v, want ErrInvalid", r.Name, err)
		}
		if strings.Contains(err.Error(), "CANARY") {
			t.Fatalf("error carries the value: %v", err)
		}
	}
	if strings.Contains(f.auditText(), "CANARY") {
		t.Fatal("audit trail carries the value")
	}
}

func TestSetAsksForTheValue(t *testing.T) {
	f := newFixture(t, nil, Config{})
	f.ui.set(allow)
	f.ui.value = "typed-in-a-dialog"
	s := f.session("c")
	if err := s.Set(context.Background(), SetRequest{Name: "NEW", Collection: "Work", Tags: []string{"a"}}); err != nil {
		t.Fatal(err)
	}
	sec, err := f.vault.Resolve("NEW", "")
	if err != nil {
		t.Fatal(err)
	}
	val, _ := f.vault.Reveal(sec.ID)
	if string(val.Bytes()) != "typed-in-a-dialog" || sec.Collection != "Work" {
		t.Fatalf("stored %+v", sec)
	}
	if r := f.ui.requests()[0]; r.Kind != KindSet || r.Secrets[0] != "NEW" {
		t.Fatalf("confirmation = %+v", r)
	}
}

func TestLastAccessedIsShownAtOnceAndSavedAtLock(t *testing.T) {
	f := newFixture(t, map[string]string{"K": tokenValue}, Config{})
	s := f.session("c")
	f.ui.set(allow)
	if _, err := s.Get(context.Background(), "K"); err != nil {
		t.Fatal(err)
	}
	list, _ := s.List(context.Background(), ListRequest{})
	if list[0].LastAccessed == nil {
		t.Fatal("last accessed not shown after a get")
	}
	if err := f.agent.Lock(); err != nil {
		t.Fatal(err)
	}
	if err := f.agent.UnlockWithPassword([]byte(testPassword)); err != nil {
		t.Fatal(err)
	}
	sec, _ := f.vault.Resolve("K", "")
	if sec.LastAccessed.IsZero() {
		t.Fatal("last accessed not written to the vault at lock")
	}
}

// A secret deleted after its use must not cost the other secrets of the
// same batch their last-accessed times (they were dropped with it once).
// The clock stands still, so that both uses land in one batch.
func TestLastAccessedSurvivesADeleteInTheBatch(t *testing.T) {
	at := time.Date(2026, 12, 4, 6, 0, 0, 0, time.UTC)
	f := newFixture(t, map[string]string{"KEEP": tokenValue, "GONE": tokenValue + "-2"},
		Config{Now: func() time.Time { return at }})
	s := f.session("c")
	f.ui.set(allow)
	ctx := context.Background()
	for _, name := range []string{"KEEP", "GONE"} {
		if _, err := s.Get(ctx, name); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Delete(ctx, "GONE", ""); err != nil {
		t.Fatal(err)
	}
	f.agent.flushTouches()
	sec, _ := f.vault.Resolve("KEEP", "")
	if !sec.LastAccessed.Equal(at) {
		t.Fatalf("KEEP last accessed %v, want %v: dropped with the deleted secret's", sec.LastAccessed, at)
	}
}

func TestRunOutputIsCapped(t *testing.T) {
	f := newFixture(t, map[string]string{"K": tokenValue}, Config{})
	f.ui.set(allow)
	out, err := f.session("c").Run(context.Background(), RunRequest{
		Command: `head -c 3000000 /dev/zero | tr '\0' x; printf '%s' "$K"`, Secrets: []string{"K"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Stdout) != MaxRunOutput || !out.Truncated || len(out.Warnings) == 0 {
		t.Fatalf("stdout %d bytes, truncated %v, warnings %v", len(out.Stdout), out.Truncated, out.Warnings)
	}
}

func TestRunTimeoutKillsTheProcessGroup(t *testing.T) {
	f := newFixture(t, map[string]string{"K": tokenValue}, Config{})
	f.ui.set(allow)
	out, err := f.session("c").Run(context.Background(), RunRequest{
		Command: `sleep 30 & sleep 30; echo never`, Secrets: []string{"K"}, Timeout: 200 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	if !out.TimedOut || strings.Contains(out.Stdout, "never") {
		t.Fatalf("run after timeout = %+v", out)
	}
}
