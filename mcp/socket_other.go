//go:build !unix

package mcp

import (
	"errors"
	"fmt"
	"net"
	"runtime"
)

// On systems without Unix peer credentials here (Windows, for now) the
// agent refuses to listen at all rather than accept connections it could
// not attribute to a user: it fails closed at start, with a clear message.
var errNoPrivateSocket = fmt.Errorf("the agent socket is not supported on %s yet (no way to check the caller's identity): %w", runtime.GOOS, errors.ErrUnsupported)

func listenPrivate(path string) (net.Listener, error) { return nil, errNoPrivateSocket }

func securePrivateDir(dir string) error { return errNoPrivateSocket }
func userRuntimeDir() string            { return "" }
