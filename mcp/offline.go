package mcp

import (
	"context"
	"encoding/json"
	"errors"
	"io"

	mcplib "github.com/mark3labs/mcp-go/mcp"
	mcpserver "github.com/mark3labs/mcp-go/server"
)

// AgentDownMessage is what every tool call answers while no agent runs.
const AgentDownMessage = "the sciorex-secrets agent is not running, so no secret can be listed or used: " +
	"ask the user to start it (\"sciorex-secrets agent\", or \"make run\" in its source folder), " +
	"then to restart this MCP server in the client"

// ServeOffline answers an MCP client on stdin and stdout when [Bridge]
// found no agent: the handshake, ping and tools/list as the agent would
// (the same five tools), and every tools/call with a tool error saying the
// agent is not running and what the user can do. A client that got only a
// closed pipe would show "connection closed" and nothing more; this way the
// model can tell the user. It never reaches a vault. It returns when stdin
// ends, a line is over the size limit, or ctx ends.
func ServeOffline(ctx context.Context, version string, stdin io.Reader, stdout io.Writer) error {
	s := mcpserver.NewMCPServer("sciorex-secrets", version,
		mcpserver.WithToolCapabilities(false),
		mcpserver.WithRecovery(),
		mcpserver.WithInstructions(AgentDownMessage+"."),
	)
	down := func(context.Context, mcplib.CallToolRequest) (*mcplib.CallToolResult, error) {
		return mcplib.NewToolResultError(AgentDownMessage), nil
	}
	for _, t := range toolSpecs {
		s.AddTool(t.tool(), down)
	}
	lines := make(chan []byte)
	errc := make(chan error, 1)
	go func() {
		lr := newLineReader(stdin, MaxMessage)
		for {
			line, err := lr.next()
			if err != nil {
				errc <- err
				return
			}
			select {
			case lines <- line:
			case <-ctx.Done():
				return
			}
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case err := <-errc:
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		case line := <-lines:
			resp := s.HandleMessage(ctx, line)
			if resp == nil {
				continue // a notification
			}
			b, err := json.Marshal(resp)
			if err != nil {
				return err
			}
			if _, err := stdout.Write(append(b, '\n')); err != nil {
				return err
			}
		}
	}
}
