package main

import (
	"context"
	"errors"
	"path/filepath"

	"github.com/sciorex/sciorex-secrets/mcp"
)

func runMCP(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("mcp")
	project := fs.String("project", "", "project directory (default: the MCP client's roots, else the current directory)")
	if pos, _, err := parse(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usagef("mcp takes no arguments")
	}
	dir := *project
	if dir != "" {
		abs, err := filepath.Abs(dir)
		if err != nil {
			return err
		}
		dir = abs
	}
	err := mcp.Bridge(ctx, mcp.DefaultSocketPath(), dir, env.Stdin, env.Stdout)
	if !errors.Is(err, mcp.ErrAgentNotRunning) {
		return err
	}
	// Say it now, for the client's log, then answer the client so that the
	// model can tell the user what to do. The exit status says it again.
	code := report(env.Stderr, err)
	_ = mcp.ServeOffline(ctx, version, env.Stdin, env.Stdout)
	return childExit{code}
}
