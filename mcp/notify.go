package mcp

import (
	"encoding/json"

	mcplib "github.com/mark3labs/mcp-go/mcp"
)

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
	if msg.method == mcplib.MethodNotificationRootsListChanged {
		c.askRoots()
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
