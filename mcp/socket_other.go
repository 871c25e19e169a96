//go:build !unix

package mcp

import (
	"fmt"
	"net"
	"os"
)

func listenPrivate(path string) (net.Listener, error) { return net.Listen("unix", path) }

func securePrivateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create the socket directory %s: %w", dir, err)
	}
	return nil
}
