package mcp

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sciorex/sciorex-secrets/session"
)

func dialClient(t *testing.T, ts *testServer, project string) *Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c, err := Dial(ctx, ts.path, project)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestClientControlMethods(t *testing.T) {
	ts := startServer(t)
	c := dialClient(t, ts, "/work/p")
	ctx := context.Background()

	st, err := c.Status(ctx)
	if err != nil || st.Locked || st.Vault != "/fake/vault" {
		t.Fatalf("Status = %+v, %v", st, err)
	}
	list, err := c.List(ctx, session.ListRequest{Collection: "github"})
	if err != nil || len(list) != 1 || list[0].Name != "GITHUB_TOKEN" {
		t.Fatalf("List = %+v, %v", list, err)
	}
	if err := c.Set(ctx, session.SetRequest{Name: "CLI_SET", Collection: "c", Value: []byte("from-stdin\x00\xff")}); err != nil {
		t.Fatalf("Set: %v", err)
	}
	if got := ts.backend.value("CLI_SET"); got != "from-stdin\x00\xff" {
		t.Errorf("stored %q, want the bytes sent", got)
	}
	secrets, err := c.Release(ctx, []string{"CLI_SET", "NPM_TOKEN"}, "make deploy")
	if err != nil || len(secrets) != 2 {
		t.Fatalf("Release = %v, %v", secrets, err)
	}
	if string(secrets[0].Value.Bytes()) != "from-stdin\x00\xff" || secrets[1].EnvName != "NPM_TOKEN" ||
		string(secrets[1].Value.Bytes()) != ts.backend.value("NPM_TOKEN") {
		t.Errorf("released values do not round-trip")
	}
	n, err := c.SetAccess(ctx, session.AccessRequest{Level: "deny", Collection: "c"})
	if err != nil || n != 2 {
		t.Errorf("SetAccess = %d, %v", n, err)
	}
	if err := c.Delete(ctx, "CLI_SET", ""); err != nil {
		t.Errorf("Delete: %v", err)
	}
	err = c.Delete(ctx, "CLI_SET", "")
	if !errors.Is(err, session.ErrNotFound) {
		t.Errorf("second Delete = %v, want ErrNotFound", err)
	}
	var re *RemoteError
	if !errors.As(err, &re) || re.Kind != "not_found" || re.Hint == "" {
		t.Errorf("remote error = %#v, want kind not_found with a hint", err)
	}
	if err := c.Lock(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c.List(ctx, session.ListRequest{}); !errors.Is(err, session.ErrLocked) {
		t.Errorf("List while locked = %v, want ErrLocked", err)
	}
	if err := c.Unlock(ctx, []byte(`wrong "pw" \ é`)); !errors.Is(err, session.ErrDenied) {
		t.Errorf("Unlock wrong = %v, want ErrDenied", err)
	}
	if err := c.Unlock(ctx, []byte("correct horse")); err != nil {
		t.Errorf("Unlock: %v", err)
	}
	if got := ts.backend.passwords(); len(got) != 2 || got[0] != `wrong "pw" \ é` {
		t.Errorf("passwords seen by the backend = %q", got)
	}
	if err := c.Unlock(ctx, nil); !errors.Is(err, session.ErrNoApprover) {
		t.Errorf("Unlock with dialog = %v, want the backend's ErrNoApprover", err)
	}
	if err := c.Call(ctx, "sciorex/nope", nil, nil); err == nil || !strings.Contains(err.Error(), "method not found") {
		t.Errorf("unknown method = %v", err)
	}
	if err := c.Call(ctx, "tools/list", nil, nil); err == nil {
		t.Error("a CLI session may not call MCP methods")
	}
	s := ts.backend.session(0)
	if !s.opts.CLI {
		t.Error("session not created with CLI: true")
	}
	if _, project, _ := s.snapshot(); project != "/work/p" {
		t.Errorf("project = %q", project)
	}
	if logs := ts.logs.all(); strings.Contains(logs, "horse") || strings.Contains(logs, "from-stdin") || strings.Contains(logs, "canary") {
		t.Errorf("a secret reached the log:\n%s", logs)
	}
}

func TestDialAgentNotRunning(t *testing.T) {
	dir, _ := mkShortTemp(t)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err := Dial(ctx, dir+"/none.sock", "")
	if !errors.Is(err, ErrAgentNotRunning) {
		t.Fatalf("Dial = %v, want ErrAgentNotRunning", err)
	}
	err = Bridge(ctx, dir+"/none.sock", "", strings.NewReader(""), &strings.Builder{})
	if !errors.Is(err, ErrAgentNotRunning) {
		t.Fatalf("Bridge = %v, want ErrAgentNotRunning", err)
	}
}

// The client retries while the agent starts.
func TestDialWaitsForAgent(t *testing.T) {
	dir, _ := mkShortTemp(t)
	path := dir + "/s/agent.sock"
	started := make(chan struct{})
	go func() {
		time.Sleep(300 * time.Millisecond)
		ln, err := Listen(path)
		if err != nil {
			t.Error(err)
			close(started)
			return
		}
		srv := NewServer(newFakeBackend(), Options{})
		ctx, cancel := context.WithCancel(context.Background())
		t.Cleanup(cancel)
		close(started)
		go srv.Serve(ctx, ln)
	}()
	c, err := Dial(context.Background(), path, "")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	<-started
	if _, err := c.Status(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// A program that says it is the command line but is not the agent's own
// program (an AI agent speaking the protocol itself) is refused before it
// can list "deny" secrets or have values released; the refusal is
// reported, and an MCP session from the same program still works.
func TestCLIHelloFromAnotherProgramRefused(t *testing.T) {
	refused := make(chan string, 4)
	ts := startServer(t, func(s *Server) {
		s.backend.(*fakeBackend).notCLI = true
		s.opts.OnRefused = func(_ session.PeerCred, reason string) { refused <- reason }
	})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c, err := Dial(ctx, ts.path, "")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = c.List(ctx, session.ListRequest{})
	var re *RemoteError
	if !errors.As(err, &re) || !strings.Contains(re.Message, "only the sciorex-secrets program that runs the agent") {
		t.Fatalf("List from another program = %v, want the refusal", err)
	}
	if _, err := c.Release(ctx, []string{"NPM_TOKEN"}, "true"); err == nil {
		t.Fatal("Release after the refusal worked")
	}
	select {
	case reason := <-refused:
		if !strings.Contains(reason, "another program") {
			t.Errorf("refusal reported as %q", reason)
		}
	case <-ctx.Done():
		t.Fatal("the refusal was not reported")
	}
	cs := connectSDK(t, ts, true, "")
	if _, err := cs.ListTools(ctx, nil); err != nil {
		t.Fatalf("an MCP session from the same program: %v", err)
	}
}

// A brief listing (the CLI's table) leaves out what the table does not
// show; a full one (list --json) keeps every field.
func TestControlListBrief(t *testing.T) {
	ts := startServer(t)
	c := dialClient(t, ts, "/work/p")
	for _, tc := range []struct {
		brief   bool
		present bool
	}{{false, true}, {true, false}} {
		var list []map[string]any
		params := map[string]any{"collection": "github", "brief": tc.brief}
		if err := c.Call(context.Background(), "sciorex/list", params, &list); err != nil || len(list) != 1 {
			t.Fatalf("brief=%v: %v, %v", tc.brief, list, err)
		}
		for _, key := range []string{"description", "created", "updated"} {
			if _, ok := list[0][key]; ok != tc.present {
				t.Errorf("brief=%v: %q present = %v, want %v", tc.brief, key, ok, tc.present)
			}
		}
		for _, key := range []string{"name", "env", "collection", "tags", "scope", "access", "last_accessed"} {
			if _, ok := list[0][key]; !ok {
				t.Errorf("brief=%v: %q missing", tc.brief, key)
			}
		}
	}
}

// sciorex/audit_verify: the agent's report, ErrTampered with the first bad
// record, ErrLocked while locked.
func TestControlAuditVerify(t *testing.T) {
	ts := startServer(t)
	c := dialClient(t, ts, "/work/p")
	ctx := context.Background()
	var rep session.AuditReport
	if err := c.Call(ctx, "sciorex/audit_verify", nil, &rep); err != nil || rep.Records != 7 || rep.Checkpoint != 5 {
		t.Fatalf("intact: %+v, %v", rep, err)
	}
	ts.backend.mu.Lock()
	ts.backend.tampered = true
	ts.backend.mu.Unlock()
	err := c.Call(ctx, "sciorex/audit_verify", nil, &rep)
	if !errors.Is(err, session.ErrTampered) || !strings.Contains(err.Error(), "record 3") {
		t.Fatalf("tampered: %v", err)
	}
	if err := c.Lock(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c.Call(ctx, "sciorex/audit_verify", nil, &rep); !errors.Is(err, session.ErrLocked) {
		t.Fatalf("locked: %v", err)
	}
}
