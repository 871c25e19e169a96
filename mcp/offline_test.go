package mcp

import (
	"context"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

// With no agent, a real MCP client still completes the handshake, sees the
// five tools, and gets a tool error that tells the user what to do, instead
// of a pipe closed before the handshake.
func TestServeOfflineAnswersTheClient(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- ServeOffline(ctx, "test", inR, outW)
		outW.Close()
	}()
	client := sdk.NewClient(&sdk.Implementation{Name: "sdk-test-client", Version: "9.9"}, nil)
	cs, err := client.Connect(ctx, &sdk.IOTransport{Reader: outR, Writer: inW}, nil)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	tools, err := cs.ListTools(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tl := range tools.Tools {
		names = append(names, tl.Name)
	}
	slices.Sort(names)
	want := []string{"sciorex_delete_secret", "sciorex_get_secret", "sciorex_list_secrets", "sciorex_run", "sciorex_set_secret"}
	if !slices.Equal(names, want) {
		t.Errorf("tools = %v, want %v", names, want)
	}
	res, text := callTool(t, cs, "sciorex_get_secret", map[string]any{"key": "GITHUB_TOKEN"})
	if !res.IsError || !strings.Contains(text, "agent is not running") || !strings.Contains(text, "sciorex-secrets agent") {
		t.Errorf("get while offline = %v %q, want a tool error saying how to start the agent", res.IsError, text)
	}
	cs.Close()
	inW.Close()
	if err := <-done; err != nil {
		t.Errorf("ServeOffline = %v, want nil at the end of input", err)
	}
}
