package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/sciorex/sciorex-secrets/audit"
	"github.com/sciorex/sciorex-secrets/mcp"
	"github.com/sciorex/sciorex-secrets/session"
	"github.com/sciorex/sciorex-secrets/vault"
)

var benchSizes = []int{10, 1000, 10000}

// smokeRun reports a -benchtime=1x run (make bench-smoke), which skips the
// 10,000-secret fills: they take seconds and prove nothing a smaller one
// does not.
func smokeRun() bool {
	f := flag.Lookup("test.benchtime")
	return f != nil && f.Value.String() == "1x"
}

// allowAll approves every request at once: what is timed excludes the human.
type allowAll struct{}

func (allowAll) Approve(context.Context, session.Request) (bool, error) { return true, nil }
func (allowAll) Password(context.Context, session.PasswordPrompt) ([]byte, error) {
	return []byte(testPassword), nil
}
func (allowAll) SecretValue(context.Context, session.Request) ([]byte, error) {
	return []byte("a value typed by the human"), nil
}
func (allowAll) Notify(string, string) {}

// benchSocket starts an in-process agent over a vault of n secrets and
// serves it on a Unix socket in a fresh private directory, as the agent
// command does. It returns the socket path.
func benchSocket(b *testing.B, n int) string {
	b.Helper()
	if n > 1000 && smokeRun() {
		b.Skip("10,000-secret fill skipped in the smoke run")
	}
	dir, err := os.MkdirTemp("", "sxb-") // short: socket paths are limited to 108 bytes
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { os.RemoveAll(dir) })
	path := filepath.Join(dir, "vault.sxv")
	fillVault(b, path, n)
	v, err := vault.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := v.Unlock([]byte(testPassword)); err != nil {
		b.Fatal(err)
	}
	log, err := audit.Open(filepath.Join(dir, "audit.jsonl"), audit.Options{})
	if err != nil {
		b.Fatal(err)
	}
	agent, err := session.NewAgent(session.Config{Vault: v, Audit: log, UI: allowAll{}})
	if err != nil {
		b.Fatal(err)
	}
	sock := filepath.Join(dir, "run", "agent.sock")
	ln, err := mcp.Listen(sock)
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- mcp.NewServer(mcp.AgentBackend(agent), mcp.Options{Version: "bench"}).Serve(ctx, ln) }()
	b.Cleanup(func() {
		cancel()
		<-done
		agent.Close()
		log.Close()
	})
	return sock
}

// fillVault writes a vault of n secrets to path, built on /dev/shm when
// that is writable (each Put is a durable rewrite, so filling is quadratic).
func fillVault(b *testing.B, path string, n int) {
	b.Helper()
	work, err := os.MkdirTemp("/dev/shm", "sx-bench-")
	if err != nil {
		work = b.TempDir()
	} else {
		defer os.RemoveAll(work)
	}
	tmp := filepath.Join(work, "vault.sxv")
	v, err := vault.Create(tmp, []byte(testPassword),
		vault.Options{KDF: vault.KDFParams{Time: 1, MemoryKiB: 64, Threads: 1}})
	if err != nil {
		b.Fatal(err)
	}
	value := []byte("0123456789012345678901234567890123456789")
	for i := range n {
		s := vault.Secret{Name: fmt.Sprintf("secret-%05d", i), Collection: fmt.Sprintf("coll-%d", i%20),
			Tags: []string{"ci", fmt.Sprintf("team-%d", i%7)}, Description: "a benchmark secret"}
		if _, err := v.Put(s, value); err != nil {
			b.Fatal(err)
		}
	}
	v.Lock()
	data, err := os.ReadFile(tmp)
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		b.Fatal(err)
	}
}

// rawClient speaks newline-delimited JSON-RPC on one connection, one
// request at a time, as the MCP bridge does (sciorex/hello first).
type rawClient struct {
	conn net.Conn
	in   *bufio.Reader
	id   int
}

func dialRaw(b *testing.B, sock string) *rawClient {
	b.Helper()
	conn, err := net.Dial("unix", sock)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { conn.Close() })
	c := &rawClient{conn: conn, in: bufio.NewReaderSize(conn, 1<<20)}
	// What the stdio bridge sends first: an MCP session whose project is
	// the client's working directory.
	if _, err := fmt.Fprintln(conn, `{"jsonrpc":"2.0","method":"sciorex/hello","params":{"kind":"mcp","project":"","cwd":"/home/u/src/app"}}`); err != nil {
		b.Fatal(err)
	}
	if _, err := c.call("initialize", map[string]any{"protocolVersion": "2025-06-18", "capabilities": map[string]any{},
		"clientInfo": map[string]any{"name": "bench", "version": "1"}}); err != nil {
		b.Fatal(err)
	}
	if _, err := fmt.Fprintln(conn, `{"jsonrpc":"2.0","method":"notifications/initialized"}`); err != nil {
		b.Fatal(err)
	}
	return c
}

// call sends one request and returns its result, skipping notifications.
func (c *rawClient) call(method string, params any) (json.RawMessage, error) {
	c.id++
	req, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": c.id, "method": method, "params": params})
	if err != nil {
		return nil, err
	}
	if _, err := c.conn.Write(append(req, '\n')); err != nil {
		return nil, err
	}
	for {
		line, err := c.in.ReadBytes('\n')
		if err != nil {
			return nil, err
		}
		var resp struct {
			ID     *int            `json:"id"`
			Result json.RawMessage `json:"result"`
			Error  *struct {
				Message string `json:"message"`
			} `json:"error"`
		}
		if err := json.Unmarshal(line, &resp); err != nil {
			return nil, err
		}
		if resp.ID == nil || *resp.ID != c.id {
			continue
		}
		if resp.Error != nil {
			return nil, errors.New(resp.Error.Message)
		}
		return resp.Result, nil
	}
}

// BenchmarkMCPListSecrets: one sciorex_list_secrets call with a search
// filter, over the real socket in a live session, measured from the
// client's write to the end of the answer. "selective" matches 10 secrets
// (the target case: under 0.5 ms at 10,000); "broad" matches one in seven.
func BenchmarkMCPListSecrets(b *testing.B) {
	filters := []struct{ name, search string }{{"selective", "secret-0000"}, {"broad", "team-3"}}
	for _, n := range benchSizes {
		for _, f := range filters {
			b.Run(fmt.Sprintf("%d/%s", n, f.name), func(b *testing.B) {
				c := dialRaw(b, benchSocket(b, n))
				params := map[string]any{"name": "sciorex_list_secrets", "arguments": map[string]any{"search": f.search}}
				for b.Loop() {
					res, err := c.call("tools/call", params)
					if err != nil {
						b.Fatal(err)
					}
					var r struct {
						IsError bool `json:"isError"`
					}
					if err := json.Unmarshal(res, &r); err != nil || r.IsError {
						b.Fatalf("list failed: %s", res)
					}
				}
			})
		}
	}
}

// BenchmarkMCPPing: an MCP ping in a live session, the protocol's own
// round trip without any vault work.
func BenchmarkMCPPing(b *testing.B) {
	c := dialRaw(b, benchSocket(b, 10))
	for b.Loop() {
		if _, err := c.call("ping", map[string]any{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUnixSocketFloor: a bare line echo over a Unix socket, the floor
// under any request to the agent.
func BenchmarkUnixSocketFloor(b *testing.B) {
	dir, err := os.MkdirTemp("", "sxb-")
	if err != nil {
		b.Fatal(err)
	}
	defer os.RemoveAll(dir)
	ln, err := net.Listen("unix", filepath.Join(dir, "echo.sock"))
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		in := bufio.NewReader(c)
		for {
			line, err := in.ReadBytes('\n')
			if err != nil {
				return
			}
			if _, err := c.Write(line); err != nil {
				return
			}
		}
	}()
	conn, err := net.Dial("unix", filepath.Join(dir, "echo.sock"))
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	in := bufio.NewReader(conn)
	msg := []byte(`{"jsonrpc":"2.0","id":1,"method":"ping","params":{}}` + "\n")
	for b.Loop() {
		if _, err := conn.Write(msg); err != nil {
			b.Fatal(err)
		}
		if _, err := in.ReadBytes('\n'); err != nil {
			b.Fatal(err)
		}
	}
}
