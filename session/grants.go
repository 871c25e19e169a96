package session

import (
	"sync"
	"time"

	"github.com/sciorex/sciorex-secrets/audit"
)

// grants are the single-use permissions one session holds: an approved get
// of a "use" secret lets the next run that references it go without a
// dialog. A grant dies when used, when it expires, when the session ends or
// when the vault is locked; each end is audited as a release.
type grants struct {
	s  *Session
	mu sync.Mutex
	m  map[string]grant // by secret id
}

type grant struct {
	name    string
	expires time.Time
	timer   *time.Timer
}

func newGrants(s *Session) *grants { return &grants{s: s, m: make(map[string]grant)} }

// add gives the session one use of the secret until ttl passes.
func (g *grants) add(id, name string, ttl time.Duration) time.Time {
	expires := g.s.agent.cfg.Now().Add(ttl)
	g.mu.Lock()
	defer g.mu.Unlock()
	if old, ok := g.m[id]; ok {
		old.timer.Stop()
	}
	t := time.AfterFunc(ttl, func() { g.release(id, "expired") })
	g.m[id] = grant{name: name, expires: expires, timer: t}
	return expires
}

// has reports whether the session holds a grant for the secret.
func (g *grants) has(id string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	_, ok := g.m[id]
	return ok
}

// take consumes the grant for the secret, reporting whether there was one.
func (g *grants) take(id string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	gr, ok := g.m[id]
	if !ok {
		return false
	}
	gr.timer.Stop()
	delete(g.m, id)
	return true
}

func (g *grants) release(id, why string) {
	g.mu.Lock()
	gr, ok := g.m[id]
	if ok {
		gr.timer.Stop()
		delete(g.m, id)
	}
	g.mu.Unlock()
	if ok {
		_ = g.s.record(audit.Record{Event: "release", Secrets: []string{gr.name}, Detail: "grant " + why})
	}
}

func (g *grants) releaseAll(why string) {
	g.mu.Lock()
	ids := make([]string, 0, len(g.m))
	for id := range g.m {
		ids = append(ids, id)
	}
	g.mu.Unlock()
	for _, id := range ids {
		g.release(id, why)
	}
}
