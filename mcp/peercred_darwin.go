//go:build darwin

package mcp

import (
	"errors"
	"net"

	"golang.org/x/sys/unix"

	"github.com/sciorex/sciorex-secrets/session"
)

// peerCredentials asks the kernel who is at the other end
// (LOCAL_PEERCRED for the uid, LOCAL_PEERPID for the pid).
func peerCredentials(c net.Conn) (session.PeerCred, error) {
	uc, ok := c.(*net.UnixConn)
	if !ok {
		return session.PeerCred{}, errors.New("not a unix socket")
	}
	raw, err := uc.SyscallConn()
	if err != nil {
		return session.PeerCred{}, err
	}
	var cred session.PeerCred
	var serr error
	if err := raw.Control(func(fd uintptr) {
		var x *unix.Xucred
		x, serr = unix.GetsockoptXucred(int(fd), unix.SOL_LOCAL, unix.LOCAL_PEERCRED)
		if serr != nil {
			return
		}
		cred.UID = int(x.Uid)
		if x.Ngroups > 0 {
			cred.GID = int(x.Groups[0])
		}
		cred.PID, serr = unix.GetsockoptInt(int(fd), unix.SOL_LOCAL, unix.LOCAL_PEERPID)
	}); err != nil {
		return session.PeerCred{}, err
	}
	if serr != nil {
		return session.PeerCred{}, serr
	}
	return cred, nil
}
