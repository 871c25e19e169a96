package tray

import "github.com/sciorex/sciorex-secrets/session"

// The agent is the production backend.
var _ Backend = (*session.Agent)(nil)
