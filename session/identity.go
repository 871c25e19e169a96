package session

import (
	"fmt"
	"strings"
)

// Process is a process as the kernel reports it. PID alone can be reused, so
// a Process is identified by PID together with its start time.
type Process struct {
	PID       int    // process id, 0 when unknown
	UID       int    // real user id
	Exe       string // resolved executable path, "" when unreadable
	StartTime uint64 // start time in clock ticks since boot (Linux), 0 when unknown
}

// String formats the process as "/usr/bin/node pid 4242".
func (p Process) String() string {
	if p.PID == 0 {
		return "unknown process"
	}
	exe := p.Exe
	if exe == "" {
		exe = "?"
	}
	return fmt.Sprintf("%s pid %d", exe, p.PID)
}

// Identity is who is behind one connection to the agent.
//
// Claimed is what the client says about itself (MCP clientInfo) and proves
// nothing. Peer is the process at the other end of the socket, as the kernel
// reports it (the stdio bridge or the CLI). Client is the peer's parent, the
// program that launched the bridge: for MCP, the AI client itself.
type Identity struct {
	Claimed string
	Peer    Process
	Client  Process
}

// Verified describes the kernel-proven side of the identity.
func (id Identity) Verified() string {
	if id.Client.PID != 0 {
		return id.Client.String()
	}
	return id.Peer.String()
}

// String formats the identity with the claimed and verified parts marked.
func (id Identity) String() string {
	var b strings.Builder
	if id.Claimed != "" {
		fmt.Fprintf(&b, "%s (claimed), ", id.Claimed)
	}
	fmt.Fprintf(&b, "%s (verified)", id.Verified())
	return b.String()
}
