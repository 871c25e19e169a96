package vault

import (
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Limits on the model; decoders enforce them too (see FORMAT.md).
const (
	MaxValueSize   = 1 << 20
	MaxSecrets     = 100_000
	MaxCollections = 10_000
)

// Secret is a secret's metadata: never its value.
type Secret struct {
	ID, Name, Collection string
	Env                  string // the environment variable (see EnvName); "" when Name maps to none
	Tags                 []string
	Description          string
	Scope                string
	Access               Access
	Created, Updated     time.Time
	LastAccessed         time.Time // zero: never

	// Shadowed is set by List when Query.Project is set, on a secret that
	// a project secret of the same name hides in that project.
	Shadowed bool
}

// Collection groups secrets and gives new ones their default access level.
type Collection struct {
	Name, Description string
	Tags              []string
	DefaultAccess     Access

	// Secrets is how many secrets the collection holds, as Collections
	// reports it; writes ignore it.
	Secrets int
}

// record is one stored secret. Records are immutable once in a model:
// a change makes a new record (copy on write), so a model clones cheaply.
type record struct {
	id          [idSize]byte
	name        string
	collection  string
	tags        []string
	description string
	scope       string
	access      Access
	created     time.Time
	updated     time.Time
	accessed    time.Time
	sealed      []byte // nonce || ciphertext || tag of the value

	env    string // EnvName(name), "" when the name has none; see envName
	envSet bool   // env is computed
	search string // lower-cased name, description, tags, collection
}

func (r *record) finish() *record {
	r.search = strings.ToLower(r.name + "\x00" + r.description + "\x00" + strings.Join(r.tags, "\x00") + "\x00" + r.collection)
	return r
}

// envName is EnvName(r.name), "" when the name has none. It is computed
// at first use (unlocking a large vault need not pay for it) and kept in r:
// like every access to records, it runs under Vault.mu.
func (r *record) envName() string {
	if !r.envSet {
		r.env, _ = EnvName(r.name)
		r.envSet = true
	}
	return r.env
}

func (r *record) secret() Secret {
	return Secret{
		ID: hex.EncodeToString(r.id[:]), Name: r.name, Env: r.envName(), Collection: r.collection,
		Tags: slices.Clone(r.tags), Description: r.description, Scope: r.scope, Access: r.access,
		Created: r.created, Updated: r.updated, LastAccessed: r.accessed,
	}
}

// recordLess is the canonical order: name, then scope (Global first).
func recordLess(aName, aScope, bName, bScope string) bool {
	if aName != bName {
		return aName < bName
	}
	return scopeLess(aScope, bScope)
}

type collectionRec struct {
	Collection
	folded string // strings.ToLower(Name): identity and order
}

// model is the decrypted metadata of an unlocked vault.
type model struct {
	defaultAccess Access
	collections   []*collectionRec // sorted by folded name, unique
	secrets       []*record        // sorted by recordLess, unique by (name, scope)
	auditSeq      uint64           // audit checkpoint: the latest audit record seen, 0 for none
	auditMAC      string           // its mac: 64 lowercase hex characters, or "" (unsealed, or none)

	base, delta *index // see index.go
}

func (m *model) clone() *model {
	c := &model{defaultAccess: m.defaultAccess, collections: slices.Clone(m.collections), secrets: slices.Clone(m.secrets),
		auditSeq: m.auditSeq, auditMAC: m.auditMAC}
	m.cloneIndexes(c)
	return c
}

// findSecret returns the index of (name, scope), or where it would go.
func (m *model) findSecret(name, scope string) (int, bool) {
	return slices.BinarySearchFunc(m.secrets, [2]string{name, scope}, func(r *record, k [2]string) int {
		switch {
		case r.name == k[0] && r.scope == k[1]:
			return 0
		case recordLess(r.name, r.scope, k[0], k[1]):
			return -1
		}
		return 1
	})
}

// findID returns the index of the secret with this id, or -1.
func (m *model) findID(id [idSize]byte) int {
	return m.position(m.byID(id))
}

func (m *model) findCollection(name string) (int, bool) {
	folded := strings.ToLower(name)
	return slices.BinarySearchFunc(m.collections, folded, func(c *collectionRec, k string) int {
		return strings.Compare(c.folded, k)
	})
}

// hasCollection reports whether a collection is spelled exactly name.
func (m *model) hasCollection(name string) bool {
	i, ok := m.findCollection(name)
	return ok && m.collections[i].Name == name
}

// ensureCollection returns the stored spelling of name, creating the
// collection with the vault's default access when it does not exist.
func (m *model) ensureCollection(name string) (*collectionRec, error) {
	i, ok := m.findCollection(name)
	if ok {
		return m.collections[i], nil
	}
	if len(m.collections) >= MaxCollections {
		return nil, fmt.Errorf("%w: the vault holds the maximum of %d collections", ErrTooLarge, MaxCollections)
	}
	c := &collectionRec{Collection: Collection{Name: name, DefaultAccess: m.defaultAccess}, folded: strings.ToLower(name)}
	m.collections = slices.Insert(m.collections, i, c)
	return c, nil
}
