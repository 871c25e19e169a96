package mcp

import (
	"encoding/json"
	"net/url"
	"path/filepath"

	mcplib "github.com/mark3labs/mcp-go/mcp"
)

// The session's project is --project, else the MCP roots the client
// declares, else the bridge's working directory (DESIGN.md). When the
// bridge gave no --project and the client declared the roots capability,
// the agent asks roots/list after initialize and again on
// notifications/roots/list_changed; the first file:// root that is an
// absolute path becomes the project.

const rootsRequestID = `"sciorex-roots"`

// askRoots sends roots/list if the project may come from roots.
func (c *conn) askRoots() {
	if c.cli || c.projectFixed {
		return
	}
	if caps := c.GetClientCapabilities(); caps.Roots == nil {
		return
	}
	c.writeRaw([]byte(`{"jsonrpc":"2.0","id":` + rootsRequestID + `,"method":"` + string(mcplib.MethodListRoots) + `"}`))
}

// handleResponse takes a client's reply to one of our requests.
func (c *conn) handleResponse(line []byte) {
	var r struct {
		ID     json.RawMessage         `json:"id"`
		Result *mcplib.ListRootsResult `json:"result"`
	}
	if json.Unmarshal(line, &r) != nil || string(r.ID) != rootsRequestID || r.Result == nil {
		return
	}
	for _, root := range r.Result.Roots {
		u, err := url.Parse(root.URI)
		if err != nil || u.Scheme != "file" || !filepath.IsAbs(u.Path) {
			continue
		}
		c.sess.SetProject(filepath.Clean(u.Path))
		c.srv.logf("mcp: %s: project set from the client's roots", c.id)
		return
	}
}
