package session

import (
	"fmt"

	"github.com/sciorex/sciorex-secrets/audit"
)

// record appends r to the audit trail. A failure is returned as ErrAudit:
// the caller denies whatever r was recording, and the human is told.
func (a *Agent) record(r audit.Record) error {
	if _, err := a.audit.Append(r); err != nil {
		a.cfg.Logf("audit: cannot record %s: %v", r.Event, err)
		a.ui.Notify("sciorex-secrets: audit trail failed", "A request was refused because the audit file could not be written: "+err.Error())
		return fmt.Errorf("%w: %v", ErrAudit, err)
	}
	return nil
}

// recordFor is record with the session's identity and project filled in.
func (s *Session) record(r audit.Record) error {
	r.Session = s.id
	r.Agent = s.claimed()
	r.Verified = s.ident.Verified()
	r.Project = s.project()
	return s.agent.record(r)
}

func intPtr(i int) *int { return &i }
