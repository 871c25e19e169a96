//go:build tools

package tools

import (
	_ "fyne.io/systray"
	_ "github.com/mark3labs/mcp-go/server"
	_ "github.com/modelcontextprotocol/go-sdk/mcp"
	_ "github.com/ncruces/zenity"
	_ "github.com/zalando/go-keyring"
	_ "golang.org/x/crypto/argon2"
	_ "golang.org/x/sys/unix"
	_ "github.com/godbus/dbus/v5"
)
