package session

// PeerCred is what the kernel reports about the process at the other end of
// a Unix socket (SO_PEERCRED on Linux, LOCAL_PEERCRED/LOCAL_PEERPID on macOS).
type PeerCred struct {
	PID int // 0 when the OS does not report it
	UID int
	GID int
}

// IdentifyPeer resolves the process chain behind a connection: the peer
// process itself and its parent (the program that launched the bridge or the
// CLI). What cannot be read is left zero; it never fails.
func IdentifyPeer(c PeerCred) Identity {
	peer := processInfo(c.PID)
	peer.UID = c.UID
	id := Identity{Peer: peer}
	if ppid := parentPID(c.PID); ppid > 1 {
		id.Client = processInfo(ppid)
	}
	return id
}
