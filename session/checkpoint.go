package session

import (
	"errors"
	"fmt"

	"github.com/sciorex/sciorex-secrets/audit"
	"github.com/sciorex/sciorex-secrets/vault"
)

// The vault keeps an audit checkpoint: the seq and mac of the latest sealed
// audit record it has seen, so that records cut off the end of the log are
// noticed at the next unlock and by "audit verify" (audit/doc.go). It is
// written on the idle tick when the head moved, and before the vault locks;
// records written after the last checkpoint can be cut without notice.

// checkpoint stores the audit log's head in the vault when it is a sealed
// record the vault has not stored yet. A failure is logged, not returned:
// it weakens the check at the next unlock but loses no record.
func (a *Agent) checkpoint() {
	a.checkpointMu.Lock()
	defer a.checkpointMu.Unlock()
	seq, mac := a.audit.Head()
	if mac == "" || seq == a.checkpointed {
		return
	}
	if err := a.vault.SetAuditCheckpoint(seq, mac); err != nil {
		if !errors.Is(err, vault.ErrLocked) {
			a.cfg.Logf("cannot save the audit checkpoint in the vault: %v", err)
		}
		return
	}
	a.checkpointed = seq
}

// AuditReport is what [Agent.VerifyAudit] found in an intact trail.
type AuditReport struct {
	Records    int    `json:"records"`
	Files      int    `json:"files"`
	Unsealed   int    `json:"unsealed"`   // written while the vault was locked
	Checkpoint uint64 `json:"checkpoint"` // the vault's checkpoint it reached; 0: the vault holds none yet
}

// VerifyAudit checks the whole audit trail, MACs included, against the
// vault's checkpoint: what "sciorex-secrets audit verify" does with the
// password, done by the running agent, which holds the key. Errors:
// ErrLocked; ErrTampered, whose message names the first bad record.
func (a *Agent) VerifyAudit() (AuditReport, error) {
	if a.vault.Locked() {
		return AuditReport{}, ErrLocked
	}
	key, err := a.vault.DeriveKey(AuditKeyPurpose)
	if err != nil {
		return AuditReport{}, vaultErr(err)
	}
	defer clear(key)
	return a.verifyTrail(key)
}

// errNoCheckpoint: the vault's audit checkpoint could not be read, so the
// trail was not checked.
var errNoCheckpoint = errors.New("cannot read the audit checkpoint")

// verifyTrail checks the trail with key against the vault's checkpoint,
// which it also notes as stored. A trail that does not verify is an error
// wrapping ErrTampered.
func (a *Agent) verifyTrail(key []byte) (AuditReport, error) {
	seq, mac, err := a.vault.AuditCheckpoint()
	if err != nil {
		return AuditReport{}, fmt.Errorf("%w: %w", errNoCheckpoint, vaultErr(err))
	}
	a.checkpointMu.Lock()
	a.checkpointed = max(a.checkpointed, seq)
	a.checkpointMu.Unlock()
	opts := audit.VerifyOptions{MinSeq: seq, HeadMAC: mac}
	rep, err := audit.VerifyWith(a.audit.Path(), key, opts)
	if err != nil {
		// Once more: a session may have been appending a line as it was read.
		rep, err = audit.VerifyWith(a.audit.Path(), key, opts)
	}
	var ve *audit.VerifyError
	switch {
	case errors.As(err, &ve):
		return AuditReport{}, fmt.Errorf("%w: %v", ErrTampered, err)
	case err != nil:
		return AuditReport{}, err
	}
	return AuditReport{Records: rep.Records, Files: len(rep.Files), Unsealed: rep.Unsealed, Checkpoint: seq}, nil
}

// checkAuditTrail verifies the whole audit trail against the vault's
// checkpoint with the MAC key. It does not refuse the unlock (the human
// needs their secrets): a mismatch is recorded as an "error" event, logged
// and shown to the human.
func (a *Agent) checkAuditTrail(key []byte) {
	_, err := a.verifyTrail(key)
	switch {
	case errors.Is(err, errNoCheckpoint):
		a.cfg.Logf("%v", err)
	case err != nil:
		problem := fmt.Sprintf("audit trail does not match the vault's checkpoint: %v", err)
		a.cfg.Logf("%s", problem)
		_ = a.record(audit.Record{Event: audit.EventError, Detail: problem})
		a.ui.Notify("sciorex-secrets: audit trail tampered with",
			problem+". Keep a copy of the audit file for investigation; run \"sciorex-secrets audit verify\" for details.")
	}
}

// reportTornTail tells the human when the vault file ended with bytes the
// vault ignored: most likely a write cut short by a crash or power cut,
// which was never acknowledged; possibly damage to the last change, which
// is then lost. It is recorded as an "error" event and shown.
func (a *Agent) reportTornTail() {
	n := a.vault.TornTail()
	if n == 0 {
		return
	}
	problem := fmt.Sprintf("the vault file ended with %d bytes of an incomplete change, which were ignored: "+
		"a write interrupted by a crash or power cut, or damage to the last change", n)
	a.cfg.Logf("%s", problem)
	_ = a.record(audit.Record{Event: audit.EventError, Detail: problem})
	a.ui.Notify("sciorex-secrets: last vault change incomplete",
		problem+". If a secret you stored just before is missing, store it again; restore from a backup if more is missing.")
}
