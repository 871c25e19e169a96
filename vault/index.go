package vault

import "slices"

// The model keeps two indexes beside its sorted secrets, so that a lookup by
// id and the environment-variable conflict check cost O(1) instead of a scan
// of every secret. Every change to m.secrets goes through insert, replace
// and remove below, which keep the indexes true; reindex builds them after
// decoding. The variable index is built at its first use (the first write
// or resolution after an unlock), so that unlocking does not pay for it.
//
// A write clones the model, changes the clone and, once the file is
// durable, makes the clone current (Vault.mutate). Copying the index maps
// for every clone would cost more than the scan they save, so a clone shares
// its parent's maps read-only and writes only to a small delta of its own;
// commit folds the delta into the shared maps when the clone becomes the
// current model, whose parent is then dropped. A clone that is dropped (a
// failed write, a dry run) leaves the shared maps as they were.

type index struct {
	byID  map[[idSize]byte]*record // in a delta, nil means removed
	byEnv map[string]envRecords    // by record.env ("" is not indexed); in a delta, empty means none; nil: not built yet
}

// envRecords are the records of one environment variable: almost always
// one, kept without an allocation; more only when names differ in case or
// punctuation, or one name is in several scopes. Never changed in place.
type envRecords struct {
	one  *record
	more []*record
}

func (e envRecords) list() []*record {
	if e.one == nil {
		return e.more
	}
	return []*record{e.one}
}

func envRecordsOf(rs []*record) envRecords {
	if len(rs) == 1 {
		return envRecords{one: rs[0]}
	}
	return envRecords{more: rs}
}

func newIndex(n int) *index {
	return &index{byID: make(map[[idSize]byte]*record, n), byEnv: make(map[string]envRecords, n)}
}

// reindex builds the indexes from m.secrets.
func (m *model) reindex() {
	m.base, m.delta = &index{byID: make(map[[idSize]byte]*record, len(m.secrets))}, newIndex(0)
	for _, r := range m.secrets {
		m.base.byID[r.id] = r
	}
}

// envIndex builds the variable index if it is not built yet. A clone
// always finds it built (see clone), so the delta is empty here when
// it is not.
func (m *model) envIndex() {
	if m.base.byEnv != nil {
		return
	}
	m.base.byEnv = make(map[string]envRecords, len(m.secrets))
	for _, r := range m.secrets {
		m.base.addEnv(r)
	}
}

// addEnv indexes r by its variable in x, which no other model shares.
func (x *index) addEnv(r *record) {
	env := r.envName()
	if env == "" {
		return
	}
	if e, ok := x.byEnv[env]; ok {
		x.byEnv[env] = envRecords{more: append(e.list(), r)}
	} else {
		x.byEnv[env] = envRecords{one: r}
	}
}

// cloneIndexes makes c share m's maps, with a copy of m's delta.
func (m *model) cloneIndexes(c *model) {
	m.envIndex()
	c.base, c.delta = m.base, newIndex(len(m.delta.byID))
	for k, r := range m.delta.byID {
		c.delta.byID[k] = r
	}
	for k, rs := range m.delta.byEnv {
		c.delta.byEnv[k] = rs
	}
}

// commit folds the delta into the shared maps. Call it only on the model
// that becomes current: any other model sharing the maps must be dropped.
func (m *model) commit() {
	for k, r := range m.delta.byID {
		if r == nil {
			delete(m.base.byID, k)
		} else {
			m.base.byID[k] = r
		}
	}
	for k, e := range m.delta.byEnv {
		if e.one == nil && len(e.more) == 0 {
			delete(m.base.byEnv, k)
		} else {
			m.base.byEnv[k] = e
		}
	}
	m.delta = newIndex(0)
}

func (m *model) byID(id [idSize]byte) *record {
	if r, ok := m.delta.byID[id]; ok {
		return r
	}
	return m.base.byID[id]
}

// withEnv returns the records whose environment variable is env. The
// caller must not modify the slice.
func (m *model) withEnv(env string) []*record {
	m.envIndex()
	if e, ok := m.delta.byEnv[env]; ok {
		return e.list()
	}
	return m.base.byEnv[env].list()
}

func (m *model) index(r *record) {
	m.envIndex()
	m.delta.byID[r.id] = r
	if env := r.envName(); env != "" {
		m.delta.byEnv[env] = envRecordsOf(append(slices.Clip(m.withEnv(env)), r))
	}
}

func (m *model) unindex(r *record) {
	m.envIndex()
	if m.byID(r.id) == r {
		m.delta.byID[r.id] = nil
	}
	if env := r.envName(); env != "" {
		m.delta.byEnv[env] = envRecordsOf(slices.DeleteFunc(slices.Clone(m.withEnv(env)), func(o *record) bool { return o == r }))
	}
}

// insert puts the finished record r at position i of m.secrets.
func (m *model) insert(i int, r *record) {
	m.secrets = slices.Insert(m.secrets, i, r)
	m.index(r)
}

// replace puts the finished record r in place of m.secrets[i].
func (m *model) replace(i int, r *record) {
	m.unindex(m.secrets[i])
	m.secrets[i] = r
	m.index(r)
}

// remove deletes m.secrets[i].
func (m *model) remove(i int) {
	m.unindex(m.secrets[i])
	m.secrets = slices.Delete(m.secrets, i, i+1)
}

// position returns the index of r in m.secrets, or -1.
func (m *model) position(r *record) int {
	if r == nil {
		return -1
	}
	i, ok := m.findSecret(r.name, r.scope)
	if !ok || m.secrets[i] != r {
		return -1
	}
	return i
}
