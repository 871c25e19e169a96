package vault

import (
	"fmt"
	"strings"
)

// Query selects secrets for List. The zero Query lists everything.
type Query struct {
	Collection string // exact, case-insensitive; "" = all
	Search     string // case-insensitive substring of name, description, tags, collection
	Project    string // "" = every scope; else global + the project scopes that apply to this directory
	AllScopes  bool   // list every scope even when Project is set (which then only marks shadowing)
}

// List returns the metadata of matching secrets, sorted by name, then scope
// (Global first), marking the global ones that a project secret shadows in
// q.Project. It never decrypts a value. ErrLocked; ErrInvalidName when
// q.Project is not an absolute path.
func (v *Vault) List(q Query) ([]Secret, error) {
	project, err := normalizeProject(q.Project)
	if err != nil {
		return nil, err
	}
	search := strings.ToLower(q.Search)
	collection := strings.ToLower(q.Collection)
	v.mu.Lock()
	defer v.mu.Unlock()
	if err := v.refresh(false); err != nil {
		return nil, err
	}
	var out []Secret
	if collection == "" && search == "" {
		out = make([]Secret, 0, len(v.m.secrets))
	}
	secrets := v.m.secrets
	for i, r := range secrets {
		if project != "" && !q.AllScopes && !appliesTo(r.scope, project) ||
			collection != "" && strings.ToLower(r.collection) != collection ||
			search != "" && !strings.Contains(r.search, search) {
			continue
		}
		sec := r.secret()
		// Global sorts first among records of one name: a global record
		// with no neighbour of its name has nothing to shadow it.
		sec.Shadowed = project != "" && r.scope == Global &&
			i+1 < len(secrets) && secrets[i+1].name == r.name && v.m.resolve(r.name, project) != r
		out = append(out, sec)
	}
	return out, nil
}

// Resolve finds the secret called name as seen from project: the project
// scope nearest to project (the longest directory that contains it) wins,
// then Global. project "" sees Global only. Errors: ErrNotFound, ErrLocked,
// ErrEnvConflict when another secret visible from project maps to the same
// environment variable.
func (v *Vault) Resolve(name, project string) (Secret, error) {
	project, err := normalizeProject(project)
	if err != nil {
		return Secret{}, err
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if err := v.refresh(false); err != nil {
		return Secret{}, err
	}
	r := v.m.resolve(name, project)
	if r == nil {
		return Secret{}, fmt.Errorf("%w: secret %q", ErrNotFound, name)
	}
	if env := r.envName(); env != "" {
		for _, o := range v.m.withEnv(env) {
			if o.name != r.name && (o.scope == Global || project != "" && within(project, o.scope)) {
				return Secret{}, fmt.Errorf("%w: secrets %q and %q both map to %s", ErrEnvConflict, r.name, o.name, env)
			}
		}
	}
	return r.secret(), nil
}

// ResolveEnv finds the secret whose environment variable is env as seen
// from project, by the rule of Resolve. Errors: ErrNotFound, ErrLocked,
// ErrEnvConflict when two names visible from project have that variable.
func (v *Vault) ResolveEnv(env, project string) (Secret, error) {
	project, err := normalizeProject(project)
	if err != nil {
		return Secret{}, err
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if err := v.refresh(false); err != nil {
		return Secret{}, err
	}
	var name string
	for _, r := range v.m.withEnv(env) {
		if !appliesTo(r.scope, project) {
			continue
		}
		if name != "" && r.name != name {
			return Secret{}, fmt.Errorf("%w: secrets %q and %q both map to %s", ErrEnvConflict, name, r.name, env)
		}
		name = r.name
	}
	if name == "" {
		return Secret{}, fmt.Errorf("%w: no secret for the variable %s", ErrNotFound, env)
	}
	return v.m.resolve(name, project).secret(), nil
}

// Find returns the secret (name, scope) exactly; scope "" means Global.
// Errors: ErrNotFound, ErrLocked.
func (v *Vault) Find(name, scope string) (Secret, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if err := v.refresh(false); err != nil {
		return Secret{}, err
	}
	i, err := v.m.lookup(name, scope)
	if err != nil {
		return Secret{}, err
	}
	return v.m.secrets[i].secret(), nil
}

func (m *model) resolve(name, project string) *record {
	i, _ := m.findSecret(name, Global)
	var best *record
	for ; i < len(m.secrets) && m.secrets[i].name == name; i++ {
		r := m.secrets[i]
		switch {
		case r.scope == Global:
			if best == nil {
				best = r
			}
		case project != "" && within(project, r.scope):
			if best == nil || best.scope == Global || len(r.scope) > len(best.scope) {
				best = r
			}
		}
	}
	return best
}

// Reveal decrypts the value of the secret with this id. The caller wipes it.
// Errors: ErrNotFound, ErrLocked, ErrDamaged if the value does not decrypt.
func (v *Vault) Reveal(id string) (*Value, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if err := v.refresh(false); err != nil {
		return nil, err
	}
	i, err := v.m.lookupID(id)
	if err != nil {
		return nil, err
	}
	r := v.m.secrets[i]
	pt, err := open(v.dataKey, r.sealed, valueAAD(v.c.hdr.id[:], r.id[:]))
	if err != nil {
		return nil, fmt.Errorf("%w: the value of %q does not decrypt", ErrDamaged, r.name)
	}
	return NewValue(pt), nil
}
