package mcp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	mcplib "github.com/mark3labs/mcp-go/mcp"

	"github.com/sciorex/sciorex-secrets/session"
)

// conn is one client connection: the reader, the writer, the session and
// the mcp-go ClientSession (it implements server.SessionWithClientInfo).
type conn struct {
	srv      *Server
	nc       net.Conn
	id       string // mcp-go session id, also used in log lines
	cred     session.PeerCred
	identity session.Identity

	ctx    context.Context // ends when the connection does
	cancel context.CancelFunc
	wg     sync.WaitGroup // request goroutines

	sess         SessionBackend // nil until the first line
	cli          bool
	projectFixed bool // --project given: MCP roots do not override it
	registered   bool // with mcp-go

	wmu sync.Mutex // serialises writes

	mu       sync.Mutex
	inflight map[string]*request // by idKey
	claimed  string

	notifications chan mcplib.JSONRPCNotification
	initialized   atomic.Bool
	clientInfo    atomic.Value // mcplib.Implementation
	clientCaps    atomic.Value // mcplib.ClientCapabilities
}

type connKey struct{}
type requestKey struct{}

func connFromContext(ctx context.Context) *conn {
	c, _ := ctx.Value(connKey{}).(*conn)
	return c
}

// serveConn runs one connection to its end.
func (s *Server) serveConn(parent context.Context, nc net.Conn) {
	defer nc.Close()
	cred, err := s.peerCred(nc)
	switch {
	case err != nil:
		s.refuse(nc, cred, "no peer credentials from the kernel: "+err.Error())
		return
	case cred.UID != s.uid:
		s.refuse(nc, cred, fmt.Sprintf("peer runs as uid %d, not as the agent's user (uid %d)", cred.UID, s.uid))
		return
	}
	select {
	case s.slots <- struct{}{}:
		defer func() { <-s.slots }()
	default:
		s.refuse(nc, cred, fmt.Sprintf("the agent already serves %d connections: close some clients", cap(s.slots)))
		return
	}
	c := &conn{
		srv:           s,
		nc:            nc,
		id:            fmt.Sprintf("conn-%d", s.connSeq.Add(1)),
		cred:          cred,
		identity:      s.identify(cred),
		inflight:      map[string]*request{},
		notifications: make(chan mcplib.JSONRPCNotification, 16),
	}
	// The mcp-go session in the ctx scopes its cancellation keys to this
	// connection; without it, request ids would collide across clients.
	c.ctx, c.cancel = context.WithCancel(s.mcp.WithContext(context.WithValue(parent, connKey{}, c), c))
	stop := context.AfterFunc(c.ctx, func() { nc.Close() })
	defer stop()
	c.run()
}

// refuse answers one JSON-RPC error line and reports the refusal.
func (s *Server) refuse(nc net.Conn, cred session.PeerCred, reason string) {
	s.logf("mcp: refused a connection from pid %d uid %d: %s", cred.PID, cred.UID, reason)
	_ = nc.SetWriteDeadline(time.Now().Add(time.Second))
	line, _ := json.Marshal(errorResponse(nil, &wireError{Code: codeSessionError,
		Message: "connection refused: " + reason, Data: &errorData{Kind: "refused"}}))
	_, _ = nc.Write(append(line, '\n'))
	if s.opts.OnRefused != nil {
		s.opts.OnRefused(cred, reason)
	}
}

func (c *conn) run() {
	defer c.finish()
	lr := newLineReader(c.nc, MaxMessage)
	for {
		line, err := lr.next()
		if errors.Is(err, errLineTooLong) {
			c.srv.logf("mcp: %s: message over %d bytes, closing", c.id, MaxMessage)
			c.writeError(nil, &wireError{Code: codeInvalidRequest, Message: fmt.Sprintf("message too large: the limit is %d bytes per line", MaxMessage)})
			if cw, ok := c.nc.(interface{ CloseWrite() error }); ok {
				_ = cw.CloseWrite()
			}
			return
		}
		if err != nil {
			return
		}
		if len(trimSpace(line)) == 0 {
			continue
		}
		c.handleLine(line)
	}
}

// finish cancels every in-flight request (disconnect withdraws dialogs),
// waits for the handlers, then ends the session.
func (c *conn) finish() {
	c.cancel()
	c.wg.Wait()
	if c.registered {
		c.srv.mcp.UnregisterSession(context.WithoutCancel(c.ctx), c.id)
	}
	if c.sess != nil {
		c.sess.Close()
	}
	c.srv.logf("mcp: %s closed", c.id)
}

// handleLine dispatches one line. It never panics: a panic while handling
// a request answers -32603.
func (c *conn) handleLine(line []byte) {
	var msg message
	defer func() {
		if p := recover(); p != nil {
			c.srv.logf("mcp: %s: panic (%T) handling %q\n%s", c.id, p, truncate(msg.method, 64), debug.Stack())
			if msg.isRequest() {
				c.writeError(msg.id, &wireError{Code: codeInternalError, Message: "internal error"})
			}
		}
	}()
	msg, rej := parseMessage(line)
	if rej != nil {
		clear(line)
		if !rej.silent {
			c.writeError(rej.id, rej.err)
		}
		return
	}
	if c.sess == nil {
		consumed, ok := c.start(msg)
		if !ok {
			clear(line)
			c.cancel()
			return
		}
		if consumed {
			clear(line)
			return
		}
	}
	switch {
	case msg.response:
		c.handleResponse(line)
		return
	case msg.method == "sciorex/hello":
		if msg.isRequest() {
			c.writeError(msg.id, &wireError{Code: codeInvalidRequest, Message: "sciorex/hello must be the first message"})
		}
		return
	case !msg.isRequest():
		c.handleNotification(msg, line)
		return
	}
	control := strings.HasPrefix(msg.method, "sciorex/")
	if control != c.cli && msg.method != "ping" {
		clear(line)
		c.writeError(msg.id, &wireError{Code: codeMethodNotFound, Message: "method not found: " + truncate(msg.method, 64)})
		return
	}
	if msg.method == string(mcplib.MethodToolsCall) {
		if werr := validateToolCall(msg.params); werr != nil {
			c.writeError(msg.id, werr)
			return
		}
	}
	req, werr := c.begin(msg)
	if werr != nil {
		clear(line)
		c.writeError(msg.id, werr)
		return
	}
	c.wg.Add(1)
	if msg.method == string(mcplib.MethodInitialize) {
		// In line, so that notifications/initialized and the first tool
		// calls are read only after the handshake is done.
		c.serveRequest(req, msg, line)
		c.askRoots()
		return
	}
	go c.serveRequest(req, msg, line)
}

func (c *conn) serveRequest(req *request, msg message, line []byte) {
	defer c.wg.Done()
	defer c.end(req)
	defer func() {
		if p := recover(); p != nil {
			c.srv.logf("mcp: %s: panic (%T) in %q\n%s", c.id, p, truncate(msg.method, 64), debug.Stack())
			c.forget(req)
			c.writeError(msg.id, &wireError{Code: codeInternalError, Message: "internal error"})
		}
	}()
	if strings.HasPrefix(msg.method, "sciorex/") {
		defer clear(line) // may hold a password or a value
		result, werr := c.control(req.ctx, msg)
		if werr == nil && req.cancelled.Load() {
			clear(result)
			werr = sessionError(session.ErrCanceled)
		}
		c.forget(req)
		if werr != nil {
			c.writeError(msg.id, werr)
			return
		}
		resp := resultResponse(msg.id, result)
		c.writeRaw(resp)
		clear(resp)
		clear(result)
		return
	}
	resp := c.srv.mcp.HandleMessage(req.ctx, line)
	cancelled := req.cancelled.Load()
	c.forget(req)
	switch {
	case cancelled:
		c.writeError(msg.id, sessionError(session.ErrCanceled))
	case resp != nil:
		c.writeResponse(req, resp)
	}
}
