package mcp

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"
)

// ErrAgentRunning is returned by [Listen] when another agent answers on the
// socket.
var ErrAgentRunning = errors.New("another agent is running on this socket")

// DefaultSocketPath is SocketPathFrom(os.Getenv).
func DefaultSocketPath() string { return SocketPathFrom(os.Getenv) }

// SocketPathFrom is where the agent's socket is by these variables:
// $SCIOREX_SOCKET, else $XDG_RUNTIME_DIR/sciorex-secrets/agent.sock, else,
// when the variable is missing (AI clients often start their servers with
// little more than HOME and PATH), the same under /run/user/<uid> when that
// directory is ours, which is where XDG_RUNTIME_DIR points on a systemd
// desktop, else <os.TempDir()>/sciorex-secrets-<uid>/agent.sock.
func SocketPathFrom(getenv func(string) string) string {
	if p := getenv("SCIOREX_SOCKET"); p != "" {
		return p
	}
	if d := getenv("XDG_RUNTIME_DIR"); d != "" {
		return filepath.Join(d, "sciorex-secrets", "agent.sock")
	}
	if d := userRuntimeDir(); d != "" {
		return filepath.Join(d, "sciorex-secrets", "agent.sock")
	}
	return filepath.Join(os.TempDir(), "sciorex-secrets-"+strconv.Itoa(os.Getuid()), "agent.sock")
}

// Listen creates the agent socket at path, mode 0600, in a directory that
// is ours and 0700 (created if missing; one that exists with a looser mode,
// or is someone else's, is refused: it is not ours to change). A socket file left by a dead agent
// is replaced; if an agent answers on it, Listen returns ErrAgentRunning.
// Any other file at path is left alone and is an error.
// Closing the listener removes the socket file.
func Listen(path string) (net.Listener, error) {
	dir := filepath.Dir(path)
	if err := securePrivateDir(dir); err != nil {
		return nil, err
	}
	if st, err := os.Lstat(path); err == nil {
		if st.Mode()&os.ModeSocket == 0 {
			return nil, fmt.Errorf("listen on %s: a file that is not a socket is in the way; move it, or set SCIOREX_SOCKET to another path", path)
		}
		if c, err := net.DialTimeout("unix", path, time.Second); err == nil {
			c.Close()
			return nil, fmt.Errorf("listen on %s: %w (stop it first, or set SCIOREX_SOCKET to another path)", path, ErrAgentRunning)
		}
		if err := os.Remove(path); err != nil {
			return nil, fmt.Errorf("remove the stale socket %s: %w", path, err)
		}
	}
	ln, err := listenPrivate(path)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", path, err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, fmt.Errorf("restrict the socket %s: %w", path, err)
	}
	ul := ln.(*net.UnixListener)
	ul.SetUnlinkOnClose(false) // we remove it ourselves, once, below
	return &socketListener{UnixListener: ul, path: path}, nil
}

// socketListener removes its socket file on Close, unless another agent has
// already replaced it.
type socketListener struct {
	*net.UnixListener
	path string
	once sync.Once
}

func (l *socketListener) Close() error {
	var err error
	l.once.Do(func() {
		st, statErr := os.Lstat(l.path)
		mine := statErr == nil && st.Mode()&os.ModeSocket != 0
		err = l.UnixListener.Close()
		if mine {
			_ = os.Remove(l.path)
		}
	})
	return err
}

// dialAgent connects to the agent socket.
func dialAgent(ctx context.Context, path string) (net.Conn, error) {
	var d net.Dialer
	return d.DialContext(ctx, "unix", path)
}
