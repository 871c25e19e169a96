package mcp

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net"
	"time"

	mcplib "github.com/mark3labs/mcp-go/mcp"
)

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
