package vault

import (
	"errors"
	"fmt"
)

// The audit checkpoint is the latest record of the audit trail the vault
// has seen: its seq and MAC. The audit log cannot show on its own that
// records were cut off its end; the vault, encrypted and authenticated,
// can (FORMAT.md, "Audit checkpoint"). Export files do not carry it.

// auditMACLen is the length of an audit MAC: lowercase hex of HMAC-SHA256.
const auditMACLen = 64

// ErrBadCheckpoint: an audit checkpoint breaks the rules of FORMAT.md (a MAC
// that is not 64 lowercase hex characters, or a MAC without a seq).
var ErrBadCheckpoint = errors.New("invalid audit checkpoint")

// errNoChange makes mutate skip the write: the model already says it.
var errNoChange = errors.New("no change")

// AuditCheckpoint returns the audit checkpoint: seq 0 and mac "" when none
// was ever set. ErrLocked when locked.
func (v *Vault) AuditCheckpoint() (seq uint64, mac string, err error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if err := v.refresh(false); err != nil {
		return 0, "", err
	}
	return v.m.auditSeq, v.m.auditMAC, nil
}

// SetAuditCheckpoint durably records that the audit trail reached record
// seq, whose mac is mac ("" for an unsealed record). The checkpoint never
// goes backwards: a seq lower than the stored one is ignored, and setting
// the stored checkpoint again writes nothing. Errors: ErrLocked,
// ErrBadCheckpoint, or the write's error (then nothing changed).
func (v *Vault) SetAuditCheckpoint(seq uint64, mac string) error {
	if err := validateCheckpoint(seq, mac); err != nil {
		return err
	}
	err := v.mutate(func(m *model, _ *header) error {
		if seq < m.auditSeq || seq == m.auditSeq && mac == m.auditMAC {
			return errNoChange
		}
		m.auditSeq, m.auditMAC = seq, mac
		return nil
	})
	if errors.Is(err, errNoChange) {
		return nil
	}
	return err
}

func validateCheckpoint(seq uint64, mac string) error {
	if mac == "" {
		return nil
	}
	if seq == 0 {
		return fmt.Errorf("%w: a mac without a record number", ErrBadCheckpoint)
	}
	if !isLowerHex(mac, auditMACLen) {
		return fmt.Errorf("%w: the mac must be %d lowercase hex characters", ErrBadCheckpoint, auditMACLen)
	}
	return nil
}

func isLowerHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
