package vault

import (
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Put creates or replaces the secret (s.Name, s.Scope) with value and
// returns it as stored. It is durable when it returns nil. s.Scope "" means
// Global; s.Access "" means the collection's default for a new secret and
// the current level for one that exists (replacing a value never widens
// or narrows its AI access); s.Collection "" means
// DefaultCollection, created when missing. s.ID and the times are ignored:
// a replaced secret keeps its id and creation time. Tags are trimmed, sorted
// and de-duplicated. value is not kept or modified. Errors: ErrLocked, ErrInvalidName, ErrEnvConflict, ErrTooLarge.
func (v *Vault) Put(s Secret, value []byte) (Secret, error) {
	if len(value) > MaxValueSize {
		return Secret{}, fmt.Errorf("%w: the value of %q is larger than %d bytes", ErrTooLarge, s.Name, MaxValueSize)
	}
	var out Secret
	err := v.mutate(func(m *model, h *header) error {
		r, err := m.prepare(s, true)
		if err != nil {
			return err
		}
		r.sealed = seal(v.dataKey, value, valueAAD(h.id[:], r.id[:]))
		out = m.store(r).secret()
		return nil
	})
	return out, err
}

// Update changes the metadata of (s.Name, s.Scope): collection ("" means
// DefaultCollection), tags and description are replaced; access "" keeps
// the current level. The value is untouched. ErrNotFound if absent.
func (v *Vault) Update(s Secret) (Secret, error) {
	var out Secret
	err := v.mutate(func(m *model, _ *header) error {
		r, err := m.prepare(s, false)
		if err != nil {
			return err
		}
		out = m.store(r).secret()
		return nil
	})
	return out, err
}

// Delete removes the secret (name, scope); scope "" means Global. ErrNotFound.
func (v *Vault) Delete(name, scope string) error {
	return v.mutate(func(m *model, _ *header) error {
		i, err := m.lookup(name, scope)
		if err != nil {
			return err
		}
		m.remove(i)
		return nil
	})
}

// SetAccess sets the access level of (name, scope). ErrNotFound.
func (v *Vault) SetAccess(name, scope string, a Access) error {
	if _, err := ParseAccess(string(a)); err != nil {
		return err
	}
	return v.mutate(func(m *model, _ *header) error {
		i, err := m.lookup(name, scope)
		if err != nil {
			return err
		}
		r := *m.secrets[i]
		r.access, r.updated = a, now()
		m.replace(i, &r)
		return nil
	})
}

// SetCollectionAccess sets the access level of every secret in collection
// and the collection's default, in one durable write. It returns how many
// secrets changed level. ErrNotFound if the collection does not exist.
func (v *Vault) SetCollectionAccess(collection string, a Access) (changed int, err error) {
	if _, err := ParseAccess(string(a)); err != nil {
		return 0, err
	}
	err = v.mutate(func(m *model, _ *header) error {
		changed = 0
		ci, ok := m.findCollection(collection)
		if !ok {
			return fmt.Errorf("%w: collection %q", ErrNotFound, collection)
		}
		c := *m.collections[ci]
		c.DefaultAccess = a
		m.collections[ci] = &c
		t := now()
		for i, r := range m.secrets {
			if r.collection == c.Name && r.access != a {
				nr := *r
				nr.access, nr.updated = a, t
				m.replace(i, &nr)
				changed++
			}
		}
		return nil
	})
	return changed, err
}

// Collections lists the collections sorted by name (case-insensitive),
// with how many secrets each holds. ErrLocked.
func (v *Vault) Collections() ([]Collection, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if err := v.refresh(false); err != nil {
		return nil, err
	}
	count := make(map[string]int, len(v.m.collections))
	for _, r := range v.m.secrets {
		count[r.collection]++
	}
	out := make([]Collection, len(v.m.collections))
	for i, c := range v.m.collections {
		out[i] = c.Collection
		out[i].Tags = slices.Clone(c.Tags)
		out[i].Secrets = count[c.Name]
	}
	return out, nil
}

// PutCollection creates the collection or replaces its description, tags
// and default access (DefaultAccess "" means the vault's default for new
// collections, Options.DefaultAccess). Names compare
// case-insensitively; an existing collection keeps its spelling. It does not
// change the access of existing secrets: see SetCollectionAccess.
func (v *Vault) PutCollection(c Collection) error {
	return v.mutate(func(m *model, _ *header) error { return m.putCollection(c) })
}

// Touch sets the last-accessed times of secrets, by id, in one durable
// write. An id that is no longer in the vault (the secret was deleted after
// its use) is skipped; a time out of range is an error and nothing changes.
func (v *Vault) Touch(times map[string]time.Time) error {
	for _, t := range times {
		if t.IsZero() || t.Year() < 1971 || t.Year() > 2261 {
			return fmt.Errorf("%w: access time %s is out of range", ErrInvalidName, t)
		}
	}
	return v.mutate(func(m *model, _ *header) error {
		for id, t := range times {
			i, err := m.lookupID(id)
			if errors.Is(err, ErrNotFound) {
				continue
			}
			r := *m.secrets[i]
			r.accessed = t.UTC()
			m.replace(i, &r)
		}
		return nil
	})
}

// ChangePassword rewraps the data key under new; secrets are not
// re-encrypted. ErrWrongPassword if old does not fit; ErrLocked when locked.
func (v *Vault) ChangePassword(old, new []byte) error {
	if len(new) == 0 {
		return ErrEmptyPassword
	}
	return v.mutate(func(_ *model, h *header) error {
		kek := deriveKEK(old, h.salt[:], h.kdf)
		ok := hmacEqual(checkValue(kek, kekCheckLabel), h.kekCheck[:])
		clear(kek)
		if !ok {
			return ErrWrongPassword
		}
		wrapKey(h, v.dataKey, new)
		return nil
	})
}

func now() time.Time { return time.Now().UTC().Round(0) }

func (m *model) lookup(name, scope string) (int, error) {
	sc, err := normalizeScope(scope)
	if err != nil {
		return 0, err
	}
	i, ok := m.findSecret(name, sc)
	if !ok {
		return 0, fmt.Errorf("%w: secret %q in scope %q", ErrNotFound, name, sc)
	}
	return i, nil
}

func (m *model) lookupID(id string) (int, error) {
	var key [idSize]byte
	if len(id) != 2*idSize {
		return 0, fmt.Errorf("%w: secret id %q", ErrNotFound, id)
	}
	if _, err := hex.Decode(key[:], []byte(id)); err != nil {
		return 0, fmt.Errorf("%w: secret id %q", ErrNotFound, id)
	}
	i := m.findID(key)
	if i < 0 {
		return 0, fmt.Errorf("%w: secret id %q", ErrNotFound, id)
	}
	return i, nil
}
