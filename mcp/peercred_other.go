//go:build !linux && !darwin

package mcp

import (
	"errors"
	"net"

	"github.com/sciorex/sciorex-secrets/session"
)

// peerCredentials is not implemented on this OS, so every connection is
// refused (fail closed).
func peerCredentials(net.Conn) (session.PeerCred, error) {
	return session.PeerCred{}, errors.New("peer credentials are not supported on this OS")
}
