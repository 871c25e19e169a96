package mcp

import (
	mcplib "github.com/mark3labs/mcp-go/mcp"
	mcpserver "github.com/mark3labs/mcp-go/server"
)

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
