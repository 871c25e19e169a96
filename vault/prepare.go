package vault

import (
	"fmt"
	"slices"
	"strings"
)

// prepare validates s and returns the record to store for it, with a new id
// when creating. With create false the secret must exist and keeps its value.
// Creating the collection if needed happens here, on m.
func (m *model) prepare(s Secret, create bool) (*record, error) {
	if err := ValidateName(s.Name); err != nil {
		return nil, err
	}
	scope, err := normalizeScope(s.Scope)
	if err != nil {
		return nil, err
	}
	tags, err := normalizeTags(s.Tags)
	if err != nil {
		return nil, err
	}
	if err := validateDescription(s.Description); err != nil {
		return nil, err
	}
	if s.Collection == "" {
		s.Collection = DefaultCollection
	}
	if err := validateLabel("collection", s.Collection, MaxCollectionLen); err != nil {
		return nil, err
	}
	if s.Access != "" {
		if _, err := ParseAccess(string(s.Access)); err != nil {
			return nil, err
		}
	}
	i, exists := m.findSecret(s.Name, scope)
	var r record
	switch {
	case exists:
		r = *m.secrets[i]
	case !create:
		return nil, fmt.Errorf("%w: secret %q in scope %q", ErrNotFound, s.Name, scope)
	case len(m.secrets) >= MaxSecrets:
		return nil, fmt.Errorf("%w: the vault holds the maximum of %d secrets", ErrTooLarge, MaxSecrets)
	default:
		copy(r.id[:], randomBytes(idSize))
		r.name, r.scope, r.created = s.Name, scope, now()
	}
	if err := m.checkEnvConflict(s.Name, scope); err != nil {
		return nil, err
	}
	c, err := m.ensureCollection(s.Collection)
	if err != nil {
		return nil, err
	}
	r.collection, r.tags, r.description, r.updated = c.Name, tags, s.Description, now()
	switch {
	case s.Access != "":
		r.access = s.Access
	case !exists || r.access == "":
		r.access = c.DefaultAccess
	}
	return &r, nil
}

// store inserts or replaces r by (name, scope) and returns it finished.
func (m *model) store(r *record) *record {
	r.finish()
	i, exists := m.findSecret(r.name, r.scope)
	if exists {
		m.replace(i, r)
	} else {
		m.insert(i, r)
	}
	return r
}

// checkEnvConflict refuses a name whose environment variable equals that of
// another secret name in an overlapping scope (one resolution could see both).
func (m *model) checkEnvConflict(name, scope string) error {
	env, err := EnvName(name)
	if err != nil {
		return nil // no variable, no conflict; the runner reports the name
	}
	for _, r := range m.withEnv(env) {
		if r.name != name && scopesOverlap(r.scope, scope) {
			return fmt.Errorf("%w: secrets %q and %q both map to %s (scopes %q and %q): rename one",
				ErrEnvConflict, r.name, name, env, r.scope, scope)
		}
	}
	return nil
}

func (m *model) putCollection(c Collection) error {
	if err := validateLabel("collection", c.Name, MaxCollectionLen); err != nil {
		return err
	}
	if err := validateDescription(c.Description); err != nil {
		return err
	}
	tags, err := normalizeTags(c.Tags)
	if err != nil {
		return err
	}
	if c.DefaultAccess == "" {
		c.DefaultAccess = m.defaultAccess
	}
	if _, err := ParseAccess(string(c.DefaultAccess)); err != nil {
		return err
	}
	rec, err := m.ensureCollection(c.Name)
	if err != nil {
		return err
	}
	i, _ := m.findCollection(c.Name)
	nc := &collectionRec{Collection: Collection{Name: rec.Name, Description: c.Description, Tags: tags, DefaultAccess: c.DefaultAccess}, folded: rec.folded}
	m.collections[i] = nc
	return nil
}

// normalizeTags validates, sorts and de-duplicates tags; no tags is nil.
func normalizeTags(tags []string) ([]string, error) {
	if len(tags) == 0 {
		return nil, nil
	}
	out := make([]string, 0, len(tags))
	for _, t := range tags {
		t = strings.TrimSpace(t)
		if err := validateLabel("tag", t, MaxTagLen); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	slices.Sort(out)
	out = slices.Compact(out)
	if len(out) > MaxTags {
		return nil, fmt.Errorf("%w: more than %d tags", ErrTooLarge, MaxTags)
	}
	return slices.Clip(out), nil
}
