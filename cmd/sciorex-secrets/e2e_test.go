package main

import (
	"context"
	"encoding/json"
	"os/exec"
	"sort"
	"strings"
	"testing"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

const canary = "ghp_CANARY_e2e_4f9a1c77d2"

// mcpClient connects the official Go SDK client to "sciorex-secrets mcp",
// exactly as an AI client would launch it.
func (w *world) mcpClient(ctx context.Context) *sdk.ClientSession {
	w.t.Helper()
	cmd := exec.Command(binPath, "mcp")
	cmd.Env = w.env
	cmd.Dir = w.dir
	client := sdk.NewClient(&sdk.Implementation{Name: "e2e-go-sdk", Version: "1.0"}, nil)
	cs, err := client.Connect(ctx, &sdk.CommandTransport{Command: cmd}, nil)
	if err != nil {
		w.t.Fatalf("connecting the MCP client: %v\n%s", err, w.agentLog())
	}
	w.t.Cleanup(func() { cs.Close() })
	return cs
}

// callTool calls a tool and returns its text and whether it was an error.
func (w *world) callTool(ctx context.Context, cs *sdk.ClientSession, name string, args map[string]any) (string, bool) {
	w.t.Helper()
	res, err := cs.CallTool(ctx, &sdk.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		w.t.Fatalf("%s: protocol error: %v\n%s", name, err, w.agentLog())
	}
	var b strings.Builder
	for _, c := range res.Content {
		if tc, ok := c.(*sdk.TextContent); ok {
			b.WriteString(tc.Text)
		}
	}
	raw, _ := json.Marshal(res)
	w.outputs = append(w.outputs, string(raw))
	return b.String(), res.IsError
}

func TestEndToEnd(t *testing.T) {
	w := newWorld(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	w.mustCLI(testPassword+"\n", "init", "--password-stdin")
	if _, errOut, code := w.cli(testPassword+"\n", "init", "--password-stdin"); code == 0 || !strings.Contains(errOut, "already exists") {
		t.Fatalf("a second init must refuse to overwrite: exit %d, %s", code, errOut)
	}
	w.startAgent()

	w.write("answer", "allow")
	w.mustCLI(canary+"\n", "set", "GITHUB_TOKEN", "--collection", "GitHub", "--tag", "ci", "--value-stdin")
	w.mustCLI("reveal-me-value-123\n", "set", "PUBLIC_ID", "--collection", "Misc", "--access", "reveal", "--value-stdin")
	w.write("answer", "deny")

	cs := w.mcpClient(ctx)

	t.Run("tools", func(t *testing.T) {
		res, err := cs.ListTools(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, tool := range res.Tools {
			names = append(names, tool.Name)
		}
		sort.Strings(names)
		want := "sciorex_delete_secret sciorex_get_secret sciorex_list_secrets sciorex_run sciorex_set_secret"
		if got := strings.Join(names, " "); got != want {
			t.Fatalf("tools = %s, want %s", got, want)
		}
	})

	t.Run("list", func(t *testing.T) {
		text, isErr := w.callTool(ctx, cs, "sciorex_list_secrets", map[string]any{})
		if isErr || !strings.Contains(text, "GITHUB_TOKEN") || !strings.Contains(text, "GitHub") {
			t.Fatalf("list: %v %s", isErr, text)
		}
		text, _ = w.callTool(ctx, cs, "sciorex_list_secrets", map[string]any{"collection": "Misc"})
		if strings.Contains(text, "GITHUB_TOKEN") || !strings.Contains(text, "PUBLIC_ID") {
			t.Fatalf("list --collection Misc: %s", text)
		}
		text, _ = w.callTool(ctx, cs, "sciorex_list_secrets", map[string]any{"search": "github"})
		if !strings.Contains(text, "GITHUB_TOKEN") || strings.Contains(text, "PUBLIC_ID") {
			t.Fatalf("list search github: %s", text)
		}
	})

	t.Run("get denied", func(t *testing.T) {
		w.write("answer", "deny")
		text, isErr := w.callTool(ctx, cs, "sciorex_get_secret", map[string]any{"key": "GITHUB_TOKEN"})
		if !isErr || !strings.Contains(text, "denied") {
			t.Fatalf("denied get: isError=%v %s", isErr, text)
		}
		if !strings.Contains(w.read("askpass.log"), "confirm|GITHUB_TOKEN|e2e-go-sdk") {
			t.Fatalf("the approval did not name the secret and the agent:\n%s", w.read("askpass.log"))
		}
	})

	t.Run("get approved then run with the grant", func(t *testing.T) {
		w.write("answer", "allow")
		text, isErr := w.callTool(ctx, cs, "sciorex_get_secret", map[string]any{"key": "GITHUB_TOKEN"})
		if isErr || !strings.Contains(text, "$GITHUB_TOKEN") {
			t.Fatalf("approved get: isError=%v %s", isErr, text)
		}
		w.write("answer", "deny") // the grant must make a dialog unnecessary
		text, isErr = w.callTool(ctx, cs, "sciorex_run", map[string]any{
			"command": `printf 'token=%s\n' "$GITHUB_TOKEN"; echo done`,
		})
		if isErr || !strings.Contains(text, "[masked:GITHUB_TOKEN]") || !strings.Contains(text, "done") {
			t.Fatalf("run with grant: isError=%v %s", isErr, text)
		}
		// The grant was single-use: the same run now needs approval, and is denied.
		text, isErr = w.callTool(ctx, cs, "sciorex_run", map[string]any{"command": `echo "$GITHUB_TOKEN"`})
		if !isErr || !strings.Contains(text, "denied") {
			t.Fatalf("second run must be denied: isError=%v %s", isErr, text)
		}
	})

	t.Run("run approved shows the command", func(t *testing.T) {
		w.write("answer", "allow")
		text, isErr := w.callTool(ctx, cs, "sciorex_run", map[string]any{
			"command": `echo "$GITHUB_TOKEN" | base64; exit 3`,
		})
		if isErr || strings.Contains(text, canary) || !strings.Contains(text, `"exit_code": 3`) && !strings.Contains(text, `"exit_code":3`) {
			t.Fatalf("approved run: isError=%v %s", isErr, text)
		}
		if !strings.Contains(w.read("askpass.log"), `echo "$GITHUB_TOKEN" | base64; exit 3`) {
			t.Fatalf("the approval did not show the command:\n%s", w.read("askpass.log"))
		}
	})

	t.Run("reveal", func(t *testing.T) {
		w.write("answer", "allow")
		text, isErr := w.callTool(ctx, cs, "sciorex_get_secret", map[string]any{"key": "PUBLIC_ID"})
		if isErr || !strings.Contains(text, "reveal-me-value-123") {
			t.Fatalf("reveal get: isError=%v %s", isErr, text)
		}
	})

	t.Run("set and delete", func(t *testing.T) {
		w.write("answer", "allow")
		w.write("value", "typed-into-the-dialog-42")
		text, isErr := w.callTool(ctx, cs, "sciorex_set_secret", map[string]any{"key": "NEW_KEY", "collection": "Scratch", "tags": []string{"tmp"}})
		if isErr {
			t.Fatalf("set: %s", text)
		}
		if out := w.mustCLI("", "list", "--json"); !strings.Contains(out, "NEW_KEY") || strings.Contains(out, "typed-into-the-dialog-42") {
			t.Fatalf("list after set: %s", out)
		}
		text, isErr = w.callTool(ctx, cs, "sciorex_delete_secret", map[string]any{"key": "NEW_KEY"})
		if isErr {
			t.Fatalf("delete: %s", text)
		}
		if out := w.mustCLI("", "list"); strings.Contains(out, "NEW_KEY") {
			t.Fatalf("NEW_KEY still listed after delete: %s", out)
		}
	})

	t.Run("cli run masks", func(t *testing.T) {
		w.write("answer", "allow")
		out, errOut, code := w.cli("", "run", "--secret", "GITHUB_TOKEN", "--", "sh", "-c", `echo "got $GITHUB_TOKEN"; exit 7`)
		if code != 7 || !strings.Contains(out, "got [masked:GITHUB_TOKEN]") {
			t.Fatalf("cli run: exit %d\n%s\n%s", code, out, errOut)
		}
		if !strings.Contains(w.read("data/vault.audit.jsonl"), `"exit_code":7`) {
			t.Fatal("the end of the CLI run is not in the audit trail")
		}
	})

	t.Run("lock", func(t *testing.T) {
		w.mustCLI("", "lock")
		text, isErr := w.callTool(ctx, cs, "sciorex_list_secrets", map[string]any{})
		if !isErr || !strings.Contains(text, "vault is locked") {
			t.Fatalf("list while locked: %v %s", isErr, text)
		}
		if _, _, code := w.cli("", "list"); code != exitLocked {
			t.Fatalf("cli list while locked: exit %d, want %d", code, exitLocked)
		}
		w.mustCLI(testPassword+"\n", "unlock", "--password-stdin")
	})

	cs.Close()
	w.stopAgent()

	audit := w.read("data/vault.audit.jsonl")
	for _, event := range []string{`"request"`, `"approve"`, `"deny"`, `"run_start"`, `"run_end"`, `"set"`, `"delete"`, `"lock"`, `"unlock"`} {
		if !strings.Contains(audit, `"event":`+event) {
			t.Errorf("audit trail has no %s event", event)
		}
	}
	out := w.mustCLI(testPassword+"\n", "audit", "verify", "--password-stdin")
	if !strings.Contains(out, "intact") {
		t.Errorf("audit verify: %s", out)
	}
	w.assertNoCanary(canary)
}

// A client that launches the bridge before the agent runs gets an answer
// it can show: the handshake succeeds and a tool call says how to start the
// agent. The bridge exits 5 (agent not running) when the client leaves.
func TestBridgeWithoutAgent(t *testing.T) {
	w := newWorld(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.Command(binPath, "mcp")
	cmd.Env, cmd.Dir = w.env, w.dir
	var stderr strings.Builder
	cmd.Stderr = &stderr
	client := sdk.NewClient(&sdk.Implementation{Name: "e2e-go-sdk", Version: "1.0"}, nil)
	cs, err := client.Connect(ctx, &sdk.CommandTransport{Command: cmd}, nil)
	if err != nil {
		t.Fatalf("the handshake failed without an agent: %v", err)
	}
	text, isErr := w.callTool(ctx, cs, "sciorex_list_secrets", nil)
	if !isErr || !strings.Contains(text, "agent is not running") {
		t.Errorf("list without an agent = %v %q", isErr, text)
	}
	cs.Close()
	if code := cmd.ProcessState.ExitCode(); code != exitNoAgent {
		t.Errorf("bridge exit %d, want %d", code, exitNoAgent)
	}
	if !strings.Contains(stderr.String(), "agent is not running") {
		t.Errorf("stderr = %q, want the reason for the client's log", stderr.String())
	}
}
