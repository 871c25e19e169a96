package mcp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	mcplib "github.com/mark3labs/mcp-go/mcp"

	"github.com/sciorex/sciorex-secrets/session"
)

// captureConn is a net.Conn that records what the server writes.
type captureConn struct {
	mu  sync.Mutex
	out bytes.Buffer
}

func (c *captureConn) Write(b []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.out.Write(b)
}
func (c *captureConn) take() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	b := bytes.Clone(c.out.Bytes())
	c.out.Reset()
	return b
}
func (c *captureConn) Read([]byte) (int, error)         { return 0, errors.New("not readable") }
func (c *captureConn) Close() error                     { return nil }
func (c *captureConn) LocalAddr() net.Addr              { return &net.UnixAddr{} }
func (c *captureConn) RemoteAddr() net.Addr             { return &net.UnixAddr{} }
func (c *captureConn) SetDeadline(time.Time) error      { return nil }
func (c *captureConn) SetReadDeadline(time.Time) error  { return nil }
func (c *captureConn) SetWriteDeadline(time.Time) error { return nil }

// expectsAnswer reports whether a line is, by an independent reading of
// JSON-RPC 2.0, a request: an object with a method and a string or number id.
func expectsAnswer(line []byte) (json.RawMessage, bool) {
	var env map[string]json.RawMessage
	if json.Unmarshal(line, &env) != nil {
		return nil, false
	}
	id, hasID := env["id"]
	_, hasMethod := env["method"]
	if !hasID || !hasMethod || len(id) == 0 || !(id[0] == '"' || id[0] == '-' || (id[0] >= '0' && id[0] <= '9')) {
		return nil, false
	}
	return id, true
}

// FuzzReader feeds arbitrary bytes through the line reader and the
// validation layer into one connection: nothing panics, no line gets more
// than one answer, and every request line gets exactly one, with its id
// (or id null when the line was refused before its id could be trusted).
func FuzzReader(f *testing.F) {
	for _, seed := range []string{
		initLine + "\n" + `{"jsonrpc":"2.0","id":1,"method":"tools/list"}`,
		`{"jsonrpc":"2.0","method":"sciorex/hello","params":{"kind":"cli","project":"/p"}}` + "\n" + `{"jsonrpc":"2.0","id":1,"method":"sciorex/status"}` + "\n" + `{"jsonrpc":"2.0","id":2,"method":"sciorex/unlock","params":{"password":"a\u00e9\"b"}}`,
		`{"jsonrpc":"2.0","method":"sciorex/hello","params":{"kind":"cli"}}` + "\n" + `{"jsonrpc":"2.0","id":3,"method":"sciorex/set","params":{"name":"A","value":"AAEC"}}` + "\n" + `{"jsonrpc":"2.0","id":4,"method":"sciorex/release","params":{"names":["NPM_TOKEN"]}}`,
		`{"jsonrpc":"2.0","id":1,"method":"tools/call"}`,
		`{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"sciorex_get_secret","arguments":null}}`,
		`{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"sciorex_get_secret","arguments":{"key":"NPM_TOKEN"}}}`,
		`{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"sciorex_run","arguments":{"command":"x","timeout_seconds":1e308}}}`,
		`[{"jsonrpc":"2.0","id":1,"method":"tools/list"}]` + "\n[]",
		"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"x\":\"\xff\"}",
		`{"jsonrpc":"2.0","id":7,"method":"ping"}` + "\n" + `{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":7}}`,
		`{"jsonrpc":"2.0","id":1e400,"method":"ping"}`,
		strings.Repeat("x", 5000) + "\n" + `{"jsonrpc":"2.0","id":1,"method":"ping"}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		b := newFakeBackend()
		b.noBlock = true
		srv := NewServer(b, Options{})
		cc := &captureConn{}
		c := &conn{srv: srv, nc: cc, id: "fuzz", inflight: map[string]*request{},
			notifications: make(chan mcplib.JSONRPCNotification, 16)}
		c.ctx, c.cancel = context.WithCancel(srv.mcp.WithContext(context.WithValue(context.Background(), connKey{}, c), c))
		defer c.finish()
		lr := newLineReader(bytes.NewReader(data), 4096)
		for {
			line, err := lr.next()
			if err != nil {
				break
			}
			if len(trimSpace(line)) == 0 {
				continue
			}
			id, want := expectsAnswer(line)
			c.handleLine(bytes.Clone(line))
			c.wg.Wait()
			out := cc.take()
			n := bytes.Count(out, []byte("\n"))
			if n > 1 {
				t.Fatalf("line %q got %d answers:\n%s", line, n, out)
			}
			if want && n != 1 {
				t.Fatalf("request %q got %d answers", line, n)
			}
			if n == 1 {
				var resp struct {
					ID json.RawMessage `json:"id"`
				}
				if err := json.Unmarshal(out, &resp); err != nil {
					t.Fatalf("answer is not JSON: %q", out)
				}
				if want && string(resp.ID) != "null" && idKey(resp.ID) != idKey(id) {
					t.Fatalf("request id %s answered with id %s", id, resp.ID)
				}
			}
		}
	})
}

// FuzzJSONString: appendJSONString always produces what encoding/json
// decodes back to the same text, and parseJSONString agrees with
// encoding/json on every input.
func FuzzJSONString(f *testing.F) {
	for _, s := range []string{"", "plain", "q\"b\\s/", "\x00\x1f\x7f<&>", "é\u2028\u2029", "\xff\xfe", `\ud83d\ude00`, "\"\\ud800\""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		enc := appendJSONString(nil, b)
		var s string
		if err := json.Unmarshal(enc, &s); err != nil {
			t.Fatalf("%q encoded as invalid JSON %q: %v", b, enc, err)
		}
		if want := string([]rune(string(b))); s != want {
			t.Fatalf("%q round-tripped to %q", b, s)
		}
		got, err := parseJSONString(enc)
		if err != nil || string(got) != s {
			t.Fatalf("parseJSONString(%q) = %q, %v; want %q", enc, got, err, s)
		}
		// On arbitrary input, parse agrees with encoding/json when both accept.
		var ref string
		refErr := json.Unmarshal(b, &ref)
		got, err = parseJSONString(b)
		if err == nil && refErr != nil {
			t.Fatalf("parseJSONString accepted %q, encoding/json did not: %v", b, refErr)
		}
		if err == nil && string(got) != ref {
			t.Fatalf("parseJSONString(%q) = %q, encoding/json %q", b, got, ref)
		}
	})
}

var _ session.Status
