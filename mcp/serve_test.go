package mcp

import (
	"context"
	"fmt"
	"net"
	"path/filepath"
	"testing"
)

// Serve returns when its ctx ends, after cancelling and waiting for the
// handlers of open connections; the socket file is removed.
func TestServeStopsAndWaits(t *testing.T) {
	dir, _ := mkShortTemp(t)
	path := filepath.Join(dir, "s", "agent.sock")
	ln, err := Listen(path)
	if err != nil {
		t.Fatal(err)
	}
	b := newFakeBackend()
	srv := NewServer(b, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	c := dialRaw(t, path)
	c.call(initLine)
	c.send(`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"sciorex_get_secret","arguments":{"key":"BLOCK"}}}`)
	<-b.blockStarted
	cancel()
	if err := <-b.blockEnded; err == nil {
		t.Fatal("handler not cancelled")
	}
	if err := <-done; err != nil {
		t.Fatalf("Serve = %v", err)
	}
	if _, _, closed := b.session(0).snapshot(); !closed {
		t.Error("session not closed when Serve returned")
	}
	if nc, err := net.Dial("unix", path); err == nil {
		nc.Close()
		t.Error("socket still answers after Serve returned")
	}
}

// BenchmarkGetRoundTrip measures an approved get through the socket with an
// in-process backend (the session's own cost excluded).
func BenchmarkGetRoundTrip(b *testing.B) {
	dir, _ := mkShortTempB(b)
	ln, err := Listen(filepath.Join(dir, "s", "agent.sock"))
	if err != nil {
		b.Fatal(err)
	}
	srv := NewServer(newFakeBackend(), Options{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go srv.Serve(ctx, ln)
	c := dialRawB(b, filepath.Join(dir, "s", "agent.sock"))
	c.call(initLine)
	b.ResetTimer()
	for i := range b.N {
		resp := c.call(fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":"sciorex_get_secret","arguments":{"key":"GITHUB_TOKEN"}}}`, i+1))
		if errCode(resp) != 0 {
			b.Fatal(resp)
		}
	}
}
