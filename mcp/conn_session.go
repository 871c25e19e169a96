package mcp

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net"
	"path/filepath"
	"time"

	mcplib "github.com/mark3labs/mcp-go/mcp"
	mcpserver "github.com/mark3labs/mcp-go/server"

	"github.com/sciorex/sciorex-secrets/session"
)

// helloParams are the params of sciorex/hello, the first line our bridge
// and CLI send.
type helloParams struct {
	Kind    string `json:"kind"` // "mcp" or "cli"
	Project string `json:"project"`
	Cwd     string `json:"cwd"`
}

// start creates the session at the first line. It reports whether the line
// was consumed (a sciorex/hello). A connection that skips hello is an MCP
// client with no project.
func (c *conn) start(msg message) bool {
	var hello helloParams
	isHello := msg.method == "sciorex/hello"
	if isHello && msg.params != nil {
		if json.Unmarshal(msg.params, &hello) != nil {
			c.srv.logf("mcp: %s: malformed sciorex/hello params, treated as an MCP client", c.id)
			hello = helloParams{}
		}
	}
	c.cli = hello.Kind == "cli"
	c.sess = c.srv.backend.NewSession(c.identity, session.SessionOptions{CLI: c.cli})
	project := hello.Project
	if project == "" {
		project = hello.Cwd
	}
	if project != "" && filepath.IsAbs(project) {
		c.sess.SetProject(filepath.Clean(project))
	}
	kind := "mcp"
	if c.cli {
		kind = "cli"
	}
	c.srv.logf("mcp: %s: %s session %s for %s", c.id, kind, c.sess.ID(), c.identity.Verified())
	if !c.cli {
		if err := c.srv.mcp.RegisterSession(c.ctx, c); err != nil {
			c.srv.logf("mcp: %s: register MCP session: %v", c.id, err)
			c.cancel()
			return true
		}
		c.registered = true
		go c.forwardNotifications()
	}
	if isHello && msg.isRequest() {
		c.writeRaw(resultResponse(msg.id, []byte("{}")))
	}
	return isHello
}

// claim records the client's self-reported name on the session.
func (c *conn) claim(info mcplib.Implementation) {
	name := info.Name
	if name == "" {
		return
	}
	if info.Version != "" {
		name += " " + info.Version
	}
	c.mu.Lock()
	changed := name != c.claimed
	c.claimed = name
	c.mu.Unlock()
	if changed && c.sess != nil {
		c.sess.SetClaimed(name)
	}
}

// claimFromRequest takes the client name from a 2026-07-28 request's _meta.
func (c *conn) claimFromRequest(ctx context.Context) {
	if info := mcpserver.RequestProtocolInfoFromContext(ctx); info != nil && info.ClientInfo != nil {
		c.claim(*info.ClientInfo)
	}
}

// handleNotification handles a line without id. notifications/cancelled
// cancels the named request here first, so that a request whose goroutine
// has not reached mcp-go yet is cancelled too (R3).
func (c *conn) handleNotification(msg message, line []byte) {
	if msg.method == string(mcplib.MethodNotificationCancelled) && msg.params != nil {
		var p struct {
			RequestID json.RawMessage `json:"requestId"`
		}
		if json.Unmarshal(msg.params, &p) == nil && p.RequestID != nil {
			c.mu.Lock()
			req := c.inflight[idKey(p.RequestID)]
			c.mu.Unlock()
			if req != nil {
				c.srv.logf("mcp: %s: request cancelled by the client", c.id)
				req.cancelled.Store(true)
				req.cancel()
			}
		}
	}
	if c.cli || !c.registered {
		return
	}
	c.srv.mcp.HandleMessage(c.ctx, line)
}

func (c *conn) forwardNotifications() {
	for {
		select {
		case n := <-c.notifications:
			if b, err := json.Marshal(n); err == nil {
				c.writeRaw(b)
			}
		case <-c.ctx.Done():
			return
		}
	}
}

// writeRaw writes one encoded message and its newline. A failed or stuck
// write closes the connection.
func (c *conn) writeRaw(b []byte) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = c.nc.SetWriteDeadline(time.Now().Add(writeTimeout))
	bufs := net.Buffers{b, []byte{'\n'}} // no append: b may hold a value the caller wipes
	if _, err := bufs.WriteTo(c.nc); err != nil {
		c.cancel()
	}
}

func (c *conn) writeError(id json.RawMessage, werr *wireError) {
	b, err := json.Marshal(errorResponse(id, werr))
	if err != nil {
		return
	}
	c.writeRaw(b)
}

// writeResponse encodes an mcp-go response, splices in the values revealed
// by the request in place of their placeholders, writes it, and wipes every
// buffer that held a value.
func (c *conn) writeResponse(req *request, resp mcplib.JSONRPCMessage) {
	b, err := json.Marshal(resp)
	if err != nil {
		c.srv.logf("mcp: %s: encode response: %v", c.id, err)
		return
	}
	req.mu.Lock()
	for token, v := range req.reveals {
		if i := bytes.Index(b, []byte(token)); i >= 0 {
			quoted := appendJSONString(nil, v.Bytes())
			out := make([]byte, 0, len(b)+len(quoted)+1)
			out = append(out, b[:i]...)
			out = append(out, quoted[1:len(quoted)-1]...)
			out = append(out, b[i+len(token):]...)
			clear(quoted)
			clear(b)
			b = out
		}
	}
	req.mu.Unlock()
	c.writeRaw(b)
	clear(b[:cap(b)])
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// JSON-RPC envelopes built by hand, so that result bytes holding a value
// can be wiped after writing.

type errorEnvelope struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Error   *wireError      `json:"error"`
}

func errorResponse(id json.RawMessage, werr *wireError) errorEnvelope {
	if id == nil {
		id = json.RawMessage("null")
	}
	return errorEnvelope{JSONRPC: "2.0", ID: id, Error: werr}
}

func resultResponse(id json.RawMessage, result []byte) []byte {
	b := make([]byte, 0, len(id)+len(result)+40)
	b = append(b, `{"jsonrpc":"2.0","id":`...)
	b = append(b, id...)
	b = append(b, `,"result":`...)
	b = append(b, result...)
	return append(b, '}')
}

// mcp-go ClientSession and SessionWithClientInfo.

func (c *conn) SessionID() string { return c.id }
func (c *conn) NotificationChannel() chan<- mcplib.JSONRPCNotification {
	return c.notifications
}
func (c *conn) Initialize()       { c.initialized.Store(true) }
func (c *conn) Initialized() bool { return c.initialized.Load() }
func (c *conn) GetClientInfo() mcplib.Implementation {
	v, _ := c.clientInfo.Load().(mcplib.Implementation)
	return v
}
func (c *conn) SetClientInfo(ci mcplib.Implementation) { c.clientInfo.Store(ci) }
func (c *conn) GetClientCapabilities() mcplib.ClientCapabilities {
	v, _ := c.clientCaps.Load().(mcplib.ClientCapabilities)
	return v
}
func (c *conn) SetClientCapabilities(cc mcplib.ClientCapabilities) { c.clientCaps.Store(cc) }

var _ mcpserver.SessionWithClientInfo = (*conn)(nil)
