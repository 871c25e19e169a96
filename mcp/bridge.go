package mcp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// dialRetry is how long Bridge and Dial keep trying while the agent starts.
const dialRetry = 5 * time.Second

// connect dials the agent, retrying for up to dialRetry while the socket is
// missing or refuses, and sends sciorex/hello. It returns ErrAgentNotRunning
// (wrapping the last dial error) when nothing answered in time.
func connect(ctx context.Context, socketPath, kind, project string) (*net.UnixConn, error) {
	deadline := time.Now().Add(dialRetry)
	var nc net.Conn
	var err error
	for {
		nc, err = dialAgent(ctx, socketPath)
		if err == nil {
			break
		}
		if ctx.Err() != nil || time.Now().After(deadline) {
			return nil, fmt.Errorf("%w (socket %s: %v)", ErrAgentNotRunning, socketPath, errors.Unwrap(err))
		}
		select {
		case <-time.After(100 * time.Millisecond):
		case <-ctx.Done():
		}
	}
	uc, ok := nc.(*net.UnixConn)
	if !ok {
		nc.Close()
		return nil, fmt.Errorf("connect to %s: not a unix socket", socketPath)
	}
	cwd, _ := os.Getwd()
	if project != "" {
		if abs, err := filepath.Abs(project); err == nil {
			project = abs
		}
	}
	hello, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "method": "sciorex/hello",
		"params": helloParams{Kind: kind, Project: project, Cwd: cwd}})
	if _, err := uc.Write(append(hello, '\n')); err != nil {
		defer uc.Close()
		if rerr := readRefusal(uc); rerr != nil {
			return nil, rerr
		}
		return nil, fmt.Errorf("talk to the agent on %s: %w", socketPath, err)
	}
	return uc, nil
}

// Bridge connects an MCP client's stdio to the agent: it dials socketPath
// (retrying for up to 5 s while the agent starts), announces itself with
// sciorex/hello (kind mcp, project, working directory), then copies stdin
// to the socket (half-closing it at EOF) and the socket to stdout until the
// agent closes the connection or ctx ends. It returns ErrAgentNotRunning
// when nothing answers on the socket.
func Bridge(ctx context.Context, socketPath, project string, stdin io.Reader, stdout io.Writer) error {
	uc, err := connect(ctx, socketPath, "mcp", project)
	if err != nil {
		return err
	}
	defer uc.Close()
	stop := context.AfterFunc(ctx, func() { uc.Close() })
	defer stop()
	go func() {
		_, _ = io.Copy(uc, stdin)
		_ = uc.CloseWrite()
	}()
	_, err = io.Copy(stdout, uc)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	switch {
	case err == nil, errors.Is(err, net.ErrClosed):
		return nil
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		// The agent closed the connection while the client still wrote, as
		// it does after answering a message over the size limit.
		return errors.New("the agent closed the connection (it does so after a malformed or oversized message, answered with an error)")
	}
	return fmt.Errorf("bridge to the agent: %w", err)
}
