package session

import (
	"bytes"

	"github.com/sciorex/sciorex-secrets/session/mask"
	"github.com/sciorex/sciorex-secrets/vault"
)

// A command comes from the client and could hold a value written out in
// full: one a "reveal" get handed to the client, say. Before a command is
// shown in a dialog or written to the audit trail, scrub replaces the raw
// value of every secret it runs with, and of every secret revealed since
// the vault was unlocked, by [masked:NAME].

// noteRevealed remembers that a client was given sec's value.
func (a *Agent) noteRevealed(sec vault.Secret) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.revealed == nil {
		a.revealed = make(map[string]string)
	}
	a.revealed[sec.ID] = sec.Name
}

// forgetRevealed is called when the vault locks.
func (a *Agent) forgetRevealed() {
	a.mu.Lock()
	a.revealed = nil
	a.mu.Unlock()
}

// scrub returns command without the raw values described above. Values
// shorter than mask.MinLen are left, as masking does.
func (a *Agent) scrub(command string, secs []vault.Secret) string {
	names := make(map[string]string, len(secs))
	for _, sec := range secs {
		names[sec.ID] = sec.Name
	}
	a.mu.Lock()
	for id, name := range a.revealed {
		names[id] = name
	}
	a.mu.Unlock()
	cmd := []byte(command)
	changed := false
	for id, name := range names {
		val, err := a.vault.Reveal(id)
		if err != nil {
			continue
		}
		if v := val.Bytes(); mask.Maskable(v) && bytes.Contains(cmd, v) {
			cmd = bytes.ReplaceAll(cmd, v, []byte("[masked:"+name+"]"))
			changed = true
		}
		val.Wipe()
	}
	if !changed {
		return command
	}
	return string(cmd)
}
