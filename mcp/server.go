package mcp

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"

	mcplib "github.com/mark3labs/mcp-go/mcp"
	mcpserver "github.com/mark3labs/mcp-go/server"

	"github.com/sciorex/sciorex-secrets/session"
)

// MaxInflight is how many requests one connection may have in progress at
// once; the next one is answered at once with a "busy" error.
const MaxInflight = 16

// writeTimeout bounds one write to a client that stopped reading, so a stuck
// client cannot pin a handler forever; the connection is then closed.
const writeTimeout = 30 * time.Second

// Options configures a [Server].
type Options struct {
	Version string                           // reported to MCP clients as the server version
	Logf    func(format string, args ...any) // names methods and sessions only, never values; nil for none
	// OnRefused is called for every connection refused because its peer is
	// another user or has no credentials, so the agent can audit it.
	OnRefused func(cred session.PeerCred, reason string)
	// MaxConns is how many connections are served at once (default
	// DefaultMaxConns); more are refused. Each may buffer up to
	// MaxMessage bytes of a line, so this bounds the agent's memory.
	MaxConns int
}

// DefaultMaxConns bounds the connections served at once: 64 clients with a
// full line each hold 64 MiB.
const DefaultMaxConns = 64

// Server serves the agent on a Unix socket: one session per connection.
type Server struct {
	backend Backend
	opts    Options
	mcp     *mcpserver.MCPServer
	connSeq atomic.Uint64
	slots   chan struct{} // one per connection being served

	// Replaced by tests.
	uid      int
	peerCred func(net.Conn) (session.PeerCred, error)
	identify func(session.PeerCred) session.Identity
}

// NewServer builds the server and its MCP tool set. It does not listen.
func NewServer(b Backend, opts Options) *Server {
	if opts.Version == "" {
		opts.Version = "dev"
	}
	if opts.MaxConns <= 0 {
		opts.MaxConns = DefaultMaxConns
	}
	s := &Server{backend: b, opts: opts, uid: os.Getuid(), peerCred: peerCredentials, identify: session.IdentifyPeer,
		slots: make(chan struct{}, opts.MaxConns)}
	hooks := &mcpserver.Hooks{}
	hooks.AddAfterInitialize(func(ctx context.Context, _ any, req *mcplib.InitializeRequest, _ *mcplib.InitializeResult) {
		if c := connFromContext(ctx); c != nil && req != nil {
			c.claim(req.Params.ClientInfo)
		}
	})
	s.mcp = mcpserver.NewMCPServer("sciorex-secrets", opts.Version,
		mcpserver.WithToolCapabilities(false),
		mcpserver.WithRecovery(),
		mcpserver.WithHooks(hooks),
		mcpserver.WithInstructions("sciorex-secrets keeps secrets for you without showing them. "+
			"List them with sciorex_list_secrets, ask for one with sciorex_get_secret, and use it as $ENV in sciorex_run."),
	)
	for _, t := range toolSpecs {
		s.mcp.AddTools(t.serverTool())
	}
	return s
}

func (s *Server) logf(format string, args ...any) {
	if s.opts.Logf != nil {
		s.opts.Logf(format, args...)
	}
}

// Serve accepts connections on ln until ctx ends, then closes ln and every
// connection (cancelling their in-flight requests) and waits for the
// handlers to return. It returns nil when ctx ended, or the accept error that
// stopped it.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	defer wg.Wait()
	stop := context.AfterFunc(ctx, func() { ln.Close() })
	defer stop()
	delay := time.Duration(0)
	for {
		nc, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, os.ErrDeadlineExceeded) || isTemporary(err) {
				delay = min(max(2*delay, 5*time.Millisecond), time.Second)
				s.logf("mcp: accept: %v; retrying in %v", err, delay)
				select {
				case <-time.After(delay):
					continue
				case <-ctx.Done():
					return nil
				}
			}
			return fmt.Errorf("accept on the agent socket: %w", err)
		}
		delay = 0
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.serveConn(ctx, nc)
		}()
	}
}

func isTemporary(err error) bool {
	var t interface{ Temporary() bool }
	return errors.As(err, &t) && t.Temporary()
}
