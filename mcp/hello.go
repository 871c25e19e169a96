package mcp

import (
	"context"
	"encoding/json"
	"path/filepath"

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
// client with no project. A hello of kind cli from a program other than
// the agent's own is refused and the connection closed (ok is false).
func (c *conn) start(msg message) (consumed, ok bool) {
	var hello helloParams
	isHello := msg.method == "sciorex/hello"
	if isHello && msg.params != nil {
		if json.Unmarshal(msg.params, &hello) != nil {
			c.srv.logf("mcp: %s: malformed sciorex/hello params, treated as an MCP client", c.id)
			hello = helloParams{}
		}
	}
	if hello.Kind == "cli" {
		if err := c.srv.backend.CheckCLI(c.identity.Peer); err != nil {
			c.srv.refuse(c.nc, c.cred, err.Error())
			return true, false
		}
	}
	c.cli = hello.Kind == "cli"
	c.sess = c.srv.backend.NewSession(c.identity, session.SessionOptions{CLI: c.cli})
	project := hello.Project
	c.projectFixed = project != ""
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
			return true, false
		}
		c.registered = true
		go c.forwardNotifications()
	}
	if isHello && msg.isRequest() {
		c.writeRaw(resultResponse(msg.id, []byte("{}")))
	}
	return isHello, true
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
