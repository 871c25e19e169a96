package mcp

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sciorex/sciorex-secrets/session"
)

func TestDefaultSocketPath(t *testing.T) {
	t.Setenv("SCIOREX_SOCKET", "/x/y.sock")
	if got := DefaultSocketPath(); got != "/x/y.sock" {
		t.Errorf("got %q", got)
	}
	t.Setenv("SCIOREX_SOCKET", "")
	t.Setenv("XDG_RUNTIME_DIR", "/run/user/7")
	if got := DefaultSocketPath(); got != "/run/user/7/sciorex-secrets/agent.sock" {
		t.Errorf("got %q", got)
	}
	t.Setenv("XDG_RUNTIME_DIR", "")
	want := os.TempDir() + "/sciorex-secrets-"
	if d := userRuntimeDir(); d != "" {
		want = d + "/sciorex-secrets/"
	}
	if got := DefaultSocketPath(); !strings.HasPrefix(got, want) {
		t.Errorf("without XDG_RUNTIME_DIR: %q, want it under %s", got, want)
	}
}

func TestListen(t *testing.T) {
	base, _ := mkShortTemp(t)
	path := filepath.Join(base, "d", "agent.sock")
	ln, err := Listen(path)
	if err != nil {
		t.Fatal(err)
	}
	assertMode(t, filepath.Dir(path), 0o700)
	assertMode(t, path, 0o600)

	// A live agent is not replaced.
	if _, err := Listen(path); !errors.Is(err, ErrAgentRunning) {
		t.Errorf("second Listen = %v, want ErrAgentRunning", err)
	}
	ln.Close()
	if _, err := os.Lstat(path); !os.IsNotExist(err) {
		t.Errorf("socket not removed on Close: %v", err)
	}

	// A stale socket (nobody listening) is replaced.
	stale, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	stale.(*net.UnixListener).SetUnlinkOnClose(false)
	stale.Close()
	ln, err = Listen(path)
	if err != nil {
		t.Fatalf("Listen over a stale socket: %v", err)
	}
	ln.Close()
}

// A directory that exists with group or other permissions is refused and
// left as it was: it may be /tmp or a home directory, which are not the
// agent's to change.
func TestListenRefusesLooseDir(t *testing.T) {
	base, _ := mkShortTemp(t)
	dir := filepath.Join(base, "shared")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, os.ModeSticky|0o777); err != nil {
		t.Fatal(err)
	}
	_, err := Listen(filepath.Join(dir, "agent.sock"))
	if err == nil || !strings.Contains(err.Error(), "can be reached by other users") {
		t.Fatalf("Listen in a loose dir = %v, want a refusal", err)
	}
	st, _ := os.Stat(dir)
	if st.Mode()&(os.ModePerm|os.ModeSticky) != os.ModePerm|os.ModeSticky {
		t.Fatalf("the directory was changed to %v", st.Mode())
	}
}

func TestListenKeepsOtherFiles(t *testing.T) {
	base, _ := mkShortTemp(t)
	path := filepath.Join(base, "d", "agent.sock")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("precious"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Listen(path); err == nil || !strings.Contains(err.Error(), "not a socket") {
		t.Fatalf("Listen over a regular file = %v, want an error", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "precious" {
		t.Fatal("the file in the way was changed")
	}
}

func TestListenRefusesForeignDir(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("needs root to make a directory owned by someone else")
	}
	base, _ := mkShortTemp(t)
	dir := filepath.Join(base, "foreign")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(dir, 65534, 65534); err != nil {
		t.Fatal(err)
	}
	_, err := Listen(filepath.Join(dir, "agent.sock"))
	if err == nil || !strings.Contains(err.Error(), "belongs to uid 65534") {
		t.Fatalf("Listen in a foreign dir = %v, want a refusal", err)
	}
}

func assertMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	st, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := st.Mode().Perm(); got != want {
		t.Errorf("%s: mode %o, want %o", path, got, want)
	}
}

// Peers of another user, or without credentials, get one error line, are
// disconnected, and are reported through OnRefused.
func TestRefusedPeers(t *testing.T) {
	for _, tc := range []struct {
		name string
		cred func(net.Conn) (session.PeerCred, error)
		want string
	}{
		{"other uid", func(net.Conn) (session.PeerCred, error) { return session.PeerCred{PID: 42, UID: os.Getuid() + 1}, nil }, "not as the agent's user"},
		{"no credentials", func(net.Conn) (session.PeerCred, error) { return session.PeerCred{}, errors.New("unsupported") }, "no peer credentials"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			refused := make(chan string, 1)
			ts := startServer(t, func(s *Server) {
				s.peerCred = tc.cred
				s.opts.OnRefused = func(_ session.PeerCred, reason string) { refused <- reason }
			})
			c := dialRaw(t, ts.path)
			resp := c.recv()
			if errKind(resp) != "refused" || resp["id"] != nil {
				t.Errorf("got %v, want a refused error with id null", resp)
			}
			if c.sc.Scan() {
				t.Errorf("connection still open: %q", c.sc.Text())
			}
			if reason := <-refused; !strings.Contains(reason, tc.want) {
				t.Errorf("OnRefused reason %q, want %q", reason, tc.want)
			}
			if n := ts.backend.numSessions(); n != 0 {
				t.Errorf("%d sessions created for a refused peer", n)
			}
			// The client sees ErrRefused-kind errors through Dial+Call.
			// (Dial itself may already see the refusal.)
			cl, err := Dial(context.Background(), ts.path, "")
			if err == nil {
				defer cl.Close()
				_, err = cl.Status(context.Background())
			}
			if !errors.Is(err, ErrRefused) {
				t.Errorf("Status over a refused connection = %v, want ErrRefused", err)
			}
		})
	}
}

// The real kernel check: the same socket, reached by another user.
func TestRefusedOtherUser(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("needs root to run a client as another user")
	}
	setpriv, err := exec_LookPath("setpriv")
	if err != nil {
		t.Skip("setpriv not installed")
	}
	refused := make(chan session.PeerCred, 1)
	ts := startServer(t, func(s *Server) {
		s.opts.OnRefused = func(c session.PeerCred, _ string) { refused <- c }
	})
	// Test only: open the dir so that uid 65534 can reach the socket (the
	// real 0700 dir keeps it out before any credential check).
	for _, dir := range []string{filepath.Dir(filepath.Dir(ts.path)), filepath.Dir(ts.path)} {
		if err := os.Chmod(dir, 0o711); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(ts.path, 0o666); err != nil {
		t.Fatal(err)
	}
	out, err := runAs(t, setpriv, ts.path)
	if err != nil {
		t.Fatalf("client as nobody: %v\n%s", err, out)
	}
	if !strings.Contains(out, `"kind":"refused"`) || !strings.Contains(out, "uid 65534") {
		t.Errorf("nobody's client got %q, want a refusal", out)
	}
	if c := <-refused; c.UID != 65534 || c.PID == 0 {
		t.Errorf("OnRefused cred = %+v, want uid 65534 with a pid", c)
	}
}
