package session

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
)

// SessionOptions describes the kind of peer of a new session.
type SessionOptions struct {
	// CLI marks a session of the sciorex-secrets command line. It may see
	// "deny" secrets in listings (metadata only) and change access levels;
	// every change and every release still needs the human's approval.
	CLI bool
}

// Session is one connection's view of the agent. Its methods are safe for
// concurrent use; each may block while the human decides, and returns when
// ctx ends (the dialog is then withdrawn and nothing is released).
type Session struct {
	agent   *Agent
	id      string
	opts    SessionOptions
	ident   Identity
	grants  *grants
	limiter *limiter     // shared with the client's other sessions
	pending pendingSlots // this session's requests waiting for the human

	mu      sync.Mutex
	claim   string
	proj    string
	closed  bool
	watched map[int]watchedRun // runs of "sciorex-secrets run" by group leader pid (see Watch)
}

// ID is the session's id in the audit trail, e.g. "s12".
func (s *Session) ID() string { return s.id }

// Identity returns who is behind the session, with the claimed name.
func (s *Session) Identity() Identity {
	id := s.ident
	id.Claimed = s.claimed()
	return id
}

// SetClaimed records what the client says it is (MCP clientInfo). It is
// shown as claimed, never as verified.
func (s *Session) SetClaimed(name string) {
	s.mu.Lock()
	s.claim = name
	s.mu.Unlock()
}

// SetProject sets the session's project directory, which decides which
// project-scoped secrets apply. Relative paths are ignored.
func (s *Session) SetProject(dir string) {
	if dir != "" && !filepath.IsAbs(dir) {
		return
	}
	s.mu.Lock()
	s.proj = filepath.Clean(dir)
	if dir == "" {
		s.proj = ""
	}
	s.mu.Unlock()
}

func (s *Session) claimed() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.claim
}

func (s *Session) project() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.proj
}

// Close ends the session and releases every grant it holds. Safe to call
// more than once.
func (s *Session) Close() {
	s.mu.Lock()
	closed := s.closed
	s.closed = true
	s.mu.Unlock()
	if closed {
		return
	}
	s.killWatched()
	s.grants.releaseAll("session ended")
	s.limiter.leave()
	s.agent.forget(s)
}

// newRequest fills in the parts of a request every dialog shows.
func (s *Session) newRequest(kind RequestKind, names []string) Request {
	return Request{
		ID:      s.agent.reqSeq.Add(1),
		Kind:    kind,
		Secrets: names,
		Agent:   s.Identity(),
		Project: s.project(),
	}
}

// ask audits the request, puts it before the human, audits the outcome and
// applies the rate limits. It returns nil only when the human allowed it.
func (s *Session) ask(ctx context.Context, req Request, then func(context.Context) error) error {
	a := s.agent
	if err := s.limiter.admit(a.cfg.Now()); err != nil {
		s.auditOutcome(req, "rate_limited", err)
		return err
	}
	if err := s.pending.take(a.cfg.Limits.MaxPending); err != nil {
		s.auditOutcome(req, "rate_limited", err)
		return err
	}
	defer s.pending.give()
	if err := s.record(auditRequest(req, "request", "")); err != nil {
		return err
	}
	share := ""
	if req.Kind == KindGet && then == nil {
		share = s.id + "\x00" + strings.Join(req.Secrets, "\x00")
	}
	err := a.queue.ask(ctx, req, share, then)
	if err == nil {
		if aerr := s.record(auditRequest(req, "approve", "")); aerr != nil {
			return aerr
		}
		return nil
	}
	event := "deny"
	switch {
	case isErr(err, ErrTimeout):
		event = "timeout"
	case isErr(err, ErrCanceled):
		event = "cancel"
	}
	s.auditOutcome(req, event, err)
	if countsAsRefused(err) && a.limitDenial(s) {
		s.auditOutcome(req, "rate_limited", ErrRateLimited)
	}
	return err
}

func (s *Session) auditOutcome(req Request, event string, err error) {
	_ = s.record(auditRequest(req, event, errorKind(err)))
}

// countsAsRefused says which outcomes count toward a cool-down: each put a
// request before the human (or in line for the screen) that came to
// nothing. No way to ask, a locked vault or a full queue bothered nobody.
func countsAsRefused(err error) bool {
	return isErr(err, ErrDenied) || isErr(err, ErrTimeout) || isErr(err, ErrCanceled)
}

// limitDenial counts a refused request and reports whether a cool-down
// started for the client.
func (a *Agent) limitDenial(s *Session) bool {
	started := s.limiter.refused(a.cfg.Now(), a.cfg.Limits)
	if started {
		a.cfg.Logf("session %s: too many denials, cooling down", s.id)
		a.changed()
	}
	return started
}
