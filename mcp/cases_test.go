package mcp

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestCaseR1: tools/call with missing, null or non-object params or
// arguments answers -32602 and the server stays up.
func TestCaseR1(t *testing.T) {
	ts := startServer(t)
	c := dialRaw(t, ts.path)
	c.call(initLine)
	tests := []struct {
		line string
		code int
	}{
		{`{"jsonrpc":"2.0","id":1,"method":"tools/call"}`, codeInvalidParams},
		{`{"jsonrpc":"2.0","id":2,"method":"tools/call","params":null}`, codeInvalidParams},
		{`{"jsonrpc":"2.0","id":3,"method":"tools/call","params":"x"}`, codeInvalidParams},
		{`{"jsonrpc":"2.0","id":4,"method":"tools/call","params":[1]}`, codeInvalidParams},
		{`{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"sciorex_get_secret"}}`, codeInvalidParams},
		{`{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"sciorex_get_secret","arguments":null}}`, codeInvalidParams},
		{`{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"sciorex_get_secret","arguments":"x"}}`, codeInvalidParams},
		{`{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"name":"sciorex_get_secret","arguments":{"key":5}}}`, codeInvalidParams},
		{`{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"get_secret","arguments":{}}}`, codeInvalidParams},
		{`{"jsonrpc":"2.0","id":10,"method":"tools/call","params":{"name":7}}`, codeInvalidParams},
		{`{"jsonrpc":"2.0","id":11,"method":"tools/call","params":{"name":"sciorex_run","arguments":{"command":"x","secrets":"A"}}}`, codeInvalidParams},
		{`{"jsonrpc":"2.0","id":12,"method":"tools/call","params":{"name":"sciorex_run","arguments":{"command":"x","timeout_seconds":"9"}}}`, codeInvalidParams},
		// An array must hold strings only: encoding/json reads null as "".
		{`{"jsonrpc":"2.0","id":17,"method":"tools/call","params":{"name":"sciorex_run","arguments":{"command":"x","secrets":[null]}}}`, codeInvalidParams},
		{`{"jsonrpc":"2.0","id":18,"method":"tools/call","params":{"name":"sciorex_set_secret","arguments":{"key":"K","tags":["a",1]}}}`, codeInvalidParams},
		{`{"jsonrpc":"2.0","id":13,"method":"tools/list","params":"x"}`, codeInvalidParams},
		{`{"jsonrpc":"2.0","id":14,"method":"resources/read"}`, codeMethodNotFound},
		// list takes no required argument: null or missing arguments are fine.
		{`{"jsonrpc":"2.0","id":15,"method":"tools/call","params":{"name":"sciorex_list_secrets","arguments":null}}`, 0},
		{`{"jsonrpc":"2.0","id":16,"method":"tools/call","params":{"name":"sciorex_list_secrets"}}`, 0},
	}
	for _, tc := range tests {
		resp := c.call(tc.line)
		if got := errCode(resp); got != tc.code {
			t.Errorf("%s\n  code %d, want %d: %v", tc.line, got, tc.code, resp)
		}
	}
	if resp := c.call(`{"jsonrpc":"2.0","id":99,"method":"ping"}`); errCode(resp) != 0 {
		t.Errorf("server not up after R1 lines: %v", resp)
	}
}

// TestCaseR2: a batch array, including [], answers one -32600 with id null.
func TestCaseR2(t *testing.T) {
	ts := startServer(t)
	c := dialRaw(t, ts.path)
	c.call(initLine)
	for _, line := range []string{
		`[{"jsonrpc":"2.0","id":1,"method":"tools/list"},{"jsonrpc":"2.0","id":2,"method":"tools/list"}]`,
		`[]`,
		` [ {"jsonrpc":"2.0","method":"notifications/initialized"} ] `,
	} {
		resp := c.call(line)
		if errCode(resp) != codeInvalidRequest || resp["id"] != nil {
			t.Errorf("%s: got %v, want -32600 with id null", line, resp)
		}
	}
	if resp := c.call(`{"jsonrpc":"2.0","id":3,"method":"tools/list"}`); errCode(resp) != 0 {
		t.Errorf("connection unusable after a batch: %v", resp)
	}
}

// TestCaseR3: a get blocked on the human is cancelled by
// notifications/cancelled; the backend sees its ctx end, the request is
// closed out with a "canceled" error, and the next request works.
func TestCaseR3(t *testing.T) {
	ts := startServer(t)
	c := dialRaw(t, ts.path)
	c.call(initLine)
	for _, id := range []string{`7`, `"seven"`} {
		c.send(`{"jsonrpc":"2.0","id":` + id + `,"method":"tools/call","params":{"name":"sciorex_get_secret","arguments":{"key":"BLOCK"}}}`)
		<-ts.backend.blockStarted
		c.send(`{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":` + id + `,"reason":"user gave up"}}`)
		if err := <-ts.backend.blockEnded; err == nil {
			t.Fatal("backend did not see its ctx cancelled")
		}
		resp := c.recv()
		if fmt.Sprint(resp["id"]) != strings.Trim(id, `"`) || errKind(resp) != "canceled" {
			t.Errorf("cancelled request answered %v, want a canceled error for id %s", resp, id)
		}
		resp = c.call(`{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"name":"sciorex_get_secret","arguments":{"key":"GITHUB_TOKEN"}}}`)
		if errCode(resp) != 0 || strings.Contains(fmt.Sprint(resp), "isError:true") {
			t.Errorf("next request failed: %v", resp)
		}
	}
}

// A cancellation names a request of its own connection only.
func TestCancelScopedToConnection(t *testing.T) {
	ts := startServer(t)
	a, b := dialRaw(t, ts.path), dialRaw(t, ts.path)
	a.call(initLine)
	b.call(initLine)
	get := `{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"sciorex_get_secret","arguments":{"key":"BLOCK"}}}`
	b.send(get)
	<-ts.backend.blockStarted
	a.send(get)
	<-ts.backend.blockStarted
	a.send(`{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":7}}`)
	<-ts.backend.blockEnded
	if resp := a.recv(); errKind(resp) != "canceled" {
		t.Fatalf("a: %v", resp)
	}
	select {
	case <-ts.backend.blockEnded:
		t.Fatal("cancelling a's request 7 also cancelled b's")
	default:
	}
	b.nc.Close()
	<-ts.backend.blockEnded
}

// TestCaseR4: invalid UTF-8 anywhere in a line answers -32700 with id null,
// nothing reaches the backend, and the connection stays open.
func TestCaseR4(t *testing.T) {
	ts := startServer(t)
	c := dialRaw(t, ts.path)
	c.call(initLine)
	for _, line := range []string{
		"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"sciorex_set_secret\",\"arguments\":{\"key\":\"K\",\"value\":\"\xff\xfe\"}}}",
		"{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"sciorex_set_secret\",\"arguments\":{\"key\":\"K\xc3\"}}}",
		"\xef\xbb\xbf{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}\xed\xa0\x80",
		// The same kind escaped: encoding/json would store U+FFFD.
		`{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"sciorex_set_secret","arguments":{"key":"K","collection":"C\ud800","tags":["t\udfff"]}}}`,
		`{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"sciorex_run","arguments":{"command":"echo \udbff\u0041"}}}`,
	} {
		resp := c.call(line)
		if errCode(resp) != codeParseError || resp["id"] != nil {
			t.Errorf("%q: got %v, want -32700 with id null", line, resp)
		}
	}
	if v := ts.backend.value("K"); v != "" {
		t.Errorf("backend stored a value for K, want nothing")
	}
	if resp := c.call(`{"jsonrpc":"2.0","id":4,"method":"ping"}`); errCode(resp) != 0 {
		t.Errorf("connection unusable after invalid UTF-8: %v", resp)
	}
}

// B20's kind across connections: each connection may buffer a line of up
// to MaxMessage, so the number served at once is bounded too (300 clients
// with a near-full line each once took the agent to 400 MB). Past the
// limit a connection is refused with a line that says why; a slot freed by
// a client that leaves is served again.
func TestCaseB20ConnectionLimit(t *testing.T) {
	ts := startServer(t, func(s *Server) { s.slots = make(chan struct{}, 2) })
	first, second := dialRaw(t, ts.path), dialRaw(t, ts.path)
	for _, c := range []*rawClient{first, second} {
		if resp := c.call(initLine); errCode(resp) != 0 {
			t.Fatalf("initialize: %v", resp)
		}
	}
	third := dialRaw(t, ts.path)
	resp := third.recv()
	if msg, _ := resp["error"].(map[string]any)["message"].(string); !strings.Contains(msg, "already serves 2 connections") {
		t.Fatalf("a third connection got %v, want a refusal naming the limit", resp)
	}
	first.nc.Close()
	waitFor(t, func() bool {
		c := dialRaw(t, ts.path)
		c.send(initLine)
		return errCode(c.recv()) == 0
	})
}

// TestCaseB20: a 5 MiB line and a 200 MiB line without newline each get
// -32600 "message too large" with id null and their connection is closed;
// 10 such clients at once do not disturb a well-behaved one.
func TestCaseB20(t *testing.T) {
	ts := startServer(t)
	good := dialRaw(t, ts.path)
	good.call(initLine)

	huge := func(size int, newline bool) {
		nc, err := net.Dial("unix", ts.path)
		if err != nil {
			t.Error(err)
			return
		}
		defer nc.Close()
		go func() { // stream the line; the server closes on us mid-way
			head := `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"sciorex_set_secret","arguments":{"key":"`
			_, _ = io.WriteString(nc, head)
			chunk := bytes.Repeat([]byte("A"), 64<<10)
			for n := len(head); n < size; n += len(chunk) {
				if _, err := nc.Write(chunk); err != nil {
					return
				}
			}
			if newline {
				_, _ = nc.Write([]byte("\"}}}\n"))
			}
		}()
		_ = nc.SetReadDeadline(time.Now().Add(60 * time.Second))
		all, err := io.ReadAll(nc) // the error line, then EOF when the server closes
		// After the error line the server closes; with our unread line still
		// queued, Linux reports that as a reset rather than EOF.
		if err != nil && !errors.Is(err, syscall.ECONNRESET) {
			t.Errorf("read: %v (got %q)", err, all)
		}
		lines := strings.Split(strings.TrimSpace(string(all)), "\n")
		if len(lines) != 1 || !strings.Contains(lines[0], `"id":null`) || !strings.Contains(lines[0], `-32600`) || !strings.Contains(lines[0], "message too large") {
			t.Errorf("got %q, want one -32600 message too large line", all)
		}
	}
	var wg sync.WaitGroup
	for i := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i%2 == 0 {
				huge(5<<20, true)
			} else {
				huge(200<<20, false)
			}
		}()
	}
	// The good client keeps working while the others are streaming.
	for i := range 20 {
		resp := good.call(fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":"sciorex_list_secrets","arguments":{}}}`, 100+i))
		if errCode(resp) != 0 {
			t.Fatalf("good client: %v", resp)
		}
	}
	wg.Wait()
	// A line of exactly MaxMessage bytes is accepted.
	line := `{"jsonrpc":"2.0","id":500,"method":"ping","params":{"pad":"`
	line += strings.Repeat("p", MaxMessage-len(line)-3) + `"}}`
	if resp := good.call(line); errCode(resp) != 0 {
		t.Errorf("a line of exactly MaxMessage bytes: %v", errCode(resp))
	}
}

// A client that disconnects cancels its handlers and closes its session.
func TestDisconnectCancels(t *testing.T) {
	ts := startServer(t)
	c := dialRaw(t, ts.path)
	c.call(initLine)
	c.send(`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"sciorex_get_secret","arguments":{"key":"BLOCK"}}}`)
	<-ts.backend.blockStarted
	c.nc.Close()
	if err := <-ts.backend.blockEnded; err == nil {
		t.Fatal("blocked get did not see its ctx end")
	}
	waitFor(t, func() bool { _, _, closed := ts.backend.session(0).snapshot(); return closed })
}

// Malformed lines are answered and the connection stays open.
func TestMalformedLines(t *testing.T) {
	ts := startServer(t)
	c := dialRaw(t, ts.path)
	c.call(initLine)
	tests := []struct {
		line   string
		code   int
		nullID bool
	}{
		{`{"jsonrpc":"2.0","id":1,"method":`, codeParseError, true},
		{`not json`, codeParseError, true},
		{`"a string"`, codeInvalidRequest, true},
		{`42`, codeInvalidRequest, true},
		{`{"jsonrpc":"1.0","id":1,"method":"ping"}`, codeInvalidRequest, false},
		{`{"jsonrpc":"2.0","id":{"a":1},"method":"ping"}`, codeInvalidRequest, true},
		{`{"jsonrpc":"2.0","id":null,"method":"ping"}`, codeInvalidRequest, true},
		{`{"jsonrpc":"2.0","id":2}`, codeInvalidRequest, false},
		{`{"jsonrpc":"2.0","id":3,"method":5}`, codeInvalidRequest, false},
		{`{"jsonrpc":"2.0","id":4,"method":"sciorex/status"}`, codeMethodNotFound, false},
		{`{"jsonrpc":"2.0","id":5,"method":"sciorex/hello","params":{"kind":"cli"}}`, codeInvalidRequest, false},
	}
	for _, tc := range tests {
		resp := c.call(tc.line)
		if errCode(resp) != tc.code || (resp["id"] == nil) != tc.nullID {
			t.Errorf("%s: got %v, want code %d (id null %v)", tc.line, resp, tc.code, tc.nullID)
		}
	}
}

// Requests beyond MaxInflight are answered "busy" at once; the others go on.
func TestInflightLimit(t *testing.T) {
	ts := startServer(t)
	c := dialRaw(t, ts.path)
	c.call(initLine)
	for i := range MaxInflight {
		c.send(fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":"sciorex_get_secret","arguments":{"key":"BLOCK"}}}`, i))
		<-ts.backend.blockStarted
	}
	resp := c.call(`{"jsonrpc":"2.0","id":"over","method":"ping"}`)
	if errKind(resp) != "busy" {
		t.Fatalf("request over the limit: %v, want busy", resp)
	}
	c.send(`{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":3}}`)
	if resp := c.recv(); fmt.Sprint(resp["id"]) != "3" {
		t.Fatalf("got %v, want the answer to the cancelled request 3", resp)
	}
	if resp := c.call(`{"jsonrpc":"2.0","id":"after","method":"ping"}`); errCode(resp) != 0 {
		t.Fatalf("slot not freed: %v", resp)
	}
}
