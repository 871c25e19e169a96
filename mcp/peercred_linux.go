//go:build linux

package mcp

import (
	"errors"
	"net"

	"golang.org/x/sys/unix"

	"github.com/sciorex/sciorex-secrets/session"
)

// peerCredentials asks the kernel who is at the other end (SO_PEERCRED).
func peerCredentials(c net.Conn) (session.PeerCred, error) {
	uc, ok := c.(*net.UnixConn)
	if !ok {
		return session.PeerCred{}, errors.New("not a unix socket")
	}
	raw, err := uc.SyscallConn()
	if err != nil {
		return session.PeerCred{}, err
	}
	var cred *unix.Ucred
	var serr error
	if err := raw.Control(func(fd uintptr) {
		cred, serr = unix.GetsockoptUcred(int(fd), unix.SOL_SOCKET, unix.SO_PEERCRED)
	}); err != nil {
		return session.PeerCred{}, err
	}
	if serr != nil {
		return session.PeerCred{}, serr
	}
	return session.PeerCred{PID: int(cred.Pid), UID: int(cred.Uid), GID: int(cred.Gid)}, nil
}
