package mcp

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

// connectSDK connects the official Go SDK client, a real third-party MCP
// client, to the server: directly over the socket, or through Bridge on pipes.
func connectSDK(t *testing.T, ts *testServer, viaBridge bool, protocol string) *sdk.ClientSession {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	var tr sdk.Transport
	if viaBridge {
		inR, inW := io.Pipe()
		outR, outW := io.Pipe()
		done := make(chan error, 1)
		go func() {
			done <- Bridge(context.Background(), ts.path, "/work/project", inR, outW)
			outW.Close()
		}()
		t.Cleanup(func() {
			inW.Close()
			if err := <-done; err != nil {
				t.Errorf("Bridge: %v", err)
			}
		})
		tr = &sdk.IOTransport{Reader: outR, Writer: inW}
	} else {
		nc, err := net.Dial("unix", ts.path)
		if err != nil {
			t.Fatal(err)
		}
		tr = &sdk.IOTransport{Reader: nc, Writer: nc}
	}
	client := sdk.NewClient(&sdk.Implementation{Name: "sdk-test-client", Version: "9.9"}, nil)
	cs, err := client.Connect(ctx, tr, &sdk.ClientSessionOptions{ProtocolVersion: protocol})
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { cs.Close() })
	return cs
}

func callTool(t *testing.T, cs *sdk.ClientSession, name string, args map[string]any) (*sdk.CallToolResult, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	res, err := cs.CallTool(ctx, &sdk.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var text strings.Builder
	for _, c := range res.Content {
		if tc, ok := c.(*sdk.TextContent); ok {
			text.WriteString(tc.Text)
		}
	}
	return res, text.String()
}

func TestSDKToolsList(t *testing.T) {
	ts := startServer(t)
	for _, tc := range []struct {
		name     string
		bridge   bool
		protocol string
	}{
		{"socket/legacy", false, "2025-11-25"},
		{"bridge/legacy", true, "2025-11-25"},
		{"bridge/latest", true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cs := connectSDK(t, ts, tc.bridge, tc.protocol)
			res, err := cs.ListTools(context.Background(), nil)
			if err != nil {
				t.Fatal(err)
			}
			type want struct {
				params                                       string // sorted "name" / "name*" for required
				readOnly, destructive, idempotent, openWorld bool
			}
			wants := map[string]want{
				"sciorex_list_secrets":  {"collection search", true, false, true, false},
				"sciorex_get_secret":    {"key*", false, false, false, false},
				"sciorex_set_secret":    {"collection key* tags", false, true, false, false},
				"sciorex_delete_secret": {"key*", false, true, false, false},
				"sciorex_run":           {"command* cwd secrets timeout_seconds", false, true, false, true},
			}
			if len(res.Tools) != len(wants) {
				t.Fatalf("got %d tools, want %d", len(res.Tools), len(wants))
			}
			for _, tool := range res.Tools {
				w, ok := wants[tool.Name]
				if !ok {
					t.Fatalf("unexpected tool %q", tool.Name)
				}
				if got := schemaParams(t, tool.InputSchema); got != w.params {
					t.Errorf("%s params = %q, want %q", tool.Name, got, w.params)
				}
				a := tool.Annotations
				if a == nil || a.DestructiveHint == nil || a.OpenWorldHint == nil {
					t.Fatalf("%s: annotations not all set: %+v", tool.Name, a)
				}
				if a.ReadOnlyHint != w.readOnly || *a.DestructiveHint != w.destructive || a.IdempotentHint != w.idempotent || *a.OpenWorldHint != w.openWorld {
					t.Errorf("%s annotations = ro %v d %v i %v ow %v, want %+v", tool.Name,
						a.ReadOnlyHint, *a.DestructiveHint, a.IdempotentHint, *a.OpenWorldHint, w)
				}
				if tool.Description == "" {
					t.Errorf("%s has no description", tool.Name)
				}
			}
		})
	}
}

// A 2026-07-28 client sends no initialize: its name comes from each
// request's _meta.
func TestSDKClaimedNameModern(t *testing.T) {
	ts := startServer(t)
	cs := connectSDK(t, ts, false, "")
	callTool(t, cs, "sciorex_list_secrets", nil)
	if claimed, _, _ := ts.backend.session(0).snapshot(); claimed != "sdk-test-client 9.9" {
		t.Errorf("claimed = %q, want the client's name and version", claimed)
	}
}

// schemaParams renders a tool's input schema as "a b* c" (sorted; * required).
func schemaParams(t *testing.T, schema any) string {
	b, _ := json.Marshal(schema)
	var s struct {
		Properties map[string]struct {
			Type  string `json:"type"`
			Items *struct {
				Type string `json:"type"`
			} `json:"items"`
		} `json:"properties"`
		Required []string `json:"required"`
	}
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, n := range sortedKeys(s.Properties) {
		p := s.Properties[n]
		if p.Type == "array" && (p.Items == nil || p.Items.Type != "string") {
			t.Errorf("param %s: array without string items", n)
		}
		for _, r := range s.Required {
			if r == n {
				n += "*"
			}
		}
		names = append(names, n)
	}
	return strings.Join(names, " ")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	for i := range keys {
		for j := i + 1; j < len(keys); j++ {
			if keys[j] < keys[i] {
				keys[i], keys[j] = keys[j], keys[i]
			}
		}
	}
	return keys
}

func TestSDKTools(t *testing.T) {
	ts := startServer(t)
	cs := connectSDK(t, ts, true, "2025-11-25")

	tests := []struct {
		name, tool  string
		args        map[string]any
		isError     bool
		contains    []string
		notContains []string
	}{
		{"list all", "sciorex_list_secrets", nil, false,
			[]string{`"name":"GITHUB_TOKEN"`, `"env":"GITHUB_TOKEN"`, `"access":"reveal"`, `"scope":"global"`, `"last_accessed":null`}, []string{"canary"}},
		{"list filtered", "sciorex_list_secrets", map[string]any{"collection": "npm"}, false,
			[]string{"NPM_TOKEN"}, []string{"GITHUB_TOKEN"}},
		{"get use", "sciorex_get_secret", map[string]any{"key": "GITHUB_TOKEN"}, false,
			[]string{"$GITHUB_TOKEN", "sciorex_run", "2030-01-02T03:04:05Z"}, []string{"canary"}},
		{"get reveal", "sciorex_get_secret", map[string]any{"key": "NPM_TOKEN"}, false,
			[]string{"npm_canary_reveal \"q\"\n<&>"}, []string{"sciorex-reveal-"}},
		{"get denied", "sciorex_get_secret", map[string]any{"key": "DENIED"}, true,
			[]string{"denied by the user", "(the user said no"}, nil},
		{"get missing", "sciorex_get_secret", map[string]any{"key": "NOPE"}, true,
			[]string{"no such secret", "sciorex_list_secrets"}, nil},
		{"get rate limited", "sciorex_get_secret", map[string]any{"key": "LIMITED"}, true,
			[]string{"wait a minute"}, nil},
		{"get panics", "sciorex_get_secret", map[string]any{"key": "PANIC"}, true, nil, nil},
		{"set", "sciorex_set_secret", map[string]any{"key": "NEW", "collection": "c", "tags": []any{"a", "b"}}, false,
			[]string{"Stored NEW"}, nil},
		{"set invalid name", "sciorex_set_secret", map[string]any{"key": "bad\nname"}, true,
			[]string{"invalid request"}, nil},
		{"delete", "sciorex_delete_secret", map[string]any{"key": "NEW"}, false, []string{"Deleted NEW"}, nil},
		{"delete missing", "sciorex_delete_secret", map[string]any{"key": "NEW"}, true, []string{"no such secret"}, nil},
		{"run", "sciorex_run", map[string]any{"command": "echo $GITHUB_TOKEN", "secrets": []any{"GITHUB_TOKEN"}, "cwd": "/tmp", "timeout_seconds": 7}, false,
			[]string{`"exit_code":3`, `"masked":1`, `[masked:GITHUB_TOKEN]`, `"timed_out":false`, `"truncated":false`, "cwd=/tmp timeout=7s secrets=GITHUB_TOKEN"}, []string{"canary"}},
		{"run denied", "sciorex_run", map[string]any{"command": "echo $DENIED"}, true, []string{"denied by the user"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, text := callTool(t, cs, tc.tool, tc.args)
			if res.IsError != tc.isError {
				t.Errorf("isError = %v, want %v (text %q)", res.IsError, tc.isError, text)
			}
			for _, s := range tc.contains {
				if !strings.Contains(text, s) {
					t.Errorf("text %q does not contain %q", text, s)
				}
			}
			for _, s := range tc.notContains {
				if strings.Contains(text, s) {
					t.Errorf("text %q contains %q", text, s)
				}
			}
		})
	}
	claimed, project, _ := ts.backend.session(0).snapshot()
	if claimed != "sdk-test-client 9.9" {
		t.Errorf("claimed = %q, want the client's name and version", claimed)
	}
	if project != "/work/project" {
		t.Errorf("project = %q, want /work/project from the bridge's hello", project)
	}
	if logs := ts.logs.all(); strings.Contains(logs, "canary") {
		t.Errorf("a value reached the log:\n%s", logs)
	}
}

func TestSDKStructuredList(t *testing.T) {
	ts := startServer(t)
	cs := connectSDK(t, ts, false, "2025-11-25")
	res, _ := callTool(t, cs, "sciorex_list_secrets", map[string]any{"search": "git"})
	b, _ := json.Marshal(res.StructuredContent)
	var got struct {
		Secrets []listEntry `json:"secrets"`
	}
	if err := json.Unmarshal(b, &got); err != nil || len(got.Secrets) != 1 || got.Secrets[0].Name != "GITHUB_TOKEN" {
		t.Fatalf("structured content = %s (%v)", b, err)
	}
}

// waitFor polls cond; the deadline only catches hangs.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
