package mcp

import (
	"context"
	"net"
	"testing"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

// Without --project, the client's roots set the project (over the
// bridge's working directory); with --project they do not.
func TestRootsSetProject(t *testing.T) {
	for _, tc := range []struct {
		name, hello, want string
	}{
		{"roots win over cwd", `{"kind":"mcp","cwd":"/work/cwd"}`, "/work/roots-project"},
		{"--project wins over roots", `{"kind":"mcp","project":"/work/flag","cwd":"/work/cwd"}`, "/work/flag"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := startServer(t)
			nc, err := net.Dial("unix", ts.path)
			if err != nil {
				t.Fatal(err)
			}
			defer nc.Close()
			if _, err := nc.Write([]byte(`{"jsonrpc":"2.0","method":"sciorex/hello","params":` + tc.hello + "}\n")); err != nil {
				t.Fatal(err)
			}
			client := sdk.NewClient(&sdk.Implementation{Name: "roots-client", Version: "1"}, nil)
			client.AddRoots(&sdk.Root{URI: "file:///work/roots-project", Name: "p"})
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			cs, err := client.Connect(ctx, &sdk.IOTransport{Reader: nc, Writer: nc}, &sdk.ClientSessionOptions{ProtocolVersion: "2025-11-25"})
			if err != nil {
				t.Fatal(err)
			}
			defer cs.Close()
			if err := cs.Ping(ctx, nil); err != nil {
				t.Fatal(err)
			}
			waitFor(t, func() bool { _, p, _ := ts.backend.session(0).snapshot(); return p == tc.want })
		})
	}
}
