package main

import (
	"context"
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
	return mcp.Bridge(ctx, mcp.DefaultSocketPath(), dir, env.Stdin, env.Stdout)
}
